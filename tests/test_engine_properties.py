"""Invariants of the scoring engine, checked with hypothesis on random trees, data and methods."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from conftest import catalog_from_text
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indicators.engine import score
from indicators.method import Method

# A two-level tree with mixed aggregations; a and d have goalposts, the rest are min-max.
TREE = """
code,parent,weight,aggregation,direction,lower,upper
R,,,{root},,,
D1,R,2,{d1},,,
D2,R,1,{d2},,,
a,D1,1,,higher,0,100
b,D1,2,,lower,,
c,D1,1,,higher,,
d,D2,1,,higher,0,50
e,D2,3,,lower,,
"""
LEAVES = ["a", "b", "c", "d", "e"]
AGG = st.sampled_from(["arithmetic", "geometric", "harmonic"])
NORM = st.sampled_from([None, "goalposts", "minmax", "zscore", "percentile", "target"])
VALUE = st.floats(min_value=-50, max_value=150, allow_nan=False, allow_infinity=False)
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _catalog(root, d1, d2):
    return catalog_from_text(TREE.format(root=root, d1=d1, d2=d2))


@st.composite
def panels(draw, min_regions=2, max_regions=6):
    n = draw(st.integers(min_regions, max_regions))
    years = draw(st.lists(st.integers(2019, 2024), min_size=1, max_size=3, unique=True))
    rows = []
    for r in range(n):
        for y in years:
            for leaf in LEAVES:
                if draw(st.booleans()) or leaf == "a":
                    rows.append((f"R{r}", leaf, y, draw(VALUE)))
    return pd.DataFrame(rows, columns=["region", "indicator", "year", "value"])


@FAST
@given(panels(), AGG, AGG, AGG, NORM, st.floats(0, 1))
def test_scores_stay_in_0_100(data, root, d1, d2, norm, threshold):
    result = score(data, _catalog(root, d1, d2), Method(normalization=norm, threshold=threshold))
    values = result.scores["score"].to_numpy()
    finite = values[~np.isnan(values)]
    assert ((finite >= 0) & (finite <= 100)).all()
    cov = result.scores["coverage"].to_numpy()
    assert ((cov >= 0) & (cov <= 1 + 1e-12)).all()


@FAST
@given(panels(), AGG, AGG, AGG, st.sampled_from([None, "goalposts", "minmax", "zscore", "percentile"]), st.data())
def test_raising_a_higher_is_better_value_never_lowers_an_ancestor(data, root, d1, d2, norm, draw):
    catalog = _catalog(root, d1, d2)
    method = Method(normalization=norm)
    rows = data.index[data["indicator"].isin(["a", "c", "d"])]  # the higher-is-better leaves
    row = draw.draw(st.sampled_from(list(rows)))
    bump = draw.draw(st.floats(0.01, 100))
    raised = data.copy()
    raised.loc[row, "value"] = raised.loc[row, "value"] + bump
    region, leaf, year = data.loc[row, ["region", "indicator", "year"]]
    before = score(data, catalog, method).scores_plain().set_index(["region", "year", "code"])["score"]
    after = score(raised, catalog, method).scores_plain().set_index(["region", "year", "code"])["score"]
    for code in [leaf, *catalog.ancestors(leaf)]:
        old, new = before[(region, year, code)], after[(region, year, code)]
        if math.isnan(old):
            continue
        assert new >= old - 1e-9, (code, old, new)


@FAST
@given(panels(), AGG, AGG, AGG, st.randoms(use_true_random=False))
def test_row_order_does_not_change_results(data, root, d1, d2, rnd):
    catalog = _catalog(root, d1, d2)
    shuffled = data.sample(frac=1.0, random_state=rnd.randint(0, 10_000)).reset_index(drop=True)
    first = score(data, catalog).scores_plain()
    second = score(shuffled, catalog).scores_plain()
    pd.testing.assert_frame_equal(first, second)


@FAST
@given(st.lists(st.floats(0, 100, allow_nan=False), min_size=2, max_size=6))
def test_equal_weight_arithmetic_equals_plain_mean(xs):
    leaves = [f"x{i}" for i in range(len(xs))]
    text = "code,parent,lower,upper\nR,,,\n" + "".join(f"{leaf},R,0,100\n" for leaf in leaves)
    catalog = catalog_from_text(text)
    frame = pd.DataFrame({"region": "A", "indicator": leaves, "year": 2024, "value": xs})
    got = score(frame, catalog).scores_plain().set_index("code").at["R", "score"]
    assert got == pytest.approx(sum(xs) / len(xs))


@FAST
@given(panels(), AGG, AGG, AGG)
def test_weights_are_relative_among_siblings(data, root, d1, d2):
    """Multiplying all siblings' weights by the same factor changes nothing."""
    catalog = _catalog(root, d1, d2)
    base = score(data, catalog).scores_plain()
    scaled = score(data, catalog, Method(weights={"D1": 20, "D2": 10, "a": 7, "b": 14, "c": 7})).scores_plain()
    pd.testing.assert_series_equal(base["score"], scaled["score"], rtol=1e-9, atol=1e-9)
