"""Skenario: named method choices, compared region by region; one of them is the official method.

An expert builds a scenario from the current method (global normalisation and aggregation,
aggregation per node, goalposts/targets and normalisation per indicator, the missing-data
threshold, imputation), saves it with a name, compares any two scenarios (score and rank
differences per region and dimension, table and scatter) and makes one the official method that
officials see. Saving and the official choice are checked for the role in ``indicators.scenarios``
and written to the audit log by the store.
"""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from pydantic import ValidationError

from indicators.catalog import AGGREGATIONS, NORMALIZATIONS
from indicators.method import Goalposts, Method
from indicators.scenarios import (
    ScenarioError,
    compare_results,
    compare_summary,
    make_official,
    method_differences,
    save_scenario,
)
from ui.components import DIFF_SCALE, switch_to_scenario, synthetic_banner, table_expander
from ui.context import get_context
from ui.data import region_label
from ui.expert import can_write, require_expert, role, scenario_choices, scenario_method, score_with, user
from ui.i18n import current_lang, fmt_num, t

require_expert()
ctx = get_context()
lang = current_lang()
catalog = ctx.catalog
year = ctx.selected_year()
level = ctx.selected_level()

st.title(t("scenarios.title"))
synthetic_banner(ctx.synthetic)
st.caption(t("scenarios.caption", scenario=ctx.scenario_name))

ids, labels, official = scenario_choices(ctx)

# ------------------------------------------------------------------ the list
st.subheader(t("scenarios.list_title"))
try:
    listing = ctx.store.scenarios()
except Exception:
    listing = pd.DataFrame(columns=["id", "name", "author", "created_at", "is_official"])
if listing.empty:
    st.info(t("scenarios.none"))
else:
    shown = listing.assign(is_official=listing["is_official"].map(lambda v: "★" if v else "")).rename(
        columns={
            "id": "#",
            "name": t("scenarios.name"),
            "author": t("scenarios.author"),
            "created_at": t("scenarios.created"),
            "is_official": t("scenarios.official"),
        }
    )
    st.dataframe(shown, hide_index=True, width="stretch")

# ------------------------------------------------------------------ build a new one
with st.expander(t("scenarios.new_title"), expanded=listing.empty):
    base = ctx.method
    NONE = "-"
    with st.form("scenario_new"):
        name = st.text_input(t("scenarios.name"), key="scen_name")
        c1, c2, c3 = st.columns(3)
        norm_opts = [NONE, *[n for n in NORMALIZATIONS if n != "auto"]]
        norm = c1.selectbox(
            t("scenarios.normalization"),
            norm_opts,
            index=norm_opts.index(base.normalization) if base.normalization in norm_opts else 0,
            format_func=lambda v: (
                t("scenarios.per_catalog", lang=lang) if v == NONE else t(f"expert.norm.{v}", lang=lang)
            ),
        )
        agg_opts = [NONE, *AGGREGATIONS]
        agg = c2.selectbox(
            t("scenarios.aggregation"),
            agg_opts,
            index=agg_opts.index(base.aggregation) if base.aggregation in agg_opts else 0,
            format_func=lambda v: (
                t("scenarios.per_catalog", lang=lang) if v == NONE else t(f"expert.agg.{v}", lang=lang)
            ),
        )
        imp_opts = ["none", "locf", "linear"]
        imputation = c3.selectbox(
            t("scenarios.imputation"),
            imp_opts,
            index=imp_opts.index(base.imputation),
            format_func=lambda v: t(f"expert.imp.{v}", lang=lang),
        )
        c4, c5 = st.columns(2)
        threshold = c4.slider(
            t("scenarios.threshold"), 0.0, 1.0, float(base.threshold), 0.05, help=t("scenarios.threshold_help")
        )
        geo_floor = c5.number_input(
            t("scenarios.geo_floor"), 0.0, 50.0, float(base.geo_floor), 1.0, help=t("scenarios.geo_floor_help")
        )
        st.markdown(f"**{t('scenarios.per_node')}**")
        inner = [c for c in catalog.inner]
        node_table = pd.DataFrame(
            {
                "code": inner,
                "name": [catalog.name(c, lang) for c in inner],
                "aggregation": [base.aggregation_by.get(c) or catalog.node(c)["aggregation"] for c in inner],
            }
        )
        node_edit = st.data_editor(
            node_table,
            hide_index=True,
            disabled=["code", "name"],
            column_config={
                "code": st.column_config.TextColumn(t("common.code")),
                "name": st.column_config.TextColumn(t("scenarios.node_name")),
                "aggregation": st.column_config.SelectboxColumn(
                    t("scenarios.aggregation"), options=list(AGGREGATIONS), required=True
                ),
            },
            key="scen_nodes",
            width="stretch",
        )
        st.markdown(f"**{t('scenarios.per_indicator')}**")
        inds = catalog.indicators

        def _gp(code: str, field: str) -> float:
            override = base.goalposts.get(code)
            value = getattr(override, field) if override is not None else None
            return float(catalog.node(code)[field]) if value is None else float(value)

        ind_table = pd.DataFrame(
            {
                "code": inds,
                "name": [catalog.name(c, lang) for c in inds],
                "unit": [catalog.node(c)["unit"] for c in inds],
                "normalization": [
                    base.normalization_by.get(c) or catalog.node(c)["normalization"] or "auto" for c in inds
                ],
                "lower": [_gp(c, "lower") for c in inds],
                "upper": [_gp(c, "upper") for c in inds],
                "target": [_gp(c, "target") for c in inds],
            }
        )
        ind_edit = st.data_editor(
            ind_table,
            hide_index=True,
            disabled=["code", "name", "unit"],
            column_config={
                "code": st.column_config.TextColumn(t("common.code")),
                "name": st.column_config.TextColumn(t("scenarios.node_name")),
                "unit": st.column_config.TextColumn(t("scenarios.unit")),
                "normalization": st.column_config.SelectboxColumn(
                    t("scenarios.normalization"), options=list(NORMALIZATIONS), required=True
                ),
                "lower": st.column_config.NumberColumn(t("scenarios.lower")),
                "upper": st.column_config.NumberColumn(t("scenarios.upper")),
                "target": st.column_config.NumberColumn(t("scenarios.target")),
            },
            key="scen_inds",
            width="stretch",
        )
        submitted = st.form_submit_button(t("scenarios.save"), disabled=not can_write())
    if submitted:
        aggregation_by = {
            r.code: r.aggregation
            for r in node_edit.itertuples(index=False)
            if r.aggregation and r.aggregation != catalog.node(r.code)["aggregation"]
        }
        normalization_by = {}
        goalposts = {}
        for r in ind_edit.itertuples(index=False):
            row = catalog.node(r.code)
            if r.normalization and r.normalization != (row["normalization"] or "auto"):
                normalization_by[r.code] = r.normalization
            changed = {}
            for field in ("lower", "upper", "target"):
                new_value = getattr(r, field)
                old_value = row[field]
                new_nan = new_value is None or (isinstance(new_value, float) and math.isnan(new_value))
                old_nan = old_value is None or math.isnan(old_value)
                if new_nan and old_nan:
                    continue
                if new_nan != old_nan or abs(float(new_value) - float(old_value)) > 1e-12:
                    changed[field] = None if new_nan else float(new_value)
            if changed:
                goalposts[r.code] = Goalposts(**changed)
        try:
            method = base.model_copy(
                update={
                    "normalization": None if norm == NONE else norm,
                    "aggregation": None if agg == NONE else agg,
                    "imputation": imputation,
                    "threshold": float(threshold),
                    "geo_floor": float(geo_floor),
                    "aggregation_by": aggregation_by,
                    "normalization_by": normalization_by,
                    "goalposts": goalposts,
                }
            )
            method = Method.model_validate(method.model_dump())
            new_id = save_scenario(ctx.store, name, method, author=user() or role(), role=role())
        except ScenarioError as exc:
            st.error(exc.message(lang))
        except ValidationError as exc:
            st.error(t("scenarios.invalid", detail=str(exc).splitlines()[0]))
        else:
            switch_to_scenario(new_id, t("scenarios.saved", name=name, id=new_id))

# ------------------------------------------------------------------ compare two
st.subheader(t("scenarios.compare_title"))
c1, c2 = st.columns(2)
a_id = c1.selectbox(
    t("scenarios.a"),
    ids,
    index=ids.index(official) if official in ids else 0,
    format_func=lambda i: labels[i],
    key="scen_a",
)
b_default = next((i for i in ids if i != a_id), None)
b_id = c2.selectbox(
    t("scenarios.b"),
    ids,
    index=ids.index(b_default) if b_default in ids else 0,
    format_func=lambda i: labels[i],
    key="scen_b",
)
method_a, name_a = scenario_method(ctx, a_id)
method_b, name_b = scenario_method(ctx, b_id)
diffs = method_differences(method_a, method_b)
if diffs.empty:
    st.info(t("scenarios.same_method"))
else:
    with st.expander(t("scenarios.differences", n=len(diffs))):
        st.dataframe(
            diffs.rename(columns={"setting": t("scenarios.setting"), "a": name_a, "b": name_b}),
            hide_index=True,
            width="stretch",
        )
result_a = score_with(ctx, method_a)
result_b = score_with(ctx, method_b)
regions = list(ctx.regions_at(level)["code"])
codes = [catalog.root, *catalog.dimensions]
cmp = compare_results(result_a, result_b, year, codes=codes, regions=regions)
if cmp.empty:
    st.info(t("scenarios.no_scores", level=t(f"level.{level}"), year=year))
    st.stop()
cmp["name"] = [region_label(ctx, r, with_parent=False) for r in cmp["region"]]
summary = compare_summary(cmp)
root_row = summary.loc[summary["code"] == catalog.root]
if len(root_row):
    r = root_row.iloc[0]
    m1, m2, m3 = st.columns(3)
    m1.metric(t("scenarios.moved"), f"{r['regions_moved']} / {r['regions']}")
    m2.metric(t("scenarios.max_shift"), fmt_num(r["max_rank_change"], 0))
    m3.metric(t("scenarios.spearman"), fmt_num(r["spearman"], 2), help=t("scenarios.spearman_help"))

node = st.selectbox(t("scenarios.node"), codes, format_func=lambda c: catalog.name(c, lang), key="scen_node")
sub = cmp.loc[cmp["code"] == node]
peak = float(sub["rank_change"].abs().max())
peak = max(1.0, peak if peak == peak else 0.0)  # symmetric colour range around "no change"
fig = go.Figure(
    go.Scatter(
        x=sub["score_a"],
        y=sub["score_b"],
        mode="markers+text",
        text=[ctx.region_names.get(r, r) for r in sub["region"]] if len(sub) <= 15 else None,
        textposition="top center",
        marker={
            "size": 11,
            "color": sub["rank_change"],
            "colorscale": DIFF_SCALE,
            "cmin": -peak,
            "cmax": peak,
            "colorbar": {"title": t("scenarios.rank_change")},
            "line": {"color": "#333333", "width": 0.5},
        },
        customdata=sub[["name", "rank_a", "rank_b"]].to_numpy(),
        hovertemplate="%{customdata[0]}: %{x:.1f} → %{y:.1f} ("
        + t("common.rank")
        + " %{customdata[1]} → %{customdata[2]})<extra></extra>",
    )
)
fig.add_trace(
    go.Scatter(x=[0, 100], y=[0, 100], mode="lines", line={"dash": "dot", "color": "#999999"}, showlegend=False)
)
fig.update_layout(
    title=t("scenarios.scatter_title", node=catalog.name(node, lang), year=year),
    xaxis={"title": name_a, "range": [0, 100]},
    yaxis={"title": name_b, "range": [0, 100]},
    height=480,
    showlegend=False,
    margin={"l": 10, "r": 10, "t": 50, "b": 40},
)
st.plotly_chart(fig, width="stretch", config={"displaylogo": False})
st.caption(t("scenarios.scatter_help"))
shown = cmp.assign(node=[catalog.name(c, lang) for c in cmp["code"]])[
    ["region", "name", "node", "score_a", "score_b", "diff", "rank_a", "rank_b", "rank_change"]
].rename(
    columns={
        "region": t("common.code"),
        "name": t(f"level.{level}"),
        "node": t("scenarios.node"),
        "score_a": f"{t('common.score')} A",
        "score_b": f"{t('common.score')} B",
        "diff": t("scenarios.diff"),
        "rank_a": f"{t('common.rank')} A",
        "rank_b": f"{t('common.rank')} B",
        "rank_change": t("scenarios.rank_change"),
    }
)
table_expander(shown, t("common.table_behind"), f"banding_skenario_{year}", key="scen_cmp", synthetic=ctx.synthetic)
dim_summary = summary.assign(node=[catalog.name(c, lang) for c in summary["code"]])[
    ["node", "mean_diff", "max_abs_diff", "regions_moved", "max_rank_change", "spearman"]
].rename(
    columns={
        "node": t("scenarios.node"),
        "mean_diff": t("scenarios.mean_diff"),
        "max_abs_diff": t("scenarios.max_abs_diff"),
        "regions_moved": t("scenarios.moved"),
        "max_rank_change": t("scenarios.max_shift"),
        "spearman": t("scenarios.spearman"),
    }
)
st.markdown(f"**{t('scenarios.by_dimension')}**")
st.dataframe(dim_summary, hide_index=True, width="stretch")

# ------------------------------------------------------------------ official
st.subheader(t("scenarios.official_title"))
saved = [i for i in ids if i is not None]
if not saved:
    st.info(t("scenarios.none"))
else:
    pick = st.selectbox(t("scenarios.official_pick"), saved, format_func=lambda i: labels[i], key="scen_official")
    if st.button(t("scenarios.make_official"), disabled=not can_write(), key="scen_make_official"):
        try:
            make_official(ctx.store, pick, user() or role(), role())
        except ScenarioError as exc:
            st.error(exc.message(lang))
        else:
            st.success(t("scenarios.official_done", name=labels[pick]))
    try:
        log = ctx.store.audit_log(limit=200)
        log = log.loc[log["action"].astype(str).str.startswith("scenario")].head(10)
    except Exception:
        log = pd.DataFrame()
    if len(log):
        st.caption(t("scenarios.audit_title"))
        st.dataframe(
            log.assign(detail=log["detail"].map(lambda d: ", ".join(f"{k}={v}" for k, v in (d or {}).items())))[
                ["at", "user", "action", "detail"]
            ].rename(
                columns={
                    "at": t("scenarios.when"),
                    "user": t("scenarios.author"),
                    "action": t("scenarios.action"),
                    "detail": t("scenarios.detail"),
                }
            ),
            hide_index=True,
            width="stretch",
        )
