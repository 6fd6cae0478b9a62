"""Priorities: gap x effective weight, people affected, quadrants and quick wins, by hand."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from indicators.catalog import catalog_from_frame
from indicators.engine import score
from indicators.method import Method
from indicators.priorities import (
    node_effective_weights,
    population_by_region,
    priorities_for_regions,
    priority_quadrants,
    priority_table,
    quick_wins,
    target_score,
)


def _catalog():
    # IDX -> A (weight 3: a1, a2) and B (weight 1: b1); goalposts 0-100 so scores equal values;
    # a1 has a green threshold of 60, c1 (under B) is lower-is-better with a target of 20
    rows = [
        {"code": "IDX", "parent": "", "level": "index"},
        {"code": "A", "parent": "IDX", "level": "element", "weight": "3"},
        {"code": "B", "parent": "IDX", "level": "element", "weight": "1"},
        {"code": "a1", "parent": "A", "level": "indicator", "lower": "0", "upper": "100", "green": "60"},
        {"code": "a2", "parent": "A", "level": "indicator", "lower": "0", "upper": "100"},
        {"code": "b1", "parent": "B", "level": "indicator", "lower": "0", "upper": "100"},
        {"code": "VAR-POP", "parent": "", "level": "variable"},
    ]
    return catalog_from_frame(pd.DataFrame(rows).fillna(""))


def _values():
    rows = [
        ("R", "a1", 2024, 50.0),
        ("R", "a2", 2024, 90.0),
        ("R", "b1", 2024, 20.0),
        ("P1", "a1", 2024, 65.0),
        ("P1", "a2", 2024, 40.0),
        ("P1", "b1", 2024, 35.0),
        ("P2", "a1", 2024, 55.0),
        ("P2", "a2", 2024, 100.0),
        ("P2", "b1", 2024, 25.0),
        ("R", "VAR-POP", 2023, 9_000.0),
        ("R", "VAR-POP", 2024, 10_000.0),
        ("R", "VAR-POP", 2025, 11_000.0),
    ]
    return pd.DataFrame(rows, columns=["region", "indicator", "year", "value"])


@pytest.fixture
def result():
    return score(_values(), _catalog())


def test_effective_weights_per_region(result):
    eff = node_effective_weights(result, result.unit_index[("R", 2024)])
    assert eff["a1"] == pytest.approx(0.375) and eff["a2"] == pytest.approx(0.375) and eff["b1"] == pytest.approx(0.25)
    assert eff["A"] == pytest.approx(0.75)


def test_priority_is_gap_times_effective_weight(result):
    table = priority_table(result, "R", 2024, level="indicator", population=10_000).set_index("code")
    # gaps 50, 10, 80; priorities 18.75, 3.75, 20 -> b1, a1, a2
    assert list(table.index) == ["b1", "a1", "a2"]
    assert table.loc["a1", "gap"] == pytest.approx(50) and table.loc["a1", "priority"] == pytest.approx(18.75)
    assert table.loc["b1", "priority"] == pytest.approx(20.0)
    assert table.loc["b1", "people_affected"] == pytest.approx(8_000)
    assert list(table["rank"]) == [1, 2, 3]


def test_target_gap_uses_the_catalog_threshold(result):
    unit = result.unit_index[("R", 2024)]
    assert target_score(result, "a1", unit) == pytest.approx(60.0)
    assert target_score(result, "a2", unit) == 100.0  # no target: the gap is to 100
    table = priority_table(result, "R", 2024, level="indicator", gap_mode="target").set_index("code")
    assert table.loc["a1", "gap"] == pytest.approx(10.0)
    elements = priority_table(result, "R", 2024, level="element", gap_mode="target").set_index("code")
    # element A: weighted mean of its indicators' gaps (10 and 10) -> 10; priority = sum of theirs
    assert elements.loc["A", "gap"] == pytest.approx(10.0)
    assert elements.loc["A", "priority"] == pytest.approx(0.75 * 10.0)


def test_element_gap_in_max_mode_is_100_minus_score(result):
    elements = priority_table(result, "R", 2024, level="element").set_index("code")
    assert elements.loc["A", "score"] == pytest.approx(70.0)
    assert elements.loc["A", "gap"] == pytest.approx(30.0) and elements.loc["A", "priority"] == pytest.approx(22.5)
    assert elements.loc["B", "priority"] == pytest.approx(20.0)


def test_target_score_of_a_lower_is_better_indicator():
    catalog = catalog_from_frame(
        pd.DataFrame(
            [
                {"code": "IDX", "parent": "", "level": "index"},
                {"code": "c", "parent": "IDX", "direction": "lower", "lower": "0", "upper": "50", "target": "20"},
            ]
        ).fillna("")
    )
    res = score(pd.DataFrame({"region": ["R"], "indicator": ["c"], "year": [2024], "value": [30.0]}), catalog)
    # goalposts 0-50, lower is better: target 20 scores (50 - 20) / 50 = 60
    assert target_score(res, "c", 0) == pytest.approx(60.0)


def test_population_takes_the_latest_year_not_after_the_report_year():
    pop = population_by_region(_values(), 2024)
    assert pop["R"] == 10_000
    assert population_by_region(_values(), 2023)["R"] == 9_000
    assert population_by_region(_values(), 2020).empty


def test_quadrants(result):
    table = priority_quadrants(priority_table(result, "R", 2024, level="indicator"))
    quadrant = table.set_index("code")["quadrant"]
    # mean weight 1/3: a1 (gap 50, w .375) act now; a2 (gap 10) maintain; b1 (gap 80, w .25) secondary
    assert quadrant.to_dict() == {"b1": "secondary", "a1": "act_now", "a2": "maintain"}


def test_quick_wins_rescore_the_region(result):
    wins = quick_wins(result, "R", 2024, step=10, effort={"a1": 1.0, "a2": 1.0, "b1": 1.0}).set_index("code")
    assert wins.loc["a1", "index_gain"] == pytest.approx(3.75)
    assert wins.loc["a2", "improvement"] == pytest.approx(10.0) and wins.loc["a2", "index_gain"] == pytest.approx(3.75)
    assert wins.loc["b1", "index_gain"] == pytest.approx(2.5)
    assert wins.loc["a1", "gain_per_point"] == pytest.approx(0.375)
    assert wins.index[-1] == "b1"


def test_quick_win_effort_from_peers(result):
    wins = quick_wins(result, "R", 2024, step=10).set_index("code")
    # a1 would reach 60: peer P1 (65) is there, P2 (55) not -> share 0.5, effort 1.5
    assert wins.loc["a1", "peer_share"] == pytest.approx(0.5) and wins.loc["a1", "effort"] == pytest.approx(1.5)
    # b1 would reach 30: P1 (35) yes, P2 (25) no -> 0.5; a2 would reach 100: P2 yes -> 0.5
    assert wins.loc["a1", "value"] == pytest.approx(3.75 / 1.5)
    only_p2 = quick_wins(result, "R", 2024, step=10, peers=["P2"]).set_index("code")
    assert only_p2.loc["a1", "peer_share"] == 0.0 and only_p2.loc["a1", "effort"] == pytest.approx(2.0)


def test_quick_wins_skip_full_scores_and_missing_data():
    values = _values()
    values = values.loc[~((values["region"] == "R") & (values["indicator"] == "b1"))]
    values.loc[(values["region"] == "R") & (values["indicator"] == "a2"), "value"] = 100.0
    res = score(values, _catalog(), Method(threshold=0.5))
    wins = quick_wins(res, "R", 2024)
    assert list(wins["code"]) == ["a1"]
    table = priority_table(res, "R", 2024).set_index("code")
    assert math.isnan(table.loc["b1", "priority"]) and table.index[-1] == "b1"


def test_priorities_for_every_region(result):
    pop = population_by_region(_values(), 2024)
    table = priorities_for_regions(result, ["R", "P1", "nowhere"], 2024, top=2, population=pop)
    assert list(table.columns[:3]) == ["region", "code", "name"]
    assert list(table["region"]) == ["R", "R", "P1", "P1"]
    assert list(table.loc[table["region"] == "R", "code"]) == ["b1", "a1"]
    assert table.loc[table["region"] == "R", "people_affected"].notna().all()
    assert table.loc[table["region"] == "P1", "people_affected"].isna().all()
