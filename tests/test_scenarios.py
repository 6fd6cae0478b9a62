"""Method scenarios: stored and read back identical, role checks, official choice in the audit log,
two scenarios compared region by region."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from indicators.catalog import catalog_from_frame
from indicators.engine import score
from indicators.method import Goalposts, Method
from indicators.scenarios import (
    ScenarioError,
    compare_results,
    compare_summary,
    load_scenario,
    make_official,
    method_differences,
    save_scenario,
)


@pytest.fixture
def store(tmp_db):
    from storage import close_store, open_store

    st = open_store(tmp_db)
    yield st
    close_store(tmp_db)


def _catalog():
    rows = [
        {"code": "IDX", "parent": "", "level": "index"},
        {"code": "D1", "parent": "IDX", "level": "dimension"},
        {"code": "D2", "parent": "IDX", "level": "dimension"},
        {"code": "x1", "parent": "D1", "lower": "0", "upper": "100"},
        {"code": "x2", "parent": "D1", "direction": "lower"},
        {"code": "y1", "parent": "D2", "lower": "0", "upper": "10", "target": "8"},
        {"code": "y2", "parent": "D2"},
    ]
    return catalog_from_frame(pd.DataFrame(rows).fillna(""))


def _values():
    rng = np.random.default_rng(3)
    rows = [
        (f"R{r}", code, year, float(rng.uniform(0, 10 if code == "y1" else 100)))
        for r in range(6)
        for year in (2023, 2024)
        for code in ("x1", "x2", "y1", "y2")
    ]
    return pd.DataFrame(rows, columns=["region", "indicator", "year", "value"])


RICH = Method(
    normalization_by={"x2": "zscore"},
    aggregation_by={"D2": "geometric"},
    weights={"D1": 2.0, "y1": 3.0},
    goalposts={"y1": Goalposts(lower=1.0, upper=9.0, target=7.5)},
    threshold=0.5,
    imputation="locf",
    geo_floor=1.0,
)


def test_round_trip_gives_the_same_method_and_scores(store):
    scenario_id = save_scenario(store, "Bobot AHP pakar", RICH, author="pakar", role="expert")
    method, meta = load_scenario(store, scenario_id)
    assert method == RICH
    assert method.version == RICH.version
    assert meta["name"] == "Bobot AHP pakar" and meta["author"] == "pakar" and meta["created_at"] is not None
    catalog, values = _catalog(), _values()
    before = score(values, catalog, RICH)
    after = score(values, catalog, method)
    np.testing.assert_array_equal(before.score_matrix, after.score_matrix)


def test_only_experts_and_admins_may_save(store):
    for role in ("viewer", "analyst", None):
        with pytest.raises(ScenarioError) as err:
            save_scenario(store, "x", Method(), author="someone", role=role)
        assert "expert" in err.value.message_en and "pakar" in err.value.message_id
    assert store.scenarios().empty
    assert save_scenario(store, "ok", Method(), author="admin", role="admin") > 0


def test_a_scenario_needs_a_name(store):
    with pytest.raises(ScenarioError):
        save_scenario(store, "   ", Method(), author="pakar", role="expert")


def test_official_choice_is_role_checked_and_audited(store):
    first = save_scenario(store, "A", Method(), author="pakar", role="expert")
    second = save_scenario(store, "B", RICH, author="pakar", role="expert")
    with pytest.raises(ScenarioError):
        make_official(store, second, "analis", "analyst")
    assert store.official_scenario() is None
    make_official(store, first, "pakar", "expert")
    make_official(store, second, "admin", "admin")
    official = store.official_scenario()
    assert official["id"] == second
    log = store.audit_log()
    entries = log.loc[log["action"] == "scenario_official"]
    assert list(entries["user"]) == ["admin", "pakar"]
    assert entries.iloc[0]["detail"]["scenario_id"] == second
    with pytest.raises(ScenarioError):
        make_official(store, 9999, "pakar", "expert")


def test_default_scenario_is_the_empty_method(store):
    method, meta = load_scenario(store, None)
    assert method == Method() and meta["id"] is None
    with pytest.raises(ScenarioError):
        load_scenario(store, 12345)


def test_method_differences_lists_each_changed_value():
    diffs = method_differences(Method(), RICH).set_index("setting")
    assert diffs.loc["weights.D1", "b"] == "2"
    assert diffs.loc["aggregation_by.D2", "b"] == "geometric"
    assert diffs.loc["threshold", "b"] == "0.5"
    assert "goalposts.y1" in diffs.index
    assert method_differences(RICH, RICH).empty


def test_compare_results_by_hand():
    # two indicators under the root, goalposts 0-100 so scores are the values
    catalog = catalog_from_frame(
        pd.DataFrame(
            [
                {"code": "IDX", "parent": "", "level": "index"},
                {"code": "p", "parent": "IDX", "lower": "0", "upper": "100"},
                {"code": "q", "parent": "IDX", "lower": "0", "upper": "100"},
            ]
        ).fillna("")
    )
    values = pd.DataFrame(
        [("R1", "p", 2024, 80.0), ("R1", "q", 2024, 20.0), ("R2", "p", 2024, 30.0), ("R2", "q", 2024, 60.0)],
        columns=["region", "indicator", "year", "value"],
    )
    a = score(values, catalog, Method())  # R1 50, R2 45
    b = score(values, catalog, Method(weights={"q": 3.0}))  # R1 35, R2 52.5
    frame = compare_results(a, b, 2024, codes=["IDX"]).set_index("region")
    assert frame.loc["R1", "score_a"] == pytest.approx(50) and frame.loc["R1", "score_b"] == pytest.approx(35)
    assert frame.loc["R2", "diff"] == pytest.approx(7.5)
    assert frame.loc["R1", "rank_change"] == -1 and frame.loc["R2", "rank_change"] == 1
    summary = compare_summary(frame.reset_index()).set_index("code")
    assert summary.loc["IDX", "regions_moved"] == 2 and summary.loc["IDX", "max_rank_change"] == 1
