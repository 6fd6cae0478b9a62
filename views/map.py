"""Peta (map): any node of the tree as a choropleth of the kecamatan or kelurahan, with the field
observation points on top.

Works with no network at all (plain background); a tile base map is an option for users online.
Clicking a region opens its profile; a region picker below the map does the same for keyboard
users and when the click is not available. Every number on the map has its table behind it.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ui.components import synthetic_banner, table_expander
from ui.context import get_context, statuses
from ui.data import memo, node_label, region_label, scores, view_key
from ui.explain import explain_panel
from ui.i18n import current_lang, fmt_num, fmt_pct, t
from ui.maps import boundaries_version, choropleth_figure, map_layer, points_for

ctx = get_context()
lang = current_lang()
catalog = ctx.catalog
year = ctx.selected_year()
level = ctx.selected_level()

st.title(t("map.title", city=ctx.city["name"]))
synthetic_banner(ctx.synthetic)

# ------------------------------------------------------------------ a click on the map opens the profile
if st.session_state.pop("map_goto", None):
    st.switch_page("views/profile.py")


def _on_select() -> None:
    """Remember the clicked region; the next run (this page) switches to its profile."""
    event = st.session_state.get("map_chart")
    points = (event or {}).get("selection", {}).get("points", []) if isinstance(event, dict) else []
    if not points and event is not None and hasattr(event, "selection"):
        points = event.selection.get("points", [])
    for point in points:
        code = point.get("location") or (point.get("customdata") or [None])[0]
        if code:
            st.session_state["profile_region"] = str(code)
            st.session_state["map_goto"] = True
            return


# ------------------------------------------------------------------ controls
depth0 = catalog.depth[catalog.root]
c1, c2, c3 = st.columns([3, 2, 2])
node = c1.selectbox(
    t("map.node"),
    catalog.tree_codes,
    format_func=lambda c: "\u2003" * (catalog.depth[c] - depth0) + node_label(ctx, c, lang),
    key="map_node",
)
is_indicator = catalog.is_indicator(node)
unit = catalog.node(node)["unit"] if is_indicator else ""
color_by = "score"
if is_indicator:
    color_by = c2.radio(
        t("map.color_by"),
        ["score", "value"],
        format_func=lambda k: t(f"map.color_by.{k}", lang),
        key="map_color",
        horizontal=True,
    )
n_points = len(points_for(ctx, level, lang))
show_points = c3.toggle(t("map.points", n=fmt_num(n_points, 0)), value=False, key="map_points", disabled=n_points == 0)
basemap = c3.toggle(t("map.basemap"), value=False, key="map_basemap", help=t("map.basemap_help"))

# ------------------------------------------------------------------ data of the map (cached per selection)
layer = map_layer(ctx, level)


def _build_view() -> dict:
    """The map's table, figure and legend facts for the current selections (pure: memoised)."""
    all_scores = scores(ctx)
    frame = all_scores.loc[
        (all_scores["year"] == year) & (all_scores["region_level"] == level) & (all_scores["code"] == node),
        ["region", "region_name", "score", "rank", "coverage"],
    ]
    if is_indicator:
        values = ctx.result.indicator_values
        raw = values.loc[(values["year"] == year) & (values["indicator"] == node), ["region", "value", "origin"]]
        frame = frame.merge(raw, on="region", how="left")
    else:
        frame = frame.assign(value=float("nan"), origin="")
    status = statuses(ctx)
    frame = frame.merge(
        status.loc[(status["year"] == year) & (status["code"] == node), ["region", "status"]], on="region", how="left"
    )
    frame = (
        ctx.regions_at(level)[["code", "name"]]
        .rename(columns={"code": "region", "name": "region_name"})
        .merge(frame.drop(columns="region_name"), on="region", how="left")
    )
    frame["name"] = [region_label(ctx, c, with_parent=False) for c in frame["region"]]
    frame["score_text"] = [fmt_num(v, 1) for v in frame["score"]]
    if is_indicator:
        frame["value_text"] = [f"{fmt_num(v, 2)} {unit}".strip() if v == v else "–" for v in frame["value"]]
    else:
        frame["value_text"] = t("map.value_na")
    frame["coverage_text"] = [fmt_pct(v) if v == v else "–" for v in frame["coverage"]]
    color_col = "value" if color_by == "value" else "score"
    color_title = f"{t('map.value')} ({unit})" if color_by == "value" and unit else t("common.score_0_100")
    reverse = color_by == "value" and catalog.node(node)["direction"] == "lower"
    points = points_for(ctx, level, lang) if show_points else None
    n_missing = int(frame[color_col].isna().sum())
    fig = None
    if layer is not None:
        fig = choropleth_figure(
            layer,
            frame,
            color=color_col,
            color_title=color_title,
            hover_labels={"score": t("common.score"), "value": t("map.value"), "coverage": t("common.coverage")},
            no_data_label=t("map.no_data_legend", n=n_missing),
            title=t("map.chart_title", node=catalog.name(node, lang), level=t(f"level.{level}"), year=year),
            reverse=reverse,
            basemap=basemap,
            points=points,
            tick_format=lambda v: fmt_num(v, 1 if color_col == "score" else 2),
        )
    return {
        "frame": frame,
        "fig": fig,
        "points": points,
        "n_missing": n_missing,
        "color_col": color_col,
        "color_title": color_title,
        "reverse": reverse,
    }


view = memo(
    ("map", view_key(ctx), boundaries_version(ctx.store), node, year, level, lang, color_by, basemap, show_points),
    _build_view,
)
frame, fig, points = view["frame"], view["fig"], view["points"]
color_col, color_title, reverse, n_missing = view["color_col"], view["color_title"], view["reverse"], view["n_missing"]

# ------------------------------------------------------------------ the map
if fig is None:
    st.warning(t("map.no_boundaries"))
else:
    st.plotly_chart(
        fig,
        width="stretch",
        key="map_chart",
        on_select=_on_select,
        selection_mode="points",
        config={"displaylogo": False, "scrollZoom": True},
    )
    has = frame[color_col].dropna()
    legend = []
    if len(has):
        legend.append(
            t(
                "map.range",
                lo=fmt_num(has.min(), 1 if color_col == "score" else 2),
                hi=fmt_num(has.max(), 1 if color_col == "score" else 2),
                unit=color_title,
            )
        )
    if n_missing:
        legend.append(t("map.no_data_caption", n=n_missing))
    if reverse:
        legend.append(t("map.reversed"))
    if basemap:
        legend.append(t("map.basemap_note"))
    legend.append(t("map.click_hint"))
    st.caption(" · ".join(legend))

# ------------------------------------------------------------------ keyboard-friendly way to the profile
codes = list(frame["region"])
if codes:
    c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
    picked = c1.selectbox(
        t("map.pick_region"),
        codes,
        format_func=lambda c: region_label(ctx, c),
        key="map_region",
    )
    if c2.button(t("map.open_profile"), key="map_open", icon=":material/location_city:", width="stretch"):
        st.session_state["profile_region"] = picked
        st.switch_page("views/profile.py")
    explain_panel(ctx, picked, year, node, key="map_explain")

# ------------------------------------------------------------------ tables behind the map
shown = frame.sort_values("score", ascending=False, na_position="last")
table = pd.DataFrame(
    {
        t("common.code"): shown["region"],
        t(f"level.{level}"): shown["region_name"],
        t("common.score"): shown["score"].round(2),
        t("common.rank"): shown["rank"],
        t("common.coverage"): (100 * shown["coverage"]).round(0),
        t("common.status"): [t(f"status.{s}") if isinstance(s, str) else t("status.grey") for s in shown["status"]],
    }
)
if is_indicator:
    table.insert(3, f"{t('map.value')} ({unit})" if unit else t("map.value"), shown["value"].round(3))
table_expander(table, t("map.table_title"), f"peta_{level}_{node}_{year}", key="map_table", synthetic=ctx.synthetic)
if points is not None and len(points):
    obs_table = pd.DataFrame(
        {
            t("map.obs.asset"): points["asset_type"].to_numpy(),
            t("common.status"): points["status_label"].to_numpy(),
            t("map.obs.condition"): points["condition"].to_numpy(),
            t("level.kelurahan"): points["kelurahan"].to_numpy(),
            "lat": points["lat"].round(6).to_numpy(),
            "lon": points["lon"].round(6).to_numpy(),
        }
    )
    table_expander(obs_table, t("map.obs_table_title"), "titik_observasi", key="map_obs", synthetic=ctx.synthetic)
