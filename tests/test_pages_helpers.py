"""The logic behind the view pages, checked by hand without a browser.

Explanations (the formulas a user reads must reproduce the score), data quality (coverage states,
freshness, provenance), the tables of the Dimensi/Profil/Bandingkan pages, and the map layers
(geometry of Kota Bengkulu, payload size, no-data regions in grey).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import KELURAHAN_GEOJSON, catalog_from_text, values_from_rows

from indicators.engine import score
from indicators.method import Method
from indicators.quality import coverage_grid, coverage_summary, freshness, provenance, region_coverage
from indicators.tables import compare_matrix, indicator_detail, node_scores, used_normalization
from ui.explain import aggregation_formula, children_frame, normalization_formula

# A two-element tree; x and y measured everywhere, z only at kelurahan level, v derived (turnout).
TREE = """
code,parent,level,direction,lower,upper,target,weight,levels,derivation,transform,aggregation
R,,index,,,,,1,,,,
E1,R,element,,,,,3,,,,
E2,R,element,,,,,1,,,,
x,E1,indicator,higher,0,100,,1,,,,
y,E1,indicator,lower,0,50,,1,,,,
z,E2,indicator,higher,,,,1,kelurahan,,,
v,E2,indicator,higher,0,100,,1,,governance.voter_turnout,,
VAR-VOTES-CAST,,variable,,,,,,,,,
VAR-VOTERS,,variable,,,,,,,,,
"""
LEVELS = {"17.71": "kota", "17.71.01": "kecamatan", "17.71.02": "kecamatan"}


def tree():
    return catalog_from_text(TREE)


def run(rows, method=None):
    return score(values_from_rows(rows), tree(), method or Method(), regions=LEVELS)


# ----------------------------------------------------------------------------- explanation text
def test_arithmetic_formula_reproduces_the_score():
    # x = 60 -> 60; y = 10 of goalposts 0-50 lower-is-better -> (50 - 10) / 50 = 80; E1 = mean 70
    result = run([("17.71.01", "x", 2024, 60), ("17.71.01", "y", 2024, 10)])
    expl = result.explain("17.71.01", 2024, "E1")
    assert expl["score"] == pytest.approx(70.0)
    assert aggregation_formula(expl, "id") == "0,50 × 60,0 + 0,50 × 80,0 = 70,0"
    assert aggregation_formula(expl, "en") == "0.50 × 60.0 + 0.50 × 80.0 = 70.0"
    kids = children_frame(expl)
    assert kids["contribution"].sum() == pytest.approx(expl["score"])


def test_missing_child_shares_its_weight_and_formula_lists_only_children_with_data():
    # R = E1 (weight 3) and E2 (weight 1); E2 has no data at kecamatan level (z not applicable,
    # v missing) -> E1 carries all the weight used: R = E1.
    result = run([("17.71.01", "x", 2024, 60), ("17.71.01", "y", 2024, 10)], Method(threshold=0.5))
    expl = result.explain("17.71.01", 2024, "R")
    frame = children_frame(expl)
    assert frame.set_index("code").loc["E1", "weight_share"] == pytest.approx(0.75)
    assert frame.set_index("code").loc["E1", "used_share"] == pytest.approx(1.0)
    assert aggregation_formula(expl, "en") == "1.00 × 70.0 = 70.0"


def test_geometric_and_harmonic_formulas():
    expl = {
        "score": 60**0.25 * 80**0.75,
        "aggregation": "geometric",
        "children": [
            {"score": 60.0, "used_share": 0.25},
            {"score": 80.0, "used_share": 0.75},
        ],
    }
    # 60^0.25 x 80^0.75 = 74.45...
    assert aggregation_formula(expl, "en") == "60.0^0.25 × 80.0^0.75 = 74.4"
    expl["aggregation"] = "harmonic"
    expl["score"] = 1 / (0.25 / 60 + 0.75 / 80)  # 73.8
    assert aggregation_formula(expl, "en") == "1 / (0.25 / 60.0 + 0.75 / 80.0) = 73.8"


def test_normalization_formula_with_the_goalposts_used():
    result = run([("17.71.01", "x", 2024, 45), ("17.71.01", "y", 2024, 10)])
    expl = result.explain("17.71.01", 2024, "y")
    params = used_normalization(result, "y", "17.71.01", 2024)
    assert params["method"] == "goalposts" and (params["lower"], params["upper"]) == (0.0, 50.0)
    params.setdefault("direction", "lower")
    # lower is better: (50 - 10) / (50 - 0) x 100 = 80
    assert normalization_formula(expl, params, "en") == "(50.00 − 10.00) / (50.00 − 0.00) × 100 = 80.0"


def test_minmax_formula_names_the_scope_min_and_max():
    rows = [("17.71.01", "x", 2024, 1), ("17.71.01.1001", "z", 2024, 5), ("17.71.01.1002", "z", 2024, 15)]
    levels = {**LEVELS, "17.71.01.1001": "kelurahan", "17.71.01.1002": "kelurahan"}
    result = score(values_from_rows(rows), tree(), Method(), regions=levels)
    expl = result.explain("17.71.01.1001", 2024, "z")
    params = used_normalization(result, "z", "17.71.01.1001", 2024)
    assert params["method"] == "minmax" and params["scope"] == "kelurahan"
    params["direction"] = "higher"
    assert normalization_formula(expl, params, "id") == "(5,00 − 5,00) / (15,00 − 5,00) × 100 = 0,0"


def test_log_goalposts_are_given_back_in_the_raw_unit():
    cat = catalog_from_text("code,parent,lower,upper,transform\nR,,,,\nx,R,100,100000,log\n")
    result = score(values_from_rows([("A", "x", 2024, 1000)]), cat)
    params = used_normalization(result, "x", "A", 2024)
    assert params["lower"] == pytest.approx(100) and params["upper"] == pytest.approx(100000)
    params["direction"] = "higher"
    text = normalization_formula(result.explain("A", 2024, "x"), params, "en")
    # (ln 1000 - ln 100) / (ln 100000 - ln 100) = 1/3
    assert text == "(ln(1,000.00) − ln(100.00)) / (ln(100,000.00) − ln(100.00)) × 100 = 33.3"


# ----------------------------------------------------------------------------- data quality
def quality_run():
    rows = [
        ("17.71.01", "x", 2023, 50),
        ("17.71.01", "x", 2024, 55),
        ("17.71.02", "x", 2023, 40),  # 2024 missing -> imputed by locf
        ("17.71.01", "y", 2024, 20),
        ("17.71.01", "VAR-VOTES-CAST", 2024, 700),
        ("17.71.01", "VAR-VOTERS", 2024, 1000),  # -> v derived = 70 %
        ("17.71.02", "y", 2024, 25),
    ]
    return run(rows, Method(imputation="locf")), values_from_rows(rows)


def test_coverage_grid_marks_every_state():
    result, _ = quality_run()
    grid = coverage_grid(result, 2024, ["17.71.01", "17.71.02"])
    assert grid.loc["x", "17.71.01"] == 1  # observed
    assert grid.loc["x", "17.71.02"] == 3  # imputed from 2023
    assert grid.loc["v", "17.71.01"] == 2  # derived from the two variables
    assert grid.loc["v", "17.71.02"] == 0  # applies, but missing
    assert grid.loc["z", "17.71.01"] == -1  # z is only measured for kelurahan
    summary = coverage_summary(grid).set_index("indicator")
    # imputed values never count as data: x has 1 of 2 regions -> 50 %, below the 65 % threshold
    assert summary.loc["x", "share"] == pytest.approx(0.5) and summary.loc["x", "flag"]
    assert summary.loc["y", "share"] == pytest.approx(1.0) and not summary.loc["y", "flag"]
    assert "z" not in summary.index
    # 17.71.02: x imputed, y observed, v missing -> 1 of 3 applicable indicators has data
    assert region_coverage(grid)["17.71.02"] == pytest.approx(1 / 3)


def test_freshness_latest_real_year_and_lag():
    result, _ = quality_run()
    fresh = freshness(result, ["17.71.01", "17.71.02"], ref_year=2024).set_index("indicator")
    assert fresh.loc["x", "latest_year"] == 2024 and fresh.loc["x", "n_regions"] == 1  # 17.71.02's is imputed
    assert fresh.loc["x", "first_year"] == 2023 and fresh.loc["x", "n_years"] == 2
    assert fresh.loc["y", "lag"] == 0
    assert pd.isna(fresh.loc["z", "latest_year"])


def test_provenance_names_dataset_inputs_and_imputation():
    result, tidy = quality_run()
    values = tidy.assign(dataset_id=np.where(tidy["indicator"].str.startswith("VAR"), 7, 3))
    datasets = pd.DataFrame(
        {
            "id": [3, 7],
            "file_name": ["bps.xlsx", "kpu.xlsx"],
            "uploaded_by": ["analis", "analis2"],
            "uploaded_at": pd.to_datetime(["2025-01-01", "2025-02-01"], utc=True),
            "synthetic": [False, False],
        }
    )
    prov = provenance(result, values, datasets).set_index(["region", "year", "indicator"])
    assert prov.loc[("17.71.01", 2024, "x"), "file_name"] == "bps.xlsx"
    derived = prov.loc[("17.71.01", 2024, "v")]
    assert derived["origin"] == "derived" and derived["file_name"] == "kpu.xlsx"
    assert derived["inputs"] == "VAR-VOTES-CAST, VAR-VOTERS"
    imputed = prov.loc[("17.71.02", 2024, "x")]
    assert imputed["origin"] == "imputed" and pd.isna(imputed["dataset_id"])


# ----------------------------------------------------------------------------- page tables
def test_indicator_detail_row_explains_one_value():
    result, _ = quality_run()
    detail = indicator_detail(result, "17.71.01", 2024, ["x", "y", "z"]).set_index("code")
    assert detail.loc["y", "value"] == 20 and detail.loc["y", "score"] == pytest.approx(60.0)  # (50-20)/50
    assert (detail.loc["y", "lower"], detail.loc["y", "upper"], detail.loc["y", "method"]) == (0, 50, "goalposts")
    assert detail.loc["y", "direction"] == "lower" and detail.loc["y", "origin"] == "observed"
    assert not detail.loc["z", "applicable"]


def test_compare_matrix_differences_from_the_reference():
    result, _ = quality_run()
    long = node_scores(result, [("17.71.01", 2024), ("17.71.02", 2024), ("17.71.01", 2023)], ["x", "y"])
    scores, diff = compare_matrix(long, "score", reference=0)
    assert list(scores.index) == ["x", "y"]
    assert diff.loc["y", 1] == pytest.approx(scores.loc["y", 1] - scores.loc["y", 0])  # 50 - 60 = -10
    assert diff.loc["y", 1] == pytest.approx(-10.0)
    assert (diff[0] == 0).all()
    assert math.isnan(diff.loc["y", 2])  # no y for 17.71.01 in 2023


# ----------------------------------------------------------------------------- maps
def kelurahan():
    import geopandas as gpd

    if not Path(KELURAHAN_GEOJSON).exists():
        pytest.skip("shared boundaries of Kota Bengkulu not present (../shared/data)")
    return gpd.read_file(KELURAHAN_GEOJSON).rename(columns={"kode": "code", "nama": "name"})


def test_kelurahan_layer_is_complete_and_small():
    from ui.maps import build_layer

    layer = build_layer(kelurahan(), "kelurahan")
    assert len(layer.codes) == 67
    assert layer.payload_bytes < 300_000
    feature = layer.geojson["features"][0]
    assert set(feature) == {"type", "id", "properties", "geometry"} and feature["properties"] == {}
    coords = json.dumps(feature["geometry"]["coordinates"])
    assert all(len(part.split(".")[-1]) <= 5 for part in coords.replace("]", ",").split(",") if "." in part)
    assert 9 <= layer.zoom <= 12  # the whole city fits the map


def test_kecamatan_dissolved_from_kelurahan_without_sliver_holes():
    from ui.maps import build_layer, dissolve_to_parent

    kec = dissolve_to_parent(kelurahan())
    assert sorted(kec["code"]) == [f"17.71.0{i}" for i in range(1, 10)]
    holes = sum(len(p.interiors) for g in kec.geometry for p in getattr(g, "geoms", [g]))
    assert holes == 0
    assert len(build_layer(kec, "kecamatan").codes) == 9


def test_choropleth_greys_regions_without_data_and_spans_the_real_range():
    from ui.maps import build_layer, choropleth_figure, figure_payload_bytes

    layer = build_layer(kelurahan(), "kelurahan")
    codes = list(layer.codes)
    frame = pd.DataFrame({"region": codes, "name": codes, "score": np.linspace(20, 80, len(codes))})
    frame.loc[:4, "score"] = np.nan  # five regions without data
    frame["score_text"] = frame["value_text"] = frame["coverage_text"] = "x"
    fig = choropleth_figure(
        layer,
        frame,
        color="score",
        color_title="Skor",
        hover_labels={"score": "Skor", "value": "Nilai", "coverage": "Cakupan"},
        no_data_label="Tidak ada data (5)",
        title="t",
    )
    grey, data = fig.data[0], fig.data[1]
    assert grey.name == "Tidak ada data (5)" and grey.showlegend and len(grey.locations) == 5
    assert data.zmin == pytest.approx(frame["score"].min()) and data.zmax == pytest.approx(80)
    # each polygon is sent once: the traces carry disjoint parts of the layer
    ids = [f["id"] for tr in fig.data for f in tr.geojson["features"]]
    assert sorted(ids) == sorted(codes)
    assert figure_payload_bytes(fig) < 300_000
    assert fig.layout.map.style == "white-bg"  # no tiles: works offline


def test_observation_points_fold_status_and_follow_the_level():
    from ui.maps import observation_points

    obs = pd.DataFrame(
        {
            "lat": [-3.8, -3.81, None],
            "lon": [102.3, 102.31, 102.3],
            "status": ["Berfungsi ", "rusak?", "berfungsi"],
            "region": ["17.71.01.1001", "17.71.02.1001", "17.71.01.1001"],
            "asset_type": ["PJU", "CCTV", "PJU"],
            "condition": ["baik", None, "baik"],
        }
    )
    labels = {"berfungsi": "Berfungsi", "tidak berfungsi": "Rusak", "tidak ditemukan": "Hilang", "lainnya": "Lain"}
    names = {"17.71.01.1001": "Pagar Dewa", "17.71.02.1001": "Padang Harapan"}
    points = observation_points(obs, names, "kecamatan", labels)
    assert len(points) == 2  # the point without coordinates is left out
    assert list(points["status_key"]) == ["berfungsi", "lainnya"]
    assert list(points["region"]) == ["17.71.01", "17.71.02"]  # a click opens the kecamatan shown
    assert points["hover"].iloc[0] == "PJU · baik" and points["kelurahan"].iloc[0] == "Pagar Dewa"


def test_untranslated_marker_is_detected():
    """The page tests' check for ``⟦key⟧`` really finds one (in text and in a chart spec)."""
    from streamlit.testing.v1 import AppTest

    from tests.pages_support import untranslated_keys

    at = AppTest.from_string(
        "import streamlit as st\nimport plotly.graph_objects as go\nfrom ui.i18n import t\n"
        "st.caption('ok')\nst.plotly_chart(go.Figure(layout={'title': t('no.such.key')}))\n"
    )
    at.run()
    assert untranslated_keys(at) and "no.such.key" in untranslated_keys(at)[0]
