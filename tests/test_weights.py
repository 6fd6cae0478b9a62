"""Equal, manual, budget weights and effective weights (nominal and data-based), hand-computed."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indicators.catalog import catalog_from_frame
from indicators.engine import score
from indicators.method import Method
from indicators.weights import (
    WeightsError,
    apply_weights,
    budget_to_weights,
    current_weights,
    effective_weights,
    equal_weights,
    normalize,
    rebalance,
    to_budget,
)


def test_equal_and_normalize():
    assert equal_weights(["a", "b", "c", "d"]) == {"a": 0.25, "b": 0.25, "c": 0.25, "d": 0.25}
    assert normalize({"a": 3, "b": 1}) == {"a": 0.75, "b": 0.25}
    with pytest.raises(WeightsError):
        normalize({"a": 0, "b": 0})
    with pytest.raises(WeightsError):
        normalize({"a": -1, "b": 2})


def test_rebalance_keeps_the_others_in_proportion():
    out = rebalance({"a": 0.5, "b": 0.3, "c": 0.2}, "a", 0.8)
    assert out["a"] == pytest.approx(0.8)
    assert out["b"] == pytest.approx(0.12) and out["c"] == pytest.approx(0.08)
    assert sum(out.values()) == pytest.approx(1.0)


def test_rebalance_splits_equally_when_the_others_are_zero_and_clips():
    out = rebalance({"a": 1.0, "b": 0.0, "c": 0.0}, "a", 0.4)
    assert out == pytest.approx({"a": 0.4, "b": 0.3, "c": 0.3})
    assert rebalance({"a": 0.5, "b": 0.5}, "a", 1.7) == pytest.approx({"a": 1.0, "b": 0.0})


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.floats(0.0, 10.0), min_size=2, max_size=8).filter(lambda v: sum(v) > 0),
    st.floats(0.0, 1.0),
    st.integers(0, 7),
)
def test_rebalance_always_sums_to_one(raw, value, pick):
    shares = normalize({f"k{i}": v for i, v in enumerate(raw)})
    changed = f"k{pick % len(raw)}"
    out = rebalance(shares, changed, value)
    assert sum(out.values()) == pytest.approx(1.0)
    assert out[changed] == pytest.approx(value)
    assert all(v >= 0 for v in out.values())


def test_budget_must_spend_exactly_100_points():
    assert budget_to_weights({"SG": 40, "SB": 10, "SE": 50}) == pytest.approx({"SG": 0.4, "SB": 0.1, "SE": 0.5})
    with pytest.raises(WeightsError) as err:
        budget_to_weights({"SG": 40, "SB": 10, "SE": 40})
    assert "90" in err.value.message_en and "100" in err.value.message_id
    with pytest.raises(WeightsError):
        budget_to_weights({"SG": 110, "SB": -10})


def test_to_budget_uses_largest_remainders():
    assert to_budget({"a": 1, "b": 1, "c": 1}) == {"a": 34, "b": 33, "c": 33}
    points = to_budget({"a": 0.547, "b": 0.127, "c": 0.270, "d": 0.056})
    assert sum(points.values()) == 100 and points == {"a": 55, "b": 13, "c": 27, "d": 5}


def _catalog():
    # IDX -> A (weight 3: a1, a2 equal), B (weight 1: b1); goalposts 0-100 so scores = values
    rows = [
        {"code": "IDX", "parent": "", "level": "index"},
        {"code": "A", "parent": "IDX", "level": "element", "weight": "3"},
        {"code": "B", "parent": "IDX", "level": "element", "weight": "1"},
        {"code": "a1", "parent": "A", "level": "indicator", "lower": "0", "upper": "100"},
        {"code": "a2", "parent": "A", "level": "indicator", "lower": "0", "upper": "100"},
        {"code": "b1", "parent": "B", "level": "indicator", "lower": "0", "upper": "100"},
    ]
    return catalog_from_frame(pd.DataFrame(rows).fillna(""))


def _values(rows):
    return pd.DataFrame(rows, columns=["region", "indicator", "year", "value"])


def test_current_and_applied_weights():
    catalog = _catalog()
    assert current_weights(catalog, Method(), "IDX") == {"A": 3.0, "B": 1.0}
    method = apply_weights(Method(weights={"a1": 2.0}), {"A": 1.0, "B": 1.0})
    assert method.weights == {"a1": 2.0, "A": 1.0, "B": 1.0}
    assert current_weights(catalog, method, "IDX") == {"A": 1.0, "B": 1.0}
    with pytest.raises(WeightsError):
        apply_weights(Method(), {"A": -1.0})


def test_effective_weights_equal_nominal_for_complete_arithmetic_data():
    catalog = _catalog()
    values = _values(
        [
            (r, c, 2024, v)
            for r, vals in {"R1": (20, 40, 60), "R2": (50, 10, 30), "R3": (70, 80, 20)}.items()
            for c, v in zip(("a1", "a2", "b1"), vals, strict=True)
        ]
    )
    result = score(values, catalog)
    eff = effective_weights(result, year=2024).set_index("code")
    assert eff.loc["a1", "nominal"] == pytest.approx(0.375)
    assert eff.loc["b1", "nominal"] == pytest.approx(0.25)
    assert eff.loc["A", "nominal"] == pytest.approx(0.75)
    for code in ("a1", "a2", "b1", "A", "B"):
        assert eff.loc[code, "per_point"] == pytest.approx(eff.loc[code, "nominal"])
    assert eff.loc[["a1", "a2", "b1"], "share"].sum() == pytest.approx(1.0)
    assert eff.loc["a1", "n"] == 3


def test_data_based_weight_sees_missing_data_and_the_cap_at_100():
    catalog = _catalog()
    # a2 is missing everywhere: a1 carries all of A's weight; b1 is at 95 in R1 (only +5 possible)
    values = _values(
        [("R1", "a1", 2024, 20.0), ("R1", "b1", 2024, 95.0), ("R2", "a1", 2024, 60.0), ("R2", "b1", 2024, 30.0)]
    )
    result = score(values, catalog, Method(threshold=0.5))
    eff = effective_weights(result, year=2024).set_index("code")
    assert eff.loc["a1", "nominal"] == pytest.approx(0.375)
    assert eff.loc["a1", "per_point"] == pytest.approx(0.75)  # renormalised within A
    assert eff.loc["a2", "n"] == 0 and math.isnan(eff.loc["a2", "per_point"])
    # b1: R1 gains 0.25 * 5, R2 gains 0.25 * 10 -> mean 1.875 points for a 10-point step
    assert eff.loc["b1", "per_point"] == pytest.approx(0.1875)
