"""Rank robustness: re-aggregation equals the engine, Monte Carlo is reproducible, Sobol indices
match functions whose answer is known, removing a node moves ranks as the engine says."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from indicators.catalog import catalog_from_frame
from indicators.engine import score
from indicators.method import Method
from indicators.sensitivity import (
    Reaggregator,
    SensitivityError,
    SensitivityModel,
    Uncertainty,
    exclusion_impact,
    exclusion_summary,
    monte_carlo,
    rank_rows,
    sobol_analysis,
    sobol_indices,
)


def make_catalog(aggregations=("arithmetic",), seed: int = 0):
    """Root -> 3 dimensions -> 2 elements -> 2-3 indicators, random weights and directions."""
    rng = np.random.default_rng(seed)
    rows = [{"code": "IDX", "parent": "", "level": "index"}]
    for d in range(3):
        rows.append(
            {
                "code": f"D{d}",
                "parent": "IDX",
                "level": "dimension",
                "weight": str(rng.integers(1, 4)),
                "aggregation": aggregations[d % len(aggregations)],
            }
        )
        for e in range(2):
            code = f"D{d}E{e}"
            rows.append({"code": code, "parent": f"D{d}", "level": "element", "weight": str(rng.integers(1, 3))})
            for i in range(2 + (d + e) % 2):
                rows.append(
                    {
                        "code": f"{code}I{i}",
                        "parent": code,
                        "level": "indicator",
                        "direction": "lower" if (d + e + i) % 4 == 0 else "higher",
                        "weight": str(rng.integers(1, 4)),
                    }
                )
    return catalog_from_frame(pd.DataFrame(rows).fillna(""))


def make_values(catalog, n_regions: int = 30, years=(2023, 2024), missing: float = 0.08, seed: int = 1):
    rng = np.random.default_rng(seed)
    rows = []
    for r in range(n_regions):
        for y in years:
            for code in catalog.indicators:
                if rng.random() < missing:
                    continue
                rows.append((f"R{r:02d}", code, y, float(rng.uniform(0, 100))))
    return pd.DataFrame(rows, columns=["region", "indicator", "year", "value"])


@pytest.fixture(scope="module")
def catalog():
    return make_catalog(("arithmetic", "geometric", "harmonic"))


@pytest.fixture(scope="module")
def values(catalog):
    return make_values(catalog)


# ---------------------------------------------------------------------------- re-aggregation
@pytest.mark.parametrize(
    "method",
    [
        Method(),
        Method(aggregation="geometric"),
        Method(aggregation="harmonic", geo_floor=1.0),
        Method(threshold=0.9),
        Method(weights={"D0": 5.0, "D1E0I0": 0.0}),
    ],
)
def test_reaggregation_reproduces_the_engine(catalog, values, method):
    result = score(values, catalog, method)
    again = Reaggregator(result).run()[0]
    np.testing.assert_array_equal(np.isnan(again), np.isnan(result.score_matrix))
    np.testing.assert_allclose(again, result.score_matrix, equal_nan=True, atol=1e-9)


@pytest.mark.parametrize("code", ["D1E0", "D2", "D0E1I1"])
def test_zero_weight_factor_equals_engine_exclude(catalog, values, code):
    base = score(values, catalog, Method())
    excluded = score(values, catalog, Method(exclude=(code,)))
    agg = Reaggregator(base)
    again = agg.run(factors=agg.factors_for(exclude=[code]))[0]
    keep = [i for i, c in enumerate(base.nodes) if c != code and c not in catalog.descendants(code)]
    np.testing.assert_allclose(again[:, keep], excluded.score_matrix[:, keep], equal_nan=True, atol=1e-9)


def test_shift_raises_the_index_by_weight_times_points():
    # one region, two indicators 50/50 under the root, arithmetic, goalposts 0-100
    catalog = catalog_from_frame(
        pd.DataFrame(
            [
                {"code": "IDX", "parent": "", "level": "index"},
                {"code": "A", "parent": "IDX", "lower": "0", "upper": "100", "weight": "3"},
                {"code": "B", "parent": "IDX", "lower": "0", "upper": "100", "weight": "1"},
            ]
        ).fillna("")
    )
    values = pd.DataFrame({"region": ["R", "R"], "indicator": ["A", "B"], "year": [2024, 2024], "value": [40.0, 95.0]})
    result = score(values, catalog)
    agg = Reaggregator(result)
    assert agg.node_scores("IDX")[0, 0] == pytest.approx(0.75 * 40 + 0.25 * 95)
    assert agg.node_scores("IDX", shift={"A": 10})[0, 0] == pytest.approx(0.75 * 50 + 0.25 * 95)
    # B is capped at 100: +5 points only
    assert agg.node_scores("IDX", shift={"B": 10})[0, 0] == pytest.approx(0.75 * 40 + 0.25 * 100)
    batch = agg.run(shift={"A": np.array([10.0, 0.0]), "B": np.array([0.0, 10.0])})[:, 0, agg.node_index["IDX"]]
    np.testing.assert_allclose(batch, [0.75 * 50 + 0.25 * 95, 0.75 * 40 + 0.25 * 100])


def test_rank_rows_ties_and_missing():
    ranks = rank_rows(np.array([[10.0, 30.0, np.nan, 30.0]]))
    np.testing.assert_array_equal(ranks[0, [0, 1, 3]], [3, 1, 1])
    assert math.isnan(ranks[0, 2])


# ---------------------------------------------------------------------------- Monte Carlo
def _model(catalog, values, **kwargs):
    uncertainty = Uncertainty(
        weight_spread=kwargs.pop("spread", 0.25),
        normalizations=kwargs.pop("normalizations", ("nominal", "zscore")),
        aggregations=kwargs.pop("aggregations", ("nominal", "arithmetic")),
        imputations=kwargs.pop("imputations", ()),
    )
    return SensitivityModel(values, catalog, Method(), year=2024, uncertainty=uncertainty, **kwargs)


def test_monte_carlo_is_reproducible_with_a_seed(catalog, values):
    model = _model(catalog, values)
    a = monte_carlo(model, n_runs=200, seed=7)
    b = monte_carlo(model, n_runs=200, seed=7)
    c = monte_carlo(model, n_runs=200, seed=8)
    np.testing.assert_array_equal(a.ranks, b.ranks)
    pd.testing.assert_frame_equal(a.summary(), b.summary())
    assert not np.array_equal(a.ranks, c.ranks)


def test_monte_carlo_summary_is_consistent(catalog, values):
    model = _model(catalog, values)
    mc = monte_carlo(model, n_runs=300, seed=1)
    summary = mc.summary()
    nominal = score(values, catalog, Method())
    engine_rank = nominal.wide(catalog.root, 2024).rank(ascending=False, method="min")
    merged = summary.set_index("region")["nominal_rank"]
    pd.testing.assert_series_equal(
        merged.sort_index(), engine_rank.reindex(merged.index).sort_index(), check_names=False, check_dtype=False
    )
    ok = summary.dropna(subset=["median_rank", "nominal_rank"])
    assert (ok["p05"] <= ok["median_rank"]).all() and (ok["median_rank"] <= ok["p95"]).all()
    assert (ok["mean_abs_shift"] >= 0).all()
    assert mc.choices["normalization"].isin(["nominal", "zscore"]).all()
    assert set(mc.choices["normalization"]) == {"nominal", "zscore"}


def test_a_region_better_in_every_indicator_always_ranks_first():
    catalog = make_catalog(("arithmetic",), seed=3)
    values = make_values(catalog, n_regions=12, years=(2024,), missing=0.0, seed=5)
    for code in catalog.indicators:  # region R00 best in every indicator, whatever its direction
        best = 101.0 if catalog.node(code)["direction"] == "higher" else -1.0
        values.loc[(values["region"] == "R00") & (values["indicator"] == code), "value"] = best
    model = _model(catalog, values, spread=0.5, normalizations=("nominal", "minmax", "percentile"), aggregations=())
    mc = monte_carlo(model, n_runs=300, seed=0)
    col = list(mc.regions).index("R00")
    assert np.all(mc.ranks[:, col] == 1)


def test_nothing_to_vary_is_refused(catalog, values):
    model = _model(catalog, values, spread=0.0, normalizations=(), aggregations=())
    with pytest.raises(SensitivityError):
        monte_carlo(model, n_runs=10)


def test_imputation_option_uses_a_second_engine_run():
    catalog = make_catalog(seed=2)
    values = make_values(catalog, years=(2022, 2023, 2024), missing=0.3, seed=4)
    model = _model(catalog, values, spread=0.0, normalizations=(), aggregations=(), imputations=("none", "locf"))
    leaf_none = model._leaf[("nominal", "none")]
    leaf_locf = model._leaf[("nominal", "locf")]
    assert np.isnan(leaf_none).sum() > np.isnan(leaf_locf).sum()


# ---------------------------------------------------------------------------- Sobol (SALib)
def ishigami(X, a=7.0, b=0.1):
    return np.sin(X[:, 0]) + a * np.sin(X[:, 1]) ** 2 + b * X[:, 2] ** 4 * np.sin(X[:, 0])


def test_sobol_indices_of_the_ishigami_function():
    # analytic values (a = 7, b = 0.1): S1 = 0.3139, 0.4424, 0; ST = 0.5576, 0.4424, 0.2437
    bounds = [[-math.pi, math.pi]] * 3
    out = sobol_indices(ishigami, ["x1", "x2", "x3"], bounds=bounds, n=4096, seed=1).set_index("assumption")
    np.testing.assert_allclose(out["S1"], [0.3139, 0.4424, 0.0], atol=0.04)
    np.testing.assert_allclose(out["ST"], [0.5576, 0.4424, 0.2437], atol=0.04)


def test_sobol_indices_of_a_linear_model():
    # y = 3 x1 + 1 x2 + 0 x3 with x ~ U(0, 1): S_i = a_i^2 var_i / var(y) = 0.9, 0.1, 0
    def linear(X):
        return 3 * X[:, 0] + 1 * X[:, 1] + 0 * X[:, 2]

    out = sobol_indices(linear, ["a", "b", "c"], n=2048, seed=3).set_index("assumption")
    np.testing.assert_allclose(out["S1"], [0.9, 0.1, 0.0], atol=0.03)
    np.testing.assert_allclose(out["ST"], [0.9, 0.1, 0.0], atol=0.03)


def test_sobol_groups_sum_the_effect_of_their_factors():
    def linear(X):
        return X[:, 0] + X[:, 1] + 2 * X[:, 2]

    out = sobol_indices(linear, ["a", "b", "c"], groups=["g", "g", "h"], n=2048, seed=5).set_index("assumption")
    np.testing.assert_allclose(out["S1"], [2 / 6, 4 / 6], atol=0.04)


def test_sobol_on_the_index_names_the_assumption_that_matters(catalog, values):
    # weights barely move (+/- 1 %) while the normalisation switches between two very different methods
    model = _model(catalog, values, spread=0.01, normalizations=("minmax", "percentile"), aggregations=())
    result = sobol_analysis(model, n_base=64, seed=2).indices.set_index("assumption")
    assert list(result.index) == ["weights", "normalization"]
    assert result.loc["normalization", "ST"] > result.loc["weights", "ST"]


# ---------------------------------------------------------------------------- remove one node
def test_exclusion_impact_matches_engine_ranks(catalog, values):
    base = score(values, catalog, Method())
    impact = exclusion_impact(base, ["D1", "D0E0"], year=2024)
    for code in ("D1", "D0E0"):
        engine = score(values, catalog, Method(exclude=(code,))).wide(catalog.root, 2024)
        engine_rank = engine.rank(ascending=False, method="min")
        got = impact.loc[impact["excluded"] == code].set_index("region")
        np.testing.assert_allclose(got["score"], engine.reindex(got.index), equal_nan=True)
        np.testing.assert_allclose(got["rank"], engine_rank.reindex(got.index), equal_nan=True)
        np.testing.assert_allclose(got["rank_shift"], got["nominal_rank"] - got["rank"], equal_nan=True)
    summary = exclusion_summary(impact)
    assert set(summary["excluded"]) == {"D1", "D0E0"}
    assert (summary["max_abs_shift"] >= summary["mean_abs_shift"]).all()


def test_exclusion_skips_the_studied_node_and_its_ancestors(catalog, values):
    base = score(values, catalog, Method())
    impact = exclusion_impact(base, ["D0", "D0E0", "D1"], year=2024, node="D0E0")
    assert set(impact["excluded"]) == {"D1"}


def test_weight_noise_does_not_drop_regions_sitting_at_the_threshold():
    # element with three equal indicators; region R has two of them: coverage exactly 2/3
    catalog = catalog_from_frame(
        pd.DataFrame(
            [{"code": "IDX", "parent": "", "level": "index"}]
            + [{"code": c, "parent": "IDX", "lower": "0", "upper": "100"} for c in ("A", "B", "C")]
        ).fillna("")
    )
    values = pd.DataFrame(
        [
            ("R", "A", 2024, 50.0),
            ("R", "B", 2024, 70.0),
            ("S", "A", 2024, 40.0),
            ("S", "B", 2024, 40.0),
            ("S", "C", 2024, 40.0),
        ],
        columns=["region", "indicator", "year", "value"],
    )
    model = SensitivityModel(values, catalog, Method(), year=2024, uncertainty=Uncertainty(weight_spread=0.3))
    mc = monte_carlo(model, n_runs=100, seed=0)
    assert not np.isnan(mc.scores).any()
    agg = Reaggregator(score(values, catalog))
    noisy = np.ones((1, len(agg.weight_codes)))
    noisy[0, agg.weight_index["A"]] = 0.9  # A and B now hold less than 2/3 of the weight
    assert np.isnan(agg.node_scores("IDX", factors=noisy)[0]).any()
    assert not np.isnan(agg.node_scores("IDX", factors=noisy, stable_threshold=True)[0]).any()
