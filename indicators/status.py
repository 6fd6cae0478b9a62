"""Reading the scores: target status, trends, strengths and weaknesses.

Status follows the SDSN SDG dashboards: green / yellow / orange / red, grey for no data.

* An indicator with a ``green`` threshold in the catalog (or, failing that, a ``target``) is green
  when its raw value meets it (>= for higher-is-better, <= for lower-is-better, inside the band for a
  target band). With a ``red`` threshold too, a value at or beyond red is red and values in between
  are yellow (better half) or orange (worse half), as SDSN splits the middle. Without ``red`` the
  non-green part is graded by the normalised score (``Method.status_bands``), capped at yellow.
* Other indicators and inner nodes are graded by their 0-100 score against ``status_bands``
  (default 80 / 60 / 40), so the colour always agrees with the number shown next to it.
  :func:`sdsn_node_status` gives SDSN's "two worst indicators" rule for experts who want it.

Trends compare the recent annual change with the change needed to reach green by
``Method.target_year`` (SDSN): ``on_track`` (at or above the needed pace, or green and not falling),
``improving`` (>= half of it), ``stagnating`` (< half), ``decreasing`` (moving away), and
``insufficient`` when fewer than two years have data.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np
import pandas as pd

from indicators.engine import ScoreResult

__all__ = [
    "STATUSES",
    "TRENDS",
    "indicator_status",
    "score_status",
    "sdsn_node_status",
    "status_frame",
    "strengths_weaknesses",
    "trend_frame",
]

STATUSES = ("green", "yellow", "orange", "red", "grey")
TRENDS = ("on_track", "improving", "stagnating", "decreasing", "insufficient")
_RANK = {"green": 0, "yellow": 1, "orange": 2, "red": 3}


def score_status(score: float, bands: tuple[float, float, float] = (80.0, 60.0, 40.0)) -> str:
    """Colour of a 0-100 score by the method's bands."""
    if score is None or (isinstance(score, float) and math.isnan(score)):
        return "grey"
    if score >= bands[0]:
        return "green"
    if score >= bands[1]:
        return "yellow"
    if score >= bands[2]:
        return "orange"
    return "red"


def _nan(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def indicator_status(
    value: float,
    score: float,
    row: dict,
    bands: tuple[float, float, float] = (80.0, 60.0, 40.0),
) -> str:
    """Status of one indicator value against the catalog's thresholds (see module docstring)."""
    if _nan(value):
        return "grey"
    direction = row.get("direction", "higher")
    target, tol = row.get("target", math.nan), row.get("tolerance", math.nan)
    tol = 0.0 if _nan(tol) else tol
    green = row.get("green", math.nan)
    green = target if _nan(green) else green
    red = row.get("red", math.nan)
    if direction == "target" and not _nan(target):
        if abs(value - target) <= tol:
            return "green"
        capped = score_status(score, bands)
        return "yellow" if capped == "green" else capped
    if _nan(green):
        return score_status(score, bands)
    meets = value >= green if direction != "lower" else value <= green
    if meets:
        return "green"
    if not _nan(red) and red != green:
        if direction == "lower":
            if value >= red:
                return "red"
            position = (red - value) / (red - green)
        else:
            if value <= red:
                return "red"
            position = (value - red) / (green - red)
        return "yellow" if position >= 0.5 else "orange"
    capped = score_status(score, bands)
    return "yellow" if capped == "green" else capped


def sdsn_node_status(statuses: Iterable[str]) -> str:
    """SDSN's rule for a goal: from its two worst indicators; green only if all are green, red only
    if both worst are red; grey when no indicator has data."""
    ranks = sorted((_RANK[s] for s in statuses if s in _RANK), reverse=True)
    if not ranks:
        return "grey"
    if ranks[0] == 0:
        return "green"
    worst = ranks[:2]
    if len(worst) == 2 and worst == [3, 3]:
        return "red"
    mean = sum(worst) / len(worst)
    level = min(max(int(mean), 1), 2) if len(worst) == 2 else min(max(worst[0], 1), 3)
    return STATUSES[level]


def status_frame(result: ScoreResult, year: int | None = None, rule: str = "score") -> pd.DataFrame:
    """Status of every node for every region in ``year`` (all years when None).

    Columns ``region, year, code, level, score, value, status``. Indicators use
    :func:`indicator_status`; inner nodes their score bands (``rule="score"``) or SDSN's two-worst
    rule over their indicators (``rule="sdsn"``).
    """
    scores = result.scores_plain()
    if year is not None:
        scores = scores.loc[scores["year"] == year]
    values = result.indicator_values[["region", "year", "indicator", "value"]].rename(columns={"indicator": "code"})
    frame = scores.merge(values, on=["region", "year", "code"], how="left")
    catalog = result.catalog
    bands = result.method.status_bands
    is_leaf = frame["code"].map(lambda c: not catalog.children[c]).to_numpy(dtype=bool)
    status = np.empty(len(frame), dtype=object)
    rows = {c: catalog.node(c) for c in catalog.indicators}
    for i, (code, value, sc, leaf) in enumerate(
        zip(frame["code"], frame["value"], frame["score"], is_leaf, strict=True)
    ):
        if leaf:
            status[i] = indicator_status(value, sc, rows[code], bands)
        else:
            status[i] = score_status(sc, bands)
    frame["status"] = status
    if rule == "sdsn":
        leaf_status = frame.loc[is_leaf].set_index(["region", "year", "code"])["status"]
        for i in np.flatnonzero(~is_leaf):
            region, yr, code = frame.at[i, "region"], frame.at[i, "year"], frame.at[i, "code"]
            kids = catalog.descendants(code, leaves_only=True)
            found = [leaf_status.get((region, yr, k)) for k in kids]
            frame.at[i, "status"] = sdsn_node_status(s for s in found if s)
    return frame


def _slope(years: np.ndarray, values: np.ndarray) -> float:
    """Least-squares change per year (robust to a missing middle year)."""
    if len(years) < 2:
        return math.nan
    x = years - years.mean()
    return float((x * (values - values.mean())).sum() / (x * x).sum())


def trend_frame(
    result: ScoreResult,
    codes: Iterable[str] | None = None,
    end_year: int | None = None,
    window: int = 5,
) -> pd.DataFrame:
    """Trend of node scores over the last ``window`` years up to ``end_year``.

    Columns ``region, code, start_year, end_year, start, end, change, annual_change, needed,
    trend``. ``needed`` is the annual gain still needed to reach green (``status_bands[0]``) by
    ``Method.target_year``; ``trend`` is one of :data:`TRENDS`.
    """
    scores = result.scores_plain()
    if codes is not None:
        scores = scores.loc[scores["code"].isin(list(codes))]
    end_year = int(scores["year"].max()) if end_year is None else end_year
    scores = scores.loc[(scores["year"] <= end_year) & (scores["year"] > end_year - window)]
    scores = scores.dropna(subset=["score"])
    green = result.method.status_bands[0]
    target_year = result.method.target_year
    rows = []
    for (region, code), group in scores.groupby(["region", "code"], sort=True):
        group = group.sort_values("year")
        years = group["year"].to_numpy(dtype=float)
        vals = group["score"].to_numpy(dtype=float)
        last_year = int(years[-1])
        start, end = float(vals[0]), float(vals[-1])
        slope = _slope(years, vals)
        remaining = max(target_year - last_year, 1)
        needed = max(green - end, 0.0) / remaining
        rows.append(
            {
                "region": region,
                "code": code,
                "start_year": int(years[0]),
                "end_year": last_year,
                "start": start,
                "end": end,
                "change": end - start,
                "annual_change": slope,
                "needed": needed,
                "trend": classify_trend(slope, needed, end >= green),
            }
        )
    columns = ["region", "code", "start_year", "end_year", "start", "end", "change", "annual_change", "needed", "trend"]
    return pd.DataFrame(rows, columns=columns)


def classify_trend(annual_change: float, needed: float, achieved: bool, tolerance: float = 0.05) -> str:
    """SDSN trend label from the actual and the needed annual change (score points per year)."""
    if _nan(annual_change):
        return "insufficient"
    if achieved:
        return "on_track" if annual_change >= -tolerance else "decreasing"
    if annual_change < -tolerance:
        return "decreasing"
    if annual_change >= needed:
        return "on_track"
    if annual_change >= 0.5 * needed:
        return "improving"
    return "stagnating"


def strengths_weaknesses(
    result: ScoreResult,
    region: str,
    year: int | None = None,
    level: str = "indicator",
    k: int = 5,
) -> pd.DataFrame:
    """A region's strongest and weakest nodes of one catalog level, absolute and against its peers.

    Peers are the regions of the same level in the same year; ``gap`` is the region's score minus
    the peers' median, so a kelurahan that is weak everywhere still sees where it is *relatively*
    strong. Columns ``code, score, peer_median, gap, kind`` (``strength`` | ``weakness``), the top
    ``k`` of each by gap.
    """
    scores = result.scores_plain()
    year = int(scores["year"].max()) if year is None else year
    scores = scores.loc[(scores["year"] == year) & (scores["level"] == level)].dropna(subset=["score"])
    unit = result.unit_index.get((region, year))
    if unit is None:
        return pd.DataFrame(columns=["code", "score", "peer_median", "gap", "kind"])
    same_level = result.unit_region[result.unit_level_idx == result.unit_level_idx[unit]]
    peers = scores.loc[scores["region"].isin(set(same_level))]
    median = peers.groupby("code")["score"].median()
    own = scores.loc[scores["region"] == region].set_index("code")["score"]
    frame = pd.DataFrame({"score": own, "peer_median": median.reindex(own.index)})
    frame["gap"] = frame["score"] - frame["peer_median"]
    frame = frame.reset_index().rename(columns={"index": "code"})
    frame = frame.sort_values(["gap", "score", "code"], ascending=[False, False, True])
    strengths = frame.head(k).assign(kind="strength")
    weaknesses = frame.iloc[::-1].head(k).assign(kind="weakness")
    weaknesses = weaknesses.loc[~weaknesses["code"].isin(strengths["code"])]
    return pd.concat([strengths, weaknesses], ignore_index=True)
