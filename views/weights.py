"""Bobot & AHP: experts set the weights of any node's children and see what they do.

Four ways to weigh: equal, manual shares (sliders that renormalise live), a 100-point budget, and
AHP pairwise judgements (entered here, one select per pair of the upper triangle, or uploaded as
matrix files; several experts are combined by the geometric mean). The page shows the consistency
ratio and the judgements to revisit, the new ranking of the regions, the effective weights
(nominal and data-based), and saves the result as a method scenario. The arithmetic is in
``indicators.ahp`` / ``indicators.weights``; the role check on saving is in ``indicators.scenarios``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from indicators.ahp import AHPError, ahp, format_judgement, group_ahp, read_matrix
from indicators.scenarios import ScenarioError, compare_results, save_scenario
from indicators.weights import (
    WeightsError,
    apply_weights,
    budget_to_weights,
    current_weights,
    effective_weights,
    equal_weights,
    normalize,
    rebalance,
    to_budget,
)
from ui.components import switch_to_scenario, synthetic_banner, table_expander
from ui.context import get_context
from ui.data import region_label
from ui.expert import can_write, require_expert, role, score_with, user
from ui.i18n import current_lang, fmt_num, t

require_expert()
ctx = get_context()
lang = current_lang()
catalog = ctx.catalog
year = ctx.selected_year()
level = ctx.selected_level()

st.title(t("weights.title"))
synthetic_banner(ctx.synthetic)
st.caption(t("weights.caption", scenario=ctx.scenario_name, year=year, level=t(f"level.{level}")))

# ------------------------------------------------------------------ which node
nodes = [c for c in catalog.inner if len(catalog.children[c]) >= 2]
if not nodes:
    st.info(t("weights.no_nodes"))
    st.stop()


def _node_label(code: str) -> str:
    return f"{catalog.name(code, lang)} ({code}) · {len(catalog.children[code])} {t('weights.children', lang=lang)}"


node = st.selectbox(t("weights.node"), nodes, format_func=_node_label, key="weights_node")
kids = catalog.children[node]
names = {k: catalog.name(k, lang) for k in kids}
current = normalize(current_weights(catalog, ctx.method, node))

how = st.segmented_control(
    t("weights.how"),
    ["equal", "manual", "budget", "ahp"],
    format_func=lambda k: t(f"weights.how.{k}", lang=lang),
    default="ahp",
    key="weights_how",
)
how = how or "ahp"
new: dict[str, float] | None = None

# ------------------------------------------------------------------ equal
if how == "equal":
    new = equal_weights(kids)
    st.caption(t("weights.equal_help", n=len(kids)))

# ------------------------------------------------------------------ manual sliders (live renormalisation)
elif how == "manual":
    st.caption(t("weights.manual_help"))
    keys = {k: f"wshare_{node}_{k}" for k in kids}
    for k in kids:
        st.session_state.setdefault(keys[k], round(100 * current[k], 1))

    def _rebalance(changed: str) -> None:
        shares = {k: st.session_state[keys[k]] / 100 for k in kids}
        out = rebalance(shares, changed, shares[changed])
        for k in kids:
            if k != changed:
                st.session_state[keys[k]] = round(100 * out[k], 1)

    for k in kids:
        st.slider(
            f"{names[k]} ({k})",
            0.0,
            100.0,
            step=0.5,
            format="%.1f %%",
            key=keys[k],
            on_change=_rebalance,
            args=(k,),
        )
    shares = {k: st.session_state[keys[k]] for k in kids}
    try:
        new = normalize(shares)
    except WeightsError as exc:
        st.error(exc.message(lang))
    if st.button(t("weights.reset"), key="weights_reset"):
        for k in kids:
            st.session_state.pop(keys[k], None)
        st.rerun()

# ------------------------------------------------------------------ budget allocation
elif how == "budget":
    st.caption(t("weights.budget_help"))
    start = to_budget(current)
    cols = st.columns(min(len(kids), 3))
    points = {}
    for i, k in enumerate(kids):
        points[k] = cols[i % len(cols)].number_input(
            f"{names[k]} ({k})", min_value=0, max_value=100, step=1, value=start[k], key=f"wbudget_{node}_{k}"
        )
    spent = sum(points.values())
    st.progress(min(spent, 100) / 100, text=t("weights.budget_spent", spent=spent))
    try:
        new = budget_to_weights(points)
    except WeightsError as exc:
        st.warning(exc.message(lang))

# ------------------------------------------------------------------ AHP
else:
    st.caption(t("weights.ahp_help"))
    # left end = the first (left-hand) element 9x more important, right end = the second one
    scale = [9, 8, 7, 6, 5, 4, 3, 2, 1, -2, -3, -4, -5, -6, -7, -8, -9]
    tab_enter, tab_upload = st.tabs([t("weights.ahp_enter"), t("weights.ahp_upload")])
    result = None
    group = None
    with tab_enter:
        judgements = {}
        for i, a in enumerate(kids):
            for b in kids[i + 1 :]:

                def _fmt(v: int, a: str = a, b: str = b) -> str:
                    if v == 1:
                        return t("weights.ahp_equal", lang=lang, a=a, b=b)
                    if v > 1:
                        return t("weights.ahp_more", lang=lang, a=a, b=b, x=v)
                    return t("weights.ahp_more", lang=lang, a=b, b=a, x=-v)

                v = st.select_slider(
                    f"{names[a]} ↔ {names[b]}",
                    options=scale,
                    value=1,
                    format_func=_fmt,
                    key=f"ahp_{node}_{a}_{b}",
                )
                judgements[(a, b)] = float(v) if v >= 1 else 1.0 / -v
        matrix = np.ones((len(kids), len(kids)))
        pos = {k: i for i, k in enumerate(kids)}
        for (a, b), v in judgements.items():
            matrix[pos[a], pos[b]] = v
            matrix[pos[b], pos[a]] = 1.0 / v
        entered = ahp(matrix, kids)
        group_key = f"ahp_group_{node}"
        experts = st.session_state.setdefault(group_key, [])
        c1, c2 = st.columns([2, 1])
        expert_name = c1.text_input(t("weights.ahp_expert_name"), value=user() or "pakar", key=f"ahp_name_{node}")
        if c2.button(t("weights.ahp_add_expert"), key=f"ahp_add_{node}", width="stretch"):
            experts.append({"name": expert_name.strip() or f"#{len(experts) + 1}", "matrix": entered.matrix.tolist()})
        if experts:
            if st.button(t("weights.ahp_clear_group"), key=f"ahp_clear_{node}"):
                st.session_state[group_key] = []
                st.rerun()
            group = group_ahp([np.asarray(e["matrix"]) for e in experts], kids, [e["name"] for e in experts])
        result = entered
    with tab_upload:
        st.caption(t("weights.ahp_upload_help", codes=", ".join(kids)))
        template = pd.DataFrame(
            [["1" if i == j else "" for j in range(len(kids))] for i in range(len(kids))],
            index=kids,
            columns=kids,
        )
        st.download_button(
            t("weights.ahp_template"),
            template.to_csv().encode("utf-8-sig"),
            file_name=f"ahp_{node}.csv",
            mime="text/csv",
            key=f"ahp_tpl_{node}",
        )
        files = st.file_uploader(
            t("weights.ahp_files"), type=["csv", "xlsx"], accept_multiple_files=True, key=f"ahp_files_{node}"
        )
        uploaded = []
        for f in files or []:
            try:
                labels, m = read_matrix(f.getvalue(), f.name)
            except AHPError as exc:
                st.error(f"{f.name}: {exc.message(lang)}")
                continue
            mapped = [lab if lab in kids else (catalog.find(lab) or lab) for lab in labels]
            if sorted(mapped) != sorted(kids):
                st.error(t("weights.ahp_labels_mismatch", file=f.name, codes=", ".join(kids)))
                continue
            order = [mapped.index(k) for k in kids]
            uploaded.append((f.name, m[np.ix_(order, order)]))
        if uploaded:
            group = group_ahp([m for _, m in uploaded], kids, [n for n, _ in uploaded])
            result = group.combined if len(uploaded) > 1 else group.experts[0]
            st.success(t("weights.ahp_uploaded", n=len(uploaded)))

    use_group = False
    if group is not None and len(group.experts) >= 2:
        use_group = st.toggle(t("weights.ahp_use_group", n=len(group.experts)), value=True, key=f"ahp_use_group_{node}")
        if use_group:
            result = group.combined
    # consistency
    c1, c2, c3 = st.columns(3)
    c1.metric("λ max", fmt_num(result.lambda_max, 3))
    c2.metric("CI", fmt_num(result.ci, 3))
    c3.metric("CR", fmt_num(result.cr, 3), help=t("weights.cr_help"))
    if result.consistent:
        st.success(t("weights.cr_ok", cr=fmt_num(result.cr, 3)))
    else:
        st.warning(t("weights.cr_bad", cr=fmt_num(result.cr, 3)))
        worst = result.inconsistencies(3)
        shown = pd.DataFrame(
            {
                t("weights.pair"): [f"{a} ↔ {b}" for a, b in zip(worst["row"], worst["column"], strict=True)],
                t("weights.judgement"): [format_judgement(v) for v in worst["judgement"]],
                t("weights.implied"): [fmt_num(v, 2) for v in worst["implied"]],
                t("weights.suggested"): [format_judgement(v) for v in worst["suggested"]],
                t("weights.cr_after"): [fmt_num(v, 3) for v in worst["cr_if_changed"]],
            }
        )
        st.dataframe(shown, hide_index=True, width="stretch")
        st.caption(t("weights.inconsistency_help"))
    if group is not None:
        table = group.experts_table()
        table["expert"] = table["expert"].replace({"group": t("weights.group")})
        table = table.rename(
            columns={"expert": t("weights.expert"), "cr": "CR", "consistent": t("weights.consistent")}
        ).drop(columns=["lambda_max"])
        st.markdown(f"**{t('weights.experts_title')}**")
        st.dataframe(table, hide_index=True, width="stretch")
    with st.expander(t("weights.matrix_title")):
        st.dataframe(
            pd.DataFrame(
                [[format_judgement(v) for v in row] for row in result.matrix],
                index=result.labels,
                columns=result.labels,
            ),
            width="stretch",
        )
    new = result.weights_dict

# ------------------------------------------------------------------ weights before/after
if new is None:
    st.stop()
compare = pd.DataFrame(
    {
        "code": kids,
        "name": [names[k] for k in kids],
        "before": [current[k] for k in kids],
        "after": [new[k] for k in kids],
    }
)
st.subheader(t("weights.shares_title"))
fig = go.Figure()
fig.add_bar(
    y=compare["name"], x=100 * compare["before"], name=t("weights.before"), orientation="h", marker_color="#999999"
)
fig.add_bar(
    y=compare["name"], x=100 * compare["after"], name=t("weights.after"), orientation="h", marker_color="#0072B2"
)
fig.update_layout(
    barmode="group",
    xaxis={"title": t("weights.share_axis")},
    yaxis={"autorange": "reversed"},
    height=max(260, 60 * len(kids) + 80),
    margin={"l": 10, "r": 10, "t": 30, "b": 40},
    legend={"orientation": "h"},
)
st.plotly_chart(fig, width="stretch", config={"displaylogo": False})
table_expander(
    compare.rename(
        columns={
            "code": t("common.code"),
            "name": t("weights.name"),
            "before": t("weights.before"),
            "after": t("weights.after"),
        }
    ),
    t("common.table_behind"),
    f"bobot_{node}",
    key="weights_shares",
    synthetic=ctx.synthetic,
)

# ------------------------------------------------------------------ ranking with the new weights
new_method = apply_weights(ctx.method, new)
new_result = score_with(ctx, new_method)
st.subheader(t("weights.ranking_title", level=t(f"level.{level}")))
regions = list(ctx.regions_at(level)["code"])
cmp = compare_results(ctx.result, new_result, year, codes=[catalog.root], regions=regions)
if cmp.empty or cmp["score_a"].isna().all():
    st.info(t("weights.no_ranking"))
else:
    cmp["name"] = [region_label(ctx, r, with_parent=False) for r in cmp["region"]]
    cmp = cmp.sort_values("rank_b")
    moved = int((cmp["rank_change"].fillna(0) != 0).sum())
    st.caption(t("weights.ranking_caption", moved=moved, n=len(cmp)))
    fig = go.Figure()
    for rec in cmp.itertuples(index=False):
        fig.add_trace(
            go.Scatter(
                x=[rec.rank_a, rec.rank_b],
                y=[rec.name, rec.name],
                mode="lines+markers",
                marker={"color": ["#999999", "#0072B2"], "size": 9},
                line={"color": "#BBBBBB"},
                showlegend=False,
                hovertemplate=f"{rec.name}: %{{x}}<extra></extra>",
            )
        )
    fig.update_layout(
        xaxis={"title": t("weights.rank_axis"), "dtick": 1},
        yaxis={"autorange": "reversed"},
        height=max(260, 26 * len(cmp) + 80),
        margin={"l": 10, "r": 10, "t": 30, "b": 40},
    )
    st.plotly_chart(fig, width="stretch", config={"displaylogo": False})
    st.caption(t("weights.rank_legend"))
    shown = cmp[["region", "name", "score_a", "score_b", "rank_a", "rank_b", "rank_change"]].rename(
        columns={
            "region": t("common.code"),
            "name": t(f"level.{level}"),
            "score_a": t("weights.score_before"),
            "score_b": t("weights.score_after"),
            "rank_a": t("weights.rank_before"),
            "rank_b": t("weights.rank_after"),
            "rank_change": t("weights.rank_change"),
        }
    )
    table_expander(
        shown, t("common.table_behind"), f"peringkat_bobot_{node}_{year}", key="weights_rank", synthetic=ctx.synthetic
    )

# ------------------------------------------------------------------ effective weights
st.subheader(t("weights.effective_title"))
st.caption(t("weights.effective_help"))
eff = effective_weights(new_result, year=year, level=level, codes=catalog.indicators, within=regions)
eff = eff.loc[eff["n"] > 0] if (eff["n"] > 0).any() else eff
if eff["per_point"].notna().any():
    fig = go.Figure(
        go.Scatter(
            x=100 * eff["nominal"],
            y=100 * eff["per_point"],
            mode="markers",
            text=eff["code"],
            marker={"size": 9, "color": "#0072B2"},
            hovertemplate="%{text}: "
            + t("weights.nominal")
            + " %{x:.2f} % · "
            + t("weights.data_based")
            + " %{y:.2f} %<extra></extra>",
        )
    )
    top = float(max(100 * eff["nominal"].max(), 100 * np.nanmax(eff["per_point"]), 1.0))
    fig.add_trace(
        go.Scatter(x=[0, top], y=[0, top], mode="lines", line={"dash": "dot", "color": "#999999"}, showlegend=False)
    )
    fig.update_layout(
        xaxis={"title": t("weights.nominal_axis")},
        yaxis={"title": t("weights.data_axis")},
        height=420,
        margin={"l": 10, "r": 10, "t": 30, "b": 40},
        showlegend=False,
    )
    st.plotly_chart(fig, width="stretch", config={"displaylogo": False})
shown = pd.DataFrame(
    {
        t("common.code"): eff["code"],
        t("weights.name"): [catalog.name(c, lang) for c in eff["code"]],
        t("weights.nominal"): (100 * eff["nominal"]).round(3),
        t("weights.data_based"): (100 * eff["per_point"]).round(3),
        t("weights.correlation"): eff["correlation"].round(3),
        t("weights.n_regions"): eff["n"],
    }
)
table_expander(shown, t("common.table_behind"), f"bobot_efektif_{year}", key="weights_eff", synthetic=ctx.synthetic)

# ------------------------------------------------------------------ save as scenario
st.subheader(t("weights.save_title"))
with st.form("weights_save", clear_on_submit=False):
    name = st.text_input(t("weights.scenario_name"), value=t("weights.default_name", node=node))
    submitted = st.form_submit_button(t("weights.save"), disabled=not can_write())
if submitted:
    try:
        new_id = save_scenario(ctx.store, name, new_method, author=user() or role(), role=role())
    except ScenarioError as exc:
        st.error(exc.message(lang))
    else:
        switch_to_scenario(new_id, t("weights.saved", name=name, id=new_id))
