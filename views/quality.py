"""Kualitas Data: how complete, how fresh and where from.

A coverage heat map (indicator x region) marks every value as observed, derived, imputed or
missing; indicators under the 65 % availability threshold are flagged; freshness gives the latest
year of real data per indicator; the provenance table names the dataset, uploader and time of
every value; the dataset list shows what is active, superseded or rolled back.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from indicators.quality import AVAILABILITY_THRESHOLD, coverage_grid, coverage_summary, freshness, region_coverage
from ui.charts import CATEGORY_COLORS, category_heatmap
from ui.components import NO_DATA_COLOR, download_table, synthetic_banner, table_expander
from ui.context import get_context
from ui.data import datasets, memo, provenance, region_label, show_table, view_key
from ui.i18n import current_lang, fmt_num, fmt_pct, t

#: Cell state -> colour (Okabe-Ito; grey = no data; white = not measured at this level).
STATE_COLORS = {-1: "#FFFFFF", 0: NO_DATA_COLOR, 1: "#0072B2", 2: "#56B4E9", 3: "#E69F00"}
STATE_KEYS = {-1: "not_applicable", 0: "missing", 1: "observed", 2: "derived", 3: "imputed"}

ctx = get_context()
lang = current_lang()
catalog = ctx.catalog
year = ctx.selected_year()
level = ctx.selected_level()

st.title(t("quality.title"))
synthetic_banner(ctx.synthetic)
st.caption(t("quality.caption", year=year, level=t(f"level.{level}")))

regions = list(ctx.regions_at(level)["code"])
grid, summary = memo(
    ("quality_grid", view_key(ctx), level, year),
    lambda: (lambda g: (g, coverage_summary(g)))(coverage_grid(ctx.result, year, regions)),
)

# ------------------------------------------------------------------ headline numbers
applicable = int((grid >= 0).to_numpy().sum())
counts = {k: int((grid == code).to_numpy().sum()) for code, k in STATE_KEYS.items() if code >= 0}
cols = st.columns(5)
for col, key in zip(cols, ("observed", "derived", "imputed", "missing"), strict=False):
    share = counts[key] / applicable if applicable else float("nan")
    col.metric(t(f"quality.state.{key}"), fmt_pct(share), help=t(f"quality.state_help.{key}"), border=True)
flagged = int(summary["flag"].sum())
cols[4].metric(
    t("quality.flagged"),
    f"{flagged} / {len(summary)}",
    help=t("quality.flagged_help", share=fmt_num(100 * AVAILABILITY_THRESHOLD, 0)),
    border=True,
)

# ------------------------------------------------------------------ coverage heat map
st.subheader(t("quality.coverage"))
if grid.empty:
    st.info(t("quality.no_regions", level=t(f"level.{level}")))
else:
    shown_rows = list(summary["indicator"]) or list(grid.index)
    sub = grid.loc[shown_rows]
    states = {code: (t(f"quality.state.{key}"), STATE_COLORS[code]) for code, key in STATE_KEYS.items()}
    fig = category_heatmap(
        sub,
        states=states,
        x_labels=[ctx.region_names.get(r, r) for r in sub.columns],
        y_labels=list(sub.index),
        title=t("quality.coverage_title", level=t(f"level.{level}"), year=year),
        x_title=t(f"level.{level}"),
        y_title=t("quality.indicator_code"),
    )
    st.plotly_chart(fig, width="stretch", config={"displaylogo": False})
    st.caption(t("quality.coverage_note"))
    table = pd.DataFrame(
        {
            t("common.code"): summary["indicator"],
            t("dimension.indicator"): [catalog.name(c, lang) for c in summary["indicator"]],
            t("quality.applicable"): summary["applicable"],
            t("quality.state.observed"): summary["observed"],
            t("quality.state.derived"): summary["derived"],
            t("quality.state.imputed"): summary["imputed"],
            t("quality.state.missing"): summary["missing"],
            t("quality.share"): (100 * summary["share"]).round(1),
            t("quality.flag"): [t("quality.flag_yes") if f else "" for f in summary["flag"]],
        }
    )
    table_expander(
        table, t("quality.table_indicators"), f"cakupan_{level}_{year}", key="q_cov", synthetic=ctx.synthetic
    )
    per_region = region_coverage(grid)
    region_table = pd.DataFrame(
        {
            t("common.code"): per_region.index,
            t(f"level.{level}"): [region_label(ctx, r) for r in per_region.index],
            t("quality.share"): (100 * per_region.to_numpy()).round(1),
        }
    ).sort_values(t("quality.share"))
    table_expander(
        region_table,
        t("quality.table_regions"),
        f"cakupan_wilayah_{level}_{year}",
        key="q_reg",
        synthetic=ctx.synthetic,
    )
    states_text = {code: t(f"quality.state.{k}") for code, k in STATE_KEYS.items()}
    full = sub.rename(columns=ctx.region_names).apply(lambda col: col.map(states_text))
    full = full.reset_index().rename(columns={"indicator": t("quality.indicator_code")})
    table_expander(
        full, t("quality.table_grid"), f"cakupan_lengkap_{level}_{year}", key="q_grid", synthetic=ctx.synthetic
    )

# ------------------------------------------------------------------ freshness
st.subheader(t("quality.freshness"))
fresh = memo(
    ("quality_fresh", view_key(ctx), level, year),
    lambda: freshness(ctx.result, [ctx.city["code"], *regions], ref_year=year),
)
fresh = fresh.loc[fresh["indicator"].isin(summary["indicator"]) | fresh["latest_year"].notna()]
by_year = fresh["latest_year"].astype("Float64").fillna(-1).astype(int).value_counts().sort_index()
labels = [t("quality.never") if y < 0 else str(y) for y in by_year.index]
fig = go.Figure(
    go.Bar(
        x=labels,
        y=by_year.to_numpy(),
        marker={"color": [NO_DATA_COLOR if y < 0 else CATEGORY_COLORS[0] for y in by_year.index]},
        text=by_year.to_numpy(),
        textposition="auto",
        hovertemplate="%{x}: %{y}<extra></extra>",
    )
)
fig.update_layout(
    title=t("quality.freshness_title", year=year),
    xaxis={"title": t("quality.latest_year"), "type": "category"},
    yaxis={"title": t("quality.n_indicators")},
    height=320,
    margin={"l": 10, "r": 10, "t": 60, "b": 40},
)
st.plotly_chart(fig, width="stretch", config={"displaylogo": False})
fresh_table = pd.DataFrame(
    {
        t("common.code"): fresh["indicator"],
        t("dimension.indicator"): [catalog.name(c, lang) for c in fresh["indicator"]],
        t("quality.latest_year"): fresh["latest_year"],
        t("quality.lag"): fresh["lag"],
        t("quality.n_regions_latest"): fresh["n_regions"],
        t("quality.first_year"): fresh["first_year"],
        t("quality.n_years"): fresh["n_years"],
    }
).sort_values(t("quality.lag"), ascending=False, na_position="first")
table_expander(fresh_table, t("quality.freshness_table"), f"kebaruan_{year}", key="q_fresh", synthetic=ctx.synthetic)

# ------------------------------------------------------------------ provenance of each value
st.subheader(t("quality.provenance"))
prov = provenance(ctx)
prov = prov.loc[(prov["year"] == year) & prov["region"].isin([ctx.city["code"], *regions])]
c1, c2 = st.columns(2)
pick = c1.multiselect(
    t("quality.filter_indicator"),
    list(summary["indicator"]),
    format_func=lambda c: f"{c} · {catalog.name(c, lang)}",
    key="quality_indicators",
    placeholder=t("common.choose"),
)
origins = c2.multiselect(
    t("quality.filter_origin"),
    ["observed", "derived", "imputed"],
    format_func=lambda o: t(f"quality.state.{o}", lang),
    key="quality_origins",
    placeholder=t("common.choose"),
)
if pick:
    prov = prov.loc[prov["indicator"].isin(pick)]
if origins:
    prov = prov.loc[prov["origin"].isin(origins)]
prov_table = pd.DataFrame(
    {
        t("common.code"): prov["region"].to_numpy(),
        t("quality.region"): [region_label(ctx, r) for r in prov["region"]],
        t("quality.indicator_code"): prov["indicator"].to_numpy(),
        t("dimension.value"): prov["value"].round(3).to_numpy(),
        t("dimension.unit"): [catalog.node(c)["unit"] for c in prov["indicator"]],
        t("dimension.origin"): [t(f"quality.state.{o}") for o in prov["origin"]],
        t("dimension.dataset"): prov["file_name"].fillna("–").astype(str).to_numpy(),
        t("explain.col.uploader"): prov["uploaded_by"].fillna("–").astype(str).to_numpy(),
        t("explain.col.uploaded_at"): pd.to_datetime(prov["uploaded_at"], utc=True)
        .dt.strftime("%Y-%m-%d %H:%M")
        .fillna("–")
        .to_numpy(),
        t("quality.inputs"): prov["inputs"].fillna("").to_numpy(),
    }
)
origin_col = t("dimension.origin")
imputed_label = t("quality.state.imputed")
show_table(
    prov_table,
    lang,
    precision=3,
    styler=lambda s: s.apply(
        lambda row: (
            ["background-color: #FBE0C3; color: #000000" if row[origin_col] == imputed_label else ""] * len(row)
        ),
        axis=1,
    ),
    height=360,
)
st.caption(t("quality.provenance_note", n=len(prov_table)))
download_table(prov_table, f"asal_data_{level}_{year}", key="q_prov", synthetic=ctx.synthetic)

# ------------------------------------------------------------------ datasets
st.subheader(t("quality.datasets"))
ds = datasets(ctx)
if ds.empty:
    st.info(t("quality.no_datasets"))
else:
    ds_table = pd.DataFrame(
        {
            "id": ds["id"],
            t("dimension.dataset"): ds["file_name"].astype(str),
            t("quality.kind"): ds["kind"].astype(str) if "kind" in ds.columns else "",
            t("explain.col.uploader"): ds["uploaded_by"].astype(str),
            t("explain.col.uploaded_at"): pd.to_datetime(ds["uploaded_at"], utc=True).dt.strftime("%Y-%m-%d %H:%M"),
            t("quality.n_values"): ds["n_values"] if "n_values" in ds.columns else None,
            t("quality.n_observations"): ds["n_observations"] if "n_observations" in ds.columns else None,
            t("explain.col.dataset_status"): [t(f"explain.dataset_status.{s}") for s in ds["status"]],
            t("quality.synthetic"): [t("app.synthetic_badge") if s else "" for s in ds["synthetic"]],
        }
    )
    show_table(ds_table, lang)
    download_table(ds_table, "dataset", key="q_ds", synthetic=ctx.synthetic)
