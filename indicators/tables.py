"""Tables the dashboard shows, computed from a scoring run (no Streamlit, no translation).

Each function returns a tidy frame with stable English column names; pages translate the headers
and format the numbers. Keeping the joins here means the CLI, the reports and the tests read the
same table a user sees.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from indicators.engine import ScoreResult

__all__ = ["compare_matrix", "indicator_detail", "node_scores", "used_normalization"]


def used_normalization(result: ScoreResult, code: str, region: str, year: int) -> dict[str, Any]:
    """The normalisation actually applied to ``code`` for this region-year, in the indicator's unit.

    Keys: ``method`` (goalposts, minmax, zscore, percentile, target), and the numbers it used
    (``lower``/``upper`` goalposts or the scope's min/max, ``mean``/``sd``, ``target``/``tolerance``,
    ``n``), plus ``transform`` and ``scope`` (the region group normalised together). With a log
    transform the engine works on logarithms; the goalposts are given back in the raw unit.
    Empty dict when the region has no data that year.
    """
    unit = result.unit_index.get((region, int(year)))
    if unit is None or code not in result.indicators:
        return {}
    group = int(result.unit_group[unit])
    params = dict(result.norm_params.get((code, group), {}))
    if not params:
        return {}
    transform = result.catalog.node(code)["transform"]
    if transform == "log":
        for key in ("lower", "upper", "target"):
            if isinstance(params.get(key), float) and not math.isnan(params[key]):
                params[key] = math.exp(params[key])
    params["transform"] = transform
    params["scope"] = result.group_labels[group] if result.group_labels else ""
    return params


def indicator_detail(
    result: ScoreResult,
    region: str,
    year: int,
    codes: list[str],
    status: pd.DataFrame | None = None,
    trend: pd.DataFrame | None = None,
    provenance: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per indicator of ``codes`` for one region-year: what it is and why it scores so.

    Columns ``code, parent, value, unit, direction, method, lower, upper, target, score, rank,
    coverage, origin, status, trend, annual_change, dataset_id, file_name, uploaded_by,
    uploaded_at, applicable``. ``status``/``trend``/``provenance`` are the frames of
    :func:`indicators.status.status_frame`, :func:`indicators.status.trend_frame` and
    :func:`indicators.quality.provenance`; missing ones leave their columns empty. Indicators not
    measured at the region's level have ``applicable`` False and no score.
    """
    catalog = result.catalog
    unit = result.unit_index.get((region, int(year)))
    rows = []
    for code in codes:
        node = catalog.node(code)
        row: dict[str, Any] = {
            "code": code,
            "parent": catalog.parent_of.get(code, ""),
            "unit": node["unit"],
            "direction": node["direction"],
            "value": np.nan,
            "score": np.nan,
            "rank": np.nan,
            "coverage": np.nan,
            "origin": "missing",
            "applicable": False,
        }
        if unit is not None:
            j = result.indicators.index(code)
            col = result.node_index[code]
            row["applicable"] = not math.isnan(result.coverage_matrix[unit, col])
            row["value"] = float(result.raw[unit, j])
            row["score"] = float(result.score_matrix[unit, col])
            row["rank"] = float(result.rank_matrix[unit, col])
            row["coverage"] = float(result.coverage_matrix[unit, col])
            row["origin"] = {0: "missing", 1: "observed", 2: "derived", 3: "imputed"}[int(result.origin[unit, j])]
        params = used_normalization(result, code, region, year)
        row["method"] = params.get("method", "")
        row["lower"] = params.get("lower", node["lower"])
        row["upper"] = params.get("upper", node["upper"])
        target = node["target"]
        row["target"] = params.get("target", target) if not math.isnan(target) else params.get("target", np.nan)
        rows.append(row)
    frame = pd.DataFrame(rows)
    if frame.empty:
        return frame
    key = ["code"]
    if status is not None and len(status):
        sub = status.loc[(status["region"] == region) & (status["year"] == int(year)), ["code", "status"]]
        frame = frame.merge(sub, on=key, how="left")
    else:
        frame["status"] = "grey"
    frame["status"] = frame["status"].fillna("grey")
    if trend is not None and len(trend):
        sub = trend.loc[trend["region"] == region, ["code", "trend", "annual_change"]]
        frame = frame.merge(sub, on=key, how="left")
    else:
        frame["trend"] = "insufficient"
        frame["annual_change"] = np.nan
    frame["trend"] = frame["trend"].fillna("insufficient")
    prov_cols = ["dataset_id", "file_name", "uploaded_by", "uploaded_at"]
    if provenance is not None and len(provenance):
        sub = provenance.loc[
            (provenance["region"] == region) & (provenance["year"] == int(year)), ["indicator", *prov_cols]
        ].rename(columns={"indicator": "code"})
        frame = frame.merge(sub, on=key, how="left")
    else:
        for col in prov_cols:
            frame[col] = np.nan
    return frame


def node_scores(result: ScoreResult, entities: list[tuple[str, int]], codes: list[str]) -> pd.DataFrame:
    """Scores, ranks and coverage of ``codes`` for each (region, year) entity, long format.

    Columns ``entity`` (position in ``entities``), ``region, year, code, score, rank, coverage``;
    an entity without data that year gets NaN scores rather than disappearing.
    """
    out = []
    for k, (region, year) in enumerate(entities):
        unit = result.unit_index.get((region, int(year)))
        for code in codes:
            col = result.node_index[code]
            if unit is None:
                score = rank = cov = np.nan
            else:
                score = result.score_matrix[unit, col]
                rank = result.rank_matrix[unit, col]
                cov = result.coverage_matrix[unit, col]
            out.append((k, region, int(year), code, float(score), float(rank), float(cov)))
    return pd.DataFrame(out, columns=["entity", "region", "year", "code", "score", "rank", "coverage"])


def compare_matrix(long: pd.DataFrame, value: str = "score", reference: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Codes x entities matrix of ``value`` from :func:`node_scores`, and each entity's difference
    from the ``reference`` entity (the reference column is 0; NaN where either side is missing)."""
    matrix = long.pivot(index="code", columns="entity", values=value)
    order = list(dict.fromkeys(long["code"]))
    matrix = matrix.reindex(order)
    diff = matrix.sub(matrix[reference], axis=0) if reference in matrix.columns else matrix * np.nan
    return matrix, diff
