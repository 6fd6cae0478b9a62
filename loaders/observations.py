"""Field-observation sheets: one row per observed asset (street light, CCTV, stop ...) with lat/lon.

Reading follows the schema in ``reference/smart-city-framework.md``. Coordinates may be numbers,
comma decimals or DMS (:mod:`loaders.coords`). Against the boundaries' extent, a point whose lat and
lon are swapped, or whose latitude lost its minus sign (surveyors south of the equator often drop
it), is corrected with a warning when only the corrected point falls inside; any other point
outside the boundaries is reported and not counted. A spatial join (geopandas) gives each point its
kelurahan and kecamatan; a kelurahan written in the sheet that disagrees is reported (the
coordinates win), and a point without coordinates is placed by that kelurahan when given.

The points become indicator values through :mod:`loaders.rules` (rules stored as data).
"""

from __future__ import annotations

import math
from functools import lru_cache
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

import settings
from indicators.catalog import Catalog
from loaders.coords import parse_coordinate, split_pair
from loaders.headers import clean_header
from loaders.problemlog import ProblemLog
from loaders.regions import RegionMatcher, level_hint_of_header, norm_name
from loaders.tables import Table, years_in
from loaders.values import MIN_YEAR, _cells, max_year

__all__ = [
    "ASSET_TYPES",
    "OBSERVATION_COLUMNS",
    "default_boundaries",
    "normalize_status",
    "observations_from_tables",
    "prepare_boundaries",
]

ASSET_TYPES = (
    "PJU",
    "CCTV",
    "WIFI",
    "TPS",
    "DRAINASE",
    "HALTE",
    "TROTOAR",
    "SIMPANG",
    "RTH",
    "DESTINASI",
    "MERCHANT",
    "SEKOLAH",
    "AQ_SENSOR",
    "SIGNAGE",
)
_ASSET_ALIASES = {
    "lampu jalan": "PJU",
    "penerangan jalan umum": "PJU",
    "lampu pju": "PJU",
    "street light": "PJU",
    "streetlight": "PJU",
    "wi fi": "WIFI",
    "wifi publik": "WIFI",
    "hotspot": "WIFI",
    "tempat sampah": "TPS",
    "tong sampah": "TPS",
    "halte bus": "HALTE",
    "bus stop": "HALTE",
    "sensor udara": "AQ_SENSOR",
    "aq sensor": "AQ_SENSOR",
    "sensor kualitas udara": "AQ_SENSOR",
    "papan nama": "SIGNAGE",
    "rambu": "SIGNAGE",
    "simpang bersinyal": "SIMPANG",
    "taman": "RTH",
    "ruang terbuka hijau": "RTH",
    "sekolah": "SEKOLAH",
    "pedagang": "MERCHANT",
    "umkm": "MERCHANT",
    "objek wisata": "DESTINASI",
    "destinasi wisata": "DESTINASI",
}
KNOWN_STATUS = ("berfungsi", "tidak berfungsi", "tidak ditemukan")

#: Columns of the observations frame handed to the store (other schema columns follow, as read).
OBSERVATION_COLUMNS = [
    "obs_id",
    "asset_type",
    "lat",
    "lon",
    "region",
    "kecamatan",
    "status",
    "condition",
    "obs_datetime",
    "year",
    "surveyor",
    "notes",
    "photo_url",
    "counted",
    "sheet",
    "row",
]
_EXTRA_NAMES = {
    "surveyor": "surveyor",
    "petugas": "surveyor",
    "enumerator": "surveyor",
    "pencatat": "surveyor",
    "photo url": "photo_url",
    "foto": "photo_url",
    "url foto": "photo_url",
    "link foto": "photo_url",
    "photo": "photo_url",
}
_MARGIN_DEG = 0.01


def normalize_status(value: Any) -> str:
    """Status/flag text compared regardless of case, spacing and punctuation ("Tidak  Berfungsi.")."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return norm_name(value)


def _asset(value: Any) -> str:
    key = norm_name(value)
    if not key:
        return ""
    upper = key.upper().replace(" ", "_")
    if upper in ASSET_TYPES:
        return upper
    return _ASSET_ALIASES.get(key, upper)


# --------------------------------------------------------------------- boundaries
def default_boundaries(regions: pd.DataFrame | None = None) -> gpd.GeoDataFrame | None:
    """The configured boundary file (``settings.BOUNDARIES_PATH``) as ``code, level, geometry``.

    Read once per file version (path, size, mtime); callers get a copy.
    """
    path = settings.BOUNDARIES_PATH
    if not path.exists():
        return None
    stat = path.stat()
    return _read_default(str(path), stat.st_size, stat.st_mtime_ns).copy()


@lru_cache(maxsize=4)
def _read_default(path: str, _size: int, _mtime: int) -> gpd.GeoDataFrame:
    try:
        from loaders.boundaries import read_boundaries

        out = read_boundaries(Path(path).read_bytes(), Path(path).name)
        gdf = out[0] if isinstance(out, tuple) else out
    except Exception:  # fall back to a plain read (the boundaries module may change shape)
        gdf = gpd.read_file(path)
    return prepare_boundaries(gdf)


def prepare_boundaries(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """``code, level, geometry`` in EPSG:4326 from a frame with ``code`` (or ``kode``)."""
    frame = gdf.copy()
    if "code" not in frame.columns and "kode" in frame.columns:
        frame = frame.rename(columns={"kode": "code"})
    frame["code"] = frame["code"].astype(str)
    if "level" not in frame.columns:
        depth = frame["code"].str.count(r"\.") + 1
        frame["level"] = depth.map({1: "provinsi", 2: "kota", 3: "kecamatan", 4: "kelurahan"})
    if frame.crs is None:
        frame = frame.set_crs("EPSG:4326")
    elif frame.crs.to_epsg() != 4326:
        frame = frame.to_crs("EPSG:4326")
    return frame[["code", "level", "geometry"]].reset_index(drop=True)


def _finest(boundaries: gpd.GeoDataFrame, matcher: RegionMatcher) -> gpd.GeoDataFrame:
    inside = boundaries.loc[boundaries["code"].isin(matcher.codes)]
    for level in ("kelurahan", "kecamatan", "kota"):
        layer = inside.loc[inside["level"] == level]
        if len(layer):
            return layer.reset_index(drop=True)
    return inside.iloc[0:0]


# --------------------------------------------------------------------- reading
def _column_map(table: Table) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for c in table.columns:
        role = c.role
        if role == "region":
            level = level_hint_of_header(c.lowest)
            role = {"kecamatan": "kecamatan_cell", "kelurahan": "kelurahan_cell"}.get(level or "", "kelurahan_cell")
        if role:
            out.setdefault(role, []).append(c.index)
    return out


def _attr_name(header: str) -> str:
    key = norm_name(header)
    return _EXTRA_NAMES.get(key, key.replace(" ", "_") or "kolom")


def _parse_dates(cells: list[Any]) -> tuple[pd.Series, list[bool]]:
    """Timestamps (NaT where absent) and, per cell, whether a non-empty cell failed to parse."""
    series = pd.Series(cells, dtype=object)
    is_text = series.map(lambda v: isinstance(v, str))
    out = pd.to_datetime(series.where(~is_text), errors="coerce")
    text = series.where(is_text).fillna("").astype(str).str.strip()
    todo = text != ""
    if todo.any():
        iso = pd.to_datetime(text.where(todo), format="ISO8601", errors="coerce")
        rest = todo & iso.isna()
        if rest.any():
            dayfirst = pd.to_datetime(text.where(rest), dayfirst=True, format="mixed", errors="coerce")
            iso = iso.fillna(dayfirst)
        out = out.fillna(iso)
    bad = (todo & out.isna()).tolist()
    return out, bad


def observations_from_tables(
    tables: list[Table],
    catalog: Catalog,
    matcher: RegionMatcher,
    log: ProblemLog,
    *,
    year: int | None = None,
    boundaries: gpd.GeoDataFrame | None = None,
    values: pd.DataFrame | None = None,
    rules: pd.DataFrame | None = None,
    filename: str = "",
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(observations, records)`` from observation sheets; problems go to ``log``."""
    from loaders.rules import compute_observation_values, read_rules

    if boundaries is None:
        boundaries = default_boundaries(matcher.regions)
    layer = None
    if boundaries is not None:
        layer = _finest(prepare_boundaries(boundaries), matcher)
    if layer is None or layer.empty:
        log.add(
            "Batas wilayah untuk cakupan ini belum ada; titik hanya dapat ditempatkan menurut kolom kelurahan",
            "No boundaries for this scope; points can only be placed by their kelurahan column",
            rule="no_boundaries",
            severity="warning",
        )
        layer = None
    frames = [_read_observation_table(t, matcher, log, year, layer) for t in tables]
    obs = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=OBSERVATION_COLUMNS)
    _check_obs_ids(obs, log)
    rules = read_rules() if rules is None else rules
    source = f"observasi lapangan: {filename}" if filename else "observasi lapangan"
    records = compute_observation_values(
        obs, rules, catalog, matcher, layer, values, log, source=source, sheet=tables[0].sheet.name if tables else ""
    )
    return obs, records


def _read_observation_table(
    table: Table, matcher: RegionMatcher, log: ProblemLog, year: int | None, layer: gpd.GeoDataFrame | None
) -> pd.DataFrame:
    sheet = table.sheet
    rows = table.data_rows
    cols = _column_map(table)
    n = len(rows)

    def cells(j: int) -> list[Any]:
        return _cells(table, rows, j)

    def mapped(j: int, func) -> list[Any]:
        """``func`` of every cell of column ``j``, computed once per distinct cell value."""
        values = cells(j)
        memo = {v: func(v) for v in set(values)}
        return [memo[v] for v in values]

    def where(i: int, j: int) -> dict[str, Any]:
        return {
            "sheet": sheet.name,
            "row": sheet.excel_row(rows[i]),
            "column": table.columns[j].label,
            "cell": sheet.ref(rows[i], j),
        }

    # --- coordinates
    lat = np.full(n, np.nan)
    lon = np.full(n, np.nan)
    bad_coord = np.zeros(n, dtype=bool)
    lat_j = cols.get("lat", [None])[0]
    lon_j = cols.get("lon", [None])[0]
    if lat_j is not None and lon_j is not None:
        for arr, j in ((lat, lat_j), (lon, lon_j)):
            cache: dict[Any, float | None] = {}
            for i, v in enumerate(cells(j)):
                if type(v) is float:  # numbers from the workbook: the common case
                    arr[i] = v
                    continue
                try:
                    hit = cache[v] if v in cache else cache.setdefault(v, parse_coordinate(v))
                except TypeError:
                    hit = parse_coordinate(v)
                if hit is None:
                    bad_coord[i] = True
                    log.add(
                        f"'{clean_header(v)}' bukan koordinat (contoh: -3.7956, -3,7956 atau 3°47'44\"S)",
                        f"'{clean_header(v)}' is not a coordinate (e.g. -3.7956, -3,7956 or 3°47'44\"S)",
                        rule="bad_coordinate",
                        **where(i, j),
                    )
                else:
                    arr[i] = hit
    elif "coords" in cols:
        j = cols["coords"][0]
        for i, v in enumerate(cells(j)):
            if not clean_header(v):
                continue
            pair = split_pair(v)
            a = parse_coordinate(pair[0]) if pair else None
            b = parse_coordinate(pair[1]) if pair else None
            if a is None or b is None:
                bad_coord[i] = True
                log.add(
                    f"'{clean_header(v)}' bukan pasangan koordinat 'lat, lon'",
                    f"'{clean_header(v)}' is not a 'lat, lon' coordinate pair",
                    rule="bad_coordinate",
                    **where(i, j),
                )
            else:
                lat[i], lon[i] = a, b
    coord_j = lat_j if lat_j is not None else cols.get("coords", [0])[0]

    # --- impossible ranges (before swap detection: lat 102 is a swapped lon, not a lost point)
    has = ~np.isnan(lat) & ~np.isnan(lon)
    swapped = np.zeros(n, dtype=bool)
    flipped = np.zeros(n, dtype=bool)
    outside = np.zeros(n, dtype=bool)
    if layer is not None:
        minx, miny, maxx, maxy = layer.total_bounds
        minx, miny, maxx, maxy = minx - _MARGIN_DEG, miny - _MARGIN_DEG, maxx + _MARGIN_DEG, maxy + _MARGIN_DEG

        def inside(x: np.ndarray, y: np.ndarray) -> np.ndarray:
            return (x >= minx) & (x <= maxx) & (y >= miny) & (y <= maxy)

        ok_box = has & inside(lon, lat)
        swap_box = has & ~ok_box & inside(lat, lon)
        flip_box = has & ~ok_box & ~swap_box & inside(lon, -lat)
        both_box = has & ~ok_box & ~swap_box & ~flip_box & inside(lat, -lon)
        swapped = swap_box | both_box
        flipped = flip_box | both_box
        lat2 = np.where(swap_box, lon, np.where(flip_box, -lat, np.where(both_box, -lon, lat)))
        lon2 = np.where(swap_box, lat, np.where(both_box, lat, lon))
        lat, lon = lat2, lon2
        _report_fixes(swapped, "swapped", table, rows, coord_j, log)
        _report_fixes(flipped & ~swapped, "flipped", table, rows, coord_j, log)
    bad_range = has & ((np.abs(lat) > 90) | (np.abs(lon) > 180))
    for i in np.flatnonzero(bad_range):
        log.add(
            f"Koordinat di luar rentang (lat {lat[i]:g}, lon {lon[i]:g})",
            f"Coordinates out of range (lat {lat[i]:g}, lon {lon[i]:g})",
            rule="bad_coordinate",
            **where(int(i), coord_j),
        )
    has &= ~bad_range

    # --- kelurahan written in the sheet (breaks ties where polygons overlap; places points without coordinates)
    kel_j = cols.get("kelurahan_cell", [None])[0]
    written = np.full(n, None, dtype=object)
    if kel_j is not None:
        for i, v in enumerate(cells(kel_j)):
            if clean_header(v):
                m = matcher.match(v, "kelurahan")
                written[i] = m.code if m.ok else None

    # --- spatial join
    region = np.full(n, None, dtype=object)
    if layer is not None and has.any():
        idx = np.flatnonzero(has)
        points = gpd.GeoDataFrame({"i": idx}, geometry=gpd.points_from_xy(lon[idx], lat[idx]), crs="EPSG:4326")
        joined = gpd.sjoin(points, layer[["code", "geometry"]], how="inner", predicate="intersects")
        hits_i = joined["i"].to_numpy()
        hits_code = joined["code"].to_numpy(dtype=object)
        first = ~pd.Series(hits_i).duplicated(keep="first").to_numpy()
        region[hits_i[first]] = hits_code[first]
        several = pd.Series(hits_i).duplicated(keep=False).to_numpy()
        for i, code in zip(hits_i[several], hits_code[several], strict=True):
            if written[i] is not None and (code == written[i] or str(code).startswith(str(written[i]) + ".")):
                region[i] = code  # on a shared border or an overlap: the kelurahan the surveyor wrote
        outside = has & pd.isna(region)
        _report_outside(outside, lat, lon, table, rows, coord_j, log)

    if kel_j is not None:
        hint = "kelurahan"
        for i, v in enumerate(cells(kel_j)):
            if not clean_header(v):
                continue
            m = matcher.match(v, hint)
            if not m.ok:
                if region[i] is None and not has[i]:
                    log.add(
                        *(m.message or (f"Wilayah '{v}' tidak dikenal", f"Unknown region '{v}'")),
                        rule="unknown_region",
                        suggestion=m.suggestion,
                        **where(i, kel_j),
                    )
                continue
            if region[i] is None and not has[i] and not bad_coord[i]:
                region[i] = m.code
                log.add(
                    f"Titik tanpa koordinat ditempatkan menurut kelurahannya ({matcher.label(m.code)})",
                    f"Point without coordinates placed by its kelurahan ({matcher.label(m.code, 'en')})",
                    rule="placed_by_name",
                    severity="warning",
                    **where(i, kel_j),
                )
            elif region[i] is not None and m.code != region[i] and not str(region[i]).startswith(m.code + "."):
                log.add(
                    f"Koordinat berada di {matcher.label(region[i])}, tetapi tertulis {matcher.label(m.code)}; "
                    "dipakai koordinatnya",
                    f"The coordinates lie in {matcher.label(region[i], 'en')} but the sheet says "
                    f"{matcher.label(m.code, 'en')}; the coordinates are used",
                    rule="region_mismatch",
                    severity="warning",
                    **where(i, kel_j),
                )
    missing_place = ~has & ~bad_coord & pd.isna(region)
    for i in np.flatnonzero(missing_place):
        log.add(
            "Titik tanpa koordinat dan tanpa kelurahan",
            "Point without coordinates and without a kelurahan",
            rule="missing_coordinate",
            **where(int(i), coord_j),
        )

    # --- asset type, status, dates
    asset = np.full(n, "", dtype=object)
    if "asset_type" in cols:
        j = cols["asset_type"][0]
        raw = cells(j)
        asset = np.asarray(mapped(j, _asset), dtype=object)
        unknown: dict[str, list[int]] = {}
        for i, a in enumerate(asset):
            if not a:
                log.add("Jenis aset kosong", "Asset type is empty", rule="missing_asset_type", **where(i, j))
            elif a not in ASSET_TYPES:
                unknown.setdefault(clean_header(raw[i]), []).append(i)
        for text, idx in unknown.items():
            log.add(
                f"Jenis aset '{text}' tidak dikenal ({len(idx)} baris); tidak dipakai aturan mana pun. Dikenal: "
                + ", ".join(ASSET_TYPES),
                f"Unknown asset type '{text}' ({len(idx)} rows); no rule uses it. Known: " + ", ".join(ASSET_TYPES),
                rule="unknown_asset_type",
                severity="warning",
                **where(idx[0], j),
            )
    else:
        log.add(
            "Kolom asset_type (jenis aset) tidak ada",
            "Column asset_type is missing",
            rule="missing_column",
            sheet=sheet.name,
            row=sheet.excel_row(table.header_rows[0]),
        )
    status = np.full(n, "", dtype=object)
    if "status" in cols:
        j = cols["status"][0]
        raw = cells(j)
        status = np.asarray(mapped(j, normalize_status), dtype=object)
        odd: dict[str, list[int]] = {}
        for i, s in enumerate(status):
            if s and s not in KNOWN_STATUS:
                odd.setdefault(clean_header(raw[i]), []).append(i)
        for text, idx in odd.items():
            log.add(
                f"Status '{text}' di luar skema ({', '.join(KNOWN_STATUS)}); {len(idx)} baris dihitung tidak berhasil",
                f"Status '{text}' is outside the schema ({', '.join(KNOWN_STATUS)}); {len(idx)} rows count as "
                "not successful",
                rule="unknown_status",
                severity="warning",
                **where(idx[0], j),
            )
    years = np.full(n, year if year is not None else -1, dtype=np.int64)
    when = pd.Series(pd.NaT, index=range(n), dtype="datetime64[ns]")
    if "obs_date" in cols:
        j = cols["obs_date"][0]
        when, bad = _parse_dates(cells(j))
        for i in np.flatnonzero(bad):
            log.add(
                f"'{clean_header(cells(j)[i])}' bukan tanggal (contoh: 2024-03-05)",
                f"'{clean_header(cells(j)[i])}' is not a date (e.g. 2024-03-05)",
                rule="bad_date",
                severity="warning" if year is not None else "error",
                **where(int(i), j),
            )
        dated = when.notna().to_numpy()
        years = np.where(dated, when.dt.year.fillna(-1).to_numpy(dtype=np.int64), years)
    if (years < 0).any() and year is None:
        default = sorted(set(years_in(sheet.name)) | set(years_in(table.title)))
        if len(default) == 1:
            years = np.where(years < 0, default[0], years)
        else:
            log.add(
                "Tahun observasi tidak diketahui: isi kolom obs_datetime (tanggal) atau beri tahun saat mengunggah",
                "Observation year unknown: fill the obs_datetime (date) column or give the year on upload",
                rule="missing_year",
                sheet=sheet.name,
            )
    top = max_year()
    implausible = (years >= 0) & ((years < MIN_YEAR) | (years > top))
    if implausible.any():
        first = int(np.flatnonzero(implausible)[0])
        log.add(
            f"{int(implausible.sum())} titik bertahun tidak masuk akal (harus {MIN_YEAR}-{top})",
            f"{int(implausible.sum())} point(s) with an implausible year (must be {MIN_YEAR}-{top})",
            rule="implausible_year",
            **where(first, cols.get("obs_date", [coord_j])[0]),
        )
        years = np.where(implausible, -1, years)

    # --- the frame
    kec_of = {
        c: (matcher.parent_of.get(c, "") if c and matcher.level_of.get(c) == "kelurahan" else (c or ""))
        for c in set(region.tolist())
    }
    kec = np.asarray([kec_of[c] for c in region], dtype=object)
    out = pd.DataFrame(
        {
            "obs_id": mapped(cols["obs_id"][0], lambda v: clean_header(v) or None) if "obs_id" in cols else None,
            "asset_type": asset,
            "lat": np.where(has, lat, np.nan),
            "lon": np.where(has, lon, np.nan),
            "region": region,
            "kecamatan": np.where(kec == "", None, kec),
            "status": status,
            "condition": mapped(cols["condition"][0], normalize_status) if "condition" in cols else "",
            "obs_datetime": when.dt.strftime("%Y-%m-%dT%H:%M:%S").where(when.notna(), None).to_numpy(dtype=object),
            "year": years,
            "sheet": sheet.name,
            "row": [sheet.excel_row(r) for r in rows] if sheet.line_numbers else np.asarray(rows) + 1,
        }
    )
    if "note" in cols:
        out["notes"] = mapped(cols["note"][0], clean_header)
    known = {j for js in cols.values() for j in js}
    for c in table.columns:
        if c.index in known or not c.headers:
            continue
        name = _attr_name(c.lowest)
        if name in out.columns:
            continue
        out[name] = mapped(c.index, lambda v: None if (isinstance(v, str) and not v.strip()) else v)
    for name in ("surveyor", "notes", "photo_url"):
        if name not in out.columns:
            out[name] = None
    out["counted"] = (
        pd.notna(out["region"]).to_numpy() & (out["asset_type"] != "").to_numpy() & (out["year"] >= 0).to_numpy()
    )
    ordered = [c for c in OBSERVATION_COLUMNS if c in out.columns]
    return out[ordered + [c for c in out.columns if c not in ordered]]


def _report_fixes(mask: np.ndarray, kind: str, table: Table, rows: list[int], j: int, log: ProblemLog) -> None:
    idx = np.flatnonzero(mask)
    if not len(idx):
        return
    sheet = table.sheet
    if kind == "swapped":
        msg = (
            "lat dan lon tertukar; diperbaiki (titik yang ditukar jatuh di dalam batas wilayah)",
            "lat and lon swapped; corrected (the swapped point falls inside the boundaries)",
        )
    else:
        msg = (
            "Lintang tanpa tanda minus (LS); diperbaiki (titik dengan minus jatuh di dalam batas wilayah)",
            "Latitude lost its minus sign (south); corrected (the point with the minus falls inside the boundaries)",
        )
    rule = "coordinates_" + kind
    if len(idx) <= 20:
        for i in idx:
            log.add(
                *msg,
                rule=rule,
                severity="warning",
                sheet=sheet.name,
                row=sheet.excel_row(rows[i]),
                column=table.columns[j].label,
                cell=sheet.ref(rows[i], j),
            )
        return
    first = ", ".join(str(sheet.excel_row(rows[i])) for i in idx[:10])
    log.add(
        f"{msg[0]}: {len(idx)} baris (mis. baris {first})",
        f"{msg[1]}: {len(idx)} rows (e.g. rows {first})",
        rule=rule,
        severity="warning",
        sheet=sheet.name,
        row=sheet.excel_row(rows[idx[0]]),
        column=table.columns[j].label,
        cell=sheet.ref(rows[idx[0]], j),
    )


def _report_outside(mask, lat, lon, table: Table, rows: list[int], j: int, log: ProblemLog) -> None:
    sheet = table.sheet
    for i in np.flatnonzero(mask):
        log.add(
            f"Titik ({lat[i]:.5f}, {lon[i]:.5f}) di luar batas wilayah; tidak dihitung",
            f"Point ({lat[i]:.5f}, {lon[i]:.5f}) lies outside the boundaries; not counted",
            rule="point_outside",
            severity="warning",
            sheet=sheet.name,
            row=sheet.excel_row(rows[i]),
            column=table.columns[j].label,
            cell=sheet.ref(rows[i], j),
        )


def _check_obs_ids(obs: pd.DataFrame, log: ProblemLog) -> None:
    if "obs_id" not in obs or obs["obs_id"].isna().all():
        return
    ids = obs["obs_id"]
    dup = ids.notna() & ids.duplicated(keep="first")
    for i in np.flatnonzero(dup.to_numpy()):
        first = obs.loc[ids == ids.iloc[i]].iloc[0]
        log.add(
            f"obs_id '{ids.iloc[i]}' sudah dipakai di baris {first['row']}; titik ini tidak dihitung dua kali",
            f"obs_id '{ids.iloc[i]}' already used in row {first['row']}; the point is not counted twice",
            rule="duplicate_obs_id",
            severity="warning",
            sheet=obs["sheet"].iloc[i],
            row=int(obs["row"].iloc[i]),
        )
    obs.loc[dup, "counted"] = False
