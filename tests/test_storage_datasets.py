"""Datasets in the store: provenance, newest-wins, rollback, duplicates, all-or-nothing imports.

Runs on SQLite and (with ``DASBOR_TEST_PG_URL``) PostgreSQL.
"""

from __future__ import annotations

import math
import sqlite3
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from storage_backends import BACKENDS, backend_url, sha, tidy

import storage
from storage import DuplicateDataset, open_store
from storage.schema import audit_log, datasets
from storage.schema import values as values_t


@pytest.fixture(params=BACKENDS)
def store_url(request, tmp_path):
    yield from backend_url(request.param, tmp_path)


@pytest.fixture
def store(store_url):
    return open_store(store_url)


KEC1, KEC2, KEC3 = "17.71.01", "17.71.02", "17.71.03"


def _import(store, name: str, rows: list[tuple], **kw) -> int:
    return store.import_dataset(
        kind=kw.pop("kind", "values"),
        file_name=name,
        sha256=sha(name + repr(rows)),
        uploaded_by=kw.pop("uploaded_by", "analis"),
        values=tidy(rows),
        **kw,
    )


def _value(store, region: str, indicator: str, year: int) -> float | None:
    active = store.active_values()
    hit = active.loc[(active["region"] == region) & (active["indicator"] == indicator) & (active["year"] == year)]
    assert len(hit) <= 1
    return None if hit.empty else float(hit["value"].iloc[0])


def test_new_store_is_empty_and_created_with_its_folder(store_url):
    store = open_store(store_url)
    assert store.is_empty()
    assert store.active_values().empty
    assert list(store.active_values().columns) == ["region", "indicator", "year", "value", "dataset_id"]
    assert store.datasets().empty
    if store_url.startswith("sqlite"):
        path = Path(store_url.removeprefix("sqlite:///"))
        assert path.exists() and path.parent.name == "store"
        with sqlite3.connect(path) as conn:
            assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_import_keeps_provenance_and_counts(store):
    before = store.data_version()
    dataset_id = _import(
        store,
        "bps_2023.xlsx",
        [(KEC1, "EC-01", 2023, 10.5), (KEC2, "EC-01", 2023, 20.0), (KEC1, "EC-02", 2023, 3.0)],
        uploaded_by="rina",
        note="BPS Kota Bengkulu Dalam Angka",
    )
    assert store.data_version() != before
    assert not store.is_empty()
    row = store.datasets().iloc[0]
    assert row["id"] == dataset_id
    assert (row["file_name"], row["uploaded_by"], row["kind"], row["status"]) == (
        "bps_2023.xlsx",
        "rina",
        "values",
        "active",
    )
    assert (row["n_values"], row["n_observations"], bool(row["synthetic"])) == (3, 0, False)
    assert row["note"] == "BPS Kota Bengkulu Dalam Angka"
    assert str(row["uploaded_at"].tz) == "UTC"
    assert abs(pd.Timestamp.now(tz="UTC") - row["uploaded_at"]) < pd.Timedelta(minutes=5)
    active = store.active_values()
    assert sorted(active["value"]) == [3.0, 10.5, 20.0]
    assert set(active["dataset_id"]) == {dataset_id}
    entry = store.audit_log(limit=1).iloc[0]
    assert entry["action"] == "import" and entry["user"] == "rina"
    assert entry["detail"]["dataset_id"] == dataset_id and entry["detail"]["n_values"] == 3


def test_same_file_twice_is_refused_with_the_existing_id(store):
    rows = [(KEC1, "EC-01", 2023, 1.0)]
    first = store.import_dataset(
        kind="values", file_name="a.xlsx", sha256=sha("same"), uploaded_by="u", values=tidy(rows)
    )
    version = store.data_version()
    with pytest.raises(DuplicateDataset) as caught:
        store.import_dataset(
            kind="values", file_name="a (1).xlsx", sha256=sha("same"), uploaded_by="v", values=tidy(rows)
        )
    assert caught.value.dataset_id == first
    assert "a.xlsx" in str(caught.value) and "already uploaded" in str(caught.value)
    assert len(store.datasets()) == 1
    assert store.data_version() == version
    # once rolled back, the same file may come back (that is how a rollback is undone)
    store.rollback(first, "u")
    again = store.import_dataset(
        kind="values", file_name="a.xlsx", sha256=sha("same"), uploaded_by="u", values=tidy(rows)
    )
    assert again != first and _value(store, KEC1, "EC-01", 2023) == 1.0


def test_newer_dataset_wins_and_rollback_restores_the_previous_value(store):
    old = _import(store, "old.xlsx", [(KEC1, "EC-01", 2023, 10.0), (KEC2, "EC-01", 2023, 20.0)])
    new = _import(store, "new.xlsx", [(KEC1, "EC-01", 2023, 11.0)])
    assert _value(store, KEC1, "EC-01", 2023) == 11.0  # the newer upload wins
    assert _value(store, KEC2, "EC-01", 2023) == 20.0  # what it did not give stays
    candidates = store.value_candidates(region=KEC1, indicator="EC-01")
    assert len(candidates) == 2
    winner = candidates.loc[candidates["winner"]].iloc[0]
    assert (winner["dataset_id"], winner["file_name"], winner["value"]) == (new, "new.xlsx", 11.0)
    loser = candidates.loc[~candidates["winner"]].iloc[0]
    assert (loser["dataset_id"], loser["file_name"], loser["value"]) == (old, "old.xlsx", 10.0)

    version = store.data_version()
    store.rollback(new, "admin")
    assert store.data_version() != version
    assert _value(store, KEC1, "EC-01", 2023) == 10.0
    status = store.datasets().set_index("id")["status"]
    assert status[new] == "rolled_back" and status[old] == "active"
    entry = store.audit_log(limit=1).iloc[0]
    assert (entry["action"], entry["user"], entry["detail"]["dataset_id"]) == ("rollback", "admin", new)
    assert store.value_candidates(region=KEC1, indicator="EC-01")["dataset_id"].tolist() == [old]


def test_fully_replaced_dataset_is_superseded_and_comes_back_after_rollback(store):
    first = _import(store, "v1.xlsx", [(KEC1, "EC-01", 2023, 1.0), (KEC2, "EC-01", 2023, 2.0)])
    second = _import(
        store, "v2.xlsx", [(KEC1, "EC-01", 2023, 1.5), (KEC2, "EC-01", 2023, 2.5), (KEC3, "EC-01", 2023, 3)]
    )
    status = store.datasets().set_index("id")["status"]
    assert status[first] == "superseded" and status[second] == "active"
    assert store.datasets().set_index("id").loc[first, "n_values"] == 2  # provenance stays
    # the superseded dataset is listed as a candidate that never wins
    cand = store.value_candidates(region=KEC1)
    assert cand.set_index("dataset_id").loc[first, "status"] == "superseded"
    assert not cand.set_index("dataset_id").loc[first, "winner"]
    store.rollback(second, "admin")
    status = store.datasets().set_index("id")["status"]
    assert status[first] == "active"
    assert store.active_values()[["region", "value"]].values.tolist() == [[KEC1, 1.0], [KEC2, 2.0]]


def test_rollback_unknown_dataset_raises_and_twice_changes_nothing(store):
    with pytest.raises(KeyError):
        store.rollback(999, "admin")
    dataset_id = _import(store, "a.xlsx", [(KEC1, "EC-01", 2023, 1.0)])
    store.rollback(dataset_id, "admin")
    version = store.data_version()
    store.rollback(dataset_id, "admin")
    assert store.data_version() == version
    assert store.active_values().empty


def test_no_data_cells_are_not_stored_and_never_hide_older_values(store):
    _import(store, "old.xlsx", [(KEC1, "EC-01", 2023, 5.0)])
    newer = _import(store, "new.xlsx", [(KEC1, "EC-01", 2023, math.nan), (KEC2, "EC-01", 2023, 7.0)])
    assert _value(store, KEC1, "EC-01", 2023) == 5.0
    assert store.datasets().set_index("id").loc[newer, "n_values"] == 1


def test_conflicting_values_for_one_key_are_refused_and_nothing_is_stored(store):
    with pytest.raises(ValueError, match="conflicting"):
        _import(store, "bad.xlsx", [(KEC1, "EC-01", 2023, 1.0), (KEC1, "EC-01", 2023, 2.0)])
    assert store.is_empty()
    # the same value twice is harmless
    dataset_id = _import(store, "ok.xlsx", [(KEC1, "EC-01", 2023, 1.0), (KEC1, "EC-01", 2023, 1.0)])
    assert store.datasets().set_index("id").loc[dataset_id, "n_values"] == 1


def test_nothing_to_import_is_refused(store):
    with pytest.raises(ValueError, match="nothing to import"):
        store.import_dataset(kind="values", file_name="e.xlsx", sha256=sha("e"), uploaded_by="u", values=tidy([]))
    assert store.is_empty()


def test_failure_inside_the_import_leaves_no_trace(store, monkeypatch):
    _import(store, "first.xlsx", [(KEC1, "EC-01", 2023, 1.0)])
    version = store.data_version()
    n_audit = len(store.audit_log())

    def boom(self, conn):
        raise RuntimeError("disk full")

    monkeypatch.setattr(storage.Store, "_refresh_statuses", boom)
    rows = [(f"17.71.0{i % 9 + 1}", "EC-01", 2000 + i, float(i)) for i in range(500)]
    with pytest.raises(RuntimeError, match="disk full"):
        _import(store, "second.xlsx", rows)
    monkeypatch.undo()
    assert len(store.datasets()) == 1
    assert store.data_version() == version
    assert len(store.audit_log()) == n_audit
    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(values_t)).scalar_one() == 1


def test_observations_of_active_datasets_with_attributes(store):
    obs = pd.DataFrame(
        {
            "obs_id": ["PJU-1", "PJU-2", None],
            "asset_type": ["PJU", "PJU", "CCTV"],
            "lat": [-3.80, -3.81, -3.82],
            "lon": [102.26, 102.27, 102.28],
            "kelurahan": ["17.71.01.1001", "17.71.01.1002", "17.71.01.1001"],
            "kecamatan": ["17.71.01", "17.71.01", "17.71.01"],
            "status": ["berfungsi", "tidak berfungsi", "berfungsi"],
            "lampu_tipe": ["LED", "non-LED", None],
            "obs_datetime": pd.to_datetime(["2024-05-01 19:30", "2024-05-01 19:40", None]),
        }
    )
    first = store.import_dataset(
        kind="observations", file_name="survei.xlsx", sha256=sha("s1"), uploaded_by="u", observations=obs
    )
    got = store.observations()
    assert len(got) == 3 and set(got["dataset_id"]) == {first}
    pju1 = got.loc[got["obs_id"] == "PJU-1"].iloc[0]
    assert pju1["region"] == "17.71.01.1001" and pju1["lat"] == pytest.approx(-3.80)
    assert pju1["attributes"] == {"lampu_tipe": "LED"}
    assert pju1["obs_datetime"].startswith("2024-05-01T19:30")
    assert store.datasets().iloc[0]["n_observations"] == 3

    # PJU-2 surveyed again: counted once, the newer observation wins
    again = pd.DataFrame(
        {"obs_id": ["PJU-2"], "asset_type": ["PJU"], "lat": [-3.81], "lon": [102.27], "status": ["berfungsi"]}
    )
    second = store.import_dataset(
        kind="observations", file_name="survei-ulang.xlsx", sha256=sha("s2"), uploaded_by="u", observations=again
    )
    got = store.observations()
    assert len(got) == 3
    assert got.loc[got["obs_id"] == "PJU-2", "status"].tolist() == ["berfungsi"]
    assert got.loc[got["obs_id"] == "PJU-2", "dataset_id"].tolist() == [second]
    store.rollback(first, "u")
    assert store.observations()["obs_id"].tolist() == ["PJU-2"]


def test_observation_values_keep_the_number_observed(store):
    frame = tidy([(KEC1, "SS-SE-02", 2024, 75.0)]).assign(n_observed=[12], unit=["%"], source=["survei PJU"])
    dataset_id = store.import_dataset(
        kind="observations", file_name="pju.xlsx", sha256=sha("pju"), uploaded_by="u", values=frame
    )
    cand = store.value_candidates(indicator="SS-SE-02").iloc[0]
    assert (cand["n_observed"], cand["unit"], cand["source"], cand["dataset_id"]) == (12, "%", "survei PJU", dataset_id)


def test_synthetic_flag_is_kept(store):
    _import(store, "data contoh (sintetis)", [(KEC1, "EC-01", 2023, 1.0)], kind="demo", synthetic=True)
    row = store.datasets().iloc[0]
    assert bool(row["synthetic"]) and row["kind"] == "demo"


def test_open_store_is_cached_per_url(store_url):
    assert open_store(store_url) is open_store(store_url)


def test_default_url_comes_from_settings(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'deep' / 'er' / 'x.sqlite'}"
    monkeypatch.setenv("DASBOR_DB_URL", url)
    try:
        store = open_store()
        assert store.is_empty() and (tmp_path / "deep" / "er" / "x.sqlite").exists()
    finally:
        storage.close_store(url)


# ---------------------------------------------------------------- property: newest active dataset wins
_KEYS = [(r, i, y) for r in (KEC1, KEC2) for i in ("A", "B") for y in (2022, 2023)]
_step = st.one_of(
    st.tuples(
        st.just("import"),
        st.lists(
            st.tuples(st.sampled_from(_KEYS), st.integers(0, 99)), min_size=1, max_size=6, unique_by=lambda t: t[0]
        ),
    ),
    st.tuples(st.just("rollback"), st.integers(0, 7)),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(_step, min_size=1, max_size=8))
def test_active_values_match_a_simple_model(steps):
    """After any sequence of imports and rollbacks each key shows the newest non-rolled-back value."""
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/p.sqlite"
        store = open_store(url)
        try:
            model: list[tuple[int, dict, bool]] = []  # (id, {key: value}, rolled_back)
            for n, (action, arg) in enumerate(steps):
                if action == "import":
                    rows = [(*key, float(v)) for key, v in arg]
                    dataset_id = store.import_dataset(
                        kind="values", file_name=f"f{n}", sha256=sha(f"{n}"), uploaded_by="u", values=tidy(rows)
                    )
                    model.append([dataset_id, {key: float(v) for key, v in arg}, False])
                elif model:
                    target = model[arg % len(model)]
                    store.rollback(target[0], "u")
                    target[2] = True
            expected: dict = {}
            for _dataset_id, rows, rolled_back in model:
                if not rolled_back:
                    expected.update(rows)
            active = store.active_values()
            got = {
                (r, i, int(y)): v
                for r, i, y, v in active[["region", "indicator", "year", "value"]].itertuples(index=False)
            }
            assert got == expected
            # every live dataset is active exactly when it still gives a value in force
            status = store.datasets().set_index("id")["status"]
            winners = set(active["dataset_id"])
            for dataset_id, _rows, rolled_back in model:
                if rolled_back:
                    assert status[dataset_id] == "rolled_back"
                else:
                    assert (status[dataset_id] == "active") == (dataset_id in winners)
            # no half state: every dataset holds exactly the rows it declares
            with store.engine.connect() as conn:
                held = dict(
                    conn.execute(select(values_t.c.dataset_id, func.count()).group_by(values_t.c.dataset_id)).all()
                )
                declared = dict(conn.execute(select(datasets.c.id, datasets.c.n_values)).all())
                imports = conn.execute(
                    select(func.count()).select_from(audit_log).where(audit_log.c.action == "import")
                ).scalar_one()
            assert held == declared and imports == len(declared)
        finally:
            storage.close_store(url)
