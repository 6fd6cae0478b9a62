"""Field observations: coordinates, swaps, the spatial join and the rules (data, not code)."""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from corpus.catalog import small_catalog
from corpus.files import KELURAHAN_GEOJSON, xlsx

from loaders.coords import parse_coordinate, split_pair
from loaders.gazetteer import regions_within
from loaders.rules import read_rules
from loaders.upload import read_upload

pytestmark = pytest.mark.skipif(not KELURAHAN_GEOJSON.exists(), reason="shared boundaries not present")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("-3,79", -3.79),
        ("-3.7956", -3.7956),
        ("3°47'30\"S", -(3 + 47 / 60 + 30 / 3600)),
        ("3° 47' 30\" LS", -(3 + 47 / 60 + 30 / 3600)),
        ("102°15'E", 102.25),
        ("102° 15' 30\" BT", 102 + 15 / 60 + 30 / 3600),
        ("3 47 30 S", -(3 + 47 / 60 + 30 / 3600)),
        ("S 3.79", -3.79),
        ("LS 3,79", -3.79),
        ("3°47.5'S", -(3 + 47.5 / 60)),
        (102.3, 102.3),
    ],
)
def test_coordinates(text, value):
    assert parse_coordinate(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["abc", "3°75'S", "di depan kantor", "1.234.5"])
def test_not_coordinates(text):
    assert parse_coordinate(text) is None


def test_coordinate_pairs():
    assert split_pair("-3.7956, 102.2592") == ("-3.7956", "102.2592")
    assert split_pair("-3,79, 102,26") == ("-3,79", "102,26")
    assert split_pair("-3,7956; 102,2592") == ("-3,7956", "102,2592")


# --------------------------------------------------------------------- rules on a square kelurahan
CODE = "17.71.01.1001"
LAT0, LON0 = -3.80, 102.30
HALF = 0.009  # about 1 km each way


def _square() -> gpd.GeoDataFrame:
    square = shapely.box(LON0 - HALF, LAT0 - HALF, LON0 + HALF, LAT0 + HALF)
    return gpd.GeoDataFrame({"code": [CODE], "level": ["kelurahan"]}, geometry=[square], crs="EPSG:4326")


def _sheet(rows):
    header = ["obs_id", "asset_type", "lat", "lon", "status", "obs_datetime"]
    return xlsx({"titik": [header, *rows]})


def _run(rows, rules=None, values=None):
    return read_upload(
        _sheet(rows), "t.xlsx", small_catalog(), regions_within("17.71"), boundaries=_square(), values=values,
        rules=rules,
    )  # fmt: skip


def _value(result, indicator, region=CODE):
    rec = result.records
    row = rec.loc[(rec["indicator"] == indicator) & (rec["region"] == region)]
    assert len(row) == 1, rec
    return float(row["value"].iloc[0]), int(row["n_observed"].iloc[0])


def test_density_per_10000_residents_and_count():
    rows = [
        ["W1", "WIFI", LAT0, LON0, "berfungsi", "2024-03-01"],
        ["W2", "WIFI", LAT0 + 0.001, LON0, "Berfungsi", "2024-03-01"],
        ["W3", "WIFI", LAT0, LON0 + 0.001, "BERFUNGSI ", "2024-03-01"],
        ["W4", "WIFI", LAT0 - 0.001, LON0, "tidak berfungsi", "2024-03-01"],
    ]
    values = pd.DataFrame({"region": [CODE], "indicator": ["VAR-POP"], "year": [2024], "value": [6000.0]})
    result = _run(rows, values=values)
    assert result.ok, [str(p) for p in result.errors]
    assert _value(result, "SS-CO-02") == (pytest.approx(3 / 6000 * 10_000), 4)  # 5.0 per 10,000
    assert _value(result, "VAR-WIFI-ACTIVE") == (3.0, 4)
    # other kelurahan of the city have no polygon here: only the square's ancestors get values
    assert set(result.records["region"]) == {CODE, "17.71.01", "17.71"}


def test_density_without_population_is_skipped_with_a_warning():
    result = _run([["W1", "WIFI", LAT0, LON0, "berfungsi", "2024-03-01"]])
    assert "SS-CO-02" not in set(result.records["indicator"])
    assert any(p.extra.get("rule") == "no_population" for p in result.problems)


def test_coverage_within_500_m_of_a_stop():
    rows = [["H1", "HALTE", LAT0, LON0, "berfungsi", "2024-03-01"], ["H2", "HALTE", LAT0, LON0 + 0.0005,
            "tidak ditemukan", "2024-03-01"]]  # fmt: skip
    result = _run(rows)
    utm = _square().to_crs(_square().estimate_utm_crs())
    expected = 100 * math.pi * 500**2 / float(utm.area.iloc[0])  # one 500 m disc inside the square
    value, n = _value(result, "SL-MO-01")
    assert value == pytest.approx(expected, rel=0.01)  # shapely's buffer is a 64-gon
    assert n == 1  # the stop that was not found covers nothing


def test_density_per_km2_from_polygon_area_with_a_custom_rule():
    rules = pd.DataFrame(
        [{"indicator": "SS-SE-03", "asset_type": "CCTV", "kind": "density_area", "success_column": "status",
          "success_values": "berfungsi", "exclude_values": "", "per": "", "buffer_m": "", "basis": "",
          "description": "CCTV per km2 (test rule)"}]
    )  # fmt: skip
    rows = [["C1", "CCTV", LAT0, LON0, "berfungsi", "2024-03-01"], ["C2", "CCTV", LAT0, LON0, "berfungsi",
            "2024-03-01"]]  # fmt: skip
    result = _run(rows, rules=rules)
    km2 = float(_square().to_crs(_square().estimate_utm_crs()).area.iloc[0]) / 1e6
    assert _value(result, "SS-SE-03") == (pytest.approx(2 / km2), 2)


def test_rules_file_covers_the_schema():
    rules = read_rules()
    assert {"indicator", "asset_type", "kind", "success_column", "success_values"} <= set(rules.columns)
    by = rules.set_index("indicator")
    assert by.loc["SS-SE-02", "asset_type"] == "PJU" and "berfungsi" in by.loc["SS-SE-02", "success_values"]
    assert by.loc["SV-EN-01", "success_column"] == "lampu_tipe"
    assert by.loc["SS-CO-02", "kind"] == "density_pop" and by.loc["SS-CO-02", "per"] == "10000"
    assert by.loc["SL-MO-01", "kind"] == "coverage_buffer" and by.loc["SL-MO-01", "buffer_m"] == "500"


def test_rules_reproduce_the_demo_survey():
    """The demo's synthetic survey through the loaders gives the demo's own observation values."""
    from indicators.catalog import default_catalog
    from loaders.demo import generate_demo, observation_values

    demo = generate_demo()
    import io

    buf = io.BytesIO()
    demo.observations.to_excel(buf, index=False, sheet_name="observasi")
    regions = regions_within("17.71")
    result = read_upload(buf.getvalue(), "demo.xlsx", default_catalog(), regions, values=demo.values)
    assert result.ok and result.kind == "observations"
    ref = observation_values(demo.observations, regions)
    merged = result.records.merge(ref, on=["region", "indicator", "year"], suffixes=("", "_demo"))
    assert len(merged) == len(ref)
    assert np.allclose(merged["value"], merged["value_demo"])
    assert (merged["n_observed"] == merged["n"]).all()
