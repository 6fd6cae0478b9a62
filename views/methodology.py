"""Metodologi: how the numbers are made, from the live catalog, method and data.

The catalog tree as a sunburst (area = effective weight), the weights table, the method settings
of the active scenario in plain words, a worked example that follows one real value from the raw
number to the index, and the formulas of the derived indicators.
"""

from __future__ import annotations

import re

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from indicators.derived import REGISTRY, get_derivation
from indicators.tables import used_normalization
from ui.charts import CATEGORY_COLORS
from ui.components import download_table, synthetic_banner, table_expander
from ui.context import get_context
from ui.data import node_label, region_label, region_options
from ui.explain import aggregation_formula, explain_panel, normalization_formula
from ui.i18n import current_lang, fmt_num, t

ctx = get_context()
lang = current_lang()
catalog = ctx.catalog
method = ctx.method
year = ctx.selected_year()
city = ctx.city["code"]
root = catalog.root

st.title(t("methodology.title"))
synthetic_banner(ctx.synthetic)
st.caption(t("methodology.caption", scenario=ctx.scenario_name))

# ------------------------------------------------------------------ the tree and its weights
st.subheader(t("methodology.tree"))
nominal = catalog.effective_weights(method.weights)


def _used_weights(region: str, yr: int) -> dict[str, float]:
    """Effective weights as actually used for one region-year (missing children's weight shared out)."""
    used = {root: 1.0}
    stack = [root]
    while stack:
        code = stack.pop()
        if not catalog.children[code]:
            continue
        try:
            expl = ctx.result.explain(region, yr, code, lang=lang)
        except KeyError:
            return {}
        for child in expl["children"]:
            used[child["code"]] = used[code] * child["used_share"]
            stack.append(child["code"])
    return used


used = _used_weights(city, year)


def _short(code: str) -> str:
    """Sunburst label: names for the upper rings (without the English gloss in brackets), codes for
    indicators, so 64 leaves stay legible; the hover gives the full name."""
    if catalog.is_indicator(code):
        return code
    name = re.sub(r"\s*\([^)]*\)", "", catalog.name(code, lang)).strip() or code
    return _wrap_label(name)


def _wrap_label(text: str, width: int = 16) -> str:
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "<br>".join([*lines, line])


dims = catalog.dimensions
dim_of = {c: next((a for a in [c, *catalog.ancestors(c)] if a in dims), root) for c in catalog.tree_codes}
color_of = {d: CATEGORY_COLORS[i % len(CATEGORY_COLORS)] for i, d in enumerate(dims)}
leaf = [not catalog.children[c] for c in catalog.tree_codes]
siblings_share = {}
for code in catalog.tree_codes:
    kids = catalog.children[code]
    weights = {k: float(method.weights.get(k, catalog.node(k)["weight"])) for k in kids}
    total = sum(weights.values())
    for k, w in weights.items():
        siblings_share[k] = w / total if total > 0 else 0.0
siblings_share[root] = 1.0
fig = go.Figure(
    go.Sunburst(
        ids=catalog.tree_codes,
        labels=[_short(c) for c in catalog.tree_codes],
        parents=[catalog.parent_of.get(c, "") for c in catalog.tree_codes],
        values=[float(nominal[c]) if is_leaf else 0.0 for c, is_leaf in zip(catalog.tree_codes, leaf, strict=True)],
        branchvalues="remainder",
        marker={"colors": ["#FFFFFF" if c == root else color_of.get(dim_of[c], "#999999") for c in catalog.tree_codes]},
        customdata=[
            [
                catalog.name(c, lang),
                fmt_num(100 * siblings_share.get(c, 1.0), 1),
                fmt_num(100 * nominal[c], 2),
                fmt_num(100 * used[c], 2) if c in used else "–",
            ]
            for c in catalog.tree_codes
        ],
        hovertemplate=(
            "<b>%{id}</b> %{customdata[0]}<br>"
            + t("methodology.sibling_share")
            + ": %{customdata[1]} %<br>"
            + t("methodology.effective")
            + ": %{customdata[2]} %<br>"
            + t("methodology.used")
            + ": %{customdata[3]} %<extra></extra>"
        ),
        insidetextorientation="auto",
        maxdepth=-1,
    )
)
fig.update_layout(
    title=t("methodology.tree_title"),
    height=620,
    margin={"l": 10, "r": 10, "t": 50, "b": 10},
)
st.plotly_chart(fig, width="stretch", config={"displaylogo": False})
st.caption(t("methodology.tree_note", city=ctx.city["name"], year=year))
rows = []
for code in catalog.tree_codes:
    node = catalog.node(code)
    rows.append(
        {
            t("common.code"): code,
            t("methodology.name"): catalog.name(code, lang),
            t("methodology.level"): node["level"],
            t("methodology.parent"): catalog.parent_of.get(code, ""),
            t("methodology.weight"): float(method.weights.get(code, node["weight"])),
            t("methodology.sibling_share"): round(100 * siblings_share.get(code, 1.0), 2),
            t("methodology.effective"): round(100 * float(nominal[code]), 3),
            t("methodology.used"): round(100 * used[code], 3) if code in used else None,
            t("methodology.aggregation"): (method.aggregation_by.get(code) or method.aggregation or node["aggregation"])
            if catalog.children[code]
            else "",
            t("dimension.direction"): t(f"explain.direction.{node['direction']}") if not catalog.children[code] else "",
            t("methodology.normalization"): (
                method.normalization_by.get(code) or method.normalization or node["normalization"] or "auto"
            )
            if not catalog.children[code]
            else "",
            t("methodology.lower"): node["lower"],
            t("methodology.upper"): node["upper"],
            t("explain.target"): node["target"],
            t("dimension.unit"): node["unit"],
            t("methodology.levels"): node["levels"],
            t("methodology.source"): node["source"],
        }
    )
weights_table = pd.DataFrame(rows)
table_expander(weights_table, t("methodology.weights_table"), "katalog_bobot", key="m_weights", synthetic=False)

# ------------------------------------------------------------------ method settings in plain words
st.subheader(t("methodology.settings"))
agg_counts = pd.Series(
    [method.aggregation_by.get(c) or method.aggregation or catalog.node(c)["aggregation"] for c in catalog.inner]
).value_counts()
agg_text = ", ".join(t("methodology.s.agg_item", how=t(f"explain.aggregation.{k}"), n=v) for k, v in agg_counts.items())
lines = [
    t("methodology.s.normalization_global", how=t(f"explain.method.{method.normalization}"))
    if method.normalization
    else t("methodology.s.normalization_auto"),
    t("methodology.s.aggregation", how=agg_text),
    t("methodology.s.threshold", share=fmt_num(100 * method.threshold, 0)),
    t(f"methodology.s.scope.{method.minmax_scope}"),
    t("methodology.s.imputation", how=t(f"explain.imputation.{method.imputation}")),
    t("methodology.s.geo_floor", floor=fmt_num(method.geo_floor, 0))
    if method.geo_floor
    else t("methodology.s.geo_floor_exact"),
    t(
        "methodology.s.bands",
        green=fmt_num(method.status_bands[0], 0),
        yellow=fmt_num(method.status_bands[1], 0),
        orange=fmt_num(method.status_bands[2], 0),
    ),
    t("methodology.s.trend", year=method.target_year),
    t(
        "methodology.s.overrides",
        weights=len(method.weights),
        goalposts=len(method.goalposts),
        norms=len(method.normalization_by),
        aggs=len(method.aggregation_by),
    ),
]
if method.exclude:
    lines.append(t("methodology.s.exclude", codes=", ".join(method.exclude)))
st.markdown("\n".join(f"- {line}" for line in lines))
with st.expander(t("methodology.json")):
    st.code(method.to_json(), language="json")

# ------------------------------------------------------------------ worked example
st.subheader(t("methodology.example"))
options = region_options(ctx)
c1, c2 = st.columns(2)
region = c1.selectbox(
    t("methodology.example_region"), options, format_func=lambda c: region_label(ctx, c), key="methodology_region"
)
values = ctx.result.indicator_values
have = values.loc[(values["region"] == region) & (values["year"] == year) & values["score"].notna(), "indicator"]
candidates = [c for c in catalog.indicators if c in set(have)]
if not candidates:
    st.info(t("methodology.example_none", region=region_label(ctx, region), year=year))
else:
    indicator = c2.selectbox(
        t("methodology.example_indicator"),
        candidates,
        format_func=lambda c: node_label(ctx, c, lang),
        key=f"methodology_indicator_{region}",
    )
    steps = []
    expl = ctx.result.explain(region, year, indicator, lang=lang)
    node = catalog.node(indicator)
    params = used_normalization(ctx.result, indicator, region, year)
    params.setdefault("direction", node["direction"])
    source = t("explain.origin." + expl["origin"])
    steps.append(
        t(
            "methodology.step.raw",
            name=catalog.name(indicator, lang),
            value=fmt_num(expl["value"], 2),
            unit=node["unit"],
            origin=source,
            region=region_label(ctx, region),
            year=year,
        )
    )
    formula = normalization_formula(expl, params, lang)
    steps.append(
        t(
            "methodology.step.normalize",
            method=t(f"explain.method.{params.get('method', 'goalposts')}"),
            direction=t(f"explain.direction.{node['direction']}"),
        )
        + (f"\n\n    {formula}" if formula else "")
    )
    for ancestor in catalog.ancestors(indicator):
        parent_expl = ctx.result.explain(region, year, ancestor, lang=lang)
        agg = aggregation_formula(parent_expl, lang)
        steps.append(
            t(
                "methodology.step.aggregate",
                name=catalog.name(ancestor, lang),
                how=t(f"explain.aggregation.{parent_expl.get('aggregation', 'arithmetic')}"),
                n=sum(1 for c in parent_expl["children"] if c["score"] is not None),
                total=len(parent_expl["children"]),
                score=fmt_num(parent_expl["score"], 1),
            )
            + (f"\n\n    {agg}" if agg else "")
        )
    st.markdown("\n".join(f"{i}. {step}" for i, step in enumerate(steps, start=1)))
    st.caption(t("methodology.example_note"))
    explain_panel(ctx, region, year, indicator, key="methodology_explain")

# ------------------------------------------------------------------ derived indicators
st.subheader(t("methodology.derived"))
get_derivation("")  # imports the dimension modules so the registry is complete
used_by: dict[str, list[str]] = {}
for code in catalog.indicators:
    name = catalog.node(code).get("derivation") or ""
    if name:
        used_by.setdefault(name, []).append(code)
derived_rows = [
    {
        t("methodology.derivation"): d.name,
        t("common.dimension"): d.dimension,
        t("methodology.used_by"): ", ".join(used_by.get(d.name, [])),
        t("methodology.inputs"): ", ".join(f"{v} ({catalog.name(v, lang)})" if v in catalog else v for v in d.inputs),
        t("methodology.formula"): d.doc,
    }
    for d in sorted(REGISTRY.values(), key=lambda d: (d.dimension, d.name))
]
if derived_rows:
    derived_table = pd.DataFrame(derived_rows)
    st.dataframe(derived_table, hide_index=True, width="stretch")
    st.caption(t("methodology.derived_note"))
    download_table(derived_table, "indikator_turunan", key="m_derived", synthetic=False)
else:
    st.info(t("methodology.no_derived"))

# ------------------------------------------------------------------ status and trend rules
st.subheader(t("methodology.rules"))
st.markdown(t("methodology.rules_text"))
