"""How robust are the ranks? Monte Carlo and Sobol analysis over the method's uncertain choices.

The JRC/OECD audit practice (and COINr's ``get_sensitivity``): every choice an expert could
reasonably have made differently is an uncertain input - the weights (each perturbed uniformly by
+/- X %), the normalisation, the aggregation, the imputation. Many runs with random choices give
each region a distribution of ranks: nominal rank, median, 5th-95th percentile interval and mean
absolute rank shift. Variance-based (Sobol) first-order and total indices say which choice
drives the rank changes; they are computed by SALib (Saltelli sampling, Jansen/Saltelli
estimators), never by hand.

Speed: scoring from the raw values (the engine) for every run would cost seconds each. Instead
:class:`SensitivityModel` runs the engine once per distinct normalisation x imputation option (they
change the indicator scores), keeps the indicator scores of the regions in scope, and every run
only re-aggregates the tree (:class:`Reaggregator`) - a few dozen numpy operations on a small
matrix, batched over runs. 1,000 runs over 514 regions take about a second (``bench/``).

:class:`Reaggregator` reproduces the engine's aggregation exactly (weights renormalised among the
children with data, the missing-data threshold, arithmetic / geometric / harmonic means, the
``geo_floor`` rescaling, applicability per region level), which ``tests/test_sensitivity.py``
checks against the engine, including ``Method.exclude``.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.stats import rankdata

from indicators.catalog import Catalog
from indicators.engine import ScoreResult, score
from indicators.method import Method
from indicators.problems import BilingualError

__all__ = [
    "AGGREGATION_OPTIONS",
    "IMPUTATION_OPTIONS",
    "NOMINAL",
    "NORMALIZATION_OPTIONS",
    "MonteCarloResult",
    "Reaggregator",
    "SensitivityError",
    "SensitivityModel",
    "SobolResult",
    "Uncertainty",
    "exclusion_impact",
    "exclusion_summary",
    "monte_carlo",
    "rank_rows",
    "scope_rows",
    "sobol_analysis",
    "sobol_indices",
]

#: The option meaning "as the method says" in every list of alternatives.
NOMINAL = "nominal"
NORMALIZATION_OPTIONS = (NOMINAL, "minmax", "zscore", "percentile", "goalposts")
AGGREGATION_OPTIONS = (NOMINAL, "arithmetic", "geometric", "harmonic")
IMPUTATION_OPTIONS = (NOMINAL, "none", "locf", "linear")
#: Runs re-aggregated together (memory: batch x regions x nodes floats).
BATCH = 64

Progress = Callable[[float], None]


class SensitivityError(BilingualError):
    """A sensitivity request that cannot run (nothing varies, no regions); bilingual message."""


# ============================================================================ re-aggregation
@dataclass(frozen=True)
class _Step:
    code: str
    col: int
    kid_cols: np.ndarray
    kid_wpos: np.ndarray
    base_w: np.ndarray
    aggregation: str


class Reaggregator:
    """Aggregate the catalog tree again from cached indicator scores, with other weights/methods.

    ``rows`` selects the region-year units of ``result`` to keep (default: all). Weight factors are
    multipliers of each node's nominal weight, in the order of :attr:`weight_codes` (every tree node
    but the root); a factor 0 removes a node as ``Method.exclude`` does.
    """

    def __init__(self, result: ScoreResult, rows: np.ndarray | None = None):
        catalog: Catalog = result.catalog
        method: Method = result.method
        self.result = result
        self.rows = np.arange(result.score_matrix.shape[0]) if rows is None else np.asarray(rows, dtype=np.int64)
        self.nodes = list(result.nodes)
        self.node_index = {c: i for i, c in enumerate(self.nodes)}
        self.weight_codes = [c for c in catalog.tree_codes if c != catalog.root]
        self.weight_index = {c: i for i, c in enumerate(self.weight_codes)}
        self.leaf_cols = np.asarray([self.node_index[c] for c in result.indicators], dtype=np.int64)
        self.leaf_scores = result.score_matrix[np.ix_(self.rows, self.leaf_cols)]
        self.leaf_app = ~np.isnan(result.coverage_matrix[np.ix_(self.rows, self.leaf_cols)])
        self.threshold = float(method.threshold)
        self.floor = float(method.geo_floor)
        steps = []
        for code in catalog.post_order:
            kids = catalog.children[code]
            if not kids:
                continue
            base_w = np.asarray([float(method.weights.get(k, catalog.node(k)["weight"])) for k in kids])
            agg = method.aggregation_by.get(code) or method.aggregation or catalog.node(code)["aggregation"]
            steps.append(
                _Step(
                    code=code,
                    col=self.node_index[code],
                    kid_cols=np.asarray([self.node_index[k] for k in kids], dtype=np.int64),
                    kid_wpos=np.asarray([self.weight_index[k] for k in kids], dtype=np.int64),
                    base_w=base_w,
                    aggregation=agg,
                )
            )
        self.steps = steps
        #: weight codes whose factor can change a result (they have at least one sibling)
        self.free_weights = [c for c in self.weight_codes if len(catalog.children[catalog.parent_of[c]]) > 1]

    @property
    def n_rows(self) -> int:
        return len(self.rows)

    def factors_for(self, exclude: Iterable[str] = (), weights: Mapping[str, float] | None = None) -> np.ndarray:
        """Weight factors that remove ``exclude`` (and set new absolute ``weights`` by code)."""
        factors = np.ones(len(self.weight_codes))
        catalog = self.result.catalog
        method = self.result.method
        for code, w in (weights or {}).items():
            if code in self.weight_index:
                nominal = float(method.weights.get(code, catalog.node(code)["weight"]))
                factors[self.weight_index[code]] = w / nominal if nominal > 0 else (0.0 if w == 0 else np.inf)
        for code in exclude:
            if code in self.weight_index:
                factors[self.weight_index[code]] = 0.0
        if np.isinf(factors).any():
            raise SensitivityError(
                "Bobot simpul yang nominalnya 0 tidak dapat diubah di sini",
                "A node with nominal weight 0 cannot be reweighted here",
            )
        return factors

    def run(
        self,
        factors: np.ndarray | None = None,
        leaf_scores: np.ndarray | None = None,
        aggregation: str | None = None,
        shift: Mapping[str, float | np.ndarray] | None = None,
        stable_threshold: bool = False,
    ) -> np.ndarray:
        """Scores of every node, shape ``(batch, rows, nodes)`` (``batch`` = rows of ``factors``).

        ``factors``: ``(batch, len(weight_codes))`` or one vector (default all 1).
        ``leaf_scores``: indicator scores ``(rows, indicators)`` or ``(batch, rows, indicators)``
        (default: the result's). ``aggregation``: one method for every inner node (default: the
        method's per node). ``shift``: points added to a node's score right after it is computed
        (clipped to [0, 100]) - how a "what if this indicator rose by 10" is asked; a scalar, or one
        value per batch member (so many what-ifs run as one batch).

        ``stable_threshold``: decide whether a node has enough data (``Method.threshold``) with the
        nominal weights (a factor 0 still removes a node), so that perturbing weights by a few per
        cent does not make regions whose coverage sits exactly at the threshold (2 of 3 equally
        weighted indicators) flicker in and out of the ranking. The Monte Carlo uses it: the data
        a region has do not depend on the weight uncertainty.
        """
        leaf = self.leaf_scores if leaf_scores is None else np.asarray(leaf_scores, dtype=float)
        if factors is None:
            sizes = [np.asarray(d).shape[0] for d in (shift or {}).values() if np.ndim(d) > 0]
            batch = max([*sizes, leaf.shape[0] if leaf.ndim == 3 else 1])
            factors = np.ones((batch, len(self.weight_codes)))
        factors = np.atleast_2d(np.asarray(factors, dtype=float))
        batch = factors.shape[0]
        if leaf.ndim == 2:
            leaf = np.broadcast_to(leaf, (batch, *leaf.shape))
        n_rows = leaf.shape[1]
        scores = np.full((batch, n_rows, len(self.nodes)), np.nan)
        app = np.zeros((n_rows, len(self.nodes)), dtype=bool)
        app_b = np.zeros((batch, n_rows, len(self.nodes)), dtype=bool)
        scores[:, :, self.leaf_cols] = leaf
        app[:, self.leaf_cols] = self.leaf_app
        app_b[:] = app
        shift = {c: _as_batch(d, batch) for c, d in (shift or {}).items()}
        for code, delta in shift.items():
            col = self.node_index[code]
            if not self.result.catalog.children[code]:
                scores[:, :, col] = np.clip(scores[:, :, col] + delta, 0.0, 100.0)
        threshold = self.threshold - 1e-9
        floor = self.floor
        for step in self.steps:
            x = scores[:, :, step.kid_cols]  # batch x rows x k
            kid_app = app_b[:, :, step.kid_cols]
            w = step.base_w[None, :] * factors[:, step.kid_wpos]  # batch x k
            w_unit = np.where(kid_app, w[:, None, :], 0.0)
            present = ~np.isnan(x) & (w_unit > 0)
            wp = np.where(present, w_unit, 0.0)
            total = w_unit.sum(axis=2)
            got = wp.sum(axis=2)
            agg = aggregation or step.aggregation
            with np.errstate(divide="ignore", invalid="ignore"):
                if stable_threshold:  # data availability judged with the nominal weights
                    w_av = np.where(kid_app, (step.base_w[None, :] * (factors[:, step.kid_wpos] > 0))[:, None, :], 0.0)
                    share = np.where(present, w_av, 0.0).sum(axis=2) / w_av.sum(axis=2)
                else:
                    share = got / total
                scored = (share >= threshold) & (got > 0)
                xs = np.where(present, x, 0.0)
                if agg == "arithmetic":
                    value = (wp * xs).sum(axis=2) / got
                else:
                    if floor > 0:
                        xs = floor + xs * (100.0 - floor) / 100.0
                    zero = present & (xs <= 0)
                    any_zero = zero.any(axis=2)
                    if agg == "geometric":
                        logs = np.where(present & ~zero, np.log(np.where(xs > 0, xs, 1.0)), 0.0)
                        value = np.exp((wp * logs).sum(axis=2) / got)
                    else:  # harmonic
                        inv = np.where(present & ~zero, wp / np.where(xs > 0, xs, 1.0), 0.0)
                        value = got / inv.sum(axis=2)
                    value = np.where(any_zero, 0.0, value)
                    if floor > 0:
                        value = (value - floor) * 100.0 / (100.0 - floor)
                        value = np.where(any_zero, 0.0, value)
                value = np.clip(value, 0.0, 100.0)
            out = np.where(scored, value, np.nan)
            if step.code in shift:
                out = np.clip(out + shift[step.code], 0.0, 100.0)
            scores[:, :, step.col] = out
            app_b[:, :, step.col] = total > 0
        return scores

    def node_scores(self, node: str, **kwargs) -> np.ndarray:
        """Scores of one node, ``(batch, rows)``."""
        return self.run(**kwargs)[:, :, self.node_index[node]]


def _as_batch(delta: float | np.ndarray, batch: int) -> float | np.ndarray:
    """A shift as a scalar or a ``(batch, 1)`` column that broadcasts over regions."""
    arr = np.asarray(delta, dtype=float)
    if arr.ndim == 0:
        return float(arr)
    if arr.shape[0] != batch:
        raise ValueError(f"shift needs one value per batch member ({batch}), got {arr.shape[0]}")
    return arr.reshape(batch, 1)


def scope_rows(result: ScoreResult, year: int, level: str | None, within: Iterable[str] | None) -> np.ndarray:
    """Units of ``result`` in ``year`` at ``level`` (any when None) among the regions ``within``."""
    rows = np.flatnonzero(result.unit_year == int(year))
    if level is not None:
        rows = rows[np.asarray([lv == level for lv in result.unit_level[rows]], dtype=bool)]
    if within is not None:
        keep = {str(r) for r in within}
        rows = rows[np.asarray([str(r) in keep for r in result.unit_region[rows]], dtype=bool)]
    return rows


def rank_rows(scores: np.ndarray) -> np.ndarray:
    """Rank along the last axis, 1 = highest score, ties share the best rank, NaN stays NaN."""
    scores = np.asarray(scores, dtype=float)
    if scores.size == 0:
        return scores.copy()
    return rankdata(-scores, axis=-1, method="min", nan_policy="omit").astype(float)


# ============================================================================ the model
@dataclass(frozen=True)
class Uncertainty:
    """The uncertain choices: weight spread and the alternatives of each discrete choice.

    ``weight_spread = 0.2`` multiplies every weight by a factor drawn uniformly from [0.8, 1.2]
    (siblings are renormalised by the aggregation). A discrete choice varies only when it lists at
    least two options; :data:`NOMINAL` stands for the method's own setting.
    """

    weight_spread: float = 0.2
    normalizations: tuple[str, ...] = ()
    aggregations: tuple[str, ...] = ()
    imputations: tuple[str, ...] = ()

    def discrete(self) -> list[tuple[str, tuple[str, ...]]]:
        """``(assumption, options)`` for each discrete choice that varies."""
        out = []
        for name, options in (
            ("normalization", self.normalizations),
            ("aggregation", self.aggregations),
            ("imputation", self.imputations),
        ):
            options = tuple(dict.fromkeys(options))
            if len(options) >= 2:
                out.append((name, options))
        return out


class SensitivityModel:
    """Everything a Monte Carlo or Sobol run needs, computed once.

    The regions in scope are those of ``level`` (all when None) with data in ``year``, limited to
    the codes in ``within`` when given (e.g. one city's kecamatan while the store holds several
    cities); ranks are among them. ``node`` is the score whose ranks are studied (default: the
    root, the city index).
    """

    def __init__(
        self,
        values: pd.DataFrame,
        catalog: Catalog,
        method: Method | None = None,
        regions: pd.DataFrame | pd.Series | dict | None = None,
        *,
        year: int,
        level: str | None = None,
        node: str | None = None,
        uncertainty: Uncertainty | None = None,
        nominal: ScoreResult | None = None,
        within: Iterable[str] | None = None,
    ):
        method = method or Method()
        self.catalog = catalog
        self.method = method
        self.year = int(year)
        self.level = level
        self.node = node or catalog.root
        self.uncertainty = uncertainty or Uncertainty()
        if self.node not in catalog.children:
            raise SensitivityError(
                f"Simpul '{self.node}' tidak ada di katalog", f"Node '{self.node}' is not in the catalog"
            )
        for name, options in self.uncertainty.discrete():
            allowed = {
                "normalization": NORMALIZATION_OPTIONS,
                "aggregation": AGGREGATION_OPTIONS,
                "imputation": IMPUTATION_OPTIONS,
            }[name]
            bad = [o for o in options if o not in allowed]
            if bad:
                raise SensitivityError(
                    f"Pilihan {name} tidak dikenal: {', '.join(bad)}", f"Unknown {name} option(s): {', '.join(bad)}"
                )
        self.nominal_result = nominal if nominal is not None else score(values, catalog, method, regions)
        base = self.nominal_result
        rows = scope_rows(base, self.year, level, within)
        if rows.size == 0:
            raise SensitivityError(
                f"Tidak ada wilayah {level or ''} dengan data tahun {year}".replace("  ", " "),
                f"No {level or ''} regions with data in {year}".replace("  ", " "),
            )
        self.rows = rows
        self.region_codes = np.asarray(base.unit_region[rows], dtype=object)
        self.aggregator = Reaggregator(base, rows)
        self.node_col = self.aggregator.node_index[self.node]

        # discrete options -> indicator-score matrices (one engine run per normalisation x imputation)
        discrete = dict(self.uncertainty.discrete())
        self.norm_options = discrete.get("normalization", (NOMINAL,))
        self.agg_options = discrete.get("aggregation", (NOMINAL,))
        self.imp_options = discrete.get("imputation", (NOMINAL,))
        self._leaf: dict[tuple[str, str], np.ndarray] = {}
        for norm in self.norm_options:
            for imp in self.imp_options:
                self._leaf[(norm, imp)] = self._leaf_scores(values, regions, norm, imp)

        # factor layout of the unit cube: free weights, then one column per varying discrete choice
        self.weight_codes = list(self.aggregator.free_weights) if self.uncertainty.weight_spread > 0 else []
        self._wpos = np.asarray([self.aggregator.weight_index[c] for c in self.weight_codes], dtype=np.int64)
        self.discrete_names = [name for name, _ in self.uncertainty.discrete()]
        self.factor_names = [f"w:{c}" for c in self.weight_codes] + self.discrete_names
        self.groups = ["weights"] * len(self.weight_codes) + self.discrete_names
        self.nominal_scores = self.aggregator.node_scores(self.node)[0]
        self.nominal_ranks = rank_rows(self.nominal_scores)

    # ------------------------------------------------------------------ options
    def _leaf_scores(self, values, regions, norm: str, imp: str) -> np.ndarray:
        if norm == NOMINAL and imp == NOMINAL:
            return self.aggregator.leaf_scores
        update: dict = {}
        if norm != NOMINAL:
            update.update(normalization=norm, normalization_by={})
        if imp != NOMINAL:
            update["imputation"] = imp
        method = self.method.model_copy(update=update)
        if method.imputation == self.method.imputation and norm == NOMINAL:
            return self.aggregator.leaf_scores
        result = score(values, self.catalog, method, regions)
        index = result.unit_index
        rows = np.asarray([index[(r, self.year)] for r in self.region_codes], dtype=np.int64)
        return result.score_matrix[np.ix_(rows, self.aggregator.leaf_cols)]

    @property
    def dimension(self) -> int:
        return len(self.factor_names)

    @property
    def assumptions(self) -> list[str]:
        """The assumption groups in factor order (``weights`` first when weights vary)."""
        return list(dict.fromkeys(self.groups))

    def decode(self, X: np.ndarray) -> pd.DataFrame:
        """The choices each unit-cube row stands for (one row per run)."""
        X = np.atleast_2d(X)
        out = {}
        for k, name in enumerate(self.discrete_names):
            options = {"normalization": self.norm_options, "aggregation": self.agg_options}.get(name, self.imp_options)
            idx = np.minimum((X[:, len(self.weight_codes) + k] * len(options)).astype(int), len(options) - 1)
            out[name] = np.asarray(options, dtype=object)[idx]
        if self.weight_codes:
            spread = self.uncertainty.weight_spread
            f = 1.0 + spread * (2.0 * X[:, : len(self.weight_codes)] - 1.0)
            out["weight_factor_min"] = f.min(axis=1)
            out["weight_factor_max"] = f.max(axis=1)
        return pd.DataFrame(out)

    # ------------------------------------------------------------------ evaluation
    def evaluate(self, X: np.ndarray, progress: Progress | None = None) -> np.ndarray:
        """Scores of the studied node for every run (rows of the unit cube ``X``): ``(runs, regions)``."""
        X = np.atleast_2d(np.asarray(X, dtype=float))
        n_runs = X.shape[0]
        n_w = len(self.weight_codes)
        factors = np.ones((n_runs, len(self.aggregator.weight_codes)))
        if n_w:
            spread = self.uncertainty.weight_spread
            factors[:, self._wpos] = 1.0 + spread * (2.0 * X[:, :n_w] - 1.0)
        choice = {"normalization": np.zeros(n_runs, int), "aggregation": np.zeros(n_runs, int)}
        choice["imputation"] = np.zeros(n_runs, int)
        sizes = {
            "normalization": len(self.norm_options),
            "aggregation": len(self.agg_options),
            "imputation": len(self.imp_options),
        }
        for k, name in enumerate(self.discrete_names):
            choice[name] = np.minimum((X[:, n_w + k] * sizes[name]).astype(int), sizes[name] - 1)
        out = np.full((n_runs, len(self.rows)), np.nan)
        combos = choice["normalization"] * 100 + choice["imputation"] * 10 + choice["aggregation"]
        done = 0
        for combo in np.unique(combos):
            idx = np.flatnonzero(combos == combo)
            norm = self.norm_options[combo // 100]
            imp = self.imp_options[(combo // 10) % 10]
            agg = self.agg_options[combo % 10]
            leaf = self._leaf[(norm, imp)]
            for start in range(0, len(idx), BATCH):
                part = idx[start : start + BATCH]
                scores = self.aggregator.run(
                    factors=factors[part],
                    leaf_scores=leaf,
                    aggregation=None if agg == NOMINAL else agg,
                    stable_threshold=True,
                )
                out[part] = scores[:, :, self.node_col]
                done += len(part)
                if progress is not None:
                    progress(done / n_runs)
        return out


# ============================================================================ Monte Carlo
@dataclass
class MonteCarloResult:
    """Ranks of every region in every run, and their summary."""

    regions: np.ndarray
    nominal_score: np.ndarray
    nominal_rank: np.ndarray
    scores: np.ndarray
    ranks: np.ndarray
    choices: pd.DataFrame
    seed: int
    node: str

    @property
    def n_runs(self) -> int:
        return self.scores.shape[0]

    def summary(self) -> pd.DataFrame:
        """Per region: ``region, nominal_score, nominal_rank, median_rank, p05, p95, interval,
        mean_abs_shift, median_score`` (sorted by nominal rank). Runs where a region has no score are
        left out of its statistics."""
        ranks = self.ranks
        shift = np.abs(ranks - self.nominal_rank[None, :])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN columns (regions never scored)
            frame = pd.DataFrame(
                {
                    "region": self.regions,
                    "nominal_score": self.nominal_score,
                    "nominal_rank": self.nominal_rank,
                    "median_rank": np.nanmedian(ranks, axis=0),
                    "p05": np.nanpercentile(ranks, 5, axis=0),
                    "p95": np.nanpercentile(ranks, 95, axis=0),
                    "mean_abs_shift": np.nanmean(shift, axis=0),
                    "median_score": np.nanmedian(self.scores, axis=0),
                }
            )
        frame["interval"] = frame["p95"] - frame["p05"]
        return frame.sort_values(["nominal_rank", "region"], na_position="last").reset_index(drop=True)

    def mean_abs_shift(self) -> float:
        """Mean absolute rank shift over regions and runs (the headline figure)."""
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            return float(np.nanmean(np.abs(self.ranks - self.nominal_rank[None, :])))


def monte_carlo(
    model: SensitivityModel, n_runs: int = 1000, seed: int = 0, progress: Progress | None = None
) -> MonteCarloResult:
    """``n_runs`` runs with every uncertain choice drawn at random (uniform); reproducible by ``seed``."""
    if n_runs < 1:
        raise SensitivityError("Jumlah simulasi minimal 1", "At least one run is needed")
    if model.dimension == 0:
        raise SensitivityError(
            "Tidak ada asumsi yang divariasikan (bobot 0 % dan tanpa pilihan lain)",
            "Nothing varies (weights +/- 0 % and no alternative choices)",
        )
    rng = np.random.default_rng(seed)
    X = rng.random((n_runs, model.dimension))
    scores = model.evaluate(X, progress)
    return MonteCarloResult(
        regions=model.region_codes,
        nominal_score=model.nominal_scores,
        nominal_rank=model.nominal_ranks,
        scores=scores,
        ranks=rank_rows(scores),
        choices=model.decode(X),
        seed=seed,
        node=model.node,
    )


# ============================================================================ Sobol (SALib)
def sobol_indices(
    func: Callable[[np.ndarray], np.ndarray],
    names: Sequence[str],
    bounds: Sequence[Sequence[float]] | None = None,
    groups: Sequence[str] | None = None,
    n: int = 1024,
    seed: int = 0,
) -> pd.DataFrame:
    """First-order and total Sobol indices of ``func`` with SALib (Saltelli sampling).

    ``func`` maps a sample ``(runs, d)`` to outputs ``(runs,)``. With ``groups`` the indices are
    per group (SALib's grouped analysis). ``n`` is rounded up to a power of 2 (what the Sobol'
    sequence needs); the cost is ``n (g + 2)`` evaluations for ``g`` groups. Returns columns
    ``assumption, S1, S1_conf, ST, ST_conf`` (95 % bootstrap half-widths).
    """
    from SALib.analyze import sobol as sobol_analyze
    from SALib.sample import sobol as sobol_sample

    names = list(names)
    bounds = [list(b) for b in bounds] if bounds is not None else [[0.0, 1.0]] * len(names)
    problem: dict = {"num_vars": len(names), "names": names, "bounds": bounds}
    if groups is not None and len(set(groups)) < len(names):
        problem["groups"] = list(groups)
    labels = list(dict.fromkeys(problem.get("groups", names)))
    n = 1 << max(math.ceil(math.log2(max(n, 2))), 1)
    X = sobol_sample.sample(problem, n, calc_second_order=False, seed=seed)
    Y = np.asarray(func(X), dtype=float)
    if Y.shape[0] != X.shape[0]:
        raise ValueError("func must return one output per sample row")
    finite = np.isfinite(Y)
    if not finite.all():
        Y = np.where(finite, Y, np.nanmean(Y) if finite.any() else 0.0)
    if not np.std(Y) > 0:
        zeros = np.zeros(len(labels))
        return pd.DataFrame({"assumption": labels, "S1": zeros, "S1_conf": zeros, "ST": zeros, "ST_conf": zeros})
    result = sobol_analyze.analyze(problem, Y, calc_second_order=False, seed=seed, print_to_console=False)
    return pd.DataFrame(
        {
            "assumption": labels,
            "S1": np.asarray(result["S1"], dtype=float),
            "S1_conf": np.asarray(result["S1_conf"], dtype=float),
            "ST": np.asarray(result["ST"], dtype=float),
            "ST_conf": np.asarray(result["ST_conf"], dtype=float),
        }
    )


@dataclass
class SobolResult:
    """Sobol indices per assumption for the mean absolute rank shift (and optionally one region)."""

    indices: pd.DataFrame
    n_runs: int
    output: str


def sobol_analysis(
    model: SensitivityModel,
    n_base: int = 256,
    seed: int = 0,
    region: str | None = None,
    progress: Progress | None = None,
) -> SobolResult:
    """Which assumption drives the ranks? First-order and total Sobol indices (SALib).

    The output of a run is the mean absolute rank shift over all regions in scope (how much the
    ranking as a whole moves), or the rank of ``region`` when given. Weights form one group of
    factors, each discrete choice its own, so the cost is ``n_base x (groups + 2)`` runs.
    """
    if model.dimension == 0:
        raise SensitivityError(
            "Tidak ada asumsi yang divariasikan (bobot 0 % dan tanpa pilihan lain)",
            "Nothing varies (weights +/- 0 % and no alternative choices)",
        )
    col = None
    if region is not None:
        matches = np.flatnonzero(model.region_codes == region)
        if not matches.size:
            raise SensitivityError(f"Wilayah {region} tidak dalam cakupan", f"Region {region} is not in scope")
        col = int(matches[0])
    counter = {"runs": 0}

    def func(X: np.ndarray) -> np.ndarray:
        scores = model.evaluate(X, progress)
        counter["runs"] += X.shape[0]
        ranks = rank_rows(scores)
        if col is not None:
            return ranks[:, col]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            return np.nanmean(np.abs(ranks - model.nominal_ranks[None, :]), axis=1)

    indices = sobol_indices(func, model.factor_names, groups=model.groups, n=n_base, seed=seed)
    return SobolResult(indices=indices, n_runs=counter["runs"], output=region or "mean_abs_rank_shift")


# ============================================================================ remove one node
def exclusion_impact(
    result: ScoreResult,
    codes: Iterable[str],
    *,
    year: int,
    level: str | None = None,
    node: str | None = None,
    within: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Ranks when one element or indicator at a time is removed (``Method.exclude``), per region.

    Long frame ``excluded, region, nominal_score, nominal_rank, score, rank, rank_shift`` where
    ``rank_shift = nominal_rank - rank`` (positive: the region moves up without that node).
    Ranks are among the regions of ``level`` in ``year`` (limited to ``within`` when given).
    """
    catalog = result.catalog
    node = node or catalog.root
    rows = scope_rows(result, year, level, within)
    agg = Reaggregator(result, rows)
    codes = [c for c in codes if c in agg.weight_index and c != node and node not in catalog.descendants(c)]
    nominal = agg.node_scores(node)[0]
    nominal_rank = rank_rows(nominal)
    frames = []
    if codes:
        factors = np.stack([agg.factors_for(exclude=[c]) for c in codes])
        scores = agg.run(factors=factors)[:, :, agg.node_index[node]]
        ranks = rank_rows(scores)
        regions = np.asarray(result.unit_region[rows], dtype=object)
        for k, code in enumerate(codes):
            frames.append(
                pd.DataFrame(
                    {
                        "excluded": code,
                        "region": regions,
                        "nominal_score": nominal,
                        "nominal_rank": nominal_rank,
                        "score": scores[k],
                        "rank": ranks[k],
                        "rank_shift": nominal_rank - ranks[k],
                    }
                )
            )
    if not frames:
        return pd.DataFrame(
            columns=["excluded", "region", "nominal_score", "nominal_rank", "score", "rank", "rank_shift"]
        )
    return pd.concat(frames, ignore_index=True)


def exclusion_summary(impact: pd.DataFrame) -> pd.DataFrame:
    """Per removed node: ``excluded, mean_abs_shift, max_abs_shift, regions_moved``, largest first."""
    if impact.empty:
        return pd.DataFrame(columns=["excluded", "mean_abs_shift", "max_abs_shift", "regions_moved"])
    frame = impact.assign(abs_shift=impact["rank_shift"].abs())
    out = frame.groupby("excluded", sort=False).agg(
        mean_abs_shift=("abs_shift", "mean"),
        max_abs_shift=("abs_shift", "max"),
        regions_moved=("abs_shift", lambda s: int((s > 0).sum())),
    )
    return out.reset_index().sort_values(["mean_abs_shift", "excluded"], ascending=[False, True]).reset_index(drop=True)
