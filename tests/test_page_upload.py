"""The Unggah Data page, driven headless with AppTest in both languages.

What an analyst would notice: a good file shows its preview and commits, after which the datasets
list shows it and the values are in the store; a bad file lists every error with its cell and the
commit button stays disabled; hostile or duplicate files are refused with a message; a viewer
cannot write; rollback needs a confirmation. Never an exception or an untranslated key.
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest
from pages_support import rendered_bytes, untranslated_keys
from streamlit.testing.v1 import AppTest

import storage
from ui.i18n import t

PAGE = str(Path(__file__).resolve().parent.parent / "views" / "upload.py")
CSV = "text/csv"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
GOOD = b"wilayah,indikator,tahun,nilai\n17.71.01,SG-PS-01,2024,55\nRatu Agung,SG-PS-01,2024,60\n"
BAD = b"wilayah,indikator,tahun,nilai\nRatu Agungg,XX-99,2024,abc\n17.71.01,SG-PS-01,1800,120\n"


@pytest.fixture
def db(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'page.sqlite'}"
    monkeypatch.setenv("DASBOR_DB_URL", url)
    yield storage.open_store(url)
    storage.close_store(url)


def _app(lang: str, role: str | None = "analyst", user: str = "rina") -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=120)
    at.session_state["lang"] = lang
    if role is not None:
        at.session_state["role"] = role
        at.session_state["user"] = user
    return at.run()


def _assert_clean(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not untranslated_keys(at), untranslated_keys(at)
    assert b"Traceback" not in rendered_bytes(at)


def _upload(at: AppTest, name: str, data: bytes, mime: str = CSV) -> AppTest:
    at.file_uploader[0].set_value((name, data, mime))
    return at.run()


def _table_with(at: AppTest, column: str) -> pd.DataFrame:
    for frame in at.dataframe:
        if column in frame.value.columns:
            return frame.value
    raise AssertionError(f"no table with column {column!r}: {[list(d.value.columns) for d in at.dataframe]}")


def _commit_button(at: AppTest):
    return at.button(key="upload.commit")


@pytest.mark.parametrize("lang", ["id", "en"])
def test_good_file_previews_commits_and_appears_in_the_datasets_list(db, lang):
    at = _app(lang)
    _assert_clean(at)
    assert at.title[0].value == t("upload.title", lang=lang)
    assert any(i.value == t("upload.no_datasets", lang=lang) for i in at.info)
    version = db.data_version()

    at = _upload(at, "bps_2024.csv", GOOD)
    _assert_clean(at)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[t("upload.n_values", lang=lang)] == "2"
    assert metrics[t("upload.n_errors", lang=lang)] == "0"
    assert metrics[t("upload.status.new", lang=lang)] == "2"
    preview = _table_with(at, t("upload.col.new", lang=lang))
    assert sorted(preview[t("upload.col.region", lang=lang)]) == ["Ratu Agung (17.71.06)", "Selebar (17.71.01)"]
    assert not _commit_button(at).disabled

    _commit_button(at).click()
    at = at.run()
    _assert_clean(at)
    assert any(s.value.startswith(t("upload.committed", lang=lang).split("#")[0]) for s in at.success)
    assert db.data_version() != version  # the app's score cache is keyed on it: scores follow at once
    active = db.active_values()
    assert sorted(zip(active["region"], active["value"])) == [("17.71.01", 55.0), ("17.71.06", 60.0)]
    listed = _table_with(at, t("upload.col.file", lang=lang))
    assert listed[t("upload.col.file", lang=lang)].tolist() == ["bps_2024.csv"]
    assert listed[t("upload.col.by", lang=lang)].tolist() == ["rina"]
    assert listed[t("upload.col.dataset_status", lang=lang)].tolist() == [t("upload.dataset_status.active", lang=lang)]
    assert len(listed[t("upload.col.sha", lang=lang)].iloc[0]) == 64
    # the uploader was reset: the same file again is recognised and cannot be committed twice
    at = _upload(at, "bps_2024 (1).csv", GOOD)
    _assert_clean(at)
    assert _commit_button(at).disabled
    assert any("#1" in c.value for c in at.caption)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[t("upload.status.unchanged", lang=lang)] == "2"


@pytest.mark.parametrize("lang", ["id", "en"])
def test_bad_file_lists_every_error_with_its_cell_and_cannot_be_committed(db, lang):
    at = _upload(_app(lang), "rusak.csv", BAD)
    _assert_clean(at)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[t("upload.n_errors", lang=lang)] == "5"
    problems = _table_with(at, t("upload.col.message", lang=lang))
    assert set(problems[t("upload.col.cell", lang=lang)]) == {"A2", "B2", "D2", "C3", "D3"}
    messages = " ".join(problems[t("upload.col.message", lang=lang)])
    assert ("Ratu Agung" in messages) and ("XX-99" in messages)
    assert (lang == "en") == ("Unknown region" in messages)
    assert at.error[0].value == t("upload.has_errors", lang=lang, n="5")
    assert _commit_button(at).disabled
    assert any(c.value == t("upload.commit_blocked_errors", lang=lang) for c in at.caption)
    assert db.is_empty()
    # the report downloads as a workbook
    report = next(b for b in at.get("download_button") if b.proto.label == t("upload.report_download", lang=lang))
    assert report is not None


def test_errors_can_be_filtered_by_severity(db):
    at = _upload(_app("en"), "rusak.csv", BAD)
    at.multiselect(key="upload.filter_severity").set_value([])
    at = at.run()
    _assert_clean(at)
    assert any(c.value == t("upload.no_problems_shown", lang="en") for c in at.caption)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_a_file_that_is_not_what_it_says_is_refused_and_nothing_stored(db, lang):
    at = _upload(_app(lang), "laporan.xlsx", b"%PDF-1.7\n% not a workbook\n", XLSX)
    _assert_clean(at)
    assert at.error and at.error[0].value.startswith(t("upload.refused", lang=lang, reason="").strip())
    assert not [b for b in at.button if b.key == "upload.commit"]
    assert db.is_empty()


def test_viewer_can_check_but_not_commit_or_roll_back(db):
    db.import_dataset(kind="values", file_name="lama.csv", sha256="a" * 64, uploaded_by="x", values=_values(1.0))
    at = _upload(_app("id", role="viewer", user="tamu"), "bps.csv", GOOD)
    _assert_clean(at)
    assert any(i.value == t("upload.read_only", lang="id") for i in at.info)
    assert _commit_button(at).disabled
    assert at.button(key="upload.rb_go").disabled
    at.checkbox(key="upload.rb_sure.1").check()
    at = at.run()
    assert at.button(key="upload.rb_go").disabled
    assert len(db.datasets()) == 1 and db.datasets()["status"].tolist() == ["active"]


def _values(value: float) -> pd.DataFrame:
    return pd.DataFrame({"region": ["17.71.01"], "indicator": ["SG-PS-01"], "year": [2024], "value": [value]})


@pytest.mark.parametrize("lang", ["id", "en"])
def test_rollback_needs_confirmation_and_brings_back_the_previous_value(db, lang):
    first = db.import_dataset(kind="values", file_name="v1.csv", sha256="1" * 64, uploaded_by="a", values=_values(10))
    second = db.import_dataset(kind="values", file_name="v2.csv", sha256="2" * 64, uploaded_by="b", values=_values(20))
    at = _app(lang, role="admin", user="admin")
    _assert_clean(at)
    status = _table_with(at, t("upload.col.dataset_status", lang=lang))[t("upload.col.dataset_status", lang=lang)]
    assert status.tolist() == [t("upload.dataset_status.active", lang), t("upload.dataset_status.superseded", lang)]
    assert at.selectbox(key="upload.rb_pick").value == second
    assert at.button(key="upload.rb_go").disabled  # not confirmed yet
    at.checkbox(key=f"upload.rb_sure.{second}").check()
    at = at.run()
    assert not at.button(key="upload.rb_go").disabled
    at.button(key="upload.rb_go").click()
    at = at.run()
    _assert_clean(at)
    assert any(s.value == t("upload.rolled_back", lang=lang, id=second) for s in at.success)
    assert db.active_values()["value"].tolist() == [10.0]
    assert db.active_values()["dataset_id"].tolist() == [first]
    assert db.audit_log(limit=1).iloc[0]["user"] == "admin"


def test_provenance_says_which_dataset_won(db):
    db.import_dataset(kind="values", file_name="v1.csv", sha256="1" * 64, uploaded_by="a", values=_values(10))
    db.import_dataset(kind="values", file_name="v2.csv", sha256="2" * 64, uploaded_by="b", values=_values(20))
    at = _app("en")
    _assert_clean(at)
    table = _table_with(at, t("upload.col.winner", lang="en"))
    winners = table.loc[table[t("upload.col.winner", lang="en")] == t("upload.yes", lang="en")]
    assert winners[t("upload.col.file", lang="en")].tolist() == ["v2.csv"]
    assert len(table) == 2


def test_synthetic_demo_data_is_labelled(db):
    db.import_dataset(
        kind="demo",
        file_name="data contoh (sintetis)",
        sha256="d" * 64,
        uploaded_by="system",
        values=_values(1),
        synthetic=True,
    )
    at = _app("id")
    _assert_clean(at)
    assert any(t("app.synthetic_badge", lang="id") in w.value for w in at.warning)
    listed = _table_with(at, t("upload.col.synthetic", lang="id"))
    assert listed[t("upload.col.synthetic", lang="id")].tolist() == [t("app.synthetic_badge", lang="id")]


def test_a_failing_store_shows_a_message_not_a_traceback(db, monkeypatch):
    at = _upload(_app("en"), "bps.csv", GOOD)

    def broken(*_args, **_kwargs):
        raise RuntimeError("disk I/O error")

    monkeypatch.setattr(storage.Store, "import_dataset", broken)
    _commit_button(at).click()
    at = at.run()
    _assert_clean(at)
    assert [e.value for e in at.error] == [t("upload.commit_failed", lang="en")]
    assert db.is_empty()


def test_workbook_upload_with_the_year_option(db):
    frame = pd.DataFrame({"wilayah": ["Selebar", "Ratu Agung"], "SG-PS-01": [55, 60]})
    buffer = io.BytesIO()
    frame.to_excel(buffer, index=False, sheet_name="data")
    at = _upload(_app("en"), "lebar.xlsx", buffer.getvalue(), XLSX)
    at.number_input(key="upload.year").set_value(2023)
    at = at.run()
    _assert_clean(at)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[t("upload.n_errors", lang="en")] == "0", [e.value for e in at.dataframe]
    _commit_button(at).click()
    at = at.run()
    _assert_clean(at)
    assert sorted(db.active_values()["year"].unique()) == [2023]


def test_signing_out_between_render_and_click_writes_nothing(db):
    at = _upload(_app("en"), "bps.csv", GOOD)
    assert not _commit_button(at).disabled
    at.session_state["role"] = "viewer"  # signed out in another tab, say
    _commit_button(at).click()
    at = at.run()
    _assert_clean(at)
    assert db.is_empty()


KELURAHAN = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "boundaries"
KELURAHAN = KELURAHAN / "kota_bengkulu_kelurahan.geojson"


@pytest.mark.skipif(not KELURAHAN.exists(), reason=f"reference boundaries not found at {KELURAHAN}")
def test_field_observation_sheet_goes_the_same_way(db):
    import geopandas as gpd

    polygons = gpd.read_file(KELURAHAN)
    points = polygons.representative_point()
    sheet = pd.DataFrame(
        {
            "obs_id": [f"PJU-{i}" for i in range(len(points))],
            "asset_type": "PJU",
            "lat": points.y.round(6),
            "lon": points.x.round(6),
            "status": ["tidak berfungsi" if i % 3 == 0 else "berfungsi" for i in range(len(points))],
            "menyala_malam": "Y",
            "obs_datetime": "2024-05-01 19:00",
        }
    )
    buffer = io.BytesIO()
    sheet.to_excel(buffer, index=False, sheet_name="observasi")
    at = _upload(_app("en", user="surveyor"), "survei_pju.xlsx", buffer.getvalue(), XLSX)
    _assert_clean(at)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[t("upload.n_observations", lang="en")] == "67"
    assert metrics[t("upload.n_errors", lang="en")] == "0"
    _commit_button(at).click()
    at = at.run()
    _assert_clean(at)
    row = db.datasets().iloc[0]
    assert (row["kind"], row["n_observations"], row["uploaded_by"]) == ("observations", 67, "surveyor")
    stored = db.observations()
    assert len(stored) == 67 and stored["region"].str.startswith("17.71.").all()
    # share of working street lights per kelurahan, with the number observed (1 point each here)
    lights = db.value_candidates(indicator="SS-SE-02")
    assert set(lights["n_observed"].dropna()) >= {1}


def test_the_template_is_offered(db):
    at = _app("id")
    labels = [b.proto.label for b in at.get("download_button")]
    assert t("upload.template_download", lang="id") in labels
