"""Ringkasan (overview): the city at a glance for officials.

The city index and its six dimensions for the selected year with status colour and trend, a radar
of the dimensions against the previous year, and the kecamatan (or kelurahan) compared on any
dimension. All numbers come from ``ui.context``; this page only lays them out.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from ui.components import SCORE_SCALE, STATUS_COLORS, status_chip, synthetic_banner, table_expander, trend_label
from ui.context import get_context, statuses, trends
from ui.explain import explain_panel
from ui.i18n import current_lang, fmt_num, t

ctx = get_context()
lang = current_lang()
catalog = ctx.catalog
year = ctx.selected_year()
city = ctx.city["code"]

st.title(t("overview.title", city=ctx.city["name"]))
synthetic_banner(ctx.synthetic)
st.caption(t("overview.caption", year=year, scenario=ctx.scenario_name))

status = statuses(ctx)
trend = trends(ctx, year)
city_status = status.loc[(status["region"] == city) & (status["year"] == year)].set_index("code")
city_trend = trend.loc[trend["region"] == city].set_index("code")
prev = status.loc[(status["region"] == city) & (status["year"] == year - 1)].set_index("code")


def _delta(code: str) -> str | None:
    if code in prev.index and code in city_status.index:
        now, before = city_status.at[code, "score"], prev.at[code, "score"]
        if now == now and before == before:
            return f"{fmt_num(now - before, 1)} {t('overview.vs_prev', year=year - 1)}"
    return None


root = catalog.root
if root not in city_status.index or city_status.at[root, "score"] != city_status.at[root, "score"]:
    st.info(t("overview.no_city_index", year=year))
else:
    left, right = st.columns([1, 2])
    with left:
        st.metric(
            catalog.name(root, lang),
            fmt_num(city_status.at[root, "score"], 1),
            delta=_delta(root),
            border=True,
            help=t("overview.index_help"),
        )
        st.markdown(status_chip(city_status.at[root, "status"]))
        if root in city_trend.index:
            st.caption(f"{t('overview.trend')}: {trend_label(city_trend.at[root, 'trend'])}")
        st.caption(t("overview.coverage", share=fmt_num(100 * city_status.at[root, "coverage"], 0)))
    with right:
        dims = catalog.dimensions
        names = [catalog.name(d, lang) for d in dims]
        fig = go.Figure()
        for yr, frame, dash in ((year - 1, prev, "dot"), (year, city_status, "solid")):
            if frame.empty:
                continue
            values = [frame.at[d, "score"] if d in frame.index else None for d in dims]
            fig.add_trace(
                go.Scatterpolar(
                    r=[*values, values[0]],
                    theta=[*names, names[0]],
                    name=str(yr),
                    line={"dash": dash},
                    fill="toself" if yr == year else None,
                    hovertemplate="%{theta}: %{r:.1f}<extra>" + str(yr) + "</extra>",
                )
            )
        fig.update_layout(
            title=t("overview.radar_title", year=year),
            polar={"radialaxis": {"range": [0, 100], "tickfont": {"size": 9}}},
            height=360,
            margin={"l": 40, "r": 40, "t": 50, "b": 20},
            legend={"orientation": "h"},
        )
        st.plotly_chart(fig, width="stretch", config={"displaylogo": False})

    st.subheader(t("overview.dimensions"))
    cols = st.columns(3)
    rows = []
    for i, dim in enumerate(catalog.dimensions):
        score_value = city_status.at[dim, "score"] if dim in city_status.index else float("nan")
        dim_status = city_status.at[dim, "status"] if dim in city_status.index else "grey"
        dim_trend = city_trend.at[dim, "trend"] if dim in city_trend.index else "insufficient"
        with cols[i % 3], st.container(border=True):
            st.markdown(f"**{catalog.name(dim, lang)}**")
            st.metric(t("common.score"), fmt_num(score_value, 1), delta=_delta(dim), label_visibility="collapsed")
            st.markdown(f"{status_chip(dim_status)} &nbsp; {trend_label(dim_trend)}")
        rows.append(
            {
                t("common.dimension"): catalog.name(dim, lang),
                t("common.score"): round(float(score_value), 2) if score_value == score_value else None,
                t("common.status"): t(f"status.{dim_status}"),
                t("overview.trend"): t(f"trend.{dim_trend}"),
            }
        )
    table_expander(
        pd.DataFrame(rows), t("common.table_behind"), f"ringkasan_dimensi_{year}", key="dims", synthetic=ctx.synthetic
    )
    explain_panel(ctx, city, year, root, key="overview_explain")

# ------------------------------------------------------------------ regions compared
st.subheader(t("overview.regions_title"))
level = ctx.selected_level()
nodes = [root, *catalog.dimensions]
node = st.selectbox(t("overview.node"), nodes, format_func=lambda c: catalog.name(c, lang), key="overview_node")
frame = ctx.scores.loc[
    (ctx.scores["year"] == year) & (ctx.scores["region_level"] == level) & (ctx.scores["code"] == node)
]
frame = frame.merge(
    status[["region", "year", "code", "status"]], on=["region", "year", "code"], how="left"
).sort_values("score", na_position="first")
if frame.empty:
    st.info(t("overview.no_regions", level=t(f"level.{level}")))
else:
    missing = frame["score"].isna()
    fig = go.Figure(
        go.Bar(
            x=frame["score"].fillna(0),
            y=frame["region_name"],
            orientation="h",
            marker={
                "color": frame["score"].where(~missing),
                "colorscale": SCORE_SCALE,
                "cmin": 0,
                "cmax": 100,
                "line": {"color": [STATUS_COLORS["grey"] if m else "rgba(0,0,0,0)" for m in missing], "width": 1},
            },
            customdata=frame[["coverage"]].to_numpy(),
            hovertemplate="%{y}: %{x:.1f}<br>" + t("common.coverage") + ": %{customdata[0]:.0%}<extra></extra>",
        )
    )
    fig.update_layout(
        title=t("overview.regions_chart", node=catalog.name(node, lang), level=t(f"level.{level}"), year=year),
        xaxis={"range": [0, 100], "title": t("common.score_0_100")},
        yaxis={"title": t(f"level.{level}")},
        height=max(300, 22 * len(frame) + 80),
        margin={"l": 10, "r": 10, "t": 50, "b": 40},
    )
    st.plotly_chart(fig, width="stretch", config={"displaylogo": False})
    if missing.any():
        st.caption(t("overview.missing_regions", n=int(missing.sum())))
    shown = frame[["region", "region_name", "score", "rank", "coverage", "status"]].rename(
        columns={
            "region": t("common.code"),
            "region_name": t(f"level.{level}"),
            "score": t("common.score"),
            "rank": t("common.rank"),
            "coverage": t("common.coverage"),
            "status": t("common.status"),
        }
    )
    table_expander(
        shown.iloc[::-1],
        t("common.table_behind"),
        f"ringkasan_{level}_{node}_{year}",
        key="regions",
        synthetic=ctx.synthetic,
    )
