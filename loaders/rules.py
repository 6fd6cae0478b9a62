"""Observation rules: how survey points become indicator values, stored as data.

``data/observation_rules.csv`` has one row per indicator:

- ``indicator``: catalog code (an indicator or a ``VAR-`` variable);
- ``asset_type``: the points it uses (PJU, WIFI, HALTE ...);
- ``kind``: ``share`` (percent of points meeting the conditions), ``score`` (mean of 100 x the share
  of conditions each point meets), ``mean`` (mean of a numeric column), ``count`` (points meeting
  the conditions), ``density_pop`` (per ``per`` residents; needs ``VAR-POP``), ``density_area`` (per
  km2; ``VAR-AREA`` or the polygon area), ``coverage_buffer`` (percent of the area - or, with
  ``basis = population``, of the people, taken as evenly spread in each kelurahan - within
  ``buffer_m`` metres of a point meeting the conditions);
- ``success_column`` / ``success_values``: conditions, ``;``-separated and aligned ("status;
  menyala_malam" with "berfungsi;y"); alternatives inside one condition with ``|``; ``!y`` means
  "not y"; ``>=10`` compares numbers. Text is compared regardless of case and spacing, and yes/no
  words (ya, Y, yes, 1, tidak, N ...) are one vocabulary;
- ``exclude_values``: statuses whose points are left out entirely (e.g. "tidak ditemukan": an
  attribute cannot be judged on an asset that was not found).

Every value carries ``n_observed`` (points behind it) so thin samples show; values are computed per
kelurahan, kecamatan and kota (pooled points, not averages of averages).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from indicators.catalog import Catalog
from loaders.problemlog import ProblemLog
from loaders.regions import RegionMatcher, norm_name
from loaders.values import RECORD_COLUMNS

__all__ = ["KINDS", "RULES_PATH", "THIN_SAMPLE", "Rule", "compute_observation_values", "read_rules"]

RULES_PATH = Path(__file__).resolve().parent.parent / "data" / "observation_rules.csv"
KINDS = ("share", "score", "mean", "count", "density_pop", "density_area", "coverage_buffer")
RULE_COLUMNS = [
    "indicator",
    "asset_type",
    "kind",
    "success_column",
    "success_values",
    "exclude_values",
    "per",
    "buffer_m",
    "basis",
    "description",
]
#: Fewer points than this behind a value is flagged as a thin sample.
THIN_SAMPLE = 5
_YES = {"y", "ya", "yes", "1", "true", "benar", "ada", "iya", "v", "ok"}
_NO = {"n", "no", "tidak", "0", "false", "salah", "tidak ada", "t", "tdk", "x"}
_CMP = re.compile(r"^(>=|<=|>|<|=)\s*(-?\d+(?:[.,]\d+)?)$")


def read_rules(path: str | Path = RULES_PATH) -> pd.DataFrame:
    """The rules table (all text; empty cells as "")."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    for col in RULE_COLUMNS:
        if col not in frame.columns:
            frame[col] = ""
    return frame[RULE_COLUMNS]


def _yes_no(text: str) -> str:
    if text in _YES:
        return "y"
    if text in _NO:
        return "n"
    return text


@dataclass(frozen=True)
class Condition:
    column: str
    accepted: tuple[str, ...]
    negate: bool = False
    compare: tuple[str, float] | None = None

    def test(self, frame: pd.DataFrame) -> np.ndarray:
        if self.column not in frame.columns:
            return np.zeros(len(frame), dtype=bool)
        raw = frame[self.column]
        if self.compare is not None:
            op, bound = self.compare
            nums = pd.to_numeric(raw.astype(str).str.replace(",", ".", regex=False), errors="coerce").to_numpy()
            with np.errstate(invalid="ignore"):
                result = {
                    ">=": nums >= bound,
                    "<=": nums <= bound,
                    ">": nums > bound,
                    "<": nums < bound,
                    "=": nums == bound,
                }[op]
            return np.asarray(result & ~np.isnan(nums), dtype=bool)
        values = raw.to_numpy(dtype=object).tolist()
        memo: dict = {}
        for v in set(values):
            if v is None or (isinstance(v, float) and math.isnan(v)):
                text = ""
            elif isinstance(v, float) and v.is_integer():
                text = str(int(v))
            else:
                text = norm_name(v)
            memo[v] = _yes_no(text) in self.accepted or text in self.accepted
        out = np.fromiter((memo[v] for v in values), dtype=bool, count=len(values))
        return ~out if self.negate else out


@dataclass(frozen=True)
class Rule:
    indicator: str
    asset_type: str
    kind: str
    conditions: tuple[Condition, ...]
    exclude: tuple[str, ...]
    per: float
    buffer_m: float
    basis: str
    description: str

    @property
    def columns(self) -> list[str]:
        return [c.column for c in self.conditions]


def _parse_rule(row: dict) -> Rule | str:
    kind = row["kind"].strip().lower()
    if kind not in KINDS:
        return f"kind '{row['kind']}' unknown ({', '.join(KINDS)})"
    columns = [c.strip() for c in row["success_column"].split(";") if c.strip()]
    values = [v.strip() for v in row["success_values"].split(";")] if row["success_values"].strip() else []
    conditions = []
    if kind == "mean":
        if len(columns) != 1:
            return "kind 'mean' needs one success_column (the measured column)"
    else:
        if len(values) != len(columns):
            return "success_column and success_values must have the same number of ';' parts"
        for col, spec in zip(columns, values, strict=True):
            negate = spec.startswith("!")
            spec = spec.lstrip("!").strip()
            m = _CMP.match(spec)
            if m:
                conditions.append(
                    Condition(
                        norm_name(col).replace(" ", "_"), (), negate, (m.group(1), float(m.group(2).replace(",", ".")))
                    )
                )
                continue
            accepted = tuple(_yes_no(norm_name(a)) for a in spec.split("|") if a.strip())
            conditions.append(Condition(norm_name(col).replace(" ", "_"), accepted, negate))
    if kind == "mean":
        conditions = [Condition(norm_name(columns[0]).replace(" ", "_"), ())]

    def num(text: str, default: float) -> float:
        try:
            return float(text.replace(",", ".")) if text.strip() else default
        except ValueError:
            return default

    return Rule(
        indicator=row["indicator"].strip(),
        asset_type=row["asset_type"].strip().upper(),
        kind=kind,
        conditions=tuple(conditions),
        exclude=tuple(norm_name(x) for x in row["exclude_values"].split("|") if x.strip()),
        per=num(row["per"], 1.0),
        buffer_m=num(row["buffer_m"], 0.0),
        basis=(row["basis"].strip().lower() or "area"),
        description=row["description"],
    )


# --------------------------------------------------------------------- computing
def _lookup_variable(values: pd.DataFrame | None, code: str) -> dict[str, dict[int, float]]:
    if values is None or len(values) == 0:
        return {}
    sub = values.loc[values["indicator"] == code]
    out: dict[str, dict[int, float]] = {}
    for region, year, value in zip(sub["region"], sub["year"], sub["value"], strict=True):
        if value == value:
            out.setdefault(str(region), {})[int(year)] = float(value)
    return out


def _nearest(by_year: dict[int, float] | None, year: int) -> float | None:
    if not by_year:
        return None
    if year in by_year:
        return by_year[year]
    best = min(by_year, key=lambda y: (abs(y - year), -y))
    return by_year[best]


def compute_observation_values(
    obs: pd.DataFrame,
    rules: pd.DataFrame,
    catalog: Catalog,
    matcher: RegionMatcher,
    layer: gpd.GeoDataFrame | None,
    values: pd.DataFrame | None,
    log: ProblemLog,
    *,
    source: str = "observasi lapangan",
    sheet: str = "",
) -> pd.DataFrame:
    """Indicator values with ``n_observed`` from counted observation points (see module docstring)."""
    columns = [*RECORD_COLUMNS, "n_observed"]
    counted = obs.loc[obs["counted"].astype(bool)] if len(obs) else obs
    if counted.empty:
        return pd.DataFrame({c: [] for c in columns})
    # ancestors of every point's region, per level
    chains: dict[str, list[str]] = {}
    for code in set(counted["region"]):
        chain, c = [], code
        while c in matcher.codes:
            chain.append(c)
            c = matcher.parent_of.get(c, "")
        chains[code] = chain
    levels = ("kelurahan", "kecamatan", "kota")
    point_regions = counted["region"].to_numpy(dtype=object)
    level_arrays = {}
    for level in levels:
        at = {r: next((c for c in chains[r] if matcher.level_of[c] == level), "") for r in chains}
        level_arrays[level] = np.asarray([at[r] for r in point_regions], dtype=object)
    # every region the boundaries cover (for counts/densities/coverage, zeros included)
    covered: dict[str, list[str]] = {lv: [] for lv in levels}
    base_codes = list(layer["code"]) if layer is not None else sorted({*counted["region"]})
    seen: set[str] = set()
    for code in base_codes:
        c = code
        while c in matcher.codes and c not in seen:
            seen.add(c)
            if matcher.level_of[c] in covered:
                covered[matcher.level_of[c]].append(c)
            c = matcher.parent_of.get(c, "")
    pop = _lookup_variable(values, "VAR-POP")
    area_var = _lookup_variable(values, "VAR-AREA")
    years_all = sorted(int(y) for y in set(counted["year"]))
    parts: list[pd.DataFrame] = []
    notes: set[tuple[str, str, str]] = set()

    for row in rules.to_dict("records"):
        rule = _parse_rule(row)
        if isinstance(rule, str):
            log.add(
                f"Aturan observasi {row.get('indicator')} tidak valid: {rule}",
                f"Observation rule {row.get('indicator')} is invalid: {rule}",
                rule="bad_rule",
            )
            continue
        if rule.indicator not in catalog:
            continue
        pts = counted.loc[counted["asset_type"] == rule.asset_type]
        if pts.empty:
            continue
        missing = [c for c in rule.columns if c not in pts.columns]
        if missing:
            log.add(
                f"{rule.indicator} tidak dihitung: kolom {', '.join(missing)} tidak ada untuk aset {rule.asset_type}",
                f"{rule.indicator} not computed: column(s) {', '.join(missing)} missing for asset {rule.asset_type}",
                rule="rule_column_missing",
                severity="warning",
                sheet=sheet or None,
            )
            continue
        mask = np.ones(len(pts), dtype=bool)
        if rule.exclude:
            mask &= ~pts["status"].isin(rule.exclude).to_numpy()
        pts = pts.loc[mask]
        if pts.empty:
            continue
        idx = counted.index.get_indexer(pts.index)
        year = pts["year"].to_numpy(dtype=np.int64)
        if rule.kind == "mean":
            measure = pd.to_numeric(
                pts[rule.columns[0]].astype(str).str.replace(",", ".", regex=False), errors="coerce"
            ).to_numpy()
        elif rule.kind == "score":
            met = np.stack([c.test(pts) for c in rule.conditions]).astype(float)
            measure = 100.0 * met.mean(axis=0)
        else:
            ok = np.ones(len(pts), dtype=bool)
            for cond in rule.conditions:
                ok &= cond.test(pts)
            measure = ok.astype(float)

        for level in levels:
            regs = level_arrays[level][idx]
            frame = pd.DataFrame({"region": regs, "year": year, "m": measure})
            frame = frame.loc[frame["region"] != ""]
            if rule.kind in {"share", "score", "mean"}:
                frame = frame.loc[~np.isnan(frame["m"].to_numpy())]
                agg = frame.groupby(["region", "year"], sort=True)["m"].agg(["mean", "size"]).reset_index()
                value = agg["mean"] * (100.0 if rule.kind == "share" else 1.0)
                parts.append(_part(agg["region"], rule.indicator, agg["year"], value, agg["size"]))
                continue
            # region x year grid with zeros where nothing was observed
            codes = covered[level]
            if not codes:
                continue
            grid = pd.MultiIndex.from_product([codes, years_all], names=["region", "year"])
            k = frame.groupby(["region", "year"])["m"].sum().reindex(grid, fill_value=0.0)
            n = frame.groupby(["region", "year"])["m"].size().reindex(grid, fill_value=0)
            regions_idx = grid.get_level_values(0)
            years_idx = grid.get_level_values(1)
            if rule.kind == "count":
                parts.append(_part(regions_idx, rule.indicator, years_idx, k.to_numpy(), n.to_numpy()))
            elif rule.kind == "density_pop":
                people = np.asarray(
                    [_nearest(pop.get(r), y) or np.nan for r, y in zip(regions_idx, years_idx, strict=True)]
                )
                if np.isnan(people).all():
                    notes.add((rule.indicator, "no_pop", level))
                    continue
                value = k.to_numpy() / people * rule.per
                parts.append(_part(regions_idx, rule.indicator, years_idx, value, n.to_numpy()))
            elif rule.kind == "density_area":
                km2 = _areas(regions_idx, years_idx, area_var, layer, matcher)
                parts.append(_part(regions_idx, rule.indicator, years_idx, k.to_numpy() / km2, n.to_numpy()))
        if rule.kind == "coverage_buffer":
            if layer is None:
                notes.add((rule.indicator, "no_layer", ""))
                continue
            parts.extend(
                _coverage(rule, pts, measure, counted, level_arrays, idx, layer, matcher, pop, years_all, notes)
            )

    for indicator, why, level in sorted(notes):
        if why == "no_pop":
            log.add(
                f"{indicator} ({level}) tidak dihitung: jumlah penduduk (VAR-POP) belum ada",
                f"{indicator} ({level}) not computed: population (VAR-POP) not available",
                rule="no_population",
                severity="warning",
            )
        elif why == "area_weights":
            log.add(
                f"{indicator}: penduduk per kelurahan belum ada; kecamatan/kota dihitung dengan bobot luas",
                f"{indicator}: no population per kelurahan; kecamatan/city values weighted by area",
                rule="area_weights",
                severity="info",
            )
    if not parts:
        return pd.DataFrame({c: [] for c in columns})
    out = pd.concat(parts, ignore_index=True)
    out = out.loc[np.isfinite(out["value"].to_numpy(dtype=float))].reset_index(drop=True)
    out["unit"] = [catalog.node(c).get("unit", "") for c in out["indicator"]]
    out["source"] = source
    out["note"] = ""
    out["sheet"] = sheet
    out["row"] = pd.array([pd.NA] * len(out), dtype="Int64")
    out["column"] = ""
    out["cell"] = ""
    thin = out.loc[(out["n_observed"] > 0) & (out["n_observed"] < THIN_SAMPLE)]
    for indicator, group in thin.groupby("indicator"):
        log.add(
            f"{indicator}: {len(group)} nilai wilayah berasal dari kurang dari {THIN_SAMPLE} titik (lihat n_observed)",
            f"{indicator}: {len(group)} region value(s) rest on fewer than {THIN_SAMPLE} points (see n_observed)",
            rule="thin_sample",
            severity="info",
            code=str(indicator),
        )
    return out[columns]


def _part(regions, indicator: str, years, value, n) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "region": np.asarray(regions, dtype=object),
            "indicator": indicator,
            "year": np.asarray(years, dtype=np.int64),
            "value": np.asarray(value, dtype=float),
            "n_observed": np.asarray(n, dtype=np.int64),
        }
    )


def _utm(layer: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    return layer.to_crs(layer.estimate_utm_crs())


def _areas(regions, years, area_var, layer, matcher) -> np.ndarray:
    poly_km2: dict[str, float] = {}
    if layer is not None:
        utm = _utm(layer)
        for code, a in zip(utm["code"], utm.geometry.area / 1e6, strict=True):
            c = code
            while c in matcher.codes:
                poly_km2[c] = poly_km2.get(c, 0.0) + float(a)
                c = matcher.parent_of.get(c, "")
    out = []
    for r, y in zip(regions, years, strict=True):
        v = _nearest(area_var.get(r), int(y))
        out.append(v if v else poly_km2.get(r, np.nan))
    return np.asarray(out, dtype=float)


def _coverage(rule, pts, measure, counted, level_arrays, idx, layer, matcher, pop, years_all, notes) -> list:
    import shapely

    utm = _utm(layer)
    crs = utm.crs
    poly = utm.geometry.to_numpy()
    poly_area = shapely.area(poly)
    codes = list(utm["code"])
    out = []
    good = measure > 0 if rule.conditions else np.ones(len(pts), dtype=bool)
    for year in years_all:
        sel = good & (pts["year"].to_numpy() == year)
        if not sel.any():
            share = np.zeros(len(codes))
        else:
            stops = gpd.GeoSeries(gpd.points_from_xy(pts["lon"][sel], pts["lat"][sel]), crs="EPSG:4326").to_crs(crs)
            stops = stops[~stops.is_empty & stops.notna()]
            reach = shapely.union_all(shapely.buffer(stops.to_numpy(), rule.buffer_m)) if len(stops) else None
            share = (
                100.0 * shapely.area(shapely.intersection(poly, reach)) / poly_area
                if reach is not None
                else np.zeros(len(codes))
            )
        year_sel = sel
        n_by_region = pd.Series(level_arrays["kelurahan"][idx][year_sel]).value_counts()
        base = pd.DataFrame({"region": codes, "share": share, "area": poly_area})
        base["pop"] = [_nearest(pop.get(c), year) for c in codes]
        out.append(
            _part(
                base["region"],
                rule.indicator,
                [year] * len(base),
                base["share"],
                n_by_region.reindex(base["region"], fill_value=0).to_numpy(),
            )
        )
        use_pop = rule.basis == "population" and base["pop"].notna().all()
        if rule.basis == "population" and not use_pop:
            notes.add((rule.indicator, "area_weights", ""))
        weight = base["pop"].astype(float) if use_pop else base["area"]
        for level in ("kecamatan", "kota"):
            parents = []
            for c in base["region"]:
                p = c
                while p in matcher.codes and matcher.level_of[p] != level:
                    p = matcher.parent_of.get(p, "")
                parents.append(p if p in matcher.codes else "")
            frame = pd.DataFrame({"region": parents, "w": weight.to_numpy(), "ws": weight.to_numpy() * base["share"]})
            frame = frame.loc[frame["region"] != ""]
            if frame.empty:
                continue
            agg = frame.groupby("region").sum()
            n_level = pd.Series(level_arrays[level][idx][year_sel]).value_counts()
            out.append(
                _part(
                    agg.index,
                    rule.indicator,
                    [year] * len(agg),
                    (agg["ws"] / agg["w"]).to_numpy(),
                    n_level.reindex(agg.index, fill_value=0).to_numpy(),
                )
            )
    return out
