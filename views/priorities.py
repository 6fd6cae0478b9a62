"""Prioritas: which elements and indicators to work on first, for the city or any region.

Ranks by gap to target x effective weight (the index points at stake) and by people affected
where the population is known, a priority matrix (gap against importance, four quadrants), and a
quick-win shortlist (index gain per unit of effort for a 10-point improvement, re-scored). Every
table downloads as Excel/CSV for the masterplan. The arithmetic is in ``indicators.priorities``.
"""

from __future__ import annotations

import re

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from indicators.export import to_csv_bytes, to_xlsx_bytes
from indicators.priorities import (
    population_by_region,
    priorities_for_regions,
    priority_quadrants,
    priority_table,
    quick_wins,
)
from ui.components import synthetic_banner, table_expander
from ui.context import get_context
from ui.data import region_label, region_options
from ui.expert import values
from ui.i18n import current_lang, fmt_num, t

ctx = get_context()
lang = current_lang()
catalog = ctx.catalog
year = ctx.selected_year()
level = ctx.selected_level()
city = ctx.city["code"]

st.title(t("priorities.title"))
synthetic_banner(ctx.synthetic)
st.caption(t("priorities.caption", year=year, scenario=ctx.scenario_name))

options = region_options(ctx, ("kota", level))
if not options:
    st.info(t("priorities.no_regions"))
    st.stop()
if st.session_state.get("prio_region") not in options:
    st.session_state["prio_region"] = city if city in options else options[0]
region_labels = {c: region_label(ctx, c) for c in options}  # computed once, in the page's language
region = st.selectbox(t("priorities.region"), options, format_func=region_labels.get, key="prio_region")
c1, c2, c3 = st.columns(3)
node_level = c1.radio(
    t("priorities.level"),
    ["element", "indicator"],
    format_func=lambda v: t(f"priorities.level.{v}", lang=lang),
    horizontal=True,
)
gap_mode = c2.radio(
    t("priorities.gap_mode"),
    ["max", "target"],
    format_func=lambda v: t(f"priorities.gap.{v}", lang=lang),
    horizontal=True,
)
sort_by = c3.radio(
    t("priorities.sort"),
    ["priority", "people_affected"],
    format_func=lambda v: t(f"priorities.sort.{v}", lang=lang),
    horizontal=True,
)

if ctx.result.unit_index.get((region, year)) is None:
    st.info(t("priorities.no_data", region=region_label(ctx, region), year=year))
    st.stop()
population = population_by_region(values(ctx), year)
pop = population.get(region)
table = priority_table(ctx.result, region, year, level=node_level, gap_mode=gap_mode, population=pop, lang=lang)
table = priority_quadrants(table, gap_split=100 - ctx.method.status_bands[1])
if sort_by == "people_affected" and table["people_affected"].notna().any():
    table = table.sort_values(["people_affected", "priority"], ascending=False, na_position="last")
if pop is None:
    st.caption(t("priorities.no_population"))
else:
    st.caption(t("priorities.population", pop=fmt_num(pop, 0)))
st.caption(t("priorities.explain"))

# ------------------------------------------------------------------ ranked table
st.subheader(t("priorities.ranked_title", n=min(len(table), 15)))
top = table.head(15)
fig = go.Figure(
    go.Bar(
        x=top["priority"] if sort_by == "priority" else top["people_affected"],
        y=[f"{c} · {n}" for c, n in zip(top["code"], top["name"], strict=True)],
        orientation="h",
        marker_color="#0072B2",
        hovertemplate="%{y}: %{x:.2f}<extra></extra>",
    )
)
fig.update_layout(
    xaxis={"title": t("priorities.priority_axis") if sort_by == "priority" else t("priorities.people")},
    yaxis={"autorange": "reversed"},
    height=max(280, 28 * len(top) + 80),
    margin={"l": 10, "r": 10, "t": 20, "b": 40},
)
st.plotly_chart(fig, width="stretch", config={"displaylogo": False})


def _shown(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            t("common.rank"): frame["rank"],
            t("common.code"): frame["code"],
            t("priorities.name"): frame["name"],
            t("common.score"): frame["score"].round(2),
            t("priorities.target_score"): frame["target_score"].round(2),
            t("priorities.gap"): frame["gap"].round(2),
            t("priorities.weight"): frame["weight"].round(4),
            t("priorities.priority"): frame["priority"].round(3),
            t("priorities.people"): frame["people_affected"].round(0),
            t("priorities.quadrant"): [
                t(f"priorities.quadrant.{q}") if isinstance(q, str) else "" for q in frame["quadrant"]
            ],
        }
    )


slug = f"prioritas_{region}_{node_level}_{year}"
table_expander(_shown(table), t("priorities.full_table"), slug, key="prio_table", synthetic=ctx.synthetic)

# ------------------------------------------------------------------ priority matrix
st.subheader(t("priorities.matrix_title"))
scored = table.dropna(subset=["gap"])
if scored.empty:
    st.info(t("priorities.no_scores"))
else:
    gap_split = 100 - ctx.method.status_bands[1]
    w_split = float(scored["weight"].mean())
    colors = {"act_now": "#D55E00", "maintain": "#009E73", "secondary": "#E69F00", "low": "#999999"}
    fig = go.Figure()
    for quadrant, group in scored.groupby("quadrant", sort=False):
        fig.add_trace(
            go.Scatter(
                x=group["gap"],
                y=100 * group["weight"],
                # codes written next to the points that need action; the others on hover
                mode="markers+text" if quadrant == "act_now" and len(group) <= 25 else "markers",
                text=group["code"],
                textposition="top center",
                name=t(f"priorities.quadrant.{quadrant}"),
                marker={"size": 11, "color": colors.get(quadrant, "#999999"), "line": {"color": "#333", "width": 0.5}},
                customdata=group[["name", "priority"]].to_numpy(),
                hovertemplate="%{customdata[0]}<br>"
                + t("priorities.gap")
                + " %{x:.1f} · "
                + t("priorities.weight")
                + " %{y:.2f} %<extra></extra>",
            )
        )
    fig.add_vline(x=gap_split, line_dash="dot", line_color="#666")
    fig.add_hline(y=100 * w_split, line_dash="dot", line_color="#666")
    fig.update_layout(
        xaxis={"title": t("priorities.gap_axis"), "range": [0, 100]},
        yaxis={"title": t("priorities.weight_axis"), "rangemode": "tozero"},
        height=460,
        margin={"l": 10, "r": 10, "t": 20, "b": 40},
        legend={"orientation": "h"},
    )
    st.plotly_chart(fig, width="stretch", config={"displaylogo": False})
    st.caption(t("priorities.matrix_help", gap=fmt_num(gap_split, 0), weight=fmt_num(100 * w_split, 2)))
    table_expander(
        _shown(scored), t("common.table_behind"), f"matriks_{slug}", key="prio_matrix", synthetic=ctx.synthetic
    )

# ------------------------------------------------------------------ quick wins
st.subheader(t("priorities.quick_title"))
step = st.slider(t("priorities.step"), 5, 30, 10, 5, help=t("priorities.step_help"))
peers = list(ctx.regions_at("kecamatan")["code"]) if region == city else None
first = quick_wins(ctx.result, region, year, step=float(step), peers=peers, lang=lang)
if first.empty:
    st.info(t("priorities.no_quick"))
    quick = first
else:
    st.caption(t("priorities.effort_help"))
    editor = st.data_editor(
        first[["code", "name", "effort"]].assign(effort=first["effort"].round(2)),
        hide_index=True,
        disabled=["code", "name"],
        column_config={
            "code": st.column_config.TextColumn(t("common.code")),
            "name": st.column_config.TextColumn(t("priorities.name")),
            "effort": st.column_config.NumberColumn(t("priorities.effort"), min_value=0.1, max_value=10.0, step=0.1),
        },
        key=f"prio_effort_{region}_{step}",
        width="stretch",
        height=240,
    )
    effort = {r.code: float(r.effort) for r in editor.itertuples(index=False) if r.effort == r.effort and r.effort > 0}
    quick = quick_wins(ctx.result, region, year, step=float(step), effort=effort, peers=peers, lang=lang)
    shortlist = quick.head(10)
    st.markdown(f"**{t('priorities.shortlist', n=len(shortlist))}**")
    st.dataframe(
        pd.DataFrame(
            {
                t("common.rank"): shortlist["rank"],
                t("common.code"): shortlist["code"],
                t("priorities.name"): shortlist["name"],
                t("common.score"): shortlist["score"].round(1),
                t("priorities.improvement"): shortlist["improvement"].round(1),
                t("priorities.index_gain"): shortlist["index_gain"].round(3),
                t("priorities.effort"): shortlist["effort"].round(2),
                t("priorities.value"): shortlist["value"].round(3),
            }
        ),
        hide_index=True,
        width="stretch",
    )

# ------------------------------------------------------------------ export
st.subheader(t("priorities.export_title"))
elements = priority_quadrants(
    priority_table(ctx.result, region, year, level="element", gap_mode=gap_mode, population=pop, lang=lang),
    gap_split=100 - ctx.method.status_bands[1],
)
indicators = priority_quadrants(
    priority_table(ctx.result, region, year, level="indicator", gap_mode=gap_mode, population=pop, lang=lang),
    gap_split=100 - ctx.method.status_bands[1],
)
sheets = {
    t("priorities.sheet_elements"): _shown(elements),
    t("priorities.sheet_indicators"): _shown(indicators),
}
if len(quick):
    sheets[t("priorities.sheet_quick")] = quick.rename(
        columns={
            "code": t("common.code"),
            "name": t("priorities.name"),
            "score": t("common.score"),
            "improvement": t("priorities.improvement"),
            "index_gain": t("priorities.index_gain"),
            "gain_per_point": t("priorities.gain_per_point"),
            "peer_share": t("priorities.peer_share"),
            "effort": t("priorities.effort"),
            "value": t("priorities.value"),
            "rank": t("common.rank"),
        }
    )
level_regions = list(ctx.regions_at(level)["code"])
every = priorities_for_regions(
    ctx.result, level_regions, year, level="indicator", gap_mode=gap_mode, population=population, top=5, lang=lang
)
if len(every):
    every = every.assign(region_name=[region_labels.get(r) or region_label(ctx, r) for r in every["region"]])
    sheet_name = re.sub(r"[\[\]:*?/\\]", "-", t("priorities.sheet_all", level=t(f"level.{level}")))[:31]
    sheets[sheet_name] = pd.DataFrame(
        {
            t("common.code"): every["region"],
            t(f"level.{level}"): every["region_name"],
            t("common.rank"): every["rank"],
            t("priorities.indicator"): every["code"],
            t("priorities.name"): every["name"],
            t("common.score"): every["score"].round(2),
            t("priorities.gap"): every["gap"].round(2),
            t("priorities.weight"): every["weight"].round(4),
            t("priorities.priority"): every["priority"].round(3),
            t("priorities.people"): every["people_affected"].round(0),
        }
    )
note = f"{region_label(ctx, region)} · {year} · {ctx.scenario_name}"
if ctx.synthetic:
    note = f"{t('app.synthetic_badge')} · {note}"
c1, c2 = st.columns(2)
c1.download_button(
    t("priorities.download_xlsx", level=t(f"level.{level}")),
    to_xlsx_bytes(sheets, note=note),
    file_name=f"prioritas_{region}_{year}.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    key="prio_xlsx",
    width="stretch",
)
c2.download_button(
    t("priorities.download_csv"),
    to_csv_bytes(_shown(indicators)),
    file_name=f"prioritas_indikator_{region}_{year}.csv",
    mime="text/csv",
    key="prio_csv",
    width="stretch",
)
