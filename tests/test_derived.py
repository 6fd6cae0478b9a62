"""Derived indicators of the six dimension modules, checked on small inputs computed by hand."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

from indicators.catalog import default_catalog
from indicators.derived import REGISTRY, Inputs, get_derivation

DIMENSIONS = ("governance", "branding", "economy", "living", "society", "environment")

# (derivation, {variable: values}, expected) - one region, one or more years, worked out by hand.
HAND_CASES = [
    ("governance.online_service_share", {"VAR-SERVICES-ONLINE": [45], "VAR-SERVICES": [180]}, [25.0]),
    ("governance.open_data_share", {"VAR-DATASETS-OPEN": [150], "VAR-DATASETS": [200]}, [75.0]),
    ("governance.voter_turnout", {"VAR-VOTES-CAST": [7_800], "VAR-VOTERS": [10_000]}, [78.0]),
    ("governance.musrenbang_adoption", {"VAR-MUSRENBANG-ADOPTED": [9], "VAR-MUSRENBANG-PROPOSED": [24]}, [37.5]),
    ("branding.tourist_visits_per_1000", {"VAR-TOURIST-VISITS": [600_000], "VAR-POP": [400_000]}, [1_500.0]),
    ("branding.investment_per_capita", {"VAR-INVESTMENT": [1.2e12], "VAR-POP": [400_000]}, [3_000_000.0]),
    ("economy.grdp_per_capita", {"VAR-GRDP": [26e12], "VAR-POP": [400_000]}, [65_000_000.0]),
    ("economy.manufacturing_share", {"VAR-GRDP-MANUF": [1.3e12], "VAR-GRDP": [26e12]}, [5.0]),
    ("economy.msme_per_1000", {"VAR-MSME": [180], "VAR-POP": [6_000]}, [30.0]),
    ("economy.noncash_revenue_share", {"VAR-PAD-NONCASH": [48e9], "VAR-PAD": [160e9]}, [30.0]),
    ("living.drinking_water_share", {"VAR-HH-WATER": [950], "VAR-HH": [1_000]}, [95.0]),
    ("living.sanitation_share", {"VAR-HH-SANITATION": [1_440], "VAR-HH": [1_600]}, [90.0]),
    # 12.5 ha of slums in a 2.5 km2 (250 ha) kelurahan = 5% of its area
    ("living.slum_area_share", {"VAR-SLUM-AREA": [12.5], "VAR-AREA": [2.5]}, [5.0]),
    ("living.stunting_prevalence", {"VAR-TODDLERS-STUNTED": [56], "VAR-TODDLERS-MEASURED": [400]}, [14.0]),
    ("living.jkn_coverage", {"VAR-JKN-MEMBERS": [388_000], "VAR-POP": [400_000]}, [97.0]),
    ("living.physicians_per_100k", {"VAR-PHYSICIANS": [12], "VAR-POP": [40_000]}, [30.0]),
    ("living.traffic_deaths_per_100k", {"VAR-TRAFFIC-DEATHS": [34], "VAR-POP": [400_000]}, [8.5]),
    ("society.wifi_per_10k", {"VAR-WIFI-ACTIVE": [3], "VAR-POP": [6_000]}, [5.0]),
    ("society.crime_rate_per_100k", {"VAR-CRIMES": [800], "VAR-POP": [400_000]}, [200.0]),
    # 1,500 ha of parks in a 150 km2 (15,000 ha) city = 10%
    ("environment.green_space_share", {"VAR-GREEN-AREA": [1_500], "VAR-AREA": [150]}, [10.0]),
    ("environment.waste_handled_share", {"VAR-WASTE-HANDLED": [52_500], "VAR-WASTE-GENERATED": [75_000]}, [70.0]),
    ("environment.waste_reduced_share", {"VAR-WASTE-REDUCED": [22_500], "VAR-WASTE-GENERATED": [75_000]}, [30.0]),
    ("environment.waste_collection_coverage", {"VAR-HH-WASTE-SERVED": [1_200], "VAR-HH": [1_600]}, [75.0]),
]


def run(name: str, columns: dict[str, list[float]], lag_index: list[int] | None = None) -> np.ndarray:
    derivation = get_derivation(name)
    assert derivation is not None, f"{name} is not registered"
    arrays = {k: np.asarray(v, dtype=float) for k, v in columns.items()}
    lag = None if lag_index is None else np.asarray(lag_index, dtype=np.int64)
    return derivation.compute(Inputs(arrays, lag))


@pytest.mark.parametrize(("name", "columns", "expected"), HAND_CASES, ids=[c[0] for c in HAND_CASES])
def test_derivation_on_hand_computed_input(name, columns, expected):
    assert set(columns) == set(get_derivation(name).inputs)
    np.testing.assert_allclose(run(name, columns), expected)


def test_every_registered_derivation_has_a_hand_case():
    get_derivation("living.physicians_per_100k")  # imports the dimension modules
    covered = {c[0] for c in HAND_CASES} | {"economy.grdp_growth"}
    assert covered == set(REGISTRY)


def test_grdp_growth_compares_with_the_same_region_one_year_earlier():
    # rows: region A 2022, A 2023, B 2023 (B has no 2022) -> growth only for A 2023: 105/100 - 1 = 5%
    out = run("economy.grdp_growth", {"VAR-GRDP-REAL": [100.0, 105.0, 80.0]}, lag_index=[-1, 0, -1])
    assert math.isnan(out[0]) and math.isnan(out[2])
    assert out[1] == pytest.approx(5.0)


def test_grdp_growth_is_negative_when_output_shrinks_and_missing_without_a_panel():
    out = run("economy.grdp_growth", {"VAR-GRDP-REAL": [200.0, 199.0]}, lag_index=[-1, 0])
    assert out[1] == pytest.approx(-0.5)
    assert np.isnan(run("economy.grdp_growth", {"VAR-GRDP-REAL": [200.0]})).all()


def test_zero_or_missing_denominator_gives_no_value_not_infinity():
    out = run("living.physicians_per_100k", {"VAR-PHYSICIANS": [12, 12, np.nan], "VAR-POP": [0, np.nan, 40_000]})
    assert np.isnan(out).all()


def test_derivations_are_vectorised_over_many_regions():
    pop = np.full(83_762, 5_000.0)
    out = run("society.wifi_per_10k", {"VAR-WIFI-ACTIVE": list(np.arange(83_762) % 4), "VAR-POP": list(pop)})
    assert out.shape == (83_762,)
    np.testing.assert_allclose(out[:4], [0.0, 2.0, 4.0, 6.0])


def test_registry_names_docs_and_modules():
    get_derivation("living.physicians_per_100k")
    for name, derivation in REGISTRY.items():
        assert re.fullmatch(rf"({'|'.join(DIMENSIONS)})\.[a-z0-9_]+", name), name
        assert name.split(".")[0] == derivation.dimension, f"{name} registered outside its dimension module"
        # the Metodologi page shows the docstring: it must name the formula's variables
        assert len(derivation.doc) > 80, name
        for var in derivation.inputs:
            assert var in derivation.doc, f"{name}: docstring does not name {var}"


def test_default_catalog_uses_every_derivation():
    catalog = default_catalog()
    used = {catalog.node(c)["derivation"] for c in catalog.indicators} - {""}
    assert used == set(REGISTRY)
