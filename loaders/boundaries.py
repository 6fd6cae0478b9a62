"""Region boundaries from GeoJSON, GeoPackage or a zipped Shapefile.

Admins bring whatever their GIS office has: any CRS (UTM zone 48S is common in Bengkulu), codes
in a property called ``kode``, ``KDEPUM`` or ``kode_desa``, written with or without dots, sometimes
stored as numbers, and polygons that self-intersect. :func:`read_boundaries` turns that into one
frame the store and the maps share:

``code`` (dotted Kemendagri code), ``name``, ``level`` (``provinsi`` | ``kota`` | ``kecamatan`` |
``kelurahan``), ``geometry`` (Polygon/MultiPolygon, valid, EPSG:4326)

with every problem reported as a :class:`~indicators.problems.Problem` (feature number as ``row``,
property as ``column``), never silently fixed without saying so.

:func:`complete_levels` makes missing upper levels by dissolving the level below (the published
kecamatan layer of Kota Bengkulu is coarse and leaves gaps; the dissolved kelurahan are clean).
:func:`display_copy` makes the light copy the browser gets: simplified as a *coverage* so
neighbours keep identical shared borders, rounded, reduced to the needed columns, rings oriented
the way plotly's d3-geo traces expect.
"""

from __future__ import annotations

import io
import re
import tempfile
import warnings
import zipfile
from pathlib import Path, PurePosixPath
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

import settings
from indicators.problems import Problem

__all__ = [
    "FORMATS",
    "complete_levels",
    "detect_code_property",
    "display_copy",
    "normalize_region_code",
    "read_boundaries",
]

#: Extension -> what we read.
FORMATS = {".geojson": "geojson", ".json": "geojson", ".gpkg": "gpkg", ".zip": "shapefile-zip", ".shp": "shapefile"}
LEVEL_OF_DEPTH = {1: "provinsi", 2: "kota", 3: "kecamatan", 4: "kelurahan"}
#: Share of a property's values that must be region codes for it to be taken as the code property.
CODE_SHARE = 0.8
#: Property names tried first (when several properties hold codes) and for region names.
_CODE_NAMES = ("kode", "code", "kode_wilayah", "kd_wilayah", "kode_kemendagri", "kdepum", "kode_desa", "kode_kel")
_NAME_NAMES = ("nama", "name", "nama_wilayah", "namobj", "wadmkd", "desa", "kelurahan", "nama_desa", "nama_kel")
#: Zipped shapefile limits (checked on the zip's directory before anything is inflated).
MAX_ZIP_ENTRIES = 200
MAX_UNCOMPRESSED_MB = 500
MIN_INFLATE_RATIO = 0.01
_SHP_PARTS = {".shp", ".shx", ".dbf", ".prj", ".cpg", ".qix", ".sbn", ".sbx"}
_DOTTED = re.compile(r"^\d{2}(?:\.\d{2}(?:\.\d{2}(?:\.\d{4})?)?)?$")
_COLUMNS = ["code", "name", "level", "geometry"]


def _problem(
    message_id: str,
    message_en: str,
    rule: str,
    severity: str = "error",
    *,
    row: int | None = None,
    column: str | None = None,
    code: str | None = None,
    suggestion: str | None = None,
    sheet: str | None = None,
) -> Problem:
    return Problem(
        message_id,
        message_en,
        severity=severity,  # type: ignore[arg-type]
        sheet=sheet,
        row=row,
        column=column,
        code=code,
        suggestion=suggestion,
        extra={"rule": rule},
    )


def _empty() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        pd.DataFrame({"code": pd.Series(dtype=str), "name": pd.Series(dtype=str), "level": pd.Series(dtype=str)}),
        geometry=gpd.GeoSeries([], crs="EPSG:4326"),
        crs="EPSG:4326",
    )


# ---------------------------------------------------------------------- codes
def normalize_region_code(value: Any) -> str | None:
    """Dotted Kemendagri code from ``17.71.01.1001``, ``1771011001``, ``1771011001.0`` (a number
    from a .dbf), ``177101`` ...; ``None`` when the value is not shaped like one."""
    if value is None or (isinstance(value, float) and not np.isfinite(value)):
        return None
    if isinstance(value, (int, np.integer)) or (isinstance(value, (float, np.floating)) and float(value).is_integer()):
        text = str(int(value))
    else:
        text = str(value).strip()
        if re.fullmatch(r"\d+\.0+", text):
            text = text.split(".")[0]
    if _DOTTED.match(text):
        return text
    if text.isdigit() and len(text) in (2, 4, 6, 10):
        return ".".join(p for p in (text[:2], text[2:4], text[4:6], text[6:]) if p)
    return None


def _level_of(code: str) -> str:
    return LEVEL_OF_DEPTH.get(code.count(".") + 1, "")


def detect_code_property(frame: pd.DataFrame, regions: pd.DataFrame | None = None) -> str | None:
    """The property whose values look like Kemendagri codes (in ``regions`` when given)."""
    known = set(regions["code"]) if regions is not None and len(regions) else None
    best: tuple[float, int, str] | None = None
    for column in frame.columns:
        if isinstance(frame[column].dtype, gpd.array.GeometryDtype):
            continue
        cells = frame[column].dropna()
        if cells.empty or cells.map(lambda v: isinstance(v, (bytes, dict, list))).any():
            continue
        codes = cells.map(normalize_region_code)
        share = codes.notna().mean()
        if known is not None:
            share = codes.isin(known).mean()
        if share < CODE_SHARE:
            continue
        preference = _CODE_NAMES.index(column.lower()) if column.lower() in _CODE_NAMES else len(_CODE_NAMES)
        candidate = (share, -preference, column)
        if best is None or candidate[:2] > best[:2]:
            best = candidate
    return None if best is None else best[2]


def _name_property(frame: pd.DataFrame, exclude: str | None) -> str | None:
    lower = {str(c).lower(): c for c in frame.columns if c != exclude and c != "geometry"}
    for name in _NAME_NAMES:
        if name in lower and not pd.api.types.is_numeric_dtype(frame[lower[name]]):
            return lower[name]
    return None


# ---------------------------------------------------------------------- reading
def _read_zip(data: bytes, filename: str) -> tuple[gpd.GeoDataFrame | None, list[Problem]]:
    """A zipped shapefile: directory checked first, then only the shapefile's parts extracted."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return None, [
            _problem(
                f"Berkas '{filename}' bukan arsip ZIP yang utuh",
                f"'{filename}' is not a complete ZIP archive",
                "damaged",
            )
        ]
    total = sum(i.file_size for i in infos)
    bomb = len(infos) > MAX_ZIP_ENTRIES or total > MAX_UNCOMPRESSED_MB << 20
    bomb = bomb or any(i.file_size > 1 << 20 and i.compress_size < MIN_INFLATE_RATIO * i.file_size for i in infos)
    if bomb:
        return None, [
            _problem(
                f"Arsip ZIP terlalu besar setelah diekstrak ({total / (1 << 20):,.0f} MB, {len(infos)} berkas): "
                "ditolak",
                f"The ZIP archive expands too much ({total / (1 << 20):,.0f} MB, {len(infos)} files): refused",
                "zip_bomb",
            )
        ]
    shps = [i for i in infos if PurePosixPath(i.filename).suffix.lower() == ".shp" and not i.is_dir()]
    shps = [i for i in shps if "__MACOSX" not in i.filename]
    if not shps:
        return None, [
            _problem(
                "Arsip ZIP tidak berisi shapefile (.shp)",
                "The ZIP archive holds no shapefile (.shp)",
                "no_shapefile",
                suggestion="Sertakan .shp, .shx, .dbf dan .prj / Include .shp, .shx, .dbf and .prj",
            )
        ]
    problems = []
    chosen = shps[0]
    if len(shps) > 1:
        problems.append(
            _problem(
                f"Arsip berisi {len(shps)} shapefile; yang dibaca: {chosen.filename}",
                f"The archive holds {len(shps)} shapefiles; read: {chosen.filename}",
                "several_shapefiles",
                "warning",
            )
        )
    stem = str(PurePosixPath(chosen.filename).with_suffix(""))
    parts = {
        PurePosixPath(i.filename).suffix.lower(): i
        for i in infos
        if str(PurePosixPath(i.filename).with_suffix("")) == stem
        and PurePosixPath(i.filename).suffix.lower() in _SHP_PARTS
    }
    missing = [ext for ext in (".shx", ".dbf") if ext not in parts]
    if missing:
        return None, [
            _problem(
                f"Shapefile tidak lengkap: bagian {', '.join(missing)} tidak ada di arsip",
                f"Incomplete shapefile: part(s) {', '.join(missing)} missing from the archive",
                "incomplete_shapefile",
            )
        ]
    if ".prj" not in parts:
        problems.append(
            _problem(
                "Shapefile tanpa .prj (sistem koordinat tidak diketahui)",
                "Shapefile without .prj (coordinate system unknown)",
                "no_prj",
                "warning",
            )
        )
    with tempfile.TemporaryDirectory(prefix="dasbor-shp-") as tmp:
        for ext, info in parts.items():  # fixed local names: no path from the archive is used
            with archive.open(info) as src, open(Path(tmp) / f"layer{ext}", "wb") as dst:
                dst.write(src.read(MAX_UNCOMPRESSED_MB << 20))
        frame = pyogrio.read_dataframe(Path(tmp) / "layer.shp")
    return frame, problems


def _read_any(
    data: bytes | str | Path, filename: str, layer: str | None
) -> tuple[gpd.GeoDataFrame | None, list[Problem]]:
    ext = Path(filename).suffix.lower()
    kind = FORMATS.get(ext)
    if kind is None:
        return None, [
            _problem(
                f"Jenis berkas '{ext or '(tanpa ekstensi)'}' tidak didukung untuk batas wilayah "
                "(didukung: .geojson, .json, .gpkg, .zip berisi shapefile)",
                f"File type '{ext or '(no extension)'}' is not supported for boundaries "
                "(supported: .geojson, .json, .gpkg, .zip holding a shapefile)",
                "unsupported_extension",
            )
        ]
    if isinstance(data, (str, Path)):
        path = Path(data)
        if kind == "shapefile":
            return pyogrio.read_dataframe(path, layer=layer), []
        data = path.read_bytes()
    elif kind == "shapefile":
        return None, [
            _problem(
                "Shapefile harus diunggah sebagai .zip (bersama .shx, .dbf, .prj)",
                "Upload a shapefile as a .zip (with its .shx, .dbf, .prj)",
                "bare_shapefile",
            )
        ]
    if not data:
        return None, [_problem("Berkas kosong (0 bita)", "The file is empty (0 bytes)", "empty_file")]
    if len(data) > settings.MAX_UPLOAD_MB << 20:
        return None, [
            _problem(
                f"Berkas terlalu besar (batas {settings.MAX_UPLOAD_MB} MB)",
                f"The file is too large (limit {settings.MAX_UPLOAD_MB} MB)",
                "too_large",
            )
        ]
    if kind == "shapefile-zip":
        return _read_zip(data, filename)
    problems: list[Problem] = []
    if kind == "gpkg" and layer is None:
        layers = pyogrio.list_layers(io.BytesIO(data))
        polygonal = [str(n) for n, g in layers if g and "polygon" in str(g).lower()]
        if polygonal:
            layer = polygonal[0]
            if len(layers) > 1:
                problems.append(
                    _problem(
                        f"GeoPackage berisi {len(layers)} lapisan; yang dibaca: '{layer}'",
                        f"The GeoPackage holds {len(layers)} layers; read: '{layer}'",
                        "several_layers",
                        "info",
                    )
                )
    return pyogrio.read_dataframe(io.BytesIO(data), layer=layer), problems


def _polygonal(geom):
    """Only the polygon parts of a geometry (make_valid may return a collection with lines)."""
    if geom is None or geom.is_empty:
        return None
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [p for p in shapely.get_parts(geom) if p.geom_type in ("Polygon", "MultiPolygon")]
    if not parts:
        return None
    return shapely.union_all(parts)


def read_boundaries(
    data: bytes | str | Path,
    filename: str,
    *,
    code_property: str | None = None,
    level: str | None = None,
    regions: pd.DataFrame | None = None,
    layer: str | None = None,
) -> tuple[gpd.GeoDataFrame, list[Problem]]:
    """Polygons with Kemendagri codes from a boundary file, and every problem found.

    ``code_property`` names the property holding region codes (auto-detected otherwise: the one
    whose values look like codes, preferring ``kode``/``code``). With ``regions`` (a gazetteer
    frame) codes must be in it, and a name property can serve as the code property (matched like
    spreadsheet cells: "Kel. Sumur Meleleh" ...). ``level`` forces the level; by default it follows
    from each code's depth. Features without a usable code are left out and reported as errors:
    save the result only when there is no error.
    """
    try:
        with warnings.catch_warnings():  # GDAL's notes (e.g. "non conformant file extension" of /vsimem/)
            warnings.simplefilter("ignore", RuntimeWarning)
            raw, problems = _read_any(data, filename, layer)
    except Exception as exc:  # GDAL says why: truncated JSON, not a GeoPackage ...
        detail = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        return _empty(), [
            _problem(
                f"Berkas batas wilayah '{filename}' tidak dapat dibaca ({detail})",
                f"The boundary file '{filename}' cannot be read ({detail})",
                "unreadable",
                suggestion="Simpan ulang sebagai GeoJSON atau GeoPackage / Save it again as GeoJSON or GeoPackage",
            )
        ]
    if raw is None:
        return _empty(), problems
    if raw.empty:
        problems.append(_problem("Berkas tidak berisi fitur", "The file holds no features", "no_features"))
        return _empty(), problems

    # --- CRS -> EPSG:4326
    if raw.crs is None:
        minx, miny, maxx, maxy = raw.total_bounds
        if -180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90:
            problems.append(
                _problem(
                    "Sistem koordinat tidak dinyatakan; dianggap bujur/lintang WGS84 (EPSG:4326)",
                    "No coordinate system given; assumed WGS84 longitude/latitude (EPSG:4326)",
                    "crs_assumed",
                    "warning",
                )
            )
            raw = raw.set_crs(4326)
        else:
            problems.append(
                _problem(
                    "Sistem koordinat tidak dinyatakan dan koordinat bukan bujur/lintang: tidak dapat diproyeksikan",
                    "No coordinate system given and the coordinates are not longitude/latitude: cannot reproject",
                    "crs_missing",
                    suggestion="Sertakan berkas .prj atau simpan sebagai GeoPackage / Include the .prj or save as GPKG",
                )
            )
            return _empty(), problems
    elif raw.crs.to_epsg() != 4326:
        source_crs = raw.crs.to_string()
        raw = raw.to_crs(4326)
        problems.append(
            _problem(
                f"Koordinat diproyeksikan dari {source_crs} ke EPSG:4326",
                f"Coordinates reprojected from {source_crs} to EPSG:4326",
                "reprojected",
                "info",
            )
        )

    # --- which property holds the codes
    properties = [c for c in raw.columns if c != raw.geometry.name]
    if code_property is not None and code_property not in properties:
        problems.append(
            _problem(
                f"Properti '{code_property}' tidak ada (ada: {', '.join(map(str, properties)) or '-'})",
                f"Property '{code_property}' does not exist (found: {', '.join(map(str, properties)) or '-'})",
                "no_code_property",
                column=code_property,
            )
        )
        return _empty(), problems
    prop = code_property or detect_code_property(raw.drop(columns=raw.geometry.name), regions)
    matcher = None
    if prop is None and regions is not None:
        name_prop = _name_property(raw, None)
        if name_prop is not None:
            from loaders.regions import RegionMatcher

            matcher = RegionMatcher(regions)
            share = np.mean([matcher.match(v).ok for v in raw[name_prop]])
            if share >= CODE_SHARE:
                prop = name_prop
            else:
                matcher = None
    if prop is None:
        problems.append(
            _problem(
                "Tidak ada properti yang berisi kode wilayah Kemendagri "
                f"(properti: {', '.join(map(str, properties)) or '-'})",
                f"No property holds Kemendagri region codes (properties: {', '.join(map(str, properties)) or '-'})",
                "no_code_property",
                suggestion="Pilih properti kode secara manual / Choose the code property explicitly",
            )
        )
        return _empty(), problems
    if regions is not None and matcher is None and code_property is not None:
        from loaders.regions import RegionMatcher

        matcher = RegionMatcher(regions)
    known = set(regions["code"]) if regions is not None else None
    name_prop = _name_property(raw, prop)
    gazetteer_names = dict(zip(regions["code"], regions["name"], strict=True)) if regions is not None else {}

    # --- feature by feature
    rows: list[dict[str, Any]] = []
    repaired: list[int] = []
    for index, (value, geom) in enumerate(zip(raw[prop], raw.geometry, strict=True)):
        number = index + 1
        shown = "" if value is None or (isinstance(value, float) and np.isnan(value)) else str(value)
        code = normalize_region_code(value)
        if matcher is not None and (code is None or (known is not None and code not in known)):
            hit = matcher.match(value)
            code = hit.code if hit.ok else None
        if code is None or (known is not None and code not in known):
            outside = code is not None
            problems.append(
                _problem(
                    f"Fitur ke-{number}: '{shown}' bukan kode wilayah "
                    + ("dalam cakupan" if outside else "Kemendagri yang dikenal"),
                    f"Feature {number}: '{shown}' is not a "
                    + ("region code in scope" if outside else "known Kemendagri code"),
                    "unknown_region",
                    row=number,
                    column=str(prop),
                    code=code,
                )
            )
            continue
        if geom is None or geom.is_empty:
            problems.append(
                _problem(
                    f"Fitur ke-{number} ({code}) tidak punya geometri",
                    f"Feature {number} ({code}) has no geometry",
                    "empty_geometry",
                    row=number,
                    column="geometry",
                    code=code,
                )
            )
            continue
        if not geom.is_valid:
            geom = shapely.make_valid(geom)
            repaired.append(number)
        polygon = _polygonal(geom)
        if polygon is None:
            problems.append(
                _problem(
                    f"Fitur ke-{number} ({code}) bukan poligon ({geom.geom_type})",
                    f"Feature {number} ({code}) is not a polygon ({geom.geom_type})",
                    "not_polygon",
                    row=number,
                    column="geometry",
                    code=code,
                )
            )
            continue
        name = raw[name_prop].iloc[index] if name_prop is not None else None
        name = "" if name is None or (isinstance(name, float) and np.isnan(name)) else str(name).strip()
        rows.append({"code": code, "name": name or gazetteer_names.get(code, ""), "geometry": polygon, "_n": number})
    for number in repaired:
        problems.append(
            _problem(
                f"Geometri fitur ke-{number} tidak valid (mis. garis bersilangan) dan telah diperbaiki",
                f"Feature {number} had invalid geometry (e.g. a self-intersection) and was repaired",
                "geometry_repaired",
                "warning",
                row=number,
                column="geometry",
            )
        )
    if not rows:
        return _empty(), problems

    frame = gpd.GeoDataFrame(pd.DataFrame(rows), geometry="geometry", crs="EPSG:4326")
    # the same code in several features (islands drawn separately): one region, parts merged
    repeated = frame["code"].duplicated(keep=False)
    if repeated.any():
        for code, group in frame.loc[repeated].groupby("code"):
            problems.append(
                _problem(
                    f"Kode {code} muncul di {len(group)} fitur ({', '.join(map(str, group['_n']))}); digabung",
                    f"Code {code} appears in {len(group)} features ({', '.join(map(str, group['_n']))}); merged",
                    "merged_parts",
                    "info",
                    code=code,
                )
            )
        frame = frame.dissolve(by="code", as_index=False, aggfunc={"name": "first", "_n": "first"})
    frame["level"] = level if level else frame["code"].map(_level_of)
    frame = frame.sort_values("code", kind="stable").reset_index(drop=True)

    if regions is not None:
        for lvl in sorted(set(frame["level"])):
            expected = set(regions.loc[regions["level"] == lvl, "code"])
            absent = sorted(expected - set(frame["code"]))
            if absent and expected:
                problems.append(
                    _problem(
                        f"{len(absent)} wilayah tingkat {lvl} tanpa poligon: {', '.join(absent[:10])}"
                        + (" ..." if len(absent) > 10 else ""),
                        f"{len(absent)} {lvl}-level regions have no polygon: {', '.join(absent[:10])}"
                        + (" ..." if len(absent) > 10 else ""),
                        "missing_regions",
                        "warning",
                    )
                )
    return gpd.GeoDataFrame(frame[_COLUMNS], geometry="geometry", crs="EPSG:4326"), problems


# ---------------------------------------------------------------------- levels
def complete_levels(gdf: gpd.GeoDataFrame, regions: pd.DataFrame | None = None) -> gpd.GeoDataFrame:
    """Add the kecamatan and kota polygons that are missing, dissolved from the level below.

    Kelurahan ``17.71.01.1001`` belongs to kecamatan ``17.71.01`` (its first 8 characters), which
    belongs to kota ``17.71``. Levels already present are kept as they are. Names come from
    ``regions`` when given, else from the gazetteer.
    """
    frame = gdf[_COLUMNS].copy() if "level" in gdf.columns else gdf.assign(level=gdf["code"].map(_level_of))[_COLUMNS]
    names = dict(zip(regions["code"], regions["name"], strict=True)) if regions is not None else {}
    have = set(frame["code"])
    for child, parent_level in (("kelurahan", "kecamatan"), ("kecamatan", "kota")):
        below = frame.loc[frame["level"] == child, ["code", "geometry"]].copy()
        if below.empty:
            continue
        below["code"] = below["code"].str.rsplit(".", n=1).str[0]
        below = below.loc[~below["code"].isin(have)]
        if below.empty:
            continue
        made = below.dissolve(by="code", as_index=False)
        made["geometry"] = [_polygonal(shapely.make_valid(g)) for g in made.geometry]
        made["level"] = parent_level
        made["name"] = [names.get(c) or _gazetteer_name(c) for c in made["code"]]
        frame = pd.concat([frame, made[_COLUMNS]], ignore_index=True)
        have |= set(made["code"])
    frame = frame.sort_values("code", kind="stable").reset_index(drop=True)
    return gpd.GeoDataFrame(frame, geometry="geometry", crs=gdf.crs or "EPSG:4326")


def _gazetteer_name(code: str) -> str:
    try:
        from loaders.gazetteer import region

        found = region(code)
    except Exception:  # the gazetteer is optional here: a missing name is not an error
        return ""
    return found["name"] if found else ""


# ---------------------------------------------------------------------- display
def display_copy(
    gdf: gpd.GeoDataFrame,
    tolerance: float = 0.0002,
    *,
    columns: list[str] | None = None,
    precision: float | None = 1e-5,
    exterior_cw: bool = True,
) -> gpd.GeoDataFrame:
    """A light copy for the browser; the stored geometry is never touched.

    Each level is simplified as a coverage (``GeoSeries.simplify_coverage``: a border shared by two
    regions is simplified once, so they never gap or overlap), coordinates are rounded to
    ``precision`` degrees (1e-5 is about 1 m), and only ``code`` plus ``columns`` (default: ``name``
    and ``level`` when present) are kept. Exterior rings are clockwise when ``exterior_cw``: plotly's
    SVG ``choropleth`` (d3-geo) draws counter-clockwise exteriors (RFC 7946 GeoJSON) as the whole
    globe minus the region; MapLibre traces do not care.
    """
    keep = ["code", *(c for c in (columns if columns is not None else ["name", "level"]) if c in gdf.columns)]
    out = gdf[[*keep, gdf.geometry.name]].copy()
    if out.crs is not None and out.crs.to_epsg() != 4326:
        out = out.to_crs(4326)
    groups = out.groupby("level", sort=False).groups.values() if "level" in out.columns else [out.index]
    geometry = out.geometry.copy()
    for index in groups:
        part = out.geometry.loc[index]
        try:
            geometry.loc[index] = part.simplify_coverage(tolerance).to_numpy()
        except Exception:  # not a clean coverage (overlaps): simplify each polygon on its own
            geometry.loc[index] = part.simplify(tolerance, preserve_topology=True).to_numpy()
    values = geometry.to_numpy()
    if precision:
        values = shapely.set_precision(values, precision)
    if exterior_cw:
        values = shapely.orient_polygons(values, exterior_cw=True)
    out = out.set_geometry(gpd.GeoSeries(values, index=out.index, crs=out.crs))
    out = out.loc[~out.geometry.is_empty & out.geometry.notna()]
    return out.rename_geometry("geometry") if out.geometry.name != "geometry" else out
