"""Dimensi: one dimension at a time, for the city or one region.

Element scores, then every indicator with its raw value, unit, goalposts or target, direction,
normalised score, status, trend and source dataset, then the indicators' trends as small
multiples, and the explanation of any score down to its raw value.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from indicators.tables import indicator_detail
from ui.charts import score_bars, small_multiples
from ui.components import (
    STATUS_COLORS,
    download_table,
    status_chip,
    synthetic_banner,
    table_expander,
    trend_label,
)
from ui.context import get_context, statuses, trends
from ui.data import memo, node_label, provenance, region_label, region_options, scores, show_table, view_key
from ui.explain import explain_panel
from ui.i18n import current_lang, fmt_num, t

ctx = get_context()
lang = current_lang()
catalog = ctx.catalog
year = ctx.selected_year()
level = ctx.selected_level()
city = ctx.city["code"]

st.title(t("dimension.title"))
synthetic_banner(ctx.synthetic)

c1, c2 = st.columns(2)
dimension = c1.selectbox(
    t("common.dimension"), catalog.dimensions, format_func=lambda c: catalog.name(c, lang), key="dimension_code"
)
options = region_options(ctx, ("kota", level))
if st.session_state.get("dimension_region") not in options:
    st.session_state["dimension_region"] = city
region = c2.selectbox(
    t("dimension.region"), options, format_func=lambda c: region_label(ctx, c), key="dimension_region"
)
st.caption(t("dimension.caption", year=year, scenario=ctx.scenario_name))

status = statuses(ctx)
trend = trends(ctx, year)
here = status.loc[(status["region"] == region) & (status["year"] == year)].set_index("code")
here_trend = trend.loc[trend["region"] == region].set_index("code")

# ------------------------------------------------------------------ headline + element scores
dim_score = here.at[dimension, "score"] if dimension in here.index else float("nan")
dim_status = here.at[dimension, "status"] if dimension in here.index else "grey"
dim_trend = here_trend.at[dimension, "trend"] if dimension in here_trend.index else "insufficient"
left, right = st.columns([1, 2])
with left:
    st.metric(catalog.name(dimension, lang), fmt_num(dim_score, 1), border=True, help=t("dimension.score_help"))
    st.markdown(f"{status_chip(dim_status)} &nbsp; {trend_label(dim_trend)}")
    st.caption(catalog.node(dimension)["source"] or "")
elements = catalog.children[dimension]
element_rows = pd.DataFrame(
    {
        "code": elements,
        "name": [catalog.name(e, lang) for e in elements],
        "score": [here.at[e, "score"] if e in here.index else float("nan") for e in elements],
        "status": [here.at[e, "status"] if e in here.index else "grey" for e in elements],
        "trend": [here_trend.at[e, "trend"] if e in here_trend.index else "insufficient" for e in elements],
    }
)
with right:
    fig = score_bars(
        element_rows,
        title=t("dimension.elements_title", dimension=catalog.name(dimension, lang), region=region_label(ctx, region)),
        axis_title=t("common.score_0_100"),
        category_title=t("dimension.element"),
        missing_label=t("status.grey"),
        fmt=lambda v: fmt_num(v, 1),
    )
    st.plotly_chart(fig, width="stretch", config={"displaylogo": False})
element_table = pd.DataFrame(
    {
        t("common.code"): element_rows["code"],
        t("dimension.element"): element_rows["name"],
        t("common.score"): element_rows["score"].round(2),
        t("common.status"): [t(f"status.{s}") for s in element_rows["status"]],
        t("overview.trend"): [t(f"trend.{s}") for s in element_rows["trend"]],
    }
)
table_expander(
    element_table,
    t("common.table_behind"),
    f"elemen_{dimension}_{region}_{year}",
    key="dim_el",
    synthetic=ctx.synthetic,
)

# ------------------------------------------------------------------ indicator table
st.subheader(t("dimension.indicators"))
codes = catalog.descendants(dimension, leaves_only=True)
detail = indicator_detail(ctx.result, region, year, codes, status=status, trend=trend, provenance=provenance(ctx))
detail = detail.loc[detail["applicable"]] if detail["applicable"].any() else detail
if detail.empty:
    st.info(t("dimension.no_indicators", level=t(f"level.{level}")))
else:

    def _goalposts(row) -> str:
        if row["direction"] == "target" and row["target"] == row["target"]:
            return f"{t('explain.target')} {fmt_num(row['target'], 2)}"
        lo, hi = row["lower"], row["upper"]
        text = f"{fmt_num(lo, 2)} – {fmt_num(hi, 2)}" if lo == lo and hi == hi else "–"
        if row["target"] == row["target"]:
            text += f" · {t('explain.target')} {fmt_num(row['target'], 2)}"
        return text

    table = pd.DataFrame(
        {
            t("common.code"): detail["code"],
            t("dimension.indicator"): [catalog.name(c, lang) for c in detail["code"]],
            t("dimension.score"): detail["score"].round(1),
            t("common.status"): [t(f"status.{s}") for s in detail["status"]],
            t("overview.trend"): [trend_label(s) for s in detail["trend"]],
            t("dimension.value"): detail["value"].round(3),
            t("dimension.unit"): detail["unit"],
            t("dimension.goalposts"): [_goalposts(r) for _, r in detail.iterrows()],
            t("dimension.direction"): [t(f"explain.direction.{d}") for d in detail["direction"]],
            t("dimension.origin"): [t(f"explain.origin.{o}") for o in detail["origin"]],
            t("dimension.dataset"): detail["file_name"].fillna("–").astype(str),
            t("dimension.element"): [catalog.name(p, lang) for p in detail["parent"]],
        }
    )
    status_col = t("common.status")
    colors = dict(zip([t(f"status.{s}") for s in STATUS_COLORS], STATUS_COLORS.values(), strict=True))
    show_table(
        table,
        lang,
        styler=lambda s: s.map(
            lambda v: f"background-color: {colors.get(v, 'transparent')}; color: #000000", subset=[status_col]
        ),
        column_config={
            t("dimension.score"): st.column_config.ProgressColumn(min_value=0, max_value=100, format="%.1f")
        },
    )
    st.caption(t("dimension.table_note"))
    download_table(table, f"indikator_{dimension}_{region}_{year}", key="dim_ind", synthetic=ctx.synthetic)

# ------------------------------------------------------------------ trends as small multiples
st.subheader(t("dimension.trends"))


def _trends_view() -> tuple:
    """Small multiples of the dimension's indicator scores by year, and their table (memoised)."""
    frame = scores(ctx)
    frame = frame.loc[(frame["region"].isin([region, city])) & (frame["code"].isin(codes))]
    frame = frame.dropna(subset=["score"])
    if frame.empty:
        return None, None
    frame = frame.assign(
        name=[node_label(ctx, c, lang) for c in frame["code"]],
        who=[region_label(ctx, r) for r in frame["region"]],
    )
    fig = small_multiples(
        frame,
        title=t("dimension.trends_title", dimension=catalog.name(dimension, lang)),
        y_title=t("common.score_0_100"),
        x_title=t("frame.year"),
    )
    table = frame.pivot_table(index=["code", "who"], columns="year", values="score").round(1).reset_index()
    table = table.rename(columns={"code": t("common.code"), "who": t("dimension.region")})
    table.columns = [str(c) for c in table.columns]
    return fig, table


fig, trend_table = memo(("dim_trends", view_key(ctx), dimension, region, lang), _trends_view)
if fig is None:
    st.info(t("dimension.no_trends"))
else:
    st.plotly_chart(fig, width="stretch", config={"displaylogo": False})
    table_expander(
        trend_table, t("common.table_behind"), f"tren_{dimension}_{region}", key="dim_trend", synthetic=ctx.synthetic
    )

# ------------------------------------------------------------------ explain
st.subheader(t("dimension.why"))
explain_panel(ctx, region, year, dimension, key="dimension_explain", expanded=True)
