"""The default catalog (data/catalog.csv): the Kominfo model with the reference indicator list."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pytest

from indicators.catalog import DEFAULT_CATALOG_PATH, default_catalog, read_catalog
from indicators.derived import get_derivation

REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference" / "indicator-catalog.csv"
DIMENSIONS = ["SG", "SB", "SE", "SL", "SS", "SV"]
ELEMENTS = {
    "SG": ["SG-PS", "SG-BR", "SG-PP"],
    "SB": ["SB-TO", "SB-BB", "SB-CA"],
    "SE": ["SE-IN", "SE-WE", "SE-TR"],
    "SL": ["SL-HA", "SL-HE", "SL-MO"],
    "SS": ["SS-CO", "SS-LE", "SS-SE"],
    "SV": ["SV-PR", "SV-WA", "SV-EN"],
}
ALL_LEVELS = {"kota", "kecamatan", "kelurahan"}
#: Units without natural bounds: the engine must fall back to min-max, so no goalposts.
UNBOUNDED_UNITS = {"days", "Rp", "Rp per year", "per 100000", "per 10000", "count", "count per 1000",
                   "visits per year", "minutes", "index", "ug/m3"}  # fmt: skip


@pytest.fixture(scope="module")
def catalog():
    return default_catalog()


@pytest.fixture(scope="module")
def reference() -> list[dict[str, str]]:
    if not REFERENCE.exists():
        pytest.skip(f"reference catalog not found at {REFERENCE}")
    with REFERENCE.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def reach(levels: str) -> set[str]:
    """Region levels a ``levels`` cell covers (point = any level; provinsi is served at kota)."""
    tokens = {t.strip() for t in levels.split(",") if t.strip()}
    if "point" in tokens:
        tokens |= ALL_LEVELS
    return tokens - {"point"}


def test_loads_without_problems(catalog):
    again = read_catalog(DEFAULT_CATALOG_PATH)  # not the cached one: the file itself
    assert again.warnings == ()
    assert len(catalog.indicators) == 64
    assert catalog.root == "IKC"
    assert catalog.name("IKC", "en") == "Smart City Index"


def test_indicator_ids_are_the_reference_ids_in_order(catalog, reference):
    assert catalog.indicators == [r["id"] for r in reference]


def test_six_dimensions_of_three_elements(catalog):
    assert catalog.dimensions == DIMENSIONS
    for dim, elements in ELEMENTS.items():
        assert catalog.children[dim] == elements
        assert catalog.level_name(dim) == "dimension"
        assert "(Smart " in catalog.name(dim, "id")
        assert catalog.name(dim, "en").startswith("Smart ")
        for element in elements:
            assert catalog.level_name(element) == "element"
            kids = catalog.children[element]
            assert kids and all(k.startswith(element + "-") for k in kids)
            assert catalog.name(element, "id") != catalog.name(element, "en")
    assert sum(len(catalog.children[e]) for els in ELEMENTS.values() for e in els) == 64


def test_reference_fields_copied(catalog, reference):
    for ref in reference:
        row = catalog.node(ref["id"])
        assert row["name_id"] == ref["name_id"]
        assert row["name_en"] == ref["name_en"]
        assert row["unit"] == ref["unit"]
        assert row["data_type"] == ref["data_type"]
        assert row["frameworks"] == ref["frameworks"]
        assert row["direction"] == {"target band": "target"}.get(ref["direction"], ref["direction"])
        assert ref["typical_source"] in row["source"]
        assert row["weight"] == 1


def test_levels_are_normalised_words(catalog, reference):
    words = {"provinsi", "kota", "kecamatan", "kelurahan", "point"}
    for ref in reference:
        levels = catalog.node(ref["id"])["levels"]
        tokens = levels.split(",")
        assert set(tokens) <= words, (ref["id"], levels)
        expected = {"provinsi" if t.strip() == "province" else t.strip() for t in ref["levels"].split(",")}
        assert expected <= set(tokens)
    # financial inclusion is only published per province: the kota uses it as a proxy, and says so
    row = catalog.node("SE-TR-02")
    assert reach(row["levels"]) >= {"provinsi", "kota"}
    assert "proxy" in row["source"]


def test_benchmarks_become_targets(catalog, reference):
    for ref in reference:
        row = catalog.node(ref["id"])
        if ref["benchmark"]:
            assert row["target"] == pytest.approx(float(ref["benchmark"])), ref["id"]
        else:
            assert math.isnan(row["target"]), ref["id"]
        if ref["benchmark_note"]:
            assert ref["benchmark_note"] in row["source"], ref["id"]  # visible where the source is shown


def test_goalposts_only_on_naturally_bounded_units(catalog):
    for code in catalog.indicators:
        row = catalog.node(code)
        lo, hi = row["lower"], row["upper"]
        if row["unit"] in UNBOUNDED_UNITS:
            assert math.isnan(lo) and math.isnan(hi), f"{code} ({row['unit']}) should use min-max"
        if row["unit"] == "%" and code not in {"SE-IN-01", "SE-WE-05"}:
            assert (lo, hi) == (0, 100), code
    assert (catalog.node("SG-BR-01")["lower"], catalog.node("SG-BR-01")["upper"]) == (1, 5)
    assert (catalog.node("SE-WE-03")["lower"], catalog.node("SE-WE-03")["upper"]) == (0, 1)
    assert (catalog.node("SB-CA-03")["lower"], catalog.node("SB-CA-03")["upper"]) == (0, 4)
    growth = catalog.node("SE-IN-01")  # a growth rate is a % but not a share of 100
    assert math.isnan(growth["lower"]) and math.isnan(growth["upper"])


def test_inflation_is_a_target_band(catalog):
    row = catalog.node("SE-WE-05")
    assert row["direction"] == "target"
    assert (row["target"], row["tolerance"], row["lower"], row["upper"]) == (2.5, 1.0, -1.0, 8.0)
    assert "-1" in row["source"] and "8" in row["source"]


def test_derivations_registered_with_their_variables_at_the_indicator_levels(catalog):
    derived = [c for c in catalog.indicators if catalog.node(c)["derivation"]]
    assert len(derived) == 24
    variables = set(catalog.variables)
    for code in derived:
        derivation = get_derivation(catalog.node(code)["derivation"])
        assert derivation is not None, code
        for var in derivation.inputs:
            assert var in variables, (code, var)
            need = reach(catalog.node(code)["levels"]) - {"provinsi"}
            have = reach(catalog.node(var)["levels"])
            assert need <= have, f"{var} must be available at {need - have} for {code}"


def test_variables_are_described(catalog):
    assert {"VAR-POP", "VAR-AREA", "VAR-HH"} <= set(catalog.variables)
    for var in catalog.variables:
        row = catalog.node(var)
        assert var.startswith("VAR-")
        assert row["unit"], var
        assert row["name_id"] != var and row["name_en"] != row["name_id"], var
        assert row["parent"] == ""
    assert catalog.node("VAR-AREA")["unit"] == "km2"
    # slum and park areas come in hectares; the derivations convert (see test_derived)
    assert catalog.node("VAR-SLUM-AREA")["unit"] == catalog.node("VAR-GREEN-AREA")["unit"] == "ha"


def test_equal_weights_give_each_dimension_a_sixth(catalog):
    eff = catalog.effective_weights()
    for dim in DIMENSIONS:
        assert eff[dim] == pytest.approx(1 / 6)
    assert eff[catalog.indicators].sum() == pytest.approx(1.0)
