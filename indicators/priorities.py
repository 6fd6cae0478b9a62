"""Which programmes first? Gaps to target weighted by importance, people affected, quick wins.

The masterplan asks "mana yang menjadi prioritas": for the city and each kecamatan/kelurahan,
elements and indicators are ranked by

* ``gap``: how far the score is from where it should be, in score points - ``100 - score``
  (``gap_mode="max"``), or the distance to the catalog's target (``green`` threshold, else
  ``target``) expressed on the same 0-100 scale with the normalisation the score used
  (``gap_mode="target"``; an indicator already meeting its target has gap 0);
* ``weight``: the node's effective weight in the index at the region's level (the product of
  sibling-normalised weights on its path, counting only nodes that apply at that level);
* ``priority = gap x weight``: the index points at stake - how much the index would rise if the
  gap were closed (exact for arithmetic means with complete data, a first-order estimate otherwise);
* ``people_affected = population x gap / 100`` where the population (``VAR-POP``) is known: a
  gap-weighted head count, so a 20-point gap in a kelurahan of 30,000 outranks the same gap in one
  of 3,000.

A priority matrix puts gap against weight; its quadrants (see :func:`priority_quadrants`) read
"act now" (large gap, high weight), "maintain" (small gap, high weight), "secondary" and "low".

Quick wins (:func:`quick_wins`) re-score the region with one indicator improved by ``step`` points
(capped at 100) and report the index gain per point of improvement, divided by an effort proxy:
by default how proven the improvement is among the region's peers (regions of the same level):
``effort = 2 - share of peers already at or above the improved score`` (1 = every peer already does
it, 2 = no peer does), or any effort per indicator the user enters (e.g. 1-5 from the OPD).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

from indicators.engine import ScoreResult

__all__ = [
    "POPULATION_CODE",
    "QUADRANTS",
    "node_effective_weights",
    "population_by_region",
    "priorities_for_regions",
    "priority_quadrants",
    "priority_table",
    "quick_wins",
    "target_score",
]

POPULATION_CODE = "VAR-POP"
QUADRANTS = ("act_now", "maintain", "secondary", "low")


def population_by_region(values: pd.DataFrame, year: int, code: str = POPULATION_CODE) -> pd.Series:
    """Population per region: the ``code`` value of ``year``, else the latest earlier year."""
    if values is None or values.empty:
        return pd.Series(dtype=float)
    frame = values.loc[(values["indicator"] == code) & (values["year"] <= int(year)), ["region", "year", "value"]]
    if frame.empty:
        return pd.Series(dtype=float)
    frame = frame.sort_values("year").drop_duplicates("region", keep="last")
    return pd.Series(frame["value"].to_numpy(dtype=float), index=frame["region"].astype(str), name="population")


def _unit(result: ScoreResult, region: str, year: int) -> int:
    unit = result.unit_index.get((str(region), int(year)))
    if unit is None:
        raise KeyError(f"no scores for {region} in {year}")
    return unit


def node_effective_weights(result: ScoreResult, unit: int) -> dict[str, float]:
    """Effective weight of every tree node for one region-year: the product of its weight shares
    among the siblings that apply at the region's level (the root has 1)."""
    catalog = result.catalog
    level = int(result.unit_level_idx[unit]) if result.unit_level_idx is not None else 0
    eff = {catalog.root: 1.0}
    for code in catalog.tree_codes:
        kids = catalog.children[code]
        if not kids:
            continue
        weights = result.node_weights.get(code)
        w = weights[level] if weights is not None else np.ones(len(kids))
        total = float(np.sum(w))
        for kid, wk in zip(kids, w, strict=True):
            eff[kid] = eff.get(code, 0.0) * (float(wk) / total if total > 0 else 0.0)
    return eff


def target_score(result: ScoreResult, code: str, unit: int) -> float:
    """The score an indicator would have at its catalog target (``green``, else ``target``), with
    the normalisation parameters its score used; 100 when no target is known or the method cannot
    place one (percentile ranks, target bands)."""
    row = result.catalog.node(code)
    tgt = row.get("green", math.nan)
    if tgt is None or math.isnan(tgt):
        tgt = row.get("target", math.nan)
    if tgt is None or math.isnan(tgt):
        return 100.0
    group = int(result.unit_group[unit])
    params = result.norm_params.get((code, group))
    if not params:
        return 100.0
    direction = params.get("direction", row["direction"])
    if direction == "target":
        return 100.0
    if params.get("transform") == "log":
        if tgt <= 0:
            return 100.0
        tgt = math.log(tgt)
    method = params.get("method")
    if method in {"goalposts", "minmax"}:
        lo, hi = float(params["lower"]), float(params["upper"])
        if not hi > lo:
            return 100.0
        frac = (hi - tgt) / (hi - lo) if direction == "lower" else (tgt - lo) / (hi - lo)
        return float(np.clip(frac, 0.0, 1.0) * 100.0)
    if method == "zscore":
        sd = float(params.get("sd", 0.0))
        if not sd > 0:
            return 100.0
        z = (tgt - float(params["mean"])) / sd
        z = -z if direction == "lower" else z
        return float(np.clip(50.0 + 10.0 * z, 0.0, 100.0))
    return 100.0


def priority_table(
    result: ScoreResult,
    region: str,
    year: int,
    *,
    level: str = "indicator",
    gap_mode: str = "max",
    population: float | None = None,
    lang: str = "id",
) -> pd.DataFrame:
    """Nodes of one catalog level for one region, ranked by ``priority = gap x weight``.

    ``level``: a catalog level (``indicator``, ``element``, ``dimension`` ...); ``gap_mode``:
    ``max`` (100 - score) or ``target`` (see module docstring). Columns ``code, name, parent,
    score, target_score, gap, weight, priority, people_affected, rank``; nodes without a score
    come last with empty priority. Inner nodes' gaps in ``target`` mode are the weighted means of
    their indicators' gaps (so an element's priority is the sum of its indicators').
    """
    if gap_mode not in {"max", "target"}:
        raise ValueError("gap_mode must be 'max' or 'target'")
    catalog = result.catalog
    unit = _unit(result, region, year)
    eff = node_effective_weights(result, unit)
    scores = result.score_matrix[unit]
    idx = result.node_index
    leaf_gap: dict[str, float] = {}
    leaf_target: dict[str, float] = {}
    for code in catalog.indicators:
        s = scores[idx[code]]
        t = target_score(result, code, unit) if gap_mode == "target" else 100.0
        leaf_target[code] = t
        leaf_gap[code] = max(t - s, 0.0) if not math.isnan(s) else math.nan
    codes = [c for c in catalog.tree_codes if catalog.level_name(c) == level and eff.get(c, 0) > 0]
    rows = []
    for code in codes:
        s = float(scores[idx[code]])
        if catalog.children[code]:
            if gap_mode == "max":
                gap, tscore = (100.0 - s if not math.isnan(s) else math.nan), 100.0
            else:
                leaves = [k for k in catalog.descendants(code, leaves_only=True) if eff.get(k, 0) > 0]
                w = np.asarray([eff[k] for k in leaves])
                g = np.asarray([leaf_gap[k] for k in leaves])
                ok = ~np.isnan(g)
                gap = float((w[ok] * g[ok]).sum() / w[ok].sum()) if ok.any() and not math.isnan(s) else math.nan
                tscore = s + gap if not math.isnan(gap) else math.nan
        else:
            gap, tscore = leaf_gap[code], leaf_target[code]
        weight = float(eff.get(code, 0.0))
        rows.append(
            {
                "code": code,
                "name": catalog.name(code, lang),
                "parent": catalog.parent_of.get(code, ""),
                "score": s,
                "target_score": tscore,
                "gap": gap,
                "weight": weight,
                "priority": gap * weight if not math.isnan(gap) else math.nan,
                "people_affected": population * gap / 100.0
                if population is not None and not math.isnan(gap) and population == population
                else math.nan,
            }
        )
    columns = ["code", "name", "parent", "score", "target_score", "gap", "weight", "priority", "people_affected"]
    frame = pd.DataFrame(rows, columns=columns)
    frame = frame.sort_values(["priority", "gap", "code"], ascending=[False, False, True], na_position="last")
    frame = frame.reset_index(drop=True)
    frame["rank"] = frame["priority"].rank(ascending=False, method="min")
    return frame


def priorities_for_regions(
    result: ScoreResult,
    regions: list[str],
    year: int,
    *,
    level: str = "indicator",
    gap_mode: str = "max",
    population: pd.Series | None = None,
    top: int | None = 5,
    lang: str = "id",
) -> pd.DataFrame:
    """The ``top`` priorities of every region in ``regions`` as one long table (``region`` first),
    for a masterplan annex listing each kecamatan's or kelurahan's priorities. Regions without
    scores in ``year`` are left out."""
    frames = []
    for region in regions:
        if result.unit_index.get((str(region), int(year))) is None:
            continue
        pop = population.get(region) if population is not None else None
        table = priority_table(result, region, year, level=level, gap_mode=gap_mode, population=pop, lang=lang)
        table = table.dropna(subset=["priority"])
        frames.append((table.head(top) if top else table).assign(region=str(region)))
    if not frames:
        return pd.DataFrame(columns=["region", "rank", "code", "name", "score", "gap", "weight", "priority"])
    out = pd.concat(frames, ignore_index=True)
    return out[["region", *[c for c in out.columns if c != "region"]]]


def priority_quadrants(frame: pd.DataFrame, gap_split: float = 40.0, weight_split: float | None = None) -> pd.DataFrame:
    """Add ``quadrant``: act_now (gap >= split, weight >= split), maintain (small gap, high weight),
    secondary (large gap, low weight), low. Default splits: a gap of 40 points (a score below 60 is
    a "significant challenge" in the status bands) and the mean weight of the listed nodes."""
    out = frame.copy()
    if weight_split is None:
        weight_split = float(out["weight"].mean()) if len(out) else 0.0
    high_gap = out["gap"] >= gap_split
    high_w = out["weight"] >= weight_split
    quadrant = np.where(high_w, np.where(high_gap, "act_now", "maintain"), np.where(high_gap, "secondary", "low"))
    out["quadrant"] = np.where(out["gap"].isna(), None, quadrant)
    return out


def quick_wins(
    result: ScoreResult,
    region: str,
    year: int,
    *,
    step: float = 10.0,
    effort: Mapping[str, float] | None = None,
    node: str | None = None,
    peers: list[str] | None = None,
    lang: str = "id",
) -> pd.DataFrame:
    """Indicators of one region ranked by index gain per unit of effort for a ``step``-point rise.

    Each indicator with a score below 100 is raised by ``min(step, 100 - score)`` and the region
    re-scored (tree re-aggregated from its indicator scores, so missing data, thresholds and
    non-arithmetic means count). Columns ``code, name, score, improvement, index_gain, gain_per_point,
    peer_share, effort, value, rank``; ``value = index_gain / effort``.

    ``peers``: the regions whose scores show what is feasible (default: the other regions of the
    same level; for a city alone at its level, pass its kecamatan). Ties in value go to the larger
    gain, then the lower score (more room to improve).
    """
    from indicators.sensitivity import Reaggregator

    catalog = result.catalog
    node = node or catalog.root
    unit = _unit(result, region, year)
    agg = Reaggregator(result, np.asarray([unit]))
    col = agg.node_index[node]
    base = float(agg.run()[0, 0, col])
    leaf_scores = result.score_matrix[unit]
    candidates = []
    for code in catalog.indicators:
        s = float(leaf_scores[result.node_index[code]])
        if not math.isnan(s) and s < 100.0 - 1e-9 and code in set(catalog.descendants(node)):
            candidates.append((code, s, min(step, 100.0 - s)))
    columns = [
        "code",
        "name",
        "score",
        "improvement",
        "index_gain",
        "gain_per_point",
        "peer_share",
        "effort",
        "value",
        "rank",
    ]
    if not candidates or math.isnan(base):
        return pd.DataFrame(columns=columns)
    batch = len(candidates)
    shift = {}
    for k, (code, _, raise_by) in enumerate(candidates):
        delta = np.zeros(batch)
        delta[k] = raise_by
        shift[code] = delta
    after = agg.run(shift=shift)[:, 0, col]
    if peers is not None:
        index = result.unit_index
        peer_rows = np.asarray(
            [index[(p, int(year))] for p in peers if (p, int(year)) in index and p != str(region)], dtype=np.int64
        )
    else:  # same level, same year, without the region itself
        same = result.unit_year == int(year)
        if result.unit_level_idx is not None:
            same &= result.unit_level_idx == result.unit_level_idx[unit]
        same[unit] = False
        peer_rows = np.flatnonzero(same)
    rows = []
    for k, (code, s, raise_by) in enumerate(candidates):
        peer = result.score_matrix[peer_rows, result.node_index[code]] if peer_rows.size else np.asarray([])
        peer = peer[~np.isnan(peer)]
        share = float((peer >= s + raise_by - 1e-9).mean()) if peer.size else math.nan
        if effort is not None and code in effort:
            e = float(effort[code])
        else:
            e = 2.0 - share if not math.isnan(share) else 1.5
        gain = float(after[k] - base)
        rows.append(
            {
                "code": code,
                "name": catalog.name(code, lang),
                "score": s,
                "improvement": raise_by,
                "index_gain": gain,
                "gain_per_point": gain / raise_by if raise_by > 0 else math.nan,
                "peer_share": share,
                "effort": e,
                "value": gain / e if e > 0 else math.nan,
            }
        )
    frame = pd.DataFrame(rows)
    frame = frame.sort_values(
        ["value", "index_gain", "score", "code"], ascending=[False, False, True, True]
    ).reset_index(drop=True)
    frame["rank"] = np.arange(1, len(frame) + 1)
    return frame[columns]
