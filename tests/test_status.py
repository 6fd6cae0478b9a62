"""Reading the scores: SDSN-style status colours, trend labels, strengths and weaknesses."""

from __future__ import annotations

import math

import pytest
from conftest import catalog_from_text, values_from_rows

from indicators.engine import score
from indicators.method import Method
from indicators.status import (
    classify_trend,
    indicator_status,
    score_status,
    sdsn_node_status,
    status_frame,
    strengths_weaknesses,
    trend_frame,
)

HIGHER = {"direction": "higher", "target": math.nan, "tolerance": math.nan, "green": math.nan, "red": math.nan}


def test_score_bands():
    assert [score_status(s) for s in (95, 80, 79.9, 60, 45, 10)] == [
        "green",
        "green",
        "yellow",
        "yellow",
        "orange",
        "red",
    ]
    assert score_status(float("nan")) == "grey"


def test_green_and_red_thresholds_from_catalog_sdsn_midpoint():
    row = HIGHER | {"green": 90.0, "red": 50.0}
    # green at or beyond 90; red at or below 50; the middle is split at 70
    assert indicator_status(95, 0, row) == "green"
    assert indicator_status(75, 0, row) == "yellow"
    assert indicator_status(60, 0, row) == "orange"
    assert indicator_status(50, 0, row) == "red"
    low = {"direction": "lower", "target": math.nan, "tolerance": math.nan, "green": 7.0, "red": 15.0}
    assert [indicator_status(v, 0, low) for v in (6, 9, 13, 16)] == ["green", "yellow", "orange", "red"]


def test_target_as_green_threshold_and_missing_is_grey():
    row = HIGHER | {"target": 70.0}
    assert indicator_status(72, 40, row) == "green"  # meets the target whatever the score
    assert indicator_status(65, 90, row) == "yellow"  # not met: graded by score, capped at yellow
    assert indicator_status(65, 30, row) == "red"
    assert indicator_status(float("nan"), 50, row) == "grey"


def test_target_band_status():
    row = {"direction": "target", "target": 2.5, "tolerance": 1.0, "green": math.nan, "red": math.nan}
    assert indicator_status(3.4, 100, row) == "green"
    assert indicator_status(5.0, 55, row) == "orange"


def test_sdsn_two_worst_rule():
    assert sdsn_node_status(["green", "green"]) == "green"
    assert sdsn_node_status(["green", "red", "red"]) == "red"
    assert sdsn_node_status(["green", "red", "orange"]) == "orange"
    assert sdsn_node_status(["green", "yellow"]) == "yellow"
    assert sdsn_node_status(["grey"]) == "grey"


@pytest.mark.parametrize(
    ("change", "needed", "achieved", "label"),
    [
        (2.0, 1.5, False, "on_track"),
        (1.0, 1.5, False, "improving"),
        (0.5, 1.5, False, "stagnating"),
        (-1.0, 1.5, False, "decreasing"),
        (0.0, 0.0, True, "on_track"),
        (-2.0, 0.0, True, "decreasing"),
        (float("nan"), 1.0, False, "insufficient"),
    ],
)
def test_trend_classes(change, needed, achieved, label):
    assert classify_trend(change, needed, achieved) == label


TREE = """
code,parent,lower,upper,target
R,,,,
a,R,0,100,80
b,R,0,100,
"""


def test_status_and_trend_frames_from_a_run():
    cat = catalog_from_text(TREE)
    rows = []
    for year, (a, b) in zip(range(2020, 2025), [(40, 50), (45, 52), (50, 53), (55, 55), (60, 56)], strict=True):
        rows += [("K", "a", year, a), ("K", "b", year, b)]
    result = score(values_from_rows(rows), cat, Method(target_year=2030))
    st = status_frame(result, 2024).set_index("code")
    assert st.at["a", "status"] == "yellow"  # 60 misses the target 80; its score 60 is in the yellow band
    assert st.at["b", "status"] == "orange"  # no target: score 56 is in the orange band (40-60)
    tr = trend_frame(result, end_year=2024).set_index("code")
    # a rises 5 points a year; from 60 it needs (80 - 60) / 6 = 3.33 a year to be green by 2030
    assert tr.at["a", "annual_change"] == pytest.approx(5.0)
    assert tr.at["a", "needed"] == pytest.approx(20 / 6)
    assert tr.at["a", "trend"] == "on_track"
    assert tr.at["b", "trend"] == "stagnating"  # +1.5 a year against (80 - 56) / 6 = 4 needed


def test_strengths_and_weaknesses_against_peers():
    cat = catalog_from_text(TREE)
    rows = [
        ("A", "a", 2024, 90),
        ("A", "b", 2024, 20),
        ("B", "a", 2024, 50),
        ("B", "b", 2024, 60),
        ("C", "a", 2024, 40),
        ("C", "b", 2024, 70),
    ]
    sw = strengths_weaknesses(score(values_from_rows(rows), cat), "A", 2024, k=1).set_index("kind")
    assert sw.at["strength", "code"] == "a" and sw.at["strength", "gap"] == pytest.approx(40.0)
    assert sw.at["weakness", "code"] == "b" and sw.at["weakness", "gap"] == pytest.approx(-40.0)
