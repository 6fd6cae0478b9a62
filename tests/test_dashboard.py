"""The frame (dashboard.py) with AppTest: pages by role, sign-in, language, shared selectors.

AppTest (1.67) re-runs only the page, not the entry script, after the first run of an app that
uses ``st.navigation``; so each case here starts a fresh run with the session state it needs,
and the click-through sign-in is covered by the browser tests.
"""

from __future__ import annotations

import pytest
from conftest import ROOT
from streamlit.testing.v1 import AppTest


def frame(**state) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=180)
    for key, value in state.items():
        at.session_state[key] = value
    return at.run()


def test_viewer_lands_on_the_overview_with_the_synthetic_label(tmp_db):
    at = frame()
    assert not at.exception
    assert at.title[0].value.startswith("Ringkasan")
    assert any("sintetis" in w.value for w in at.warning)
    assert at.session_state["role"] == "viewer"
    assert [ti.label for ti in at.sidebar.text_input] == ["Nama pengguna", "Kata sandi"]


@pytest.mark.parametrize(
    ("user", "password", "role"),
    [("analis", "analis", "analyst"), ("pakar", "pakar", "expert"), ("admin", "admin", "admin")],
)
def test_demo_accounts_sign_in_and_are_audited(tmp_db, user, password, role):
    from storage import open_store
    from ui.context import get_store, sign_in

    frame()  # seeds the demo store and its accounts
    store = get_store()
    with pytest.MonkeyPatch.context() as mp:
        session: dict = {}
        mp.setattr("ui.context.st.session_state", session)
        assert sign_in(store, f" {user} ", password) == role
        assert session == {"role": role, "user": user}
        assert sign_in(store, user, "salah") is None
    actions = open_store(tmp_db).audit_log()["action"].tolist()
    assert "login" in actions and "login_failed" in actions


def test_signed_in_roles_see_their_sidebar(tmp_db):
    at = frame(role="analyst", user="analis")
    assert not at.exception
    assert not at.sidebar.text_input  # no sign-in form once signed in
    assert any(b.label in {"Keluar", "Sign out"} for b in at.sidebar.button)


def test_english_frame_and_selectors(tmp_db):
    at = frame(lang="en")
    assert not at.exception
    assert at.title[0].value.startswith("Smart City overview")
    years = at.sidebar.selectbox(key="year").options
    assert years == sorted(years, reverse=True)  # latest first
    assert at.session_state["region_level"] == "kecamatan"
    at2 = frame(lang="en", year=int(years[-1]))
    assert any(years[-1] in c.value for c in at2.caption)


def test_a_just_saved_scenario_is_selected(tmp_db):
    from indicators.method import Method
    from storage import open_store

    frame()
    scenario_id = open_store(tmp_db).save_scenario("Uji", Method(aggregation="geometric").model_dump(mode="json"), "x")
    at = frame(pending_scenario_id=scenario_id, flash="Skenario disimpan")
    assert not at.exception
    assert at.session_state["scenario_id"] == scenario_id
    assert "pending_scenario_id" not in at.session_state
    assert any("Uji" in c.value for c in at.caption)


def test_several_cities_get_a_city_selector(tmp_db):
    from loaders.demo import generate_demo
    from storage import open_store

    frame()
    depok = generate_demo(city="32.76", boundaries=None)
    open_store(tmp_db).import_dataset(
        kind="demo", file_name="depok", sha256="d" * 64, uploaded_by="t", values=depok.values, synthetic=True
    )
    at = frame(city="32.76")
    assert not at.exception
    assert at.sidebar.selectbox(key="city").options and at.title[0].value.endswith("Kota Depok")
