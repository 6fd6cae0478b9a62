"""Boundary files: formats, reprojection, repair, code matching, missing levels, display copy."""

from __future__ import annotations

import io
import json
import warnings
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely
from shapely.geometry import Polygon, box

from loaders.boundaries import (
    complete_levels,
    detect_code_property,
    display_copy,
    normalize_region_code,
    read_boundaries,
)
from loaders.gazetteer import regions_within

KELURAHAN = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "boundaries"
KELURAHAN = KELURAHAN / "kota_bengkulu_kelurahan.geojson"
needs_layer = pytest.mark.skipif(
    not KELURAHAN.exists(), reason=f"reference boundaries not found at {KELURAHAN} (../shared/data is read in place)"
)


def _rules(problems, severity=None):
    return [p.extra.get("rule") for p in problems if severity is None or p.severity == severity]


@pytest.fixture(scope="module")
def regions():
    return regions_within("17.71")


@pytest.fixture(scope="module")
def kelurahan():
    if not KELURAHAN.exists():
        pytest.skip(f"reference boundaries not found at {KELURAHAN}")
    gdf, problems = read_boundaries(KELURAHAN, KELURAHAN.name)
    assert _rules(problems, "error") == []
    return gdf


def _geojson_bytes(features: list[dict]) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": features}).encode()


def _feature(props: dict, coords: list) -> dict:
    return {"type": "Feature", "properties": props, "geometry": {"type": "Polygon", "coordinates": [coords]}}


# ---------------------------------------------------------------- codes
@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("17.71.01.1001", "17.71.01.1001"),
        ("1771011001", "17.71.01.1001"),
        (1771011001, "17.71.01.1001"),
        (1771011001.0, "17.71.01.1001"),
        ("1771011001.0", "17.71.01.1001"),
        ("177101", "17.71.01"),
        (" 17.71 ", "17.71"),
        ("Selebar", None),
        ("17711", None),
        (None, None),
        (float("nan"), None),
    ],
)
def test_region_codes_in_any_spelling(value, expected):
    assert normalize_region_code(value) == expected


# ---------------------------------------------------------------- the real layer
@needs_layer
def test_reference_kelurahan_layer_reads_with_codes_levels_and_names(kelurahan, regions):
    assert len(kelurahan) == 67
    assert list(kelurahan.columns) == ["code", "name", "level", "geometry"]
    assert kelurahan.crs.to_epsg() == 4326
    assert set(kelurahan["code"]) == set(regions.loc[regions["level"] == "kelurahan", "code"])
    assert set(kelurahan["level"]) == {"kelurahan"}
    assert kelurahan.set_index("code").loc["17.71.01.1001", "name"] == "Pagar Dewa"
    assert kelurahan.is_valid.all()
    assert set(kelurahan.geom_type) <= {"Polygon", "MultiPolygon"}


@needs_layer
def test_reading_against_the_gazetteer_reports_nothing(regions):
    gdf, problems = read_boundaries(KELURAHAN.read_bytes(), "kel.geojson", regions=regions)
    assert len(gdf) == 67 and problems == []


@needs_layer
def test_code_property_is_detected_among_others():
    raw = gpd.read_file(KELURAHAN)
    assert detect_code_property(raw.drop(columns="geometry")) == "kode"


@needs_layer
def test_projected_geopackage_is_reprojected_to_wgs84(tmp_path, kelurahan):
    utm = gpd.read_file(KELURAHAN).to_crs(32748)  # UTM zone 48S, what many GIS offices use
    path = tmp_path / "kelurahan_utm.gpkg"
    utm.to_file(path, layer="batas_kelurahan", driver="GPKG")
    gdf, problems = read_boundaries(path.read_bytes(), path.name)
    assert gdf.crs.to_epsg() == 4326
    assert "reprojected" in _rules(problems, "info")
    assert "32748" in next(p.message_en for p in problems if p.extra["rule"] == "reprojected")
    assert gdf["code"].tolist() == kelurahan["code"].tolist()
    assert np.allclose(gdf.total_bounds, kelurahan.total_bounds, atol=1e-7)
    a = gdf.set_index("code").geometry["17.71.03.1001"]
    b = kelurahan.set_index("code").geometry["17.71.03.1001"]
    assert a.symmetric_difference(b).area < 1e-6 * b.area


@needs_layer
def test_zipped_shapefile_with_numeric_codes_in_a_subfolder(tmp_path, kelurahan):
    raw = gpd.read_file(KELURAHAN)
    raw["KDEPUM"] = raw["kode"].str.replace(".", "").astype("int64")  # codes stored as numbers
    raw = raw.drop(columns=["kode"]).rename(columns={"nama": "NAMOBJ"})
    folder = tmp_path / "shp"
    folder.mkdir()
    raw.to_crs(32748).to_file(folder / "ADMINISTRASIDESA_AR.shp")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for part in folder.iterdir():
            archive.write(part, f"Batas Desa/{part.name}")
    gdf, problems = read_boundaries(buffer.getvalue(), "batas_desa.zip")
    assert _rules(problems, "error") == []
    assert gdf["code"].tolist() == kelurahan["code"].tolist()
    assert gdf.set_index("code").loc["17.71.01.1001", "name"] == "Pagar Dewa"
    assert np.allclose(gdf.total_bounds, kelurahan.total_bounds, atol=1e-6)


@needs_layer
def test_name_property_matched_through_the_gazetteer(regions, kelurahan):
    raw = gpd.read_file(KELURAHAN)[["nama", "geometry"]]
    data = raw.to_json().encode()
    gdf, problems = read_boundaries(data, "nama_saja.geojson", regions=regions)
    assert _rules(problems, "error") == []
    assert sorted(gdf["code"]) == sorted(kelurahan["code"])
    # the gazetteer spells 17.71.01.1004 "Bumu Ayu"; the alias table lets "Bumi Ayu" match too
    renamed = raw.assign(nama=raw["nama"].replace({"Bumu Ayu": "Bumi Ayu"}))
    gdf2, _ = read_boundaries(renamed.to_json().encode(), "nama.geojson", regions=regions)
    assert "17.71.01.1004" in set(gdf2["code"])


# ---------------------------------------------------------------- repair and problems
def test_bow_tie_polygon_is_repaired_and_reported():
    bow_tie = [[102.0, -3.0], [102.1, -3.1], [102.1, -3.0], [102.0, -3.1], [102.0, -3.0]]
    square = [[102.2, -3.0], [102.3, -3.0], [102.3, -3.1], [102.2, -3.1], [102.2, -3.0]]
    data = _geojson_bytes([_feature({"kode": "17.71.01.1001"}, bow_tie), _feature({"kode": "17.71.01.1002"}, square)])
    assert not shapely.Polygon(bow_tie).is_valid
    gdf, problems = read_boundaries(data, "rusak.geojson")
    assert gdf.is_valid.all() and len(gdf) == 2
    fixed = gdf.set_index("code").geometry["17.71.01.1001"]
    assert fixed.geom_type == "MultiPolygon" and len(fixed.geoms) == 2
    assert fixed.area == pytest.approx(2 * 0.5 * 0.1 * 0.05)  # two triangles meeting at the crossing
    repaired = [p for p in problems if p.extra["rule"] == "geometry_repaired"]
    assert len(repaired) == 1 and repaired[0].row == 1 and repaired[0].severity == "warning"
    assert "diperbaiki" in repaired[0].message_id and "repaired" in repaired[0].message_en


def test_unknown_and_out_of_scope_codes_are_errors_and_left_out(regions):
    square = [[102.2, -3.0], [102.3, -3.0], [102.3, -3.1], [102.2, -3.1], [102.2, -3.0]]
    good = regions.loc[regions["level"] == "kelurahan", "code"].tolist()[:8]
    codes = [good[0], "17.02.01.2001", "17.71.01.9999", *good[1:]]  # 17.02...: exists, another kabupaten
    data = _geojson_bytes([_feature({"kode": code}, square) for code in codes])
    gdf, problems = read_boundaries(data, "b.geojson", code_property="kode", regions=regions)
    assert "17.02.01.2001" not in set(gdf["code"]) and "17.71.01.9999" not in set(gdf["code"])
    errors = [p for p in problems if p.severity == "error"]
    assert [(p.row, p.column) for p in errors] == [(2, "kode"), (3, "kode")]
    assert all(p.extra["rule"] == "unknown_region" for p in errors)
    assert "missing_regions" in _rules(problems, "warning")  # most kelurahan have no polygon


@pytest.mark.parametrize(
    ("data", "name", "rule"),
    [
        (b'{"type": "FeatureCollection", "features": [{"type": "Feat', "potong.geojson", "unreadable"),
        (b"", "kosong.geojson", "empty_file"),
        (b"kode,nama\n1771,Kota\n", "tabel.csv", "unsupported_extension"),
        (b"PK\x03\x04 not really a zip", "rusak.zip", "damaged"),
        (b"\x00" * 10, "layer.shp", "bare_shapefile"),
    ],
)
def test_unreadable_files_give_one_clear_error_and_no_exception(data, name, rule):
    gdf, problems = read_boundaries(data, name)
    assert gdf.empty and list(gdf.columns) == ["code", "name", "level", "geometry"]
    assert _rules(problems) == [rule]
    assert problems[0].message_id and problems[0].message_en and problems[0].message_id != problems[0].message_en


def test_zip_without_shapefile_and_zip_bomb_are_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "batas desa")
    _, problems = read_boundaries(buffer.getvalue(), "x.zip")
    assert _rules(problems) == ["no_shapefile"]
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a.shp", b"\x00" * (50 << 20))  # 50 MB of zeros deflates ~1000x
    _, problems = read_boundaries(bomb.getvalue(), "bom.zip")
    assert _rules(problems) == ["zip_bomb"]


def test_missing_code_property_lists_what_exists():
    square = [[102.2, -3.0], [102.3, -3.0], [102.3, -3.1], [102.2, -3.1], [102.2, -3.0]]
    data = _geojson_bytes([_feature({"id_desa": "abc", "luas": 12.5}, square)])
    gdf, problems = read_boundaries(data, "b.geojson")
    assert gdf.empty and _rules(problems) == ["no_code_property"]
    assert "id_desa" in problems[0].message_en
    _, problems = read_boundaries(data, "b.geojson", code_property="kode")
    assert _rules(problems) == ["no_code_property"] and problems[0].column == "kode"


def test_projected_coordinates_without_crs_are_refused(tmp_path):
    frame = gpd.GeoDataFrame({"kode": ["17.71.01.1001"]}, geometry=[box(800000, 9570000, 801000, 9571000)])
    path = tmp_path / "tanpa_crs.gpkg"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        frame.to_file(path, driver="GPKG")
    gdf, problems = read_boundaries(path.read_bytes(), path.name)
    assert gdf.empty and _rules(problems) == ["crs_missing"]


def test_parts_with_the_same_code_are_merged_and_level_can_be_forced():
    a = [[102.2, -3.0], [102.3, -3.0], [102.3, -3.1], [102.2, -3.1], [102.2, -3.0]]
    b = [[102.5, -3.0], [102.6, -3.0], [102.6, -3.1], [102.5, -3.1], [102.5, -3.0]]
    data = _geojson_bytes([_feature({"kode": "1771031001"}, a), _feature({"kode": "17.71.03.1001"}, b)])
    gdf, problems = read_boundaries(data, "pulau.geojson")
    assert gdf["code"].tolist() == ["17.71.03.1001"]
    assert gdf.geometry.iloc[0].geom_type == "MultiPolygon"
    assert "merged_parts" in _rules(problems, "info")
    forced, _ = read_boundaries(data, "pulau.geojson", level="kelurahan")
    assert forced["level"].tolist() == ["kelurahan"]


# ---------------------------------------------------------------- missing levels
@needs_layer
def test_complete_levels_dissolves_kelurahan_into_kecamatan_and_kota(kelurahan, regions):
    full = complete_levels(kelurahan)
    counts = full["level"].value_counts().to_dict()
    assert counts == {"kelurahan": 67, "kecamatan": 9, "kota": 1}
    kec = full.loc[full["level"] == "kecamatan"].set_index("code")
    assert set(kec.index) == set(regions.loc[regions["level"] == "kecamatan", "code"])
    assert kec.loc["17.71.01", "name"] == "Selebar"
    assert full.set_index("code").loc["17.71", "name"] == "Kota Bengkulu"
    assert full.is_valid.all()
    # every kelurahan lies in its own kecamatan (by the first 8 characters of its code)
    for code, geom in zip(kelurahan["code"], kelurahan.geometry, strict=True):
        assert kec.geometry[code[:8]].contains(geom.representative_point())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # areas in degrees are fine for a ratio
        city = full.set_index("code").geometry["17.71"]
        assert city.area == pytest.approx(shapely.union_all(kelurahan.geometry.to_numpy()).area, rel=1e-6)
    # levels already there are kept, not recomputed
    given = kelurahan.iloc[:0].copy()
    kept = complete_levels(
        gpd.GeoDataFrame(
            {
                "code": ["17.71.01.1001", "17.71.01"],
                "name": ["Pagar Dewa", "Selebar (BIG)"],
                "level": ["kelurahan", "kecamatan"],
            },
            geometry=[kelurahan.geometry.iloc[0], box(102, -4, 103, -3)],
            crs="EPSG:4326",
        )
    )
    assert given.empty and kept.set_index("code").loc["17.71.01", "name"] == "Selebar (BIG)"
    assert kept["level"].value_counts().to_dict() == {"kelurahan": 1, "kecamatan": 1, "kota": 1}


# ---------------------------------------------------------------- display copy
def _adjacent_pairs(geoms) -> set[tuple[int, int]]:
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="intersects")
    return {(a, b) for a, b in zip(left, right, strict=True) if a < b and geoms[a].intersection(geoms[b]).length > 0}


def _overlap(geoms) -> float:
    return float(np.sum(shapely.area(geoms)) - shapely.union_all(geoms).area)


@needs_layer
def test_display_copy_is_light_keeps_shared_borders_and_suits_plotly(kelurahan):
    raw = gpd.read_file(KELURAHAN)  # with the extra lat/lng properties
    raw = raw.rename(columns={"kode": "code", "nama": "name"})
    light = display_copy(raw)
    assert list(light.columns) == ["code", "name", "geometry"]  # lat/lng dropped
    payload = light.to_json().encode()
    assert len(payload) < 300_000
    assert (
        shapely.get_num_coordinates(light.geometry.to_numpy()).sum()
        < shapely.get_num_coordinates(raw.geometry.to_numpy()).sum()
    )
    original = kelurahan.geometry.to_numpy()
    simple = display_copy(kelurahan).geometry.to_numpy()
    # neighbours stay neighbours and do not overlap more than in the source (a per-polygon
    # simplify of the same tolerance loses 9 of 156 shared borders and more than doubles overlaps)
    assert _adjacent_pairs(original) <= _adjacent_pairs(simple)
    assert _overlap(simple) <= _overlap(original) * 1.05
    # exterior rings clockwise (d3-geo / plotly "choropleth"), holes counter-clockwise
    parts = shapely.get_parts(simple)
    assert not shapely.is_ccw(shapely.get_exterior_ring(parts)).any()
    # the stored frame is untouched
    assert shapely.equals(kelurahan.geometry.to_numpy(), original).all()
    assert light.is_valid.all()


def test_display_copy_orients_a_counter_clockwise_polygon_and_simplifies_per_level():
    ccw = Polygon([(102.0, -3.1), (102.1, -3.1), (102.1, -3.0), (102.0, -3.0)])
    assert ccw.exterior.is_ccw
    frame = gpd.GeoDataFrame(
        {"code": ["17.71.01.1001", "17.71.01"], "level": ["kelurahan", "kecamatan"], "extra": [1, 2]},
        geometry=[ccw, ccw.buffer(0.01)],
        crs="EPSG:4326",
    )
    out = display_copy(frame, columns=[])
    assert list(out.columns) == ["code", "geometry"]
    assert not out.geometry.iloc[0].exterior.is_ccw
    assert out.geometry.iloc[0].area == pytest.approx(ccw.area)


@needs_layer
def test_completed_layer_round_trips_through_the_store(tmp_path, kelurahan):
    import storage

    url = f"sqlite:///{tmp_path / 'b.sqlite'}"
    store = storage.open_store(url)
    try:
        store.save_boundaries(complete_levels(kelurahan), source=KELURAHAN.name, user="admin")
        assert len(store.boundaries("kelurahan")) == 67
        kec = store.boundaries("kecamatan")
        assert len(kec) == 9 and kec.crs.to_epsg() == 4326 and kec.is_valid.all()
        assert store.boundaries("kota")["name"].tolist() == ["Kota Bengkulu"]
    finally:
        storage.close_store(url)
