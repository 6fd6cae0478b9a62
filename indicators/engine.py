"""The scoring engine: tidy values + catalog + method -> scores for every node, region and year.

Steps (JRC/OECD order), all vectorised on a region-year x code matrix so that 83,762 villages x 64
indicators x 5 years score in seconds:

1. pivot the tidy values into a matrix (rows: region-year units; columns: indicators and variables);
2. derived indicators fill their gaps from raw variables (:mod:`indicators.derived`);
3. optional imputation within each region's series (marked ``imputed``);
4. ``transform = log`` on values (and, in the normaliser, on goalposts and target alike);
5. normalisation per indicator to [0, 100] within each scope group (regions of one level, pooled
   over years or per year);
6. aggregation up the tree in post-order, per inner node with its own method (arithmetic,
   geometric, harmonic) and weights relative among siblings. A node is scored only when at least
   ``method.threshold`` of its applicable children's weight has data; otherwise it is missing;
7. rank within (region level, year) and coverage for every score.

Applicability: an indicator applies at a region level when the catalog's ``levels`` cell says so
(empty = everywhere) or when the data holds values for it at that level. A kelurahan index is thus
built from the indicators that exist for kelurahan, with weights renormalised among them, instead
of being missing because the SPBE index is only published for the city. Non-applicable nodes have
no score rows at that level.

Zeros in geometric and harmonic means: both means of a set containing 0 are 0 (their limit), so
with the exact formulas (``geo_floor = 0``) a child scored 0 makes its parent 0, never NaN or -inf;
the run's log says how often that happened. ``geo_floor = 1`` rescales scores to [1, 100] before
such a mean and back afterwards, as A2SIT does, so one worst-in-class indicator no longer zeroes its
parent.

Coverage: the share of a node's effective indicator weight whose data reached its score (1 or 0 for
an indicator). For a node that is not scored, coverage is what it would have had, so a user sees
why it is missing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from indicators.catalog import Catalog
from indicators.derived import Inputs, get_derivation
from indicators.method import Method
from indicators.normalize import normalize_group

__all__ = ["ORIGINS", "EngineError", "ScoreResult", "prepare_values", "score"]

#: Origin codes of each indicator value in :attr:`ScoreResult.origin`.
ORIGINS = {0: "missing", 1: "observed", 2: "derived", 3: "imputed"}
_MISSING, _OBSERVED, _DERIVED, _IMPUTED = 0, 1, 2, 3

_COLUMN_ALIASES = {
    "wilayah": "region",
    "indikator": "indicator",
    "tahun": "year",
    "nilai": "value",
}


class EngineError(ValueError):
    """Input the engine cannot score (bad columns, duplicates); the message is bilingual."""


@dataclass
class EncodedValues:
    """Tidy values as integer codes: what the engine works on (no per-row strings)."""

    region_codes: np.ndarray  # sorted unique region labels
    region_idx: np.ndarray  # per row, index into region_codes
    indicator_codes: np.ndarray  # sorted unique indicator labels
    indicator_idx: np.ndarray  # per row, index into indicator_codes
    year: np.ndarray  # per row, int64
    value: np.ndarray  # per row, float64 (finite)


def _factorize(series: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Sorted unique labels (stripped text) and each row's index into them.

    Categorical columns are handled on their categories only, so 27 million rows cost no string
    work; other columns are factorised once.
    """
    if isinstance(series.dtype, pd.CategoricalDtype):
        cats = np.asarray([str(c).strip() for c in series.cat.categories], dtype=object)
        codes = series.cat.codes.to_numpy()
    else:
        codes, uniques = pd.factorize(series, use_na_sentinel=True)
        cats = np.asarray([str(c).strip() for c in uniques], dtype=object)
    labels, inverse = np.unique(cats.astype(str), return_inverse=True) if len(cats) else (np.asarray([], str), codes)
    idx = np.where(codes >= 0, inverse[np.maximum(codes, 0)] if len(cats) else -1, -1)
    return labels.astype(object), idx.astype(np.int64)


def encode_values(values: pd.DataFrame) -> EncodedValues:
    """Check a tidy values frame (``region, indicator, year, value``; Indonesian headers accepted).

    Rows without a value are dropped; a year or value that is not a number, or the same
    region/indicator/year twice, is an :class:`EngineError` with a bilingual message (the store
    resolves duplicates before scoring: the newer dataset wins).
    """
    rename = {c: _COLUMN_ALIASES.get(str(c).strip().lower(), str(c).strip().lower()) for c in values.columns}
    frame = values.rename(columns=rename)
    missing = [c for c in ("region", "indicator", "year", "value") if c not in frame.columns]
    if missing:
        cols = ", ".join(missing)
        raise EngineError(
            f"Kolom tidak ada: {cols} / Missing columns: {cols} "
            "(region, indicator, year, value | wilayah, indikator, tahun, nilai)"
        )
    value_col = frame["value"]
    if pd.api.types.is_numeric_dtype(value_col.dtype) and not pd.api.types.is_bool_dtype(value_col.dtype):
        value = value_col.to_numpy(dtype=float, na_value=np.nan)
    else:
        value = pd.to_numeric(value_col, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        text = value_col.astype(str).str.strip()
        bad = np.isnan(value) & value_col.notna().to_numpy() & (text != "").to_numpy() & (text != "nan").to_numpy()
        if bad.any():
            first = int(np.flatnonzero(bad)[0])
            raw = value_col.iloc[first]
            raise EngineError(
                f"Nilai '{raw}' pada baris data {first + 2} bukan angka / "
                f"Value '{raw}' in data row {first + 2} is not a number"
            )
    year_col = frame["year"]
    if pd.api.types.is_integer_dtype(year_col.dtype):
        year = year_col.to_numpy(dtype=np.int64)
    else:
        year_f = pd.to_numeric(year_col, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        bad = np.isnan(year_f) | (year_f != np.round(year_f))
        if bad.any():
            first = int(np.flatnonzero(bad)[0])
            raise EngineError(
                f"Tahun '{year_col.iloc[first]}' pada baris data {first + 2} tidak valid / "
                f"Invalid year '{year_col.iloc[first]}' in data row {first + 2}"
            )
        year = year_f.astype(np.int64)
    if len(year) and (year.min() < 1000 or year.max() > 9999):
        raise EngineError("Tahun harus empat angka / Years must have four digits")
    keep = np.isfinite(value)
    region_codes, region_idx = _factorize(frame["region"])
    indicator_codes, indicator_idx = _factorize(frame["indicator"])
    keep &= (region_idx >= 0) & (indicator_idx >= 0)
    if not keep.all():
        region_idx, indicator_idx, year, value = region_idx[keep], indicator_idx[keep], year[keep], value[keep]
    return EncodedValues(
        region_codes=region_codes,
        region_idx=region_idx,
        indicator_codes=indicator_codes,
        indicator_idx=indicator_idx,
        year=year,
        value=value,
    )


def prepare_values(values: pd.DataFrame) -> pd.DataFrame:
    """The checked values as a plain tidy frame (for callers that want to look at them)."""
    enc = encode_values(values)
    return pd.DataFrame(
        {
            "region": enc.region_codes[enc.region_idx],
            "indicator": enc.indicator_codes[enc.indicator_idx],
            "year": enc.year,
            "value": enc.value,
        }
    )


@dataclass
class ScoreResult:
    """Everything one scoring run produced, COINr-style: data, method, results and a log.

    Matrices are kept (tidy frames are built on demand), so a run over the whole country stays
    small; ``scores`` is the tidy output ``region, year, code, level, score, rank, coverage``.
    """

    catalog: Catalog
    method: Method
    unit_region: np.ndarray
    unit_year: np.ndarray
    unit_level: np.ndarray
    unit_group: np.ndarray
    nodes: list[str]
    indicators: list[str]
    score_matrix: np.ndarray
    coverage_matrix: np.ndarray
    raw: np.ndarray
    origin: np.ndarray
    norm_params: dict[tuple[str, Any], dict[str, Any]] = field(default_factory=dict)
    node_weights: dict[str, np.ndarray] = field(default_factory=dict)
    base_weights: dict[str, np.ndarray] = field(default_factory=dict)
    applicable_matrix: np.ndarray | None = None
    level_names: list[Any] = field(default_factory=list)
    group_labels: list[str] = field(default_factory=list)
    unit_level_idx: np.ndarray | None = None
    log: list[str] = field(default_factory=list)

    # ------------------------------------------------------------------ tidy views
    @cached_property
    def node_index(self) -> dict[str, int]:
        return {c: i for i, c in enumerate(self.nodes)}

    @cached_property
    def unit_index(self) -> dict[tuple[str, int], int]:
        return {(r, int(y)): i for i, (r, y) in enumerate(zip(self.unit_region, self.unit_year, strict=True))}

    @cached_property
    def rank_matrix(self) -> np.ndarray:
        """Rank of each score among the regions of the same level in the same year (1 = best).

        Ties share the best rank ("min" method); missing scores have no rank (NaN).
        """
        level_idx = self.unit_level_idx if self.unit_level_idx is not None else np.zeros(len(self.unit_year), int)
        keys = level_idx.astype(np.int64) * 10_000 + self.unit_year.astype(np.int64)
        ranks = np.full(self.score_matrix.shape, np.nan, dtype=np.float32)
        for key in np.unique(keys):
            rows = np.flatnonzero(keys == key)
            ranks[rows] = _rank_desc_min(self.score_matrix[rows])
        return ranks

    @cached_property
    def scores(self) -> pd.DataFrame:
        """Tidy scores: ``region, year, code, level, score, rank, coverage`` (full precision).

        Sorted by region, year and the catalog's tree order; nodes that do not apply at a region's
        level have no row.
        """
        n_units, n_nodes = self.score_matrix.shape
        mask = ~np.isnan(self.coverage_matrix.ravel())
        every = bool(mask.all())

        def cells(array: np.ndarray) -> np.ndarray:
            flat = array.ravel()  # a view: the matrices are C-contiguous, units x nodes
            return flat if every else flat[mask]

        level_names, level_codes = np.unique(
            np.asarray([self.catalog.level_name(c) for c in self.nodes], dtype=str), return_inverse=True
        )
        region_cat = pd.Categorical(self.unit_region)
        node_codes = np.tile(np.arange(n_nodes, dtype=np.int16), n_units)
        node_codes = node_codes if every else node_codes[mask]
        year_dtype = np.int16 if self.unit_year.max() < 32_000 else np.int64
        frame = pd.DataFrame(
            {
                "region": pd.Categorical.from_codes(
                    cells(np.repeat(region_cat.codes, n_nodes)), region_cat.categories, validate=False
                ),
                "year": cells(np.repeat(self.unit_year.astype(year_dtype), n_nodes)),
                "code": pd.Categorical.from_codes(node_codes, pd.Index(self.nodes), validate=False),
                "level": pd.Categorical.from_codes(
                    level_codes.astype(np.int16)[node_codes], pd.Index(level_names), validate=False
                ),
                "score": cells(self.score_matrix),
                "rank": cells(self.rank_matrix),
                "coverage": cells(self.coverage_matrix),
            },
            copy=False,
        )
        return frame

    def scores_plain(self) -> pd.DataFrame:
        """:attr:`scores` with plain string columns (for CSV, display and joins)."""
        out = self.scores.copy()
        for col in ("region", "code", "level"):
            out[col] = out[col].astype(str)
        return out

    @cached_property
    def indicator_values(self) -> pd.DataFrame:
        """Tidy indicator data: ``region, year, indicator, value, origin, score`` (value before transform)."""
        present = self.origin > _MISSING
        unit_pos, col_pos = np.nonzero(present)
        node_cols = np.asarray([self.node_index[c] for c in self.indicators])
        origin_names = np.asarray([ORIGINS[i] for i in range(4)], dtype=object)
        return pd.DataFrame(
            {
                "region": self.unit_region[unit_pos],
                "year": self.unit_year[unit_pos],
                "indicator": np.asarray(self.indicators, dtype=object)[col_pos],
                "value": self.raw[unit_pos, col_pos],
                "origin": origin_names[self.origin[unit_pos, col_pos]],
                "score": self.score_matrix[unit_pos, node_cols[col_pos]],
            }
        )

    def wide(self, code: str, year: int | None = None) -> pd.Series:
        """Scores of one node by region (one year; the latest when ``year`` is None)."""
        year = int(self.unit_year.max()) if year is None else year
        rows = np.flatnonzero(self.unit_year == year)
        col = self.node_index[code]
        return pd.Series(self.score_matrix[rows, col], index=self.unit_region[rows], name=code)

    def child_weights(self, code: str, unit: int) -> np.ndarray:
        """Weights of ``code``'s children for one unit (region-year), 0 where a child does not apply.

        The weights the aggregation really used before missing children were dropped.
        """
        kids = self.catalog.children[code]
        base = self.base_weights.get(code, np.zeros(len(kids)))
        if self.applicable_matrix is None:
            return base
        rows = [self.node_index[k] for k in kids]
        return base * self.applicable_matrix[unit, rows]

    # ------------------------------------------------------------------ explanations
    def explain(self, region: str, year: int, code: str, lang: str = "id") -> dict[str, Any]:
        """Why a score is what it is: children with weights and contributions, or the raw value
        with its goalposts/target, direction, normalisation and origin."""
        unit = self.unit_index.get((region, int(year)))
        if unit is None:
            raise KeyError(f"no data for {region} in {year}")
        col = self.node_index[code]
        row = self.catalog.node(code)
        out: dict[str, Any] = {
            "region": region,
            "year": int(year),
            "code": code,
            "name": self.catalog.name(code, lang),
            "level": row["level"],
            "score": _nan_to_none(self.score_matrix[unit, col]),
            "coverage": _nan_to_none(self.coverage_matrix[unit, col]),
            "rank": _nan_to_none(self.rank_matrix[unit, col]),
        }
        kids = self.catalog.children[code]
        if kids:
            weights = self.child_weights(code, unit)
            total = weights.sum()
            children = []
            present_weight = sum(
                w
                for k, w in zip(kids, weights, strict=True)
                if not math.isnan(self.score_matrix[unit, self.node_index[k]])
            )
            for kid, w in zip(kids, weights, strict=True):
                s = self.score_matrix[unit, self.node_index[kid]]
                has = not math.isnan(s)
                children.append(
                    {
                        "code": kid,
                        "name": self.catalog.name(kid, lang),
                        "score": _nan_to_none(s),
                        "weight": float(
                            self.catalog.node(kid)["weight"]
                            if kid not in self.method.weights
                            else self.method.weights[kid]
                        ),
                        "weight_share": float(w / total) if total > 0 else 0.0,
                        "applicable": bool(w > 0),
                        "used_share": float(w / present_weight) if has and present_weight > 0 else 0.0,
                    }
                )
            out["aggregation"] = self.method.aggregation_by.get(code) or self.method.aggregation or row["aggregation"]
            out["threshold"] = self.method.threshold
            out["children"] = children
        else:
            j = self.indicators.index(code)
            group = self.unit_group[unit]
            out.update(
                value=_nan_to_none(self.raw[unit, j]),
                origin=ORIGINS[int(self.origin[unit, j])],
                unit=row["unit"],
                direction=row["direction"],
                transform=row["transform"],
                target=_nan_to_none(row["target"]),
                source=row["source"],
                normalization=dict(self.norm_params.get((code, int(group)), {})),
                scope=self.group_labels[int(group)] if self.group_labels else None,
            )
        return out


def _nan_to_none(value: float) -> float | None:
    value = float(value)
    return None if math.isnan(value) else value


# ====================================================================== the run
def score(
    values: pd.DataFrame,
    catalog: Catalog,
    method: Method | None = None,
    regions: pd.DataFrame | pd.Series | dict | None = None,
) -> ScoreResult:
    """Score every node of ``catalog`` for every region-year in ``values``.

    ``values``: tidy frame (``region, indicator, year, value``; Indonesian headers accepted).
    ``regions``: optional region levels (a frame with ``code`` and ``level`` columns, or a mapping
    code -> level). Regions of one level form one scope (min-max over them, ranks among them); the
    catalog's ``levels`` column decides which indicators apply at a level. Without it every region
    is in one scope and every indicator applies.
    """
    method = method or Method()
    log: list[str] = []
    enc = encode_values(values)

    # ---------------------------------------------------------------- codes
    indicators = list(catalog.indicators)
    excluded = set()
    for code in method.exclude:
        if code in catalog:
            excluded.add(code)
            excluded.update(catalog.descendants(code))
    if len(enc.indicator_idx):
        present_codes = set(enc.indicator_codes[np.bincount(enc.indicator_idx, minlength=len(enc.indicator_codes)) > 0])
    else:
        present_codes = set()
    columns = indicators + [v for v in catalog.variables if v in present_codes]
    col_of = {c: i for i, c in enumerate(columns)}
    unknown = sorted(c for c in present_codes if c not in col_of)
    if unknown:
        shown = ", ".join(unknown[:5]) + (" ..." if len(unknown) > 5 else "")
        log.append(f"{len(unknown)} code(s) not in the catalog ignored: {shown}")
    code_to_col = np.asarray([col_of.get(c, -1) for c in enc.indicator_codes], dtype=np.int32)
    row_col = code_to_col[enc.indicator_idx] if len(code_to_col) else np.zeros(0, dtype=np.int32)
    keep = row_col >= 0
    if keep.all():
        row_region, row_year, row_value = enc.region_idx, enc.year, enc.value
    else:
        row_col, row_region, row_year, row_value = row_col[keep], enc.region_idx[keep], enc.year[keep], enc.value[keep]
    if len(row_value) == 0:
        raise EngineError("Tidak ada nilai indikator yang dikenal katalog / No values for indicators of the catalog")

    # ---------------------------------------------------------------- units (region-year rows)
    used = np.bincount(row_region, minlength=len(enc.region_codes)) > 0  # O(n), no sort
    region_codes = enc.region_codes[used]
    row_region = (np.cumsum(used) - 1)[row_region]
    year_min = int(row_year.min())
    n_years = int(row_year.max()) - year_min + 1
    index_dtype = np.int32 if len(region_codes) * n_years * max(len(columns), 1) < 2**31 - 1 else np.int64
    dense = row_region.astype(index_dtype) * n_years + (row_year - year_min).astype(index_dtype)
    seen = np.bincount(dense, minlength=len(region_codes) * n_years) > 0
    unit_keys = np.flatnonzero(seen)  # sorted by region, then year
    unit_of_row = (np.cumsum(seen) - 1).astype(index_dtype)[dense]
    del dense
    unit_region_idx = unit_keys // n_years
    unit_region = region_codes[unit_region_idx]
    unit_year = (unit_keys % n_years + year_min).astype(np.int64)
    n_units = len(unit_keys)

    # matrices are laid out code x unit: one indicator is one contiguous row (fast per-code work)
    cell = row_col.astype(index_dtype) * n_units + unit_of_row
    counts = np.bincount(cell, minlength=n_units * len(columns))
    if counts.max() > 1:
        dup_cells = np.flatnonzero(counts > 1)
        sample = "; ".join(
            f"{unit_region[c % n_units]}/{columns[c // n_units]}/{unit_year[c % n_units]}" for c in dup_cells[:3]
        )
        n_dup = int(counts[dup_cells].sum())
        raise EngineError(
            f"Nilai ganda untuk wilayah/indikator/tahun yang sama ({n_dup} baris, mis. {sample}) / "
            f"Duplicate values for the same region/indicator/year ({n_dup} rows, e.g. {sample})"
        )
    del counts
    matrix = np.full((len(columns), n_units), np.nan)
    matrix.ravel()[cell] = row_value
    del cell, unit_of_row
    n_ind = len(indicators)
    origin = np.where(np.isnan(matrix[:n_ind]), _MISSING, _OBSERVED).astype(np.uint8)

    # ---------------------------------------------------------------- region levels and scopes
    level_of = _level_mapping(regions)
    if level_of is None:
        region_level = np.full(len(region_codes), None, dtype=object)
    else:
        region_level = np.asarray([level_of.get(r) for r in region_codes], dtype=object)
        unknown_regions = sorted({r for r in region_codes if level_of.get(r) is None})
        if unknown_regions:
            log.append(
                f"{len(unknown_regions)} region(s) without a level scored in their own scope: "
                + ", ".join(unknown_regions[:5])
            )
    level_names = sorted({lv for lv in region_level if lv is not None}) + (
        [None] if any(lv is None for lv in region_level) else []
    )
    level_pos = {lv: i for i, lv in enumerate(level_names)}
    region_level_idx = np.asarray([level_pos[lv] for lv in region_level], dtype=np.int64)
    unit_level_idx = region_level_idx[unit_region_idx]
    unit_level = region_level[unit_region_idx]
    single_level = len(level_names) == 1

    # ---------------------------------------------------------------- derived indicators
    lag_index = _lag_index(unit_keys, n_years)
    for j, code in enumerate(indicators):
        name = catalog.node(code)["derivation"]
        if not name:
            continue
        derivation = get_derivation(name)
        if derivation is None or not all(v in col_of for v in derivation.inputs):
            continue
        inputs = Inputs({v: matrix[col_of[v]] for v in derivation.inputs}, lag_index)
        computed = derivation.compute(inputs)
        fill = np.isnan(matrix[j]) & ~np.isnan(computed)
        if fill.any():
            matrix[j, fill] = computed[fill]
            origin[j, fill] = _DERIVED
            log.append(f"{code}: {int(fill.sum())} value(s) derived by {name}")

    ind = matrix[:n_ind]

    # ---------------------------------------------------------------- imputation
    if method.imputation != "none":
        ind = np.ascontiguousarray(_impute(ind.T, unit_region_idx, unit_year, method.imputation).T)
        imputed = (origin == _MISSING) & ~np.isnan(ind)
        origin[imputed] = _IMPUTED
        log.append(f"imputation '{method.imputation}': {int(imputed.sum())} value(s) filled")
    raw = ind

    # ---------------------------------------------------------------- applicability per level
    has_data_at = np.zeros((len(level_names), n_ind), dtype=bool)
    for li in range(len(level_names)):
        cols = slice(None) if single_level else unit_level_idx == li
        has_data_at[li] = ~np.isnan(ind[:, cols]).all(axis=1)
    leaf_app = np.zeros((len(level_names), n_ind), dtype=bool)
    leaf_optional = np.zeros((len(level_names), n_ind), dtype=bool)
    for j, code in enumerate(indicators):
        for li, lv in enumerate(level_names):
            how = catalog.applies(code, lv)
            leaf_app[li, j] = (how != "no" or has_data_at[li, j]) and code not in excluded
            leaf_optional[li, j] = how == "optional"

    # ---------------------------------------------------------------- transform + normalise
    if method.minmax_scope == "per_year":
        group_keys = unit_level_idx * 10_000 + unit_year
    else:
        group_keys = unit_level_idx
    group_ids, unit_group = np.unique(group_keys, return_inverse=True)
    group_masks = [None] if len(group_ids) == 1 else [unit_group == g for g in range(len(group_ids))]
    group_label = {g: _group_label(level_names, int(k), method.minmax_scope) for g, k in enumerate(group_ids)}

    nodes = list(catalog.tree_codes)
    node_index = {c: i for i, c in enumerate(nodes)}
    scores = np.empty((len(nodes), n_units))  # every row is written below
    coverage = np.empty((len(nodes), n_units))
    unit_app = np.zeros((len(nodes), n_units), dtype=bool)  # node applies to the unit's region
    norm_params: dict[tuple[str, Any], dict[str, Any]] = {}
    zero_hits = 0

    for j, code in enumerate(indicators):
        row = catalog.node(code)
        norm, direction, lo, hi, target, tol, transform = _indicator_settings(row, method)
        x = ind[j]
        if transform == "log":
            with np.errstate(divide="ignore", invalid="ignore"):
                bad = x <= 0
                if np.any(bad):
                    log.append(f"{code}: {int(bad.sum())} value(s) <= 0 cannot be log-transformed; treated as missing")
                x = np.where(x > 0, np.log(np.where(x > 0, x, 1.0)), np.nan)
                lo, hi = _log_or_nan(lo), _log_or_nan(hi)
                if direction == "target":
                    edge_lo, edge_hi = _log_or_nan(target - tol), _log_or_nan(target + tol)
                    target, tol = (edge_lo + edge_hi) / 2, (edge_hi - edge_lo) / 2
                else:
                    target = _log_or_nan(target)
        if norm == "target" and math.isnan(target):
            log.append(f"{code}: distance to target needs a target; used {'goalposts' if _has(lo, hi) else 'min-max'}")
            norm = "goalposts" if _has(lo, hi) else "minmax"
        if norm == "auto":
            norm = "goalposts" if _has(lo, hi) else "minmax"
        if direction == "target" and math.isnan(target):
            direction = "higher"
        out = np.full(n_units, np.nan)
        col_app = np.broadcast_to(leaf_app[0, j], n_units) if single_level else leaf_app[unit_level_idx, j]
        if leaf_optional[:, j].any():  # an observation indicator with nothing observed here does not apply
            optional = leaf_optional[unit_level_idx, j]
            col_app = col_app & ~(optional & np.isnan(x))
        valid = ~np.isnan(x) & col_app
        for g, group_mask in enumerate(group_masks):
            sel = valid if group_mask is None else valid & group_mask
            if not sel.any():
                continue
            vals, params = normalize_group(x[sel], norm, direction, lo, hi, target, tol)
            out[sel] = vals
            params["transform"] = transform
            params["direction"] = direction
            if norm in {"minmax", "zscore", "percentile"} and params.get("lower") == params.get("upper"):
                log.append(f"{code} ({group_label[g]}): no spread among regions in scope; scored 50")
            norm_params[(code, g)] = params
        node = node_index[code]
        scores[node] = out
        coverage[node] = np.where(col_app, ~np.isnan(out), np.nan)
        unit_app[node] = col_app

    # ---------------------------------------------------------------- aggregate up the tree
    node_weights: dict[str, np.ndarray] = {}
    base_weights: dict[str, np.ndarray] = {}
    node_app = {code: leaf_app[:, j] for j, code in enumerate(indicators)}
    threshold = method.threshold - 1e-9
    floor = method.geo_floor
    for code in catalog.post_order:
        kids = catalog.children[code]
        if not kids:
            continue
        col = node_index[code]
        base_w = np.asarray([float(method.weights.get(k, catalog.node(k)["weight"])) for k in kids])
        base_weights[code] = base_w
        if code in excluded:
            node_app[code] = np.zeros(len(level_names), dtype=bool)
            node_weights[code] = np.zeros((len(level_names), len(kids)))
            scores[col] = np.nan
            coverage[col] = np.nan
            continue
        app = np.stack([node_app[k] for k in kids], axis=1)  # levels x kids
        w_level = base_w[None, :] * app
        node_weights[code] = w_level
        node_app[code] = w_level.sum(axis=1) > 0
        kid_rows = [node_index[k] for k in kids]
        w_unit = base_w[:, None] * unit_app[kid_rows]  # kids x units: 0 where a child does not apply
        unit_app[col] = (w_unit > 0).any(axis=0)
        x = scores[kid_rows]
        present = ~np.isnan(x) & (w_unit > 0)
        wp = np.where(present, w_unit, 0.0)
        total = w_unit.sum(axis=0)
        got = wp.sum(axis=0)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            share = got / total
            scored = (share >= threshold) & (got > 0)
            agg = method.aggregation_by.get(code) or method.aggregation or catalog.node(code)["aggregation"]
            xs = np.where(present, x, 0.0)
            if agg == "arithmetic":
                value = (wp * xs).sum(axis=0) / got
            else:
                if floor > 0:
                    xs = floor + xs * (100.0 - floor) / 100.0
                zero_any = (present & (xs <= 0)).any(axis=0)
                zero_hits += int((scored & zero_any).sum())
                if agg == "geometric":
                    logs = np.log(np.where(present & (xs > 0), xs, 1.0))
                    value = np.exp((wp * logs).sum(axis=0) / got)
                else:  # harmonic
                    inv = np.where(present & (xs > 0), wp / np.where(xs > 0, xs, 1.0), 0.0)
                    value = got / inv.sum(axis=0)
                if floor > 0:
                    value = (value - floor) * 100.0 / (100.0 - floor)
                value = np.where(zero_any, 0.0, value)
            value = np.clip(value, 0.0, 100.0)
            scores[col] = np.where(scored, value, np.nan)
            kid_cov = np.nan_to_num(coverage[kid_rows], nan=0.0)
            cov = (wp * kid_cov).sum(axis=0) / total
            coverage[col] = np.where(total > 0, cov, np.nan)
    if zero_hits:
        log.append(
            f"geometric/harmonic mean: {zero_hits} score(s) set to 0 because a child scored 0 "
            "(set geo_floor = 1 to rescale to [1, 100] first)"
        )

    return ScoreResult(
        catalog=catalog,
        method=method,
        unit_region=unit_region.astype(object),
        unit_year=unit_year,
        unit_level=unit_level,
        unit_group=unit_group,
        nodes=nodes,
        indicators=indicators,
        # exposed as units x codes (views of the code x unit arrays, no copy)
        score_matrix=scores.T,
        coverage_matrix=coverage.T,
        raw=raw.T,
        origin=origin.T,
        norm_params=norm_params,
        group_labels=[group_label[g] for g in range(len(group_ids))],
        node_weights=node_weights,
        base_weights=base_weights,
        applicable_matrix=unit_app.T,
        level_names=level_names,
        unit_level_idx=unit_level_idx,
        log=log,
    )


# ====================================================================== helpers
def _has(lo: float, hi: float) -> bool:
    return not (math.isnan(lo) or math.isnan(hi))


def _log_or_nan(value: float) -> float:
    return math.log(value) if value is not None and not math.isnan(value) and value > 0 else math.nan


def _indicator_settings(row: dict[str, Any], method: Method) -> tuple[str, str, float, float, float, float, str]:
    code = row["code"]
    norm = method.normalization_by.get(code) or method.normalization or row["normalization"] or "auto"
    lo, hi, target, tol = row["lower"], row["upper"], row["target"], row["tolerance"]
    override = method.goalposts.get(code)
    if override is not None:
        lo = lo if override.lower is None else override.lower
        hi = hi if override.upper is None else override.upper
        target = target if override.target is None else override.target
        tol = tol if override.tolerance is None else override.tolerance
    tol = 0.0 if math.isnan(tol) else tol
    return norm, row["direction"], float(lo), float(hi), float(target), float(tol), row["transform"]


def _level_mapping(regions: pd.DataFrame | pd.Series | dict | None) -> dict[str, str] | None:
    if regions is None:
        return None
    if isinstance(regions, pd.DataFrame):
        code_col = "code" if "code" in regions.columns else "region"
        return dict(zip(regions[code_col].astype(str), regions["level"], strict=True))
    if isinstance(regions, pd.Series):
        return {str(k): v for k, v in regions.items()}
    return {str(k): v for k, v in regions.items()}


def _group_label(level_names: list[Any], key: int, scope: str) -> str:
    if scope == "per_year":
        level, year = divmod(key, 10_000)
        return f"{level_names[level] or 'all'} {year}"
    return str(level_names[key] or "all")


def _rank_desc_min(matrix: np.ndarray) -> np.ndarray:
    """Column-wise descending ranks with ties sharing the lowest rank; NaN stays NaN.

    Works on the transpose so that each column is sorted as one contiguous row.
    """
    n = matrix.shape[0]
    values = np.negative(matrix.T, order="C")  # a new array: the scores are never modified
    missing = np.isnan(values)
    values[missing] = np.inf  # missing sorts last
    order = np.argsort(values, axis=1)
    ranked = np.take_along_axis(values, order, axis=1)
    new_value = np.ones(ranked.shape, dtype=bool)
    np.not_equal(ranked[:, 1:], ranked[:, :-1], out=new_value[:, 1:])
    positions = np.where(new_value, np.arange(1, n + 1, dtype=np.float32), np.float32(0))
    min_rank = np.maximum.accumulate(positions, axis=1)
    out = np.empty(values.shape, dtype=np.float32)
    np.put_along_axis(out, order, min_rank, axis=1)
    out[missing] = np.nan
    return out.T


def _lag_index(unit_keys: np.ndarray, n_years: int) -> np.ndarray:
    """Row of the same region one year earlier, or -1.

    Unit keys are dense ``region * n_years + (year - first year)``, sorted; the previous year of the
    same region is ``key - 1`` unless the key is the region's first possible year.
    """
    prev = unit_keys - 1
    pos = np.searchsorted(unit_keys, prev)
    pos_clipped = np.minimum(pos, len(unit_keys) - 1)
    found = (pos < len(unit_keys)) & (unit_keys[pos_clipped] == prev) & (unit_keys % n_years > 0)
    return np.where(found, pos_clipped, -1)


def _impute(ind: np.ndarray, region_idx: np.ndarray, years: np.ndarray, how: str) -> np.ndarray:
    """Fill gaps within each region's own series (never across regions)."""
    frame = pd.DataFrame(ind)
    if how == "locf":
        return frame.groupby(region_idx, sort=False).ffill().to_numpy()
    frame.index = pd.Index(years, name="year")

    def interp(group: pd.DataFrame) -> pd.DataFrame:
        return group.interpolate(method="index", limit_area="inside")

    filled = frame.groupby(region_idx, sort=False, group_keys=False).apply(interp)
    return filled.to_numpy()
