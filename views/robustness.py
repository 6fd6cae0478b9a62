"""Ketahanan Peringkat: how much do the ranks depend on the method?

Monte Carlo over the uncertain choices (weights +/- X %, normalisation, aggregation, imputation):
per region the nominal rank, median rank, 5th-95th percentile interval and mean absolute rank
shift; Sobol first-order and total indices per assumption (SALib); and "remove one element or
indicator" to see the ranks move. The computation is ``indicators.sensitivity``; this page holds
the settings, a progress bar and the charts. Results stay in the session until the settings change.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from indicators.sensitivity import (
    AGGREGATION_OPTIONS,
    IMPUTATION_OPTIONS,
    NORMALIZATION_OPTIONS,
    SensitivityError,
    SensitivityModel,
    Uncertainty,
    exclusion_impact,
    exclusion_summary,
    monte_carlo,
    sobol_analysis,
)
from ui.components import DIFF_SCALE, synthetic_banner, table_expander
from ui.context import Context, get_context
from ui.data import region_label
from ui.expert import require_expert, scoring_regions, values
from ui.i18n import current_lang, fmt_num, t

#: Rank shifts up to this many places are within method noise (JRC audit of the SDG Index: 2-3).
ROBUST_WIDTH = 3

require_expert()
ctx = get_context()
lang = current_lang()
catalog = ctx.catalog
year = ctx.selected_year()
level = ctx.selected_level()

st.title(t("robustness.title"))
synthetic_banner(ctx.synthetic)
st.caption(t("robustness.caption", scenario=ctx.scenario_name, year=year, level=t(f"level.{level}")))


def _opt_label(kind: str, value: str) -> str:
    return t("robustness.nominal", lang=lang) if value == "nominal" else t(f"expert.{kind}.{value}", lang=lang)


@st.cache_resource(show_spinner=False, max_entries=4)
def _model(cache_key: str, year: int, level: str, node: str, spec: tuple, _ctx: Context) -> SensitivityModel:
    spread, norms, aggs, imps = spec
    uncertainty = Uncertainty(weight_spread=spread, normalizations=norms, aggregations=aggs, imputations=imps)
    return SensitivityModel(
        values(_ctx),
        _ctx.catalog,
        _ctx.method,
        scoring_regions(_ctx),
        year=year,
        level=level,
        node=node,
        uncertainty=uncertainty,
        nominal=_ctx.result,
        within=list(_ctx.regions["code"]),
    )


# ------------------------------------------------------------------ settings
with st.form("robust_settings"):
    c1, c2, c3 = st.columns(3)
    node = c1.selectbox(
        t("robustness.node"), [catalog.root, *catalog.dimensions], format_func=lambda c: catalog.name(c, lang)
    )
    n_runs = c2.number_input(t("robustness.runs"), min_value=50, max_value=5000, value=1000, step=50)
    seed = c3.number_input(t("robustness.seed"), min_value=0, max_value=2**31 - 1, value=42, step=1)
    spread = st.slider(t("robustness.spread"), 0, 50, 20, 5, format="%d %%", help=t("robustness.spread_help"))
    c4, c5, c6 = st.columns(3)
    norms = c4.multiselect(
        t("robustness.normalizations"),
        list(NORMALIZATION_OPTIONS),
        default=["nominal", "minmax", "zscore"],
        format_func=lambda v: _opt_label("norm", v),
        placeholder=t("common.choose"),
    )
    aggs = c5.multiselect(
        t("robustness.aggregations"),
        list(AGGREGATION_OPTIONS),
        default=["nominal", "geometric"],
        format_func=lambda v: _opt_label("agg", v),
        placeholder=t("common.choose"),
    )
    imps = c6.multiselect(
        t("robustness.imputations"),
        list(IMPUTATION_OPTIONS),
        default=["nominal"],
        format_func=lambda v: _opt_label("imp", v),
        placeholder=t("common.choose"),
    )
    run = st.form_submit_button(t("robustness.run"), type="primary")

uncertainty = Uncertainty(
    weight_spread=spread / 100.0, normalizations=tuple(norms), aggregations=tuple(aggs), imputations=tuple(imps)
)
spec = (uncertainty.weight_spread, uncertainty.normalizations, uncertainty.aggregations, uncertainty.imputations)
settings_key = (ctx.cache_key, year, level, node, spec, int(n_runs), int(seed))
stored = st.session_state.get("robust_mc")
if run:
    bar = st.progress(0.0, text=t("robustness.running", n=int(n_runs)))
    try:
        model = _model(ctx.cache_key, year, level, node, spec, ctx)
        mc = monte_carlo(
            model,
            n_runs=int(n_runs),
            seed=int(seed),
            progress=lambda f: bar.progress(min(f, 1.0), text=t("robustness.running", n=int(n_runs))),
        )
    except SensitivityError as exc:
        bar.empty()
        st.warning(exc.message(lang))
        st.stop()
    bar.empty()
    stored = {"key": settings_key, "mc": mc}
    st.session_state["robust_mc"] = stored
    st.session_state.pop("robust_sobol", None)

if not stored or stored["key"] != settings_key:
    st.info(t("robustness.press_run"))
else:
    mc = stored["mc"]
    summary = mc.summary()
    summary["name"] = [region_label(ctx, r, with_parent=False) for r in summary["region"]]
    summary["robust"] = summary["interval"] <= ROBUST_WIDTH
    m1, m2, m3 = st.columns(3)
    m1.metric(t("robustness.mean_shift"), fmt_num(mc.mean_abs_shift(), 2), help=t("robustness.mean_shift_help"))
    m2.metric(t("robustness.robust_regions"), f"{int(summary['robust'].sum())} / {len(summary)}")
    m3.metric(t("robustness.n_runs"), fmt_num(mc.n_runs, 0))
    st.caption(t("robustness.robust_help", width=ROBUST_WIDTH))

    shown = summary.dropna(subset=["nominal_rank"])
    fig = go.Figure(
        go.Scatter(
            x=shown["median_rank"],
            y=shown["name"],
            mode="markers",
            marker={"size": 10, "color": "#0072B2", "symbol": "diamond"},
            error_x={
                "type": "data",
                "symmetric": False,
                "array": shown["p95"] - shown["median_rank"],
                "arrayminus": shown["median_rank"] - shown["p05"],
                "color": "#0072B2",
            },
            name=t("robustness.median_rank"),
            hovertemplate="%{y}: %{x}<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=shown["nominal_rank"],
            y=shown["name"],
            mode="markers",
            marker={"size": 9, "color": "#D55E00", "symbol": "circle-open", "line": {"width": 2}},
            name=t("robustness.nominal_rank"),
        )
    )
    fig.update_layout(
        title=t("robustness.chart_title", node=catalog.name(mc.node, lang), year=year),
        xaxis={"title": t("robustness.rank_axis"), "dtick": 1 if len(shown) <= 30 else None},
        yaxis={"autorange": "reversed"},
        height=max(300, 24 * len(shown) + 130),
        margin={"l": 10, "r": 10, "t": 80, "b": 40},
        legend={"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 0},
    )
    st.plotly_chart(fig, width="stretch", config={"displaylogo": False})
    table = summary[
        ["region", "name", "nominal_score", "nominal_rank", "median_rank", "p05", "p95", "mean_abs_shift", "robust"]
    ].rename(
        columns={
            "region": t("common.code"),
            "name": t(f"level.{level}"),
            "nominal_score": t("robustness.nominal_score"),
            "nominal_rank": t("robustness.nominal_rank"),
            "median_rank": t("robustness.median_rank"),
            "p05": t("robustness.p05"),
            "p95": t("robustness.p95"),
            "mean_abs_shift": t("robustness.shift"),
            "robust": t("robustness.robust"),
        }
    )
    table_expander(
        table, t("common.table_behind"), f"ketahanan_{level}_{year}", key="robust_mc_t", synthetic=ctx.synthetic
    )

    # -------------------------------------------------------------- Sobol
    st.subheader(t("robustness.sobol_title"))
    st.caption(t("robustness.sobol_help"))
    c1, c2 = st.columns([1, 2])
    n_base = c1.select_slider(t("robustness.sobol_n"), options=[64, 128, 256, 512, 1024], value=256)
    if c2.button(t("robustness.sobol_run"), key="robust_sobol_run"):
        bar = st.progress(0.0, text=t("robustness.sobol_running"))
        try:
            model = _model(ctx.cache_key, year, level, node, spec, ctx)
            sob = sobol_analysis(
                model,
                n_base=int(n_base),
                seed=int(seed),
                progress=lambda f: bar.progress(min(f, 1.0), text=t("robustness.sobol_running")),
            )
        except SensitivityError as exc:
            bar.empty()
            st.warning(exc.message(lang))
        else:
            bar.empty()
            st.session_state["robust_sobol"] = {"key": settings_key, "sobol": sob}
    found = st.session_state.get("robust_sobol")
    if found and found["key"] == settings_key:
        sob = found["sobol"]
        ind = sob.indices
        names = [t(f"robustness.assumption.{a}") for a in ind["assumption"]]
        fig = go.Figure()
        fig.add_bar(
            x=names,
            y=ind["S1"],
            name=t("robustness.s1"),
            marker_color="#0072B2",
            error_y={"type": "data", "array": ind["S1_conf"]},
        )
        fig.add_bar(
            x=names,
            y=ind["ST"],
            name=t("robustness.st"),
            marker_color="#E69F00",
            error_y={"type": "data", "array": ind["ST_conf"]},
        )
        fig.update_layout(
            barmode="group",
            yaxis={"title": t("robustness.sobol_axis")},
            height=360,
            margin={"l": 10, "r": 10, "t": 30, "b": 40},
            legend={"orientation": "h"},
        )
        st.plotly_chart(fig, width="stretch", config={"displaylogo": False})
        st.caption(t("robustness.sobol_runs", n=fmt_num(sob.n_runs, 0)))
        table = ind.assign(assumption=names).rename(
            columns={"assumption": t("robustness.assumption"), "S1": t("robustness.s1"), "ST": t("robustness.st")}
        )
        table_expander(
            table, t("common.table_behind"), f"sobol_{level}_{year}", key="robust_sobol_t", synthetic=ctx.synthetic
        )

# ------------------------------------------------------------------ remove one element or indicator
st.subheader(t("robustness.exclude_title"))
st.caption(t("robustness.exclude_help"))
elements = [c for c in catalog.inner if catalog.depth.get(c) == 2]
candidates = [c for c in catalog.tree_codes if c != catalog.root]
chosen = st.multiselect(
    t("robustness.exclude_pick"),
    candidates,
    default=elements,
    format_func=lambda c: f"{c} · {catalog.name(c, lang)}",
    key="robust_exclude",
    placeholder=t("common.choose"),
)
if chosen:
    impact = exclusion_impact(
        ctx.result, chosen, year=year, level=level, node=catalog.root, within=list(ctx.regions["code"])
    )
    if impact.empty:
        st.info(t("robustness.exclude_none"))
    else:
        impact["name"] = [region_label(ctx, r, with_parent=False) for r in impact["region"]]
        grid = impact.pivot_table(index="name", columns="excluded", values="rank_shift", aggfunc="first")
        grid = grid.reindex(columns=[c for c in chosen if c in grid.columns])
        order = impact.drop_duplicates("name").sort_values("nominal_rank")["name"]
        grid = grid.reindex(order)
        peak = float(np.nanmax(np.abs(grid.to_numpy()))) if np.isfinite(grid.to_numpy()).any() else 1.0
        fig = go.Figure(
            go.Heatmap(
                z=grid.to_numpy(),
                x=list(grid.columns),
                y=list(grid.index),
                colorscale=DIFF_SCALE,
                zmid=0,
                zmin=-max(peak, 1.0),
                zmax=max(peak, 1.0),
                colorbar={"title": t("robustness.rank_shift")},
                hovertemplate="%{y} · %{x}: %{z}<extra></extra>",
            )
        )
        fig.update_layout(
            title=t("robustness.exclude_chart", year=year),
            height=max(300, 24 * len(grid) + 120),
            margin={"l": 10, "r": 10, "t": 50, "b": 40},
            yaxis={"autorange": "reversed"},
        )
        st.plotly_chart(fig, width="stretch", config={"displaylogo": False})
        st.caption(t("robustness.exclude_legend"))
        summ = exclusion_summary(impact)
        summ = summ.assign(name=[catalog.name(c, lang) for c in summ["excluded"]])[
            ["excluded", "name", "mean_abs_shift", "max_abs_shift", "regions_moved"]
        ].rename(
            columns={
                "excluded": t("common.code"),
                "name": t("robustness.excluded_name"),
                "mean_abs_shift": t("robustness.shift"),
                "max_abs_shift": t("robustness.max_shift"),
                "regions_moved": t("robustness.regions_moved"),
            }
        )
        st.dataframe(summ, hide_index=True, width="stretch")
        long = impact[["excluded", "region", "name", "nominal_rank", "rank", "rank_shift"]].rename(
            columns={
                "excluded": t("robustness.excluded"),
                "region": t("common.code"),
                "name": t(f"level.{level}"),
                "nominal_rank": t("robustness.nominal_rank"),
                "rank": t("common.rank"),
                "rank_shift": t("robustness.rank_shift"),
            }
        )
        table_expander(
            long, t("common.table_behind"), f"tanpa_elemen_{level}_{year}", key="robust_excl_t", synthetic=ctx.synthetic
        )
