"""Users, method scenarios, the append-only audit log and stored boundaries.

Runs on SQLite and (with ``DASBOR_TEST_PG_URL``) PostgreSQL.
"""

from __future__ import annotations

import geopandas as gpd
import pytest
from shapely.geometry import MultiPolygon, Polygon, box
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from storage_backends import BACKENDS, backend_url

from storage import UserExists, open_store


@pytest.fixture(params=BACKENDS)
def store_url(request, tmp_path):
    yield from backend_url(request.param, tmp_path)


@pytest.fixture
def store(store_url):
    return open_store(store_url)


# ---------------------------------------------------------------- users
def test_users_log_in_with_their_role_and_hashes_stay_private(store):
    store.create_user("analis", "rahasia-1", "analyst")
    store.create_user("pakar", "rahasia-2", "expert")
    assert store.authenticate("analis", "rahasia-1") == "analyst"
    assert store.authenticate(" pakar ", "rahasia-2") == "expert"
    assert store.authenticate("analis", "rahasia-2") is None
    assert store.authenticate("siapa", "rahasia-1") is None
    assert store.authenticate("analis", "x" * 100) is None
    frame = store.users()
    assert frame["username"].tolist() == ["analis", "pakar"]
    assert "password_hash" not in frame.columns
    with store.engine.connect() as conn:
        stored = conn.execute(text("SELECT password_hash FROM users WHERE username = 'analis'")).scalar_one()
    assert "rahasia" not in stored and stored.startswith("$2")


def test_user_rules(store):
    store.create_user("admin", "pw", "admin")
    with pytest.raises(UserExists):
        store.create_user("admin", "other", "viewer")
    with pytest.raises(ValueError, match="role"):
        store.create_user("x", "pw", "superuser")
    with pytest.raises(ValueError, match="72"):
        store.create_user("y", "p" * 73, "viewer")
    store.set_role("admin", "expert", by="root")
    assert store.authenticate("admin", "pw") == "expert"
    store.set_password("admin", "baru", by="root")
    assert store.authenticate("admin", "pw") is None and store.authenticate("admin", "baru") == "expert"
    actions = store.audit_log()["action"].tolist()
    assert actions[:3] == ["user_password", "user_role", "user_create"]


# ---------------------------------------------------------------- scenarios
def test_scenarios_and_the_official_one(store):
    assert store.official_scenario() is None
    first = store.save_scenario("Bobot AHP 2024", {"aggregation": "geometric", "weights": {"EC": 0.3}}, "pakar")
    second = store.save_scenario("Bobot sama", {"aggregation": "arithmetic"}, "pakar")
    assert store.get_scenario(first)["settings"] == {"aggregation": "geometric", "weights": {"EC": 0.3}}
    listed = store.scenarios()
    assert listed["id"].tolist() == [second, first]
    assert not listed["is_official"].any()
    store.set_official(first, "admin")
    assert store.official_scenario()["id"] == first
    store.set_official(second, "admin")
    official = store.official_scenario()
    assert (official["id"], official["name"], official["is_official"]) == (second, "Bobot sama", True)
    assert store.scenarios()["is_official"].sum() == 1
    entry = store.audit_log(limit=1).iloc[0]
    assert (entry["action"], entry["user"], entry["detail"]["previous"]) == ("scenario_official", "admin", [first])
    store.clear_official("admin")
    assert store.official_scenario() is None
    with pytest.raises(KeyError):
        store.get_scenario(12345)
    with pytest.raises(KeyError):
        store.set_official(12345, "admin")
    with pytest.raises(TypeError):
        store.save_scenario("bad", {"f": object()}, "pakar")


# ---------------------------------------------------------------- audit log
def test_audit_log_is_append_only(store):
    store.audit("export", "rina", {"what": "scores.xlsx", "rows": 67})
    store.audit("login", "budi", {})
    log = store.audit_log()
    assert log["action"].tolist() == ["login", "export"]
    assert log.iloc[1]["detail"] == {"what": "scores.xlsx", "rows": 67}
    assert str(log["at"].dt.tz) == "UTC"
    assert len(store.audit_log(limit=1)) == 1
    assert not any(hasattr(store, name) for name in ("delete_audit", "update_audit", "clear_audit_log"))
    for statement in ("UPDATE audit_log SET action = 'x'", "DELETE FROM audit_log"):
        with pytest.raises(DBAPIError, match="append-only"), store.engine.begin() as conn:
            conn.execute(text(statement))
    assert store.audit_log()["action"].tolist() == ["login", "export"]


# ---------------------------------------------------------------- boundaries
def test_boundaries_round_trip_and_replace_by_code(store):
    kel = gpd.GeoDataFrame(
        {
            "code": ["17.71.01.1001", "17.71.01.1002"],
            "name": ["Betungan", "Pekan Sabtu"],
        },
        geometry=[box(102.25, -3.85, 102.26, -3.84), MultiPolygon([box(102.26, -3.85, 102.27, -3.84)])],
        crs="EPSG:4326",
    )
    assert store.save_boundaries(kel, source="test.geojson", user="admin") == 2
    got = store.boundaries()
    assert got.crs.to_epsg() == 4326
    assert got["code"].tolist() == ["17.71.01.1001", "17.71.01.1002"]
    assert got["level"].tolist() == ["kelurahan", "kelurahan"]  # from the code's depth
    assert got.geometry.iloc[0].equals(kel.geometry.iloc[0])
    assert got.geometry.iloc[1].geom_type == "MultiPolygon"
    version = store.boundaries_version()

    kec = gpd.GeoDataFrame(
        {"code": ["17.71.01"], "name": ["Selebar"], "level": ["kecamatan"]},
        geometry=[box(102.25, -3.85, 102.27, -3.84)],
        crs="EPSG:4326",
    ).to_crs(32748)  # any CRS is stored as EPSG:4326
    store.save_boundaries(kec, source="kec.gpkg", user="admin")
    assert store.boundaries_version() != version
    assert store.boundaries("kecamatan")["code"].tolist() == ["17.71.01"]
    assert store.boundaries("kecamatan").geometry.iloc[0].bounds == pytest.approx(
        (102.25, -3.85, 102.27, -3.84), abs=1e-7
    )
    assert len(store.boundaries("kelurahan")) == 2

    moved = kel.iloc[[0]].copy()
    moved["geometry"] = [Polygon([(102.0, -3.0), (102.1, -3.0), (102.1, -3.1)])]
    store.save_boundaries(moved, source="fix.geojson", user="admin")
    again = store.boundaries("kelurahan")
    assert len(again) == 2
    assert again.set_index("code").geometry["17.71.01.1001"].equals(moved.geometry.iloc[0])
    assert store.audit_log(limit=1).iloc[0]["action"] == "boundaries_save"
    with pytest.raises(ValueError, match="repeat"):
        store.save_boundaries(kel.iloc[[0, 0]], source="dup", user="admin")


def test_no_boundaries_is_an_empty_geodataframe(store):
    empty = store.boundaries()
    assert isinstance(empty, gpd.GeoDataFrame) and empty.empty
    assert list(empty.columns) == ["code", "name", "level", "geometry"]
    assert empty.crs.to_epsg() == 4326
