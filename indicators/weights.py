"""Weights of the children of one node: equal, manual shares, budget allocation, and how much each
node really moves the index.

A catalog's weights are relative among siblings (COINr's convention); :class:`indicators.method.Method`
overrides them by code. These helpers turn what an expert does in the UI (move a slider, split 100
points, accept AHP weights) into such overrides, and show *effective* weights two ways:

* **nominal**: a node's share of the index if every indicator had data - the product of
  sibling-normalised weights on its path, counting only the nodes that apply at the regions' level
  (a kecamatan index has no city-only indicators; ``Catalog.effective_weights`` for the whole tree);
* **data-based**: the mean change of the index when the node's score rises by ``step`` points
  (default 10) in every region, divided by ``step``. It equals the nominal weight for arithmetic
  means with complete data, and differs when data are missing (weights are renormalised among the
  children that have data), when scores are near 100 (the rise is capped), or with geometric and
  harmonic means (low scores pull harder). This is "how much the indicator really moves the
  index"; the Pearson correlation of the node's score with the index across regions is shown too,
  since an indicator can carry weight and still hardly change the ranking.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from indicators.catalog import Catalog
from indicators.engine import ScoreResult
from indicators.method import Method
from indicators.problems import BilingualError

__all__ = [
    "WeightsError",
    "apply_weights",
    "budget_to_weights",
    "current_weights",
    "effective_weights",
    "equal_weights",
    "normalize",
    "rebalance",
    "to_budget",
]


class WeightsError(BilingualError):
    """Weights that cannot be used (negative, all zero, budget not fully spent); bilingual."""


def current_weights(catalog: Catalog, method: Method, node: str) -> dict[str, float]:
    """The raw weights of ``node``'s children under ``method`` (overrides, else the catalog's)."""
    return {k: float(method.weights.get(k, catalog.node(k)["weight"])) for k in catalog.children[node]}


def equal_weights(codes: Iterable[str]) -> dict[str, float]:
    codes = list(codes)
    return {c: 1.0 / len(codes) for c in codes} if codes else {}


def normalize(weights: Mapping[str, float]) -> dict[str, float]:
    """Shares summing to 1. Negative weights or all zeros are errors."""
    bad = [c for c, w in weights.items() if not (w >= 0 and math.isfinite(w))]
    if bad:
        raise WeightsError(f"Bobot harus >= 0: {', '.join(bad)}", f"Weights must be >= 0: {', '.join(bad)}")
    total = float(sum(weights.values()))
    if not total > 0:
        raise WeightsError("Semua bobot bernilai 0", "All weights are 0")
    return {c: float(w) / total for c, w in weights.items()}


def rebalance(shares: Mapping[str, float], changed: str, value: float) -> dict[str, float]:
    """Live renormalisation of sliders: ``changed`` gets ``value`` (a share in [0, 1]) and the
    others are scaled proportionally to fill the rest, so the shares always sum to 1.

    When every other share is 0 the rest is split equally among them.
    """
    if changed not in shares:
        raise KeyError(changed)
    value = min(max(float(value), 0.0), 1.0)
    others = {c: max(float(s), 0.0) for c, s in shares.items() if c != changed}
    if not others:
        return {changed: 1.0}
    rest = 1.0 - value
    total = sum(others.values())
    out = {changed: value}
    for c, s in others.items():
        out[c] = rest * (s / total) if total > 0 else rest / len(others)
    return {c: out[c] for c in shares}


def budget_to_weights(points: Mapping[str, float], total: float = 100.0) -> dict[str, float]:
    """Budget allocation: an expert splits ``total`` points among the children; weights = shares.

    The points must be >= 0 and add up to exactly ``total`` (a budget not fully spent is an error,
    so that the expert sees the difference instead of a silent rescaling).
    """
    bad = [c for c, p in points.items() if not (p >= 0 and math.isfinite(p))]
    if bad:
        raise WeightsError(f"Poin harus >= 0: {', '.join(bad)}", f"Points must be >= 0: {', '.join(bad)}")
    spent = float(sum(points.values()))
    if abs(spent - total) > 1e-6:
        raise WeightsError(
            f"Jumlah poin {spent:g}, harus tepat {total:g}", f"The points add up to {spent:g}; they must be {total:g}"
        )
    return normalize(points)


def to_budget(weights: Mapping[str, float], total: int = 100) -> dict[str, int]:
    """Whole points summing to ``total`` in proportion to ``weights`` (largest remainder)."""
    shares = normalize(weights)
    raw = {c: s * total for c, s in shares.items()}
    out = {c: math.floor(v) for c, v in raw.items()}
    left = total - sum(out.values())
    for c in sorted(raw, key=lambda k: (-(raw[k] - out[k]), k))[:left]:
        out[c] += 1
    return out


def apply_weights(method: Method, weights: Mapping[str, float]) -> Method:
    """A copy of ``method`` with the given weights (by code) overriding earlier ones."""
    for code, w in weights.items():
        if not (w >= 0 and math.isfinite(w)):
            raise WeightsError(f"Bobot {code} harus >= 0", f"Weight of {code} must be >= 0")
    merged = {**method.weights, **{c: float(w) for c, w in weights.items()}}
    return method.model_copy(update={"weights": merged})


def effective_weights(
    result: ScoreResult,
    *,
    year: int,
    level: str | None = None,
    node: str | None = None,
    step: float = 10.0,
    codes: Iterable[str] | None = None,
    within: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Nominal and data-based effective weights of ``node``'s descendants (see module docstring).

    Columns ``code, level, parent, nominal, per_point, share, correlation, n``: ``nominal`` is the
    node's share of ``node`` (default the root) if all data were present; ``per_point`` the mean
    index change per point the node's score rises (measured with a rise of ``step`` points, capped
    at 100, over the regions of ``level`` in ``year`` where ``node`` is scored); ``share`` the
    ``per_point`` values rescaled to sum to 1 within each catalog level; ``correlation`` Pearson's r
    between the node's score and the index across those regions (limited to ``within`` when
    given); ``n`` the regions with a score.
    """
    from indicators.sensitivity import Reaggregator, scope_rows

    catalog = result.catalog
    node = node or catalog.root
    codes = list(codes) if codes is not None else catalog.descendants(node)
    rows = scope_rows(result, year, level, within)
    if rows.size:  # nominal = the tree as it applies at the regions' level (node_weights of the run)
        from indicators.priorities import node_effective_weights

        nominal_all = pd.Series(node_effective_weights(result, int(rows[0])))
    else:
        nominal_all = catalog.effective_weights({**result.method.weights})
    base = float(nominal_all.get(node, 0.0)) if float(nominal_all.get(node, 0.0)) > 0 else 1.0
    agg = Reaggregator(result, rows)
    col = agg.node_index[node]
    before = agg.run()[0]
    index = before[:, col]
    records = []
    for code in codes:
        own = before[:, agg.node_index[code]]
        after = agg.run(shift={code: step})[0][:, col]
        usable = ~np.isnan(index) & ~np.isnan(after) & ~np.isnan(own)
        gain = float(np.mean(after[usable] - index[usable])) if usable.any() else math.nan
        if usable.sum() > 2 and np.std(own[usable]) > 0 and np.std(index[usable]) > 0:
            corr = float(np.corrcoef(own[usable], index[usable])[0, 1])
        else:
            corr = math.nan
        records.append(
            {
                "code": code,
                "level": catalog.level_name(code),
                "parent": catalog.parent_of.get(code, ""),
                "nominal": float(nominal_all.get(code, 0.0)) / base,
                "per_point": gain / step if step else math.nan,
                "correlation": corr,
                "n": int(usable.sum()),
            }
        )
    frame = pd.DataFrame(records, columns=["code", "level", "parent", "nominal", "per_point", "correlation", "n"])
    totals = frame.groupby("level")["per_point"].transform(lambda s: s.sum(min_count=1))
    frame["share"] = frame["per_point"] / totals.where(totals > 0)
    return frame[["code", "level", "parent", "nominal", "per_point", "share", "correlation", "n"]]
