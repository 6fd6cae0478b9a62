"""Derived indicators inside the engine: gaps filled from variables, lags by region and year."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import catalog_from_text, values_from_rows

from indicators.derived import REGISTRY, derived, ratio
from indicators.engine import score


@pytest.fixture(autouse=True)
def test_derivations():
    """Register two test-only derivations for the duration of each test (the registry is global)."""

    @derived("test_per_1000", inputs=("VAR-N", "VAR-P"))
    def _per_1000(v):
        """Test-only: VAR-N per 1,000 VAR-P."""
        return ratio(v["VAR-N"], v["VAR-P"], 1000)

    @derived("test_growth", inputs=("VAR-G",))
    def _growth(v):
        """Test-only: annual growth of VAR-G in %."""
        return (v["VAR-G"] / v.lag("VAR-G") - 1) * 100

    yield
    REGISTRY.pop("test_per_1000", None)
    REGISTRY.pop("test_growth", None)


CATALOG = """
code,parent,level,derivation,lower,upper
R,,index,,,
rate,R,indicator,test_per_1000,0,10
growth,R,indicator,test_growth,-10,10
VAR-N,,variable,,,
VAR-P,,variable,,,
VAR-G,,variable,,,
"""


def test_derived_value_fills_gap_and_is_marked():
    cat = catalog_from_text(CATALOG)
    rows = [
        ("A", "VAR-N", 2024, 12),
        ("A", "VAR-P", 2024, 4000),
        ("B", "rate", 2024, 5.0),
        ("B", "VAR-N", 2024, 1),
        ("B", "VAR-P", 2024, 1000),
    ]
    result = score(values_from_rows(rows), cat, regions=None)
    data = result.indicator_values.set_index(["region", "indicator"])
    assert data.at[("A", "rate"), "value"] == pytest.approx(3.0)  # 12 / 4000 * 1000
    assert data.at[("A", "rate"), "origin"] == "derived"
    # a reported value wins over the derivation (1 / 1000 * 1000 = 1 would be derived)
    assert data.at[("B", "rate"), "value"] == pytest.approx(5.0)
    assert data.at[("B", "rate"), "origin"] == "observed"


def test_lag_uses_the_same_region_previous_year_only():
    cat = catalog_from_text(CATALOG)
    rows = [
        ("A", "VAR-G", 2022, 100),
        ("A", "VAR-G", 2023, 110),
        ("B", "VAR-G", 2021, 50),
        ("B", "VAR-G", 2023, 60),  # 2022 missing: no growth for 2023
    ]
    result = score(values_from_rows(rows), cat, regions=None)
    data = result.indicator_values
    growth = data.loc[data["indicator"] == "growth"].set_index(["region", "year"])["value"]
    assert growth[("A", 2023)] == pytest.approx(10.0)
    assert ("A", 2022) not in growth.index  # no 2021 for A
    assert ("B", 2023) not in growth.index
    assert ("B", 2021) not in growth.index  # would be 50 / 110 - 1 if it borrowed A 2023
    # A's first year must not borrow B's last year (dense keys are adjacent)
    assert np.isfinite(growth.to_numpy()).all()
