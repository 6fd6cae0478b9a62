"""Normalisation of one indicator's values (within one scope group) to scores in [0, 100].

Formulas follow the JRC/OECD Handbook and COINr (see ``shared/reference/composite-methods.md``):

* ``goalposts``: ``(x - lo) / (hi - lo)`` clamped to [0, 1], x 100; lower-is-better
  ``(hi - x) / (hi - lo)``. With ``transform = log`` the caller has already taken logs of the values
  and of the goalposts (how UNDP/BPS compute the HDI income index).
* ``minmax``: goalposts at the minimum and maximum of the regions in scope. No spread -> 50.
* ``zscore``: ``50 + 10 z`` (a T-score), clamped to [0, 100] so it can be aggregated with the others;
  sd with ddof = 1. No spread -> 50.
* ``percentile``: percentile rank ``(rank - 1) / (n - 1) x 100`` with average ranks for ties; one
  region -> 50.
* ``target`` (distance to target): ``min(x / target, 1) x 100``; lower-is-better
  ``min(target / x, 1) x 100`` (x <= target -> 100).
* direction ``target`` (a band ``target +/- tolerance``): 100 inside the band, falling linearly to 0
  at the goalposts (or the scope's min/max) outside it. For min-max, z-score and percentile the value
  is first turned into its distance to the band, which is then lower-is-better.

Every function takes the finite values of one group and returns (scores, params) where params are
the numbers actually used (min/max, mean/sd ...), kept so each score can be explained.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["band_distance", "normalize_group"]


def _clip100(values: np.ndarray) -> np.ndarray:
    return np.clip(values, 0.0, 1.0) * 100.0


def band_distance(x: np.ndarray, target: float, tolerance: float) -> np.ndarray:
    """Distance of each value to the band ``[target - tolerance, target + tolerance]`` (0 inside)."""
    return np.maximum(np.abs(x - target) - tolerance, 0.0)


def _goalposts(x: np.ndarray, lo: float, hi: float, direction: str) -> np.ndarray:
    span = hi - lo
    if not span > 0:
        return np.full_like(x, 50.0)
    if direction == "lower":
        return _clip100((hi - x) / span)
    return _clip100((x - lo) / span)


def _band_goalposts(x: np.ndarray, lo: float, hi: float, target: float, tolerance: float) -> np.ndarray:
    """Target band: 100 inside, linear to 0 at ``lo`` below the band and at ``hi`` above it."""
    low_edge, high_edge = target - tolerance, target + tolerance
    out = np.full_like(x, 100.0)
    below = x < low_edge
    above = x > high_edge
    if below.any():
        span = low_edge - lo
        out[below] = _clip100((x[below] - lo) / span) if span > 0 else 0.0
    if above.any():
        span = hi - high_edge
        out[above] = _clip100((hi - x[above]) / span) if span > 0 else 0.0
    return out


def _average_rank(x: np.ndarray) -> np.ndarray:
    order = np.argsort(x, kind="stable")
    ranks = np.empty(len(x), dtype=float)
    sorted_x = x[order]
    # average rank for ties
    _, first, counts = np.unique(sorted_x, return_index=True, return_counts=True)
    avg = first + (counts - 1) / 2.0 + 1.0
    ranks[order] = np.repeat(avg, counts)
    return ranks


def normalize_group(
    x: np.ndarray,
    method: str,
    direction: str,
    lower: float = math.nan,
    upper: float = math.nan,
    target: float = math.nan,
    tolerance: float = 0.0,
) -> tuple[np.ndarray, dict[str, float | str]]:
    """Scores in [0, 100] for the finite values ``x`` of one scope group.

    ``method`` is one of goalposts, minmax, zscore, percentile, target (``auto`` is resolved by the
    caller). Returns the scores and the parameters used.
    """
    x = np.asarray(x, dtype=float)
    if x.size == 0:
        return x.copy(), {"method": method}
    tolerance = 0.0 if math.isnan(tolerance) else tolerance
    params: dict[str, float | str] = {"method": method}

    if direction == "target" and method in {"minmax", "zscore", "percentile"}:
        x = band_distance(x, target, tolerance)
        direction = "lower"
        params["band"] = "distance"

    if method == "goalposts":
        lo = lower if not math.isnan(lower) else float(np.min(x))
        hi = upper if not math.isnan(upper) else float(np.max(x))
        params.update(lower=lo, upper=hi)
        if direction == "target":
            params.update(target=target, tolerance=tolerance)
            return _band_goalposts(x, lo, hi, target, tolerance), params
        return _goalposts(x, lo, hi, direction), params

    if method == "minmax":
        lo, hi = float(np.min(x)), float(np.max(x))
        params.update(lower=lo, upper=hi)
        return _goalposts(x, lo, hi, direction), params

    if method == "zscore":
        mean = float(np.mean(x))
        sd = float(np.std(x, ddof=1)) if x.size > 1 else 0.0
        params.update(mean=mean, sd=sd)
        if not sd > 0:
            return np.full_like(x, 50.0), params
        z = (x - mean) / sd
        if direction == "lower":
            z = -z
        return np.clip(50.0 + 10.0 * z, 0.0, 100.0), params

    if method == "percentile":
        n = x.size
        params.update(n=float(n))
        if n == 1:
            return np.full_like(x, 50.0), params
        pct = (_average_rank(x) - 1.0) / (n - 1) * 100.0
        return (100.0 - pct) if direction == "lower" else pct, params

    if method == "target":
        params.update(target=target)
        if direction == "target":
            lo = lower if not math.isnan(lower) else float(np.min(x))
            hi = upper if not math.isnan(upper) else float(np.max(x))
            params.update(lower=lo, upper=hi, tolerance=tolerance)
            return _band_goalposts(x, lo, hi, target, tolerance), params
        with np.errstate(divide="ignore", invalid="ignore"):
            if direction == "lower":
                out = np.where(x <= target, 1.0, target / x)
            else:
                out = np.where(target > 0, x / target, np.where(x >= target, 1.0, 0.0))
        out = np.nan_to_num(out, nan=0.0, posinf=1.0, neginf=0.0)
        return _clip100(out), params

    raise ValueError(f"unknown normalization {method!r}")
