"""Map layers and choropleth figures (MapLibre traces: work with no network on a plain background).

Geometry: kelurahan polygons come from the store (or, when none are stored, the configured
boundaries file); kecamatan are the kelurahan dissolved by parent code, because the published
kecamatan layer is coarse and leaves gaps. Each level is simplified as a coverage
(``simplify_coverage`` keeps shared borders identical, so neighbours never gap or overlap),
rounded to 5 decimals (about 1 m) and reduced to the code: a kelurahan layer of Kota Bengkulu
is about 100 KB of GeoJSON. Layers are cached by the store's boundaries version, never by hashing
a GeoDataFrame.

The figure functions are plain plotly (no Streamlit), so tests and the benchmark can build and
measure them directly.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import shapely
import streamlit as st

import settings
from ui.components import NO_DATA_COLOR, SCORE_SCALE

log = logging.getLogger(__name__)

#: Simplification tolerance in degrees (about 20 m at the equator): invisible at city zoom.
SIMPLIFY_TOLERANCE = 0.0002
#: Coordinate precision sent to the browser (5 decimals is about 1 m).
PRECISION = 1e-5
#: Plain background that needs no tiles (works offline) and a light tile base map for users online.
OFFLINE_STYLE = "white-bg"
ONLINE_STYLE = "carto-positron"
#: Observation status -> colour (Okabe-Ito, colour-blind safe; always listed with its word).
OBS_STATUS_COLORS = {
    "berfungsi": "#009E73",
    "tidak berfungsi": "#D55E00",
    "tidak ditemukan": "#CC79A7",
    "lainnya": "#999999",
}


@dataclass(frozen=True)
class MapLayer:
    """One region level's display geometry as GeoJSON, ready for plotly."""

    level: str
    geojson: dict[str, Any]
    codes: tuple[str, ...]
    center: dict[str, float]
    zoom: float
    n_vertices: int

    def subset(self, codes) -> dict[str, Any]:
        """GeoJSON of only these regions (each trace carries only its own polygons: no duplicates)."""
        wanted = set(codes)
        return {"type": "FeatureCollection", "features": [f for f in self.geojson["features"] if f["id"] in wanted]}

    @property
    def payload_bytes(self) -> int:
        """Size of the GeoJSON as sent to the browser."""
        return len(json.dumps(self.geojson, separators=(",", ":")))


# ---------------------------------------------------------------------- geometry (pure)
def parent_code(code: str) -> str:
    return code.rsplit(".", 1)[0] if "." in code else code


#: Holes smaller than this share of their polygon are slivers between neighbours, not enclaves.
SLIVER_SHARE = 0.01


def _fill_slivers(geom):
    """The polygon(s) without interior rings smaller than :data:`SLIVER_SHARE` of their area."""
    from shapely.geometry import MultiPolygon, Polygon

    def fill(poly: Polygon) -> Polygon:
        keep = [r for r in poly.interiors if Polygon(r).area >= SLIVER_SHARE * poly.area]
        return Polygon(poly.exterior, keep)

    if geom is None or geom.is_empty:
        return geom
    if geom.geom_type == "Polygon":
        return fill(geom)
    if geom.geom_type == "MultiPolygon":
        return MultiPolygon([fill(p) for p in geom.geoms])
    return geom


def dissolve_to_parent(kelurahan) -> Any:
    """Kecamatan polygons from kelurahan polygons (dissolve by the parent part of the code).

    Published kelurahan layers leave thin gaps between neighbours; after the dissolve those gaps
    become tiny holes inside the kecamatan, which are filled (:data:`SLIVER_SHARE`).
    """
    frame = kelurahan[["code", "geometry"]].copy()
    frame["code"] = frame["code"].map(parent_code)
    out = frame.dissolve(by="code", as_index=False)
    out["geometry"] = [_fill_slivers(g) for g in out.geometry]
    return out


def simplify(gdf, tolerance: float = SIMPLIFY_TOLERANCE):
    """Coverage-preserving simplification (shared borders stay shared), then 1 m precision."""
    geoms = gdf.geometry
    try:
        from loaders.boundaries import display_copy  # the loaders' shared helper, when present

        return display_copy(gdf[["code", "geometry"]], tolerance)
    except ImportError:
        pass
    except Exception:  # pragma: no cover - fall back to our own simplification
        log.exception("display_copy failed; simplifying locally")
    out = gdf[["code", "geometry"]].copy()
    try:
        out["geometry"] = geoms.simplify_coverage(tolerance)
    except Exception:  # not a valid coverage (overlaps): simplify each polygon on its own
        out["geometry"] = geoms.simplify(tolerance, preserve_topology=True)
    return out


def _zoom_for(bounds: tuple[float, float, float, float], width_px: int = 620, height_px: int = 560) -> float:
    """Web-Mercator zoom that fits ``bounds`` into a map of the given size (MapLibre uses 512 px tiles)."""
    minx, miny, maxx, maxy = bounds
    lon_span = max(maxx - minx, 1e-6) * 1.1
    y1 = math.log(math.tan(math.pi / 4 + math.radians(miny) / 2))
    y2 = math.log(math.tan(math.pi / 4 + math.radians(maxy) / 2))
    lat_span = max(abs(y2 - y1), 1e-9) * 1.1
    zoom_x = math.log2(360 * width_px / (512 * lon_span))
    zoom_y = math.log2(2 * math.pi * height_px / (512 * lat_span))
    return round(max(min(zoom_x, zoom_y, 16.0), 1.0), 2)


def build_layer(gdf, level: str, tolerance: float = SIMPLIFY_TOLERANCE) -> MapLayer:
    """GeoJSON of one level's polygons (``code`` + geometry; feature ``id`` = code)."""
    simple = simplify(gdf, tolerance)
    geoms = shapely.set_precision(simple.geometry.to_numpy(), PRECISION)
    features = []
    vertices = 0
    for code, geom in zip(simple["code"].astype(str), geoms, strict=True):
        if geom is None or geom.is_empty:
            continue
        vertices += int(shapely.get_num_coordinates(geom))
        features.append({"type": "Feature", "id": code, "properties": {}, "geometry": shapely.geometry.mapping(geom)})
    geojson = json.loads(json.dumps({"type": "FeatureCollection", "features": features}))
    minx, miny, maxx, maxy = (float(v) for v in simple.total_bounds)
    return MapLayer(
        level=level,
        geojson=geojson,
        codes=tuple(f["id"] for f in features),
        center={"lat": (miny + maxy) / 2, "lon": (minx + maxx) / 2},
        zoom=_zoom_for((minx, miny, maxx, maxy)),
        n_vertices=vertices,
    )


def _kelurahan_polygons(store) -> Any:
    """Kelurahan polygons from the store, else from the configured boundaries file, else None."""
    gdf = None
    try:
        gdf = store.boundaries("kelurahan")
    except Exception:
        log.exception("boundaries not readable from the store")
    if gdf is not None and len(gdf):
        return gdf
    path = settings.BOUNDARIES_PATH
    if not path.exists():
        return None
    try:
        from loaders.boundaries import read_boundaries

        gdf, _problems = read_boundaries(path, path.name)
    except ImportError:
        import geopandas as gpd

        gdf = gpd.read_file(path).rename(columns={"kode": "code", "nama": "name"})
    if gdf is None or gdf.empty:
        return None
    gdf = gdf.loc[gdf["code"].astype(str).str.count(r"\.") == 3]
    return gdf if len(gdf) else None


@st.cache_resource(show_spinner=False, max_entries=8)
def _layer(boundaries_version: str, level: str, city: str, _store) -> MapLayer | None:
    kelurahan = _kelurahan_polygons(_store)
    if kelurahan is None:
        try:
            stored = _store.boundaries(level)
        except Exception:
            return None
        return build_layer(stored, level) if len(stored) else None
    kelurahan = kelurahan.loc[kelurahan["code"].astype(str).str.startswith(city + ".")]
    if kelurahan.empty:
        return None
    if level == "kelurahan":
        return build_layer(kelurahan, level)
    if level == "kecamatan":
        return build_layer(dissolve_to_parent(kelurahan), level)
    if level == "kota":
        frame = dissolve_to_parent(dissolve_to_parent(kelurahan))
        return build_layer(frame, level)
    return None


def boundaries_version(store) -> str:
    """The store's boundaries version (data version as a fallback for stores without one)."""
    try:
        return str(store.boundaries_version())
    except Exception:
        return f"data-{store.data_version()}"


def map_layer(ctx, level: str) -> MapLayer | None:
    """The cached display layer of ``level`` for the context's city (None without boundaries)."""
    return _layer(boundaries_version(ctx.store), level, ctx.city["code"], ctx.store)


# ---------------------------------------------------------------------- figures (pure)
def choropleth_figure(
    layer: MapLayer,
    frame: pd.DataFrame,
    *,
    color: str,
    color_title: str,
    hover_labels: dict[str, str],
    no_data_label: str,
    title: str,
    reverse: bool = False,
    basemap: bool = False,
    points: pd.DataFrame | None = None,
    selected: str | None = None,
    height: int = 600,
    tick_format: Callable[[float], str] = lambda v: f"{v:.1f}",
) -> go.Figure:
    """Choropleth of ``frame[color]`` over ``layer`` (MapLibre), no-data regions in grey.

    ``frame`` has one row per region: ``region``, ``name``, the numeric ``color`` column and the
    pre-formatted text columns ``score_text``, ``value_text``, ``coverage_text`` shown on hover
    (labels in ``hover_labels``: keys score, value, coverage). The colour bar spans the real
    range of the data, its ticks written by ``tick_format``. ``points`` (``lat, lon, status_key,
    status_label, hover`` and optionally ``region``, the kelurahan a point lies in, so a click on a
    point opens that kelurahan) are drawn on top, one legend entry per status. ``selected`` outlines one
    region.
    """
    frame = frame.set_index("region").reindex(list(layer.codes))
    frame["name"] = frame["name"].fillna(pd.Series(list(layer.codes), index=frame.index))
    for col in ("score_text", "value_text", "coverage_text"):
        frame[col] = frame[col].fillna("–")
    has = frame[color].notna()
    custom_cols = ["name", "score_text", "value_text", "coverage_text"]
    hover = (
        "<b>%{customdata[1]}</b><br>"
        + hover_labels["score"]
        + ": %{customdata[2]}<br>"
        + hover_labels["value"]
        + ": %{customdata[3]}<br>"
        + hover_labels["coverage"]
        + ": %{customdata[4]}<extra></extra>"
    )
    fig = go.Figure()
    missing = frame.loc[~has]
    if len(missing):
        fig.add_trace(
            go.Choroplethmap(
                geojson=layer.subset(missing.index),
                locations=list(missing.index),
                z=np.zeros(len(missing)),
                colorscale=[[0, NO_DATA_COLOR], [1, NO_DATA_COLOR]],
                showscale=False,
                marker={"line": {"color": "#FFFFFF", "width": 0.8}, "opacity": 0.9},
                customdata=np.column_stack([missing.index.to_numpy(), missing[custom_cols].to_numpy()]),
                hovertemplate=hover,
                name=no_data_label,
                showlegend=True,
                selected={"marker": {"opacity": 0.9}},
                unselected={"marker": {"opacity": 0.9}},
            )
        )
    present = frame.loc[has]
    if len(present):
        values = present[color].astype(float)
        lo, hi = float(values.min()), float(values.max())
        if not hi > lo:
            lo, hi = lo - 0.5, hi + 0.5
        fig.add_trace(
            go.Choroplethmap(
                geojson=layer.subset(present.index),
                locations=list(present.index),
                z=values.to_numpy(),
                zmin=lo,
                zmax=hi,
                colorscale=SCORE_SCALE,
                reversescale=reverse,
                marker={"line": {"color": "#FFFFFF", "width": 0.8}, "opacity": 0.85},
                colorbar={
                    "title": {"text": color_title, "side": "right"},
                    "tickvals": [lo, (lo + hi) / 2, hi],
                    "ticktext": [tick_format(lo), tick_format((lo + hi) / 2), tick_format(hi)],
                    "thickness": 14,
                    "len": 0.75,
                },
                customdata=np.column_stack([present.index.to_numpy(), present[custom_cols].to_numpy()]),
                hovertemplate=hover,
                name=color_title,
                showlegend=False,
                selected={"marker": {"opacity": 0.85}},
                unselected={"marker": {"opacity": 0.85}},
            )
        )
    if selected and selected in layer.codes:
        fig.add_trace(
            go.Choroplethmap(
                geojson=layer.subset([selected]),
                locations=[selected],
                z=[0],
                colorscale=[[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]],
                showscale=False,
                marker={"line": {"color": "#000000", "width": 3}},
                hoverinfo="skip",
                showlegend=False,
            )
        )
    if points is not None and len(points):
        # a dark halo under each point keeps it visible on every fill colour
        fig.add_trace(
            go.Scattermap(
                lat=points["lat"],
                lon=points["lon"],
                mode="markers",
                marker={"size": 8, "color": "#222222"},
                hoverinfo="skip",
                unselected={"marker": {"opacity": 1}},
                showlegend=False,
            )
        )
        for key, group in points.groupby("status_key", sort=False):
            fig.add_trace(
                go.Scattermap(
                    lat=group["lat"],
                    lon=group["lon"],
                    mode="markers",
                    marker={"size": 6, "color": OBS_STATUS_COLORS.get(key, OBS_STATUS_COLORS["lainnya"])},
                    name=f"{group['status_label'].iloc[0]} ({len(group)})",
                    text=group["hover"],
                    hovertemplate="<b>%{text}</b><br>" + str(group["status_label"].iloc[0]) + "<extra></extra>",
                    customdata=group[["region"]].to_numpy() if "region" in group.columns else None,
                    selected={"marker": {"opacity": 1}},
                    unselected={"marker": {"opacity": 1}},
                )
            )
    fig.update_layout(
        title={"text": title, "x": 0, "font": {"size": 16}},
        map={
            "style": ONLINE_STYLE if basemap else OFFLINE_STYLE,
            "center": layer.center,
            "zoom": layer.zoom,
        },
        height=height,
        margin={"l": 0, "r": 0, "t": 40, "b": 0},
        legend={"orientation": "h", "yanchor": "bottom", "y": 0.01, "x": 0.01, "bgcolor": "rgba(255,255,255,0.85)"},
        clickmode="event+select",
        hoverdistance=6,  # points win the hover (and the click) only right under the cursor
    )
    return fig


def figure_payload_bytes(fig: go.Figure) -> int:
    """Size of the figure's JSON as Streamlit sends it (what the browser downloads)."""
    import plotly.io as pio

    return len(pio.to_json(fig, validate=False).encode("utf-8"))


# ---------------------------------------------------------------------- the Peta page's view (cached)
#: Observation status (as written in field sheets) -> translation key of its label.
OBS_LABELS = {
    "berfungsi": "map.obs.working",
    "tidak berfungsi": "map.obs.broken",
    "tidak ditemukan": "map.obs.not_found",
    "lainnya": "map.obs.other",
}


def observation_points(obs: pd.DataFrame, names: dict[str, str], level: str, labels: dict[str, str]) -> pd.DataFrame:
    """Map-ready observation points: ``lat, lon, status_key, status_label, region, hover`` (+ the
    table columns ``asset_type, condition, kelurahan``).

    ``status_key`` is the sheet's status folded to the known words (else ``lainnya``); ``region`` is
    the kelurahan a point lies in, or its kecamatan when the map shows kecamatan, so a click on a
    point opens the region the user sees around it. ``labels``: status key -> translated label.
    """
    obs = obs.dropna(subset=["lat", "lon"]) if len(obs) else obs
    if obs.empty:
        return pd.DataFrame(columns=["lat", "lon", "status_key", "status_label", "region", "hover"])
    key = obs["status"].fillna("").astype(str).str.strip().str.lower()
    key = key.where(key.isin(list(OBS_STATUS_COLORS)), "lainnya")
    kel = obs["region"].fillna("").astype(str)
    shown = [parent_code(r) if level == "kecamatan" and r.count(".") == 3 else r for r in kel]
    condition = obs["condition"] if "condition" in obs.columns else pd.Series("", index=obs.index)
    asset = obs["asset_type"] if "asset_type" in obs.columns else pd.Series("", index=obs.index)
    return pd.DataFrame(
        {
            "lat": obs["lat"].to_numpy(dtype=float),
            "lon": obs["lon"].to_numpy(dtype=float),
            "status_key": key.to_numpy(),
            "status_label": [labels[k] for k in key],
            "region": shown,
            # short on purpose: 2,000 points x every character is payload (status is in the trace)
            "hover": [
                (a if isinstance(a, str) and a else "–") + (f" · {c}" if isinstance(c, str) and c else "")
                for a, c in zip(asset, condition, strict=True)
            ],
            "asset_type": asset.to_numpy(),
            "condition": condition.to_numpy(),
            "kelurahan": [names.get(r, r) for r in kel],
        }
    )


@st.cache_resource(show_spinner=False, max_entries=8)
def _points(data_version: str, city: str, level: str, lang: str, _ctx) -> pd.DataFrame:
    from ui.i18n import t

    try:
        obs = _ctx.store.observations()
    except Exception:
        log.exception("observations unavailable")
        obs = pd.DataFrame()
    if len(obs) and "region" in obs.columns:  # one store may hold several cities: only this one's points
        obs = obs.loc[obs["region"].fillna("").astype(str).str.startswith(city + ".")]
    labels = {k: t(v, lang) for k, v in OBS_LABELS.items()}
    return observation_points(obs, _ctx.region_names, level, labels)


def points_for(ctx, level: str, lang: str) -> pd.DataFrame:
    """The store's observation points ready for the map (cached by data version; read-only)."""
    return _points(ctx.data_version, ctx.city["code"], level, lang, ctx)
