"""Bandingkan: 2 to 6 regions (one year) or years (one region) side by side.

Pick the node to break down (the index into its dimensions, a dimension into its elements ...);
the page shows a radar and grouped bars of its components, the ranks of each region among its
peers, and every difference from a reference, coloured blue (better) or orange (worse) with an
arrow, so colour is never the only cue.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from indicators.tables import compare_matrix, node_scores
from ui.charts import grouped_bars, radar
from ui.components import download_table, synthetic_banner, table_expander
from ui.context import get_context
from ui.data import region_label, region_options, show_table
from ui.explain import peer_count
from ui.i18n import current_lang, fmt_num, t

MAX_ITEMS = 6
BETTER, WORSE = "#CFE3F5", "#FBE0C3"  # light blue / light orange (readable with black text)

ctx = get_context()
lang = current_lang()
catalog = ctx.catalog
year = ctx.selected_year()
level = ctx.selected_level()
city = ctx.city["code"]

st.title(t("compare.title"))
synthetic_banner(ctx.synthetic)

mode = st.segmented_control(
    t("compare.mode"),
    ["regions", "years"],
    format_func=lambda m: t(f"compare.mode.{m}", lang),
    default="regions",
    key="compare_mode",
)
mode = mode or "regions"
options = region_options(ctx, ("kota", level))
if mode == "regions":
    default = [c for c in options if c != city][:3]
    chosen = st.multiselect(
        t("compare.regions", n=MAX_ITEMS),
        options,
        default=default,
        format_func=lambda c: region_label(ctx, c),
        max_selections=MAX_ITEMS,
        key=f"compare_regions_{level}",
        placeholder=t("common.choose"),
    )
    entities = [(r, year) for r in chosen]
    labels = [region_label(ctx, r, with_parent=False) for r in chosen]
else:
    c1, c2 = st.columns(2)
    region = c1.selectbox(
        t("compare.region"), options, format_func=lambda c: region_label(ctx, c), key=f"compare_region_{level}"
    )
    years = ctx.years
    chosen_years = c2.multiselect(
        t("compare.years", n=MAX_ITEMS),
        years,
        default=years[-3:],
        max_selections=MAX_ITEMS,
        key="compare_years",
        placeholder=t("common.choose"),
    )
    entities = [(region, y) for y in sorted(chosen_years)]
    labels = [str(y) for _, y in entities]

inner = [c for c in catalog.tree_codes if catalog.children[c]]
depth0 = catalog.depth[catalog.root]
node = st.selectbox(
    t("compare.node"),
    inner,
    format_func=lambda c: "\u2003" * (catalog.depth[c] - depth0) + catalog.name(c, lang),
    key="compare_node",
    help=t("compare.node_help"),
)

labels = [
    label if labels.count(label) == 1 else f"{label} [{r}]" for label, (r, _) in zip(labels, entities, strict=True)
]
if len(entities) < 2:
    st.info(t("compare.pick_more"))
    st.stop()

kids = catalog.children[node]
codes = [node, *kids]
long = node_scores(ctx.result, entities, codes)
scores, diff = compare_matrix(long, "score", reference=0)
ranks, _ = compare_matrix(long, "rank", reference=0)
names = [catalog.name(c, lang) for c in kids]
title_suffix = t("compare.subtitle_regions", year=year) if mode == "regions" else labels[0]

# ------------------------------------------------------------------ charts
left, right = st.columns(2)
with left:
    if len(kids) >= 3:
        fig = radar(
            [(labels[i], [scores.at[k, i] for k in kids]) for i in range(len(entities))],
            names,
            title=t("compare.radar_title", node=catalog.name(node, lang), suffix=title_suffix),
            radial_title=t("common.score_0_100"),
            fill_first=False,
        )
        st.plotly_chart(fig, width="stretch", config={"displaylogo": False})
    else:
        st.caption(t("compare.no_radar"))
with right:
    fig = grouped_bars(
        scores.loc[kids],
        labels=labels,
        names=names,
        title=t("compare.bars_title", node=catalog.name(node, lang), suffix=title_suffix),
        axis_title=t("common.score_0_100"),
    )
    st.plotly_chart(fig, width="stretch", config={"displaylogo": False})
chart_table = scores.loc[kids].round(2)
chart_table.columns = labels
chart_table.insert(0, t("compare.component"), names)
table_expander(
    chart_table.reset_index(drop=True),
    t("common.table_behind"),
    f"bandingkan_{node}",
    key="cmp_chart",
    synthetic=ctx.synthetic,
)

# ------------------------------------------------------------------ ranks
st.subheader(t("compare.ranks"))
rank_rows = []
for code in codes:
    row = {t("compare.component"): catalog.name(code, lang)}
    for i, (region, yr) in enumerate(entities):
        s, r = scores.at[code, i], ranks.at[code, i]
        n = peer_count(ctx.result, region, yr, code)
        row[labels[i]] = f"{fmt_num(s, 1)} (#{fmt_num(r, 0)}/{n})" if s == s else "–"
    rank_rows.append(row)
rank_table = pd.DataFrame(rank_rows)
st.dataframe(rank_table, hide_index=True, width="stretch")
st.caption(t("compare.ranks_note"))
download_table(rank_table, f"peringkat_{node}", key="cmp_rank", synthetic=ctx.synthetic)

# ------------------------------------------------------------------ differences
st.subheader(t("compare.differences"))
ref = st.selectbox(
    t("compare.reference"), list(range(len(entities))), format_func=lambda i: labels[i], key="compare_ref"
)
if ref >= len(entities):
    ref = 0
_, diff = compare_matrix(long, "score", reference=ref)
diff_table = pd.DataFrame({t("compare.component"): [catalog.name(c, lang) for c in codes]})
for i in range(len(entities)):
    diff_table[labels[i]] = diff[i].to_numpy() if i != ref else scores[i].to_numpy()


def _arrow(value: float) -> str:
    if value != value:
        return "–"
    if abs(value) < 0.05:
        return f"= {fmt_num(0, 1)}"
    return f"{'▲' if value > 0 else '▼'} {'+' if value > 0 else ''}{fmt_num(value, 1)}"


shown = diff_table.copy()
for i, label in enumerate(labels):
    shown[label] = [fmt_num(v, 1) if i == ref else _arrow(v) for v in diff_table[label]]


def _colour(column: pd.Series) -> list[str]:
    if column.name == labels[ref] or column.name == t("compare.component"):
        return ["font-weight: bold" if column.name == labels[ref] else ""] * len(column)
    raw = diff_table[column.name]
    return [
        f"background-color: {BETTER}; color: #000000"
        if v > 0.05
        else f"background-color: {WORSE}; color: #000000"
        if v < -0.05
        else ""
        for v in raw.fillna(0)
    ]


show_table(shown, lang, styler=lambda s: s.apply(_colour, axis=0))
st.caption(t("compare.diff_note", ref=labels[ref]))
export = diff_table.copy()
for label in labels:
    export[label] = export[label].round(2)
download_table(export, f"selisih_{node}", key="cmp_diff", synthetic=ctx.synthetic)
