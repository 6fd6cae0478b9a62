"""Profil Wilayah: one kecamatan or kelurahan at a glance.

Its index and rank among its peers, its strengths and weaknesses against the peers' median, a
radar of the six dimensions against the city, every indicator value it has, and where that data
came from (dataset, uploader, time). The region arrives from the map (``profile_region`` in the
session) or from the URL (``?region=17.71.01``), so a profile can be shared as a link.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from indicators.status import strengths_weaknesses
from indicators.tables import indicator_detail
from ui.charts import radar
from ui.components import download_table, status_chip, synthetic_banner, table_expander, trend_label
from ui.context import get_context, statuses, trends
from ui.data import level_of, memo, node_label, provenance, region_label, region_options, show_table, view_key
from ui.explain import explain_panel, peer_count
from ui.i18n import current_lang, fmt_num, t

ctx = get_context()
lang = current_lang()
catalog = ctx.catalog
year = ctx.selected_year()
city = ctx.city["code"]
root = catalog.root

st.title(t("profile.title"))
synthetic_banner(ctx.synthetic)

# ------------------------------------------------------------------ which region
options = region_options(ctx, ("kecamatan", "kelurahan"))
wanted = st.session_state.get("profile_region")
from_url = st.query_params.get("region")
if wanted not in options and from_url in options:
    wanted = from_url
if wanted not in options:
    wanted = options[0] if options else None
if wanted is None:
    st.info(t("profile.no_regions"))
    st.stop()
if st.session_state.get("profile_region_w") != wanted:  # arrival from the map, a link or another page
    st.session_state["profile_region_w"] = wanted


def _remember() -> None:
    st.session_state["profile_region"] = st.session_state["profile_region_w"]


region = st.selectbox(
    t("profile.region"),
    options,
    format_func=lambda c: region_label(ctx, c),
    key="profile_region_w",
    on_change=_remember,
)
st.session_state["profile_region"] = region
st.query_params["region"] = region
level = level_of(region)
st.caption(t("profile.caption", year=year, scenario=ctx.scenario_name, level=t(f"level.{level}")))

status = statuses(ctx)
trend = trends(ctx, year)
mine = status.loc[(status["region"] == region) & (status["year"] == year)].set_index("code")
mine_trend = trend.loc[trend["region"] == region].set_index("code")
city_now = status.loc[(status["region"] == city) & (status["year"] == year)].set_index("code")

# ------------------------------------------------------------------ headline
if root not in mine.index:
    st.info(t("profile.no_data", region=region_label(ctx, region), year=year))
else:
    c1, c2, c3 = st.columns(3)
    score = mine.at[root, "score"]
    rank_text = "–"
    unit = ctx.result.unit_index.get((region, year))
    if unit is not None and score == score:
        rank = ctx.result.rank_matrix[unit, ctx.result.node_index[root]]
        rank_text = t("profile.rank_of", rank=fmt_num(rank, 0), n=peer_count(ctx.result, region, year, root))
    c1.metric(catalog.name(root, lang), fmt_num(score, 1), border=True)
    c1.markdown(status_chip(mine.at[root, "status"]))
    c2.metric(t("profile.rank", level=t(f"level.{level}")), rank_text, border=True)
    if root in mine_trend.index:
        c2.caption(f"{t('overview.trend')}: {trend_label(mine_trend.at[root, 'trend'])}")
    cov = ctx.result.coverage_matrix[unit, ctx.result.node_index[root]] if unit is not None else float("nan")
    c3.metric(t("common.coverage"), f"{fmt_num(100 * cov, 0)} %", border=True, help=t("profile.coverage_help"))
    if root in city_now.index:
        c3.caption(t("profile.city_score", city=ctx.city["name"], score=fmt_num(city_now.at[root, "score"], 1)))

    # -------------------------------------------------------------- radar against the city
    dims = catalog.dimensions
    names = [catalog.name(d, lang) for d in dims]
    mine_vals = [mine.at[d, "score"] if d in mine.index else None for d in dims]
    city_vals = [city_now.at[d, "score"] if d in city_now.index else None for d in dims]
    left, right = st.columns([3, 2])
    with left:
        fig = radar(
            [(region_label(ctx, region, with_parent=False), mine_vals), (ctx.city["name"], city_vals)],
            names,
            title=t("profile.radar_title", year=year),
            radial_title=t("common.score_0_100"),
        )
        st.plotly_chart(fig, width="stretch", config={"displaylogo": False})
        radar_table = pd.DataFrame(
            {
                t("common.dimension"): names,
                region_label(ctx, region, with_parent=False): [
                    round(v, 2) if v == v and v is not None else None for v in mine_vals
                ],
                ctx.city["name"]: [round(v, 2) if v == v and v is not None else None for v in city_vals],
            }
        )
        table_expander(
            radar_table,
            t("common.table_behind"),
            f"profil_radar_{region}_{year}",
            key="prof_radar",
            synthetic=ctx.synthetic,
        )
    # -------------------------------------------------------------- strengths and weaknesses
    with right:
        sw = memo(
            ("profile_sw", view_key(ctx), region, year),
            lambda: strengths_weaknesses(ctx.result, region, year, level="indicator", k=5),
        )
        for kind, icon, label in (
            ("strength", ":material/thumb_up:", "profile.strengths"),
            ("weakness", ":material/warning:", "profile.weaknesses"),
        ):
            st.markdown(f"{icon} **{t(label)}**")
            part = sw.loc[sw["kind"] == kind]
            if part.empty:
                st.caption(t("profile.none"))
            for row in part.itertuples():
                gap = fmt_num(row.gap, 1)
                sign = "+" if row.gap > 0 else ""
                item = t("profile.sw_item", score=fmt_num(row.score, 1), gap=f"{sign}{gap}")
                st.markdown(f"- {node_label(ctx, row.code, lang)}: {item}")
        st.caption(t("profile.sw_note", level=t(f"level.{level}")))

# ------------------------------------------------------------------ all its values
st.subheader(t("profile.values"))
detail = indicator_detail(
    ctx.result, region, year, catalog.indicators, status=status, trend=trend, provenance=provenance(ctx)
)
detail = detail.loc[detail["applicable"]]
if detail.empty:
    st.info(t("profile.no_values"))
else:
    dim_of = {c: next((a for a in catalog.ancestors(c) if a in catalog.dimensions), "") for c in detail["code"]}
    table = pd.DataFrame(
        {
            t("common.dimension"): [catalog.name(dim_of[c], lang) for c in detail["code"]],
            t("common.code"): detail["code"],
            t("dimension.indicator"): [catalog.name(c, lang) for c in detail["code"]],
            t("dimension.value"): detail["value"].round(3),
            t("dimension.unit"): detail["unit"],
            t("dimension.score"): detail["score"].round(1),
            t("common.status"): [t(f"status.{s}") for s in detail["status"]],
            t("overview.trend"): [trend_label(s) for s in detail["trend"]],
            t("dimension.origin"): [t(f"explain.origin.{o}") for o in detail["origin"]],
            t("dimension.dataset"): detail["file_name"].fillna("–").astype(str),
            t("explain.col.uploader"): detail["uploaded_by"].fillna("–").astype(str),
            t("explain.col.uploaded_at"): pd.to_datetime(detail["uploaded_at"], utc=True)
            .dt.strftime("%Y-%m-%d %H:%M")
            .fillna("–"),
        }
    )
    show_table(
        table,
        lang,
        column_config={
            t("dimension.score"): st.column_config.ProgressColumn(min_value=0, max_value=100, format="%.1f")
        },
    )
    download_table(table, f"profil_{region}_{year}", key="prof_values", synthetic=ctx.synthetic)

    # -------------------------------------------------------------- where its data came from
    st.subheader(t("profile.sources"))
    counts = (
        detail.assign(file_name=detail["file_name"].fillna(""))
        .groupby(["origin", "file_name"], dropna=False)
        .agg(n=("code", "size"), uploaded_by=("uploaded_by", "first"), uploaded_at=("uploaded_at", "first"))
        .reset_index()
        .sort_values("n", ascending=False)
    )
    src = pd.DataFrame(
        {
            t("dimension.origin"): [t(f"explain.origin.{o}") for o in counts["origin"]],
            t("dimension.dataset"): counts["file_name"].replace("", "–"),
            t("explain.col.uploader"): counts["uploaded_by"].fillna("–").astype(str),
            t("explain.col.uploaded_at"): pd.to_datetime(counts["uploaded_at"], utc=True)
            .dt.strftime("%Y-%m-%d %H:%M")
            .fillna("–"),
            t("profile.n_values"): counts["n"],
        }
    )
    show_table(src, lang)
    st.caption(t("profile.sources_note"))
    download_table(src, f"asal_data_{region}_{year}", key="prof_sources", synthetic=ctx.synthetic)

# ------------------------------------------------------------------ explain
st.subheader(t("profile.why"))
explain_panel(ctx, region, year, root, key="profile_explain", expanded=False)
