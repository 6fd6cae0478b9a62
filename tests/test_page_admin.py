"""Admin page (AppTest): roles enforced, users created, a catalog validated and activated, boundaries saved."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import KELURAHAN_GEOJSON, ROOT
from pages_support import untranslated_keys
from streamlit.testing.v1 import AppTest

from indicators.catalog import default_catalog


def app(lang: str = "id", role: str = "admin") -> AppTest:
    at = AppTest.from_file(str(ROOT / "views" / "admin.py"), default_timeout=180)
    at.session_state["lang"] = lang
    at.session_state["role"] = role
    at.session_state["user"] = "admin"
    return at.run()


@pytest.mark.parametrize("lang", ["id", "en"])
def test_admin_page_renders_in_both_languages(tmp_db, lang):
    at = app(lang)
    assert not at.exception
    assert not untranslated_keys(at), untranslated_keys(at)
    assert len(at.tabs) == 4


def test_viewer_is_refused(tmp_db):
    at = app(role="viewer")
    assert not at.exception
    assert at.error and ("admin" in at.error[0].value.lower())
    assert not at.tabs


def test_create_user_then_authenticate(tmp_db):
    at = app()
    form = at.text_input
    form[0].set_value("surveyor1")
    form[1].set_value("rahasia-panjang")
    at.selectbox[0].set_value("analyst")
    at.button[0].click().run()
    assert not at.exception
    from storage import open_store

    assert open_store(tmp_db).authenticate("surveyor1", "rahasia-panjang") == "analyst"


def test_invalid_catalog_is_listed_and_valid_one_activated(tmp_db, tmp_path):
    at = app()
    bad = default_catalog().to_frame()
    bad.loc[bad["code"] == "SG-PS-01", "lower"] = 500  # lower above upper
    at.file_uploader(key="admin_catalog_file").set_value(("cat.csv", bad.to_csv(index=False).encode(), "text/csv"))
    at.run()
    assert not at.exception
    assert any("upper" in str(df.value.to_csv()) or "atas" in str(df.value.to_csv()) for df in at.dataframe)

    good = default_catalog().to_frame()
    good.loc[good["code"] == "SG", "weight"] = 3
    at.file_uploader(key="admin_catalog_file").set_value(("cat2.csv", good.to_csv(index=False).encode(), "text/csv"))
    at.run()
    at.button(key="admin_catalog_save").click().run()
    assert not at.exception
    from storage import open_store

    active = open_store(tmp_db).active_catalog()
    assert active is not None and active["name"] == "cat2.csv"
    from ui.context import get_catalog

    assert get_catalog().node("SG")["weight"] == 3


@pytest.mark.skipif(not KELURAHAN_GEOJSON.exists(), reason="shared Kota Bengkulu boundaries not present")
def test_boundaries_upload_saved(tmp_db):
    at = app()
    at.file_uploader(key="admin_boundaries_file").set_value(
        ("kel.geojson", KELURAHAN_GEOJSON.read_bytes(), "application/geo+json")
    )
    at.run()
    assert not at.exception
    at.button(key="admin_boundaries_save").click().run()
    from storage import open_store

    stored = open_store(tmp_db).boundaries()
    counts = stored["level"].value_counts().to_dict()
    assert counts.get("kelurahan") == 67 and counts.get("kecamatan") == 9 and counts.get("kota") == 1
    assert isinstance(stored, pd.DataFrame)
