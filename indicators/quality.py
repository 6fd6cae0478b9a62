"""Data quality of a scoring run: coverage, freshness and the provenance of every value.

Officials trust a map only when they can see which numbers are measured, which are computed from
other inputs, which are filled in, and which are simply missing. These functions read a
:class:`~indicators.engine.ScoreResult` (and, for provenance, the store's active values and
dataset list) and return tidy frames; the Kualitas Data page only colours and labels them.

Cell states of the coverage grid (:data:`CELL_STATES`): ``observed`` (a value reported in an
uploaded dataset), ``derived`` (computed from raw variables by a registered derivation),
``imputed`` (filled from the same region's other years; never counted as data), ``missing``
(expected at this region level but absent) and ``not_applicable`` (the indicator is not measured
at this level). The 65 % availability threshold follows COINr/A2SIT (composite-methods.md).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from indicators.derived import get_derivation
from indicators.engine import ScoreResult

__all__ = [
    "AVAILABILITY_THRESHOLD",
    "CELL_STATES",
    "coverage_grid",
    "coverage_summary",
    "freshness",
    "provenance",
    "region_coverage",
]

#: Share of regions with data below which an indicator is flagged (COINr/A2SIT use 65-66 %).
AVAILABILITY_THRESHOLD = 0.65
#: Integer code of each grid cell state (the grid stores these codes).
CELL_STATES = {-1: "not_applicable", 0: "missing", 1: "observed", 2: "derived", 3: "imputed"}
_HAS_DATA = (1, 2)


def coverage_grid(result: ScoreResult, year: int, regions: list[str] | pd.Index) -> pd.DataFrame:
    """Indicator x region grid of cell states (codes of :data:`CELL_STATES`) for one year.

    Rows follow the catalog's indicator order, columns the given regions. A region with no data
    at all in ``year`` still gets a column: its indicators count as missing where the catalog says
    they apply at the region's level, not applicable elsewhere.
    """
    indicators = list(result.indicators)
    node_cols = np.asarray([result.node_index[c] for c in indicators])
    level_of = _region_levels(result)
    grid = np.full((len(indicators), len(regions)), -1, dtype=np.int8)
    for k, region in enumerate(regions):
        unit = result.unit_index.get((region, int(year)))
        if unit is None:
            level = level_of.get(region)
            if level is None:
                continue
            applies = np.asarray([result.catalog.applicable(c, level) for c in indicators])
            grid[applies, k] = 0
            continue
        applicable = ~np.isnan(result.coverage_matrix[unit, node_cols])
        states = result.origin[unit, :].astype(np.int8)
        grid[:, k] = np.where(applicable, states, -1)
    return pd.DataFrame(
        grid, index=pd.Index(indicators, name="indicator"), columns=pd.Index(list(regions), name="region")
    )


def _region_levels(result: ScoreResult) -> dict[str, str]:
    """Region -> level name, from the units the run scored."""
    if result.unit_level_idx is None or not result.level_names:
        return {}
    names = np.asarray([str(n) for n in result.level_names], dtype=object)
    return dict(zip(result.unit_region, names[result.unit_level_idx], strict=True))


def coverage_summary(grid: pd.DataFrame, threshold: float = AVAILABILITY_THRESHOLD) -> pd.DataFrame:
    """Per indicator: how many regions it applies to, and how many have observed, derived,
    imputed or missing values; ``share`` = (observed + derived) / applicable; ``flag`` when the
    share is below ``threshold``. Indicators that apply nowhere are left out."""
    counts = {state: (grid == code).sum(axis=1) for code, state in CELL_STATES.items() if code >= 0}
    frame = pd.DataFrame(counts)
    frame["applicable"] = (grid >= 0).sum(axis=1)
    frame = frame.loc[frame["applicable"] > 0]
    frame["share"] = (frame["observed"] + frame["derived"]) / frame["applicable"]
    frame["flag"] = frame["share"] < threshold
    frame.index.name = "indicator"
    return frame.reset_index()


def region_coverage(grid: pd.DataFrame) -> pd.Series:
    """Per region: share of its applicable indicators with a value (observed or derived)."""
    applicable = (grid >= 0).sum(axis=0)
    has = grid.isin(_HAS_DATA).sum(axis=0)
    return (has / applicable.where(applicable > 0)).rename("share")


def freshness(
    result: ScoreResult, regions: list[str] | pd.Index | None = None, ref_year: int | None = None
) -> pd.DataFrame:
    """Per indicator: the latest year with a real value (observed or derived, never imputed) among
    ``regions`` (all when None), how many regions have it in that year, and how many years it lags
    behind ``ref_year`` (default: the latest year of the run).

    Columns ``indicator, latest_year, n_regions, first_year, n_years, lag``; an indicator that has
    never had data has ``latest_year`` NaN.
    """
    ref_year = int(result.unit_year.max()) if ref_year is None else int(ref_year)
    rows = np.ones(len(result.unit_region), dtype=bool)
    if regions is not None:
        rows = np.isin(result.unit_region, np.asarray(list(regions), dtype=object))
    has = np.isin(result.origin[rows], _HAS_DATA)
    years = result.unit_year[rows]
    out = []
    for j, code in enumerate(result.indicators):
        with_data = years[has[:, j]]
        if len(with_data) == 0:
            out.append((code, np.nan, 0, np.nan, 0, np.nan))
            continue
        latest = int(with_data.max())
        out.append(
            (
                code,
                latest,
                int((with_data == latest).sum()),
                int(with_data.min()),
                len(np.unique(with_data)),
                ref_year - latest,
            )
        )
    frame = pd.DataFrame(out, columns=["indicator", "latest_year", "n_regions", "first_year", "n_years", "lag"])
    for col in ("latest_year", "first_year", "lag"):
        frame[col] = frame[col].astype("Int64")
    return frame


def provenance(result: ScoreResult, values: pd.DataFrame, datasets: pd.DataFrame) -> pd.DataFrame:
    """Where every indicator value of the run came from.

    ``values``: the store's active values (``region, indicator, year, value, dataset_id``);
    ``datasets``: the store's dataset list (``id, file_name, uploaded_by, uploaded_at, kind,
    synthetic``). Returns one row per indicator value of the run: ``region, year, indicator,
    value, origin, score, dataset_id, file_name, uploaded_by, uploaded_at, synthetic, inputs``.

    An observed value names the dataset it was read from. A derived value names the newest dataset
    among its inputs and lists the input variables in ``inputs``. An imputed value has no dataset:
    it was filled from the same region's other years.
    """
    frame = result.indicator_values.copy()
    info_cols = ["file_name", "uploaded_by", "uploaded_at", "synthetic"]
    ds = datasets.rename(columns={"id": "dataset_id"})
    ds = ds[["dataset_id", *[c for c in info_cols if c in ds.columns]]]
    direct = values[["region", "indicator", "year", "dataset_id"]]
    frame = frame.merge(direct, on=["region", "indicator", "year"], how="left")
    frame["inputs"] = ""
    derived_mask = (frame["origin"] == "derived").to_numpy()
    if derived_mask.any():
        catalog = result.catalog
        input_of: dict[str, tuple[str, ...]] = {}
        for code in frame.loc[derived_mask, "indicator"].unique():
            derivation = get_derivation(catalog.node(code).get("derivation") or "")
            input_of[code] = derivation.inputs if derivation else ()
        wanted = sorted({v for inputs in input_of.values() for v in inputs})
        newest = (
            values.loc[values["indicator"].isin(wanted), ["region", "year", "indicator", "dataset_id"]]
            if wanted
            else pd.DataFrame(columns=["region", "year", "indicator", "dataset_id"])
        )
        lookup = newest.set_index(["region", "year", "indicator"])["dataset_id"]
        ids = []
        sub = frame.loc[derived_mask, ["region", "year", "indicator"]]
        for region, year, code in sub.itertuples(index=False):
            found = [lookup.get((region, year, v)) for v in input_of.get(code, ())]
            found = [int(f) for f in found if f is not None and f == f]
            ids.append(max(found) if found else np.nan)
        frame.loc[derived_mask, "dataset_id"] = ids
        frame.loc[derived_mask, "inputs"] = [", ".join(input_of.get(c, ())) for c in sub["indicator"]]
    frame["dataset_id"] = frame["dataset_id"].astype("Int64")
    frame = frame.merge(ds.astype({"dataset_id": "Int64"}), on="dataset_id", how="left")
    return frame
