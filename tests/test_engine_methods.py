"""Hand-computed cases for every normalisation and aggregation method of the engine.

Each expected number is worked out in the comment next to it, so a reader can check the formula
(``shared/reference/composite-methods.md``) without running anything.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from conftest import catalog_from_text, values_from_rows

from indicators.engine import EngineError, score
from indicators.method import Goalposts, Method

ONE_INDICATOR = """
code,parent,direction,lower,upper,target,tolerance,transform
R,,,,,,,
x,R,{direction},{lower},{upper},{target},{tolerance},{transform}
"""


def one(direction="higher", lower="", upper="", target="", tolerance="", transform=""):
    return catalog_from_text(
        ONE_INDICATOR.format(
            direction=direction, lower=lower, upper=upper, target=target, tolerance=tolerance, transform=transform
        )
    )


def scores_of(result, code="x", year=2024):
    frame = result.scores_plain()
    frame = frame.loc[(frame["code"] == code) & (frame["year"] == year)]
    return dict(zip(frame["region"], frame["score"], strict=True))


def values(*pairs, code="x", year=2024):
    return values_from_rows([(region, code, year, value) for region, value in pairs])


# ----------------------------------------------------------------------------- normalisation
def test_goalposts_linear_and_clamped():
    cat = one(lower=0, upper=200)
    got = scores_of(score(values(("A", 50), ("B", 250), ("C", -10)), cat))
    # (50 - 0) / (200 - 0) = 0.25 -> 25; 250 is past the upper goalpost -> 100; -10 below -> 0
    assert got == pytest.approx({"A": 25.0, "B": 100.0, "C": 0.0})


def test_goalposts_lower_is_better():
    cat = one(direction="lower", lower=0, upper=200)
    got = scores_of(score(values(("A", 50), ("B", 150)), cat))
    # (200 - 50) / 200 = 0.75 ; (200 - 150) / 200 = 0.25
    assert got == pytest.approx({"A": 75.0, "B": 25.0})


def test_log_transform_applies_to_value_and_goalposts():
    cat = one(lower=100, upper=100000, transform="log")
    got = scores_of(score(values(("A", 1000)), cat))
    # (ln 1000 - ln 100) / (ln 100000 - ln 100) = ln 10 / ln 1000 = 1/3
    assert got["A"] == pytest.approx(100 / 3)


def test_minmax_over_regions_in_scope():
    cat = one()  # no goalposts -> auto = min-max
    got = scores_of(score(values(("A", 10), ("B", 20), ("C", 40)), cat))
    # min 10, max 40: (20 - 10) / 30 = 1/3
    assert got == pytest.approx({"A": 0.0, "B": 100 / 3, "C": 100.0})
    low = scores_of(score(values(("A", 10), ("B", 20), ("C", 40)), one(direction="lower")))
    assert low == pytest.approx({"A": 100.0, "B": 200 / 3, "C": 0.0})


def test_minmax_without_spread_scores_50_and_says_so():
    result = score(values(("A", 7), ("B", 7)), one())
    assert scores_of(result) == pytest.approx({"A": 50.0, "B": 50.0})
    assert any("no spread" in line for line in result.log)


def test_zscore_is_a_clamped_t_score():
    got = scores_of(score(values(("A", 10), ("B", 20), ("C", 30)), one(), Method(normalization="zscore")))
    # mean 20, sd (n - 1) = 10 -> z = -1, 0, 1 -> 50 + 10 z
    assert got == pytest.approx({"A": 40.0, "B": 50.0, "C": 60.0})


def test_percentile_rank_with_ties():
    got = scores_of(
        score(values(("A", 10), ("B", 20), ("C", 30), ("D", 40)), one(), Method(normalization="percentile"))
    )
    assert got == pytest.approx({"A": 0.0, "B": 100 / 3, "C": 200 / 3, "D": 100.0})
    tied = scores_of(score(values(("A", 10), ("B", 10), ("C", 30)), one(), Method(normalization="percentile")))
    # average ranks 1.5, 1.5, 3 -> (1.5 - 1) / 2 = 25 %
    assert tied == pytest.approx({"A": 25.0, "B": 25.0, "C": 100.0})


def test_distance_to_target_higher_and_lower():
    got = scores_of(score(values(("A", 40), ("B", 100)), one(target=80), Method(normalization="target")))
    # 40 / 80 = 0.5 ; 100 / 80 capped at 1
    assert got == pytest.approx({"A": 50.0, "B": 100.0})
    low = scores_of(
        score(values(("A", 10), ("B", 4)), one(direction="lower", target=5), Method(normalization="target"))
    )
    # lower is better: 5 / 10 = 0.5 ; 4 <= 5 -> 1
    assert low == pytest.approx({"A": 50.0, "B": 100.0})


def test_target_band_with_goalposts():
    cat = one(direction="target", lower=-1, upper=8, target=2.5, tolerance=1)
    got = scores_of(score(values(("A", 3), ("B", 1), ("C", 5.5), ("D", 9)), cat))
    # inside [1.5, 3.5] -> 100; 1 -> (1 - -1) / (1.5 - -1) = 0.8; 5.5 -> (8 - 5.5) / (8 - 3.5) = 0.5556; 9 -> 0
    assert got == pytest.approx({"A": 100.0, "B": 80.0, "C": 100 * 2.5 / 4.5, "D": 0.0})


def test_target_band_with_minmax_uses_distance_to_band():
    cat = one(direction="target", target=2.5, tolerance=1)
    got = scores_of(score(values(("A", 3), ("B", 0.5), ("C", 6.5)), cat, Method(normalization="minmax")))
    # distances to [1.5, 3.5]: 0, 1, 3 -> lower is better over [0, 3]
    assert got == pytest.approx({"A": 100.0, "B": 200 / 3, "C": 0.0})


def test_goalpost_override_from_method():
    cat = one(lower=0, upper=100)
    got = scores_of(score(values(("A", 50)), cat, Method(goalposts={"x": Goalposts(upper=200)})))
    assert got["A"] == pytest.approx(25.0)


# ----------------------------------------------------------------------------- aggregation
TWO_CHILDREN = """
code,parent,weight,aggregation,lower,upper
R,,,{agg},,
a,R,1,,0,100
b,R,3,,0,100
"""


@pytest.mark.parametrize(
    ("agg", "expected"),
    [
        # (1 * 25 + 3 * 100) / 4
        ("arithmetic", 81.25),
        # exp((ln 25 + 3 ln 100) / 4) = 25^0.25 * 100^0.75
        ("geometric", 25**0.25 * 100**0.75),
        # 4 / (1 / 25 + 3 / 100) = 4 / 0.07
        ("harmonic", 4 / 0.07),
    ],
)
def test_weighted_aggregations(agg, expected):
    cat = catalog_from_text(TWO_CHILDREN.format(agg=agg))
    result = score(values_from_rows([("A", "a", 2024, 25), ("A", "b", 2024, 100)]), cat)
    assert scores_of(result, "R")["A"] == pytest.approx(expected)


def test_aggregation_is_chosen_per_node():
    cat = catalog_from_text(
        """
code,parent,aggregation,lower,upper
R,,geometric,,
D1,R,arithmetic,,
D2,R,harmonic,,
a,D1,,0,100
b,D1,,0,100
c,D2,,0,100
d,D2,,0,100
"""
    )
    rows = [("A", "a", 2024, 20), ("A", "b", 2024, 60), ("A", "c", 2024, 25), ("A", "d", 2024, 100)]
    got = score(values_from_rows(rows), cat)
    d1 = (20 + 60) / 2  # arithmetic: 40
    d2 = 2 / (1 / 25 + 1 / 100)  # harmonic: 40
    assert scores_of(got, "D1")["A"] == pytest.approx(d1)
    assert scores_of(got, "D2")["A"] == pytest.approx(d2)
    assert scores_of(got, "R")["A"] == pytest.approx(math.sqrt(d1 * d2))  # geometric: 40


def test_global_aggregation_override_beats_catalog():
    cat = catalog_from_text(TWO_CHILDREN.format(agg="geometric"))
    result = score(
        values_from_rows([("A", "a", 2024, 25), ("A", "b", 2024, 100)]), cat, Method(aggregation="arithmetic")
    )
    assert scores_of(result, "R")["A"] == pytest.approx(81.25)


@pytest.mark.parametrize("agg", ["geometric", "harmonic"])
def test_zero_child_gives_zero_not_nan(agg):
    cat = catalog_from_text(TWO_CHILDREN.format(agg=agg))
    result = score(values_from_rows([("A", "a", 2024, 0), ("A", "b", 2024, 100)]), cat)
    got = scores_of(result, "R")["A"]
    assert got == 0.0  # the mathematical limit, never NaN or -inf
    assert any("set to 0" in line for line in result.log)


def test_geo_floor_rescales_like_a2sit():
    cat = catalog_from_text(TWO_CHILDREN.replace("b,R,3", "b,R,1").format(agg="geometric"))
    result = score(values_from_rows([("A", "a", 2024, 0), ("A", "b", 2024, 100)]), cat, Method(geo_floor=1.0))
    # rescaled to [1, 100]: 1 and 100 -> geometric mean 10 -> back: (10 - 1) * 100 / 99
    assert scores_of(result, "R")["A"] == pytest.approx(9 * 100 / 99)


def test_weight_override_from_method():
    cat = catalog_from_text(TWO_CHILDREN.format(agg="arithmetic"))
    result = score(values_from_rows([("A", "a", 2024, 25), ("A", "b", 2024, 100)]), cat, Method(weights={"b": 1}))
    assert scores_of(result, "R")["A"] == pytest.approx(62.5)


# ----------------------------------------------------------------------------- missing data and coverage
THREE = """
code,parent,lower,upper
R,,,
a,R,0,100
b,R,0,100
c,R,0,100
"""


def test_node_scored_when_two_thirds_of_weight_has_data():
    cat = catalog_from_text(THREE)
    result = score(values_from_rows([("A", "a", 2024, 30), ("A", "b", 2024, 60)]), cat)
    frame = result.scores_plain().set_index("code")
    assert frame.at["R", "score"] == pytest.approx(45.0)  # mean of the two present, weights renormalised
    assert frame.at["R", "coverage"] == pytest.approx(2 / 3)
    assert frame.at["c", "coverage"] == 0.0


def test_node_missing_below_threshold_but_coverage_reported():
    cat = catalog_from_text(THREE)
    result = score(values_from_rows([("A", "a", 2024, 30)]), cat)
    frame = result.scores_plain().set_index("code")
    assert math.isnan(frame.at["R", "score"])
    assert frame.at["R", "coverage"] == pytest.approx(1 / 3)
    lenient = score(values_from_rows([("A", "a", 2024, 30)]), cat, Method(threshold=0.3)).scores_plain()
    assert lenient.set_index("code").at["R", "score"] == pytest.approx(30.0)


def test_coverage_is_leaf_weight_share_through_the_tree():
    cat = catalog_from_text(
        """
code,parent,lower,upper
R,,,
D1,R,,
D2,R,,
a,D1,0,100
b,D1,0,100
c,D1,0,100
d,D2,0,100
"""
    )
    rows = [("A", "a", 2024, 10), ("A", "b", 2024, 20), ("A", "d", 2024, 90)]
    frame = score(values_from_rows(rows), cat).scores_plain().set_index("code")
    # D1 has 2 of 3 indicators -> coverage 2/3; D2 full; R = 1/2 * 2/3 + 1/2 * 1
    assert frame.at["D1", "coverage"] == pytest.approx(2 / 3)
    assert frame.at["R", "coverage"] == pytest.approx(5 / 6)
    assert frame.at["R", "score"] == pytest.approx((15 + 90) / 2)


def test_indicators_apply_per_region_level():
    cat = catalog_from_text(
        """
code,parent,levels,lower,upper
R,,,,
city_only,R,kota,0,100
everywhere,R,"kota,kelurahan",0,100
"""
    )
    rows = [("K", "city_only", 2024, 40), ("K", "everywhere", 2024, 80), ("V1", "everywhere", 2024, 70)]
    regions = {"K": "kota", "V1": "kelurahan"}
    frame = score(values_from_rows(rows), cat, regions=regions).scores_plain()
    city = frame.loc[frame["region"] == "K"].set_index("code")
    village = frame.loc[frame["region"] == "V1"].set_index("code")
    assert city.at["R", "score"] == pytest.approx(60.0)
    # the village index is built from the indicator that exists for villages, not missing
    assert village.at["R", "score"] == pytest.approx(70.0)
    assert "city_only" not in village.index
    assert village.at["R", "coverage"] == pytest.approx(1.0)


def test_ranks_within_level_and_year():
    cat = one(lower=0, upper=100)
    rows = [("A", "x", 2024, 10), ("B", "x", 2024, 50), ("C", "x", 2024, 50), ("A", "x", 2023, 90)]
    frame = score(values_from_rows(rows), cat).scores_plain()
    ranks = frame.loc[(frame["code"] == "x") & (frame["year"] == 2024)].set_index("region")["rank"]
    assert ranks.to_dict() == {"A": 3.0, "B": 1.0, "C": 1.0}
    assert frame.loc[(frame["year"] == 2023) & (frame["code"] == "x"), "rank"].tolist() == [1.0]


def test_pooled_minmax_shows_change_over_years():
    cat = one()
    rows = [("A", "x", 2023, 10), ("B", "x", 2023, 20), ("A", "x", 2024, 30), ("B", "x", 2024, 40)]
    pooled = score(values_from_rows(rows), cat).scores_plain().set_index(["region", "year", "code"])["score"]
    per_year = (
        score(values_from_rows(rows), cat, Method(minmax_scope="per_year"))
        .scores_plain()
        .set_index(["region", "year", "code"])["score"]
    )
    assert pooled[("A", 2024, "x")] == pytest.approx(200 / 3)  # (30 - 10) / (40 - 10)
    assert per_year[("A", 2024, "x")] == pytest.approx(0.0)  # worst of 2024


def test_imputation_fills_and_marks():
    rows = [("A", "x", 2022, 10), ("A", "y", 2023, 1), ("A", "x", 2024, 30)]
    cat = catalog_from_text(
        """
code,parent,lower,upper
R,,,
x,R,0,100
y,R,0,100
"""
    )
    result = score(values_from_rows(rows), cat, Method(imputation="linear", threshold=0.5))
    data = result.indicator_values.set_index(["region", "year", "indicator"])
    assert data.at[("A", 2023, "x"), "value"] == pytest.approx(20.0)
    assert data.at[("A", 2023, "x"), "origin"] == "imputed"
    locf = score(values_from_rows(rows), cat, Method(imputation="locf", threshold=0.5)).indicator_values
    locf = locf.set_index(["region", "year", "indicator"])
    assert locf.at[("A", 2023, "x"), "value"] == pytest.approx(10.0)
    none = score(values_from_rows(rows), cat, Method(threshold=0.5)).indicator_values
    assert ("A", 2023, "x") not in set(zip(none["region"], none["year"], none["indicator"], strict=True))


def test_exclude_removes_a_node_and_renormalises():
    cat = catalog_from_text(THREE)
    rows = [("A", "a", 2024, 30), ("A", "b", 2024, 60), ("A", "c", 2024, 90)]
    frame = score(values_from_rows(rows), cat, Method(exclude=("c",))).scores_plain().set_index("code")
    assert frame.at["R", "score"] == pytest.approx(45.0)
    assert "c" not in frame.index


def test_indonesian_headers_and_duplicates():
    cat = one(lower=0, upper=100)
    frame = pd.DataFrame({"wilayah": ["A"], "indikator": ["x"], "tahun": [2024], "nilai": [42]})
    assert scores_of(score(frame, cat))["A"] == pytest.approx(42.0)
    dup = values_from_rows([("A", "x", 2024, 1), ("A", "x", 2024, 2)])
    with pytest.raises(EngineError, match="Duplicate"):
        score(dup, cat)


def test_unknown_codes_are_ignored_and_logged():
    result = score(values_from_rows([("A", "x", 2024, 5), ("A", "zzz", 2024, 1)]), one(lower=0, upper=10))
    assert any("zzz" in line for line in result.log)
    assert scores_of(result)["A"] == pytest.approx(50.0)


def test_explain_gives_children_and_raw_value():
    cat = catalog_from_text(TWO_CHILDREN.format(agg="arithmetic"))
    result = score(values_from_rows([("A", "a", 2024, 25), ("A", "b", 2024, 100)]), cat)
    root = result.explain("A", 2024, "R")
    assert [c["code"] for c in root["children"]] == ["a", "b"]
    assert [c["weight_share"] for c in root["children"]] == pytest.approx([0.25, 0.75])
    leaf = result.explain("A", 2024, "a")
    assert leaf["value"] == 25 and leaf["normalization"]["lower"] == 0 and leaf["normalization"]["upper"] == 100
    assert leaf["origin"] == "observed"


def test_output_columns_and_full_precision():
    result = score(values(("A", 1 / 3)), one(lower=0, upper=1))
    frame = result.scores_plain()
    assert list(frame.columns) == ["region", "year", "code", "level", "score", "rank", "coverage"]
    assert frame.loc[frame["code"] == "x", "score"].iloc[0] == pytest.approx(100 / 3, abs=1e-12)
    assert np.isfinite(frame["score"]).all()


def test_observation_indicator_with_nothing_observed_does_not_apply():
    """A kelurahan without tourist sites has no 'share of sites with amenities': not a data gap."""
    cat = catalog_from_text(
        """
code,parent,levels,lower,upper
R,,,,
sites,R,"kota,point",0,100
water,R,"kota,kelurahan",0,100
stunting,R,"kota,kelurahan",0,100
"""
    )
    rows = [
        ("V1", "sites", 2024, 50),
        ("V1", "water", 2024, 70),
        ("V1", "stunting", 2024, 90),
        ("V2", "water", 2024, 60),
        ("V2", "stunting", 2024, 80),  # no site observed in V2
        ("V3", "water", 2024, 40),  # stunting is a real gap: 1 of 2 applicable -> below 2/3
    ]
    regions = {"V1": "kelurahan", "V2": "kelurahan", "V3": "kelurahan"}
    result = score(values_from_rows(rows), cat, regions=regions)
    frame = result.scores_plain().set_index(["region", "code"])
    assert frame.at[("V2", "R"), "score"] == pytest.approx(70.0)  # sites not applicable, no penalty
    assert frame.at[("V2", "R"), "coverage"] == pytest.approx(1.0)
    assert ("V2", "sites") not in frame.index
    assert math.isnan(frame.at[("V3", "R"), "score"])
    assert frame.at[("V1", "R"), "score"] == pytest.approx(70.0)
    explained = result.explain("V2", 2024, "R")
    assert [c["applicable"] for c in explained["children"]] == [False, True, True]
