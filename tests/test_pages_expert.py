"""The expert pages (weights, scenarios, robustness) and the priority and report pages, driven
headless with AppTest in both languages against a store seeded with the synthetic demo.

What a user would notice: every page renders without an exception or an untranslated key; AHP
judgements show their CR and flag inconsistency; sliders renormalise live; a scenario saved on the
page is in the store with its author and can be made official (audit-logged); other roles cannot
use the expert pages; the robustness run shows its results; downloads are offered.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pages_support import untranslated_keys
from streamlit.testing.v1 import AppTest

from indicators.ahp import ahp, matrix_from_pairs

PAGES = Path(__file__).resolve().parent.parent / "views"
EXPERT_PAGES = ["weights.py", "scenarios.py", "robustness.py"]
ALL_PAGES = [*EXPERT_PAGES, "priorities.py", "reports.py"]


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    """One demo-seeded SQLite store for the module (seeding and scoring happen once)."""
    import streamlit as st

    import storage

    url = f"sqlite:///{tmp_path_factory.mktemp('expert') / 'pages.sqlite'}"
    old = os.environ.get("DASBOR_DB_URL")
    os.environ["DASBOR_DB_URL"] = url
    st.cache_resource.clear()
    st.cache_data.clear()
    yield storage.open_store(url)
    st.cache_resource.clear()
    st.cache_data.clear()
    storage.close_store(url)
    if old is None:
        os.environ.pop("DASBOR_DB_URL", None)
    else:
        os.environ["DASBOR_DB_URL"] = old


def _app(page: str, lang: str = "id", role: str | None = "expert", user: str = "pakar") -> AppTest:
    at = AppTest.from_file(str(PAGES / page), default_timeout=180)
    at.session_state["lang"] = lang
    if role is not None:
        at.session_state["role"] = role
        at.session_state["user"] = user
    return at.run()


def _assert_clean(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not untranslated_keys(at), untranslated_keys(at)


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("page", ALL_PAGES)
def test_page_renders_in_both_languages(db, page, lang):
    at = _app(page, lang)
    _assert_clean(at)
    assert at.title and at.title[0].value
    # every chart comes with the table behind it and its downloads (or the page's own downloads)
    if page != "scenarios.py" or len(db.scenarios()):
        assert at.download_button or page == "robustness.py"


@pytest.mark.parametrize("page", EXPERT_PAGES)
@pytest.mark.parametrize("role", ["viewer", "analyst", None])
def test_expert_pages_are_closed_to_other_roles(db, page, role):
    at = _app(page, role=role)
    _assert_clean(at)
    assert [i.value for i in at.info] and not at.form_submit_button and not at.download_button


def test_ahp_shows_cr_and_names_inconsistent_judgements(db):
    at = _app("weights.py")
    # all judgements "equal" at start: consistent, CR 0
    assert any("CR" in s.value for s in at.success)
    sliders = [s for s in at.select_slider if s.key.startswith("ahp_IKC_")]
    assert len(sliders) == 15  # 6 dimensions: 15 pairs of the upper triangle
    # SG >> SB, SB >> SE, but SE >> SG: circular judgements
    at.select_slider(key="ahp_IKC_SG_SB").set_value(9)
    at.select_slider(key="ahp_IKC_SB_SE").set_value(9)
    at.select_slider(key="ahp_IKC_SG_SE").set_value(-9)
    at.run()
    _assert_clean(at)
    assert any("CR" in w.value for w in at.warning)
    table = next(d.value for d in at.dataframe if "Saran" in d.value.columns)
    assert len(table) == 3 and table.iloc[0]["Pasangan"].count("↔") == 1


def test_manual_sliders_renormalise_live(db):
    at = _app("weights.py", lang="en")
    at.segmented_control(key="weights_how").set_value("manual").run()
    keys = [s.key for s in at.slider if s.key.startswith("wshare_IKC_")]
    assert len(keys) == 6
    at.slider(key=keys[0]).set_value(50.0).run()
    _assert_clean(at)
    values = [at.slider(key=k).value for k in keys]
    assert values[0] == 50.0
    assert sum(values) == pytest.approx(100.0, abs=0.5)
    assert values[1] == pytest.approx(10.0, abs=0.1)  # the other five share the rest equally


def test_budget_must_add_up_to_100(db):
    at = _app("weights.py")
    at.segmented_control(key="weights_how").set_value("budget").run()
    first = at.number_input[0]
    first.set_value(first.value + 5).run()
    _assert_clean(at)
    assert any("105" in w.value for w in at.warning)  # 105 points: not used, told why


def test_saving_weights_as_a_scenario(db):
    at = _app("weights.py")
    at.select_slider(key="ahp_IKC_SG_SB").set_value(3)
    at.run()
    at.text_input[-1].set_value("AHP uji halaman")
    at.form_submit_button[0].click().run()
    _assert_clean(at)
    assert "AHP uji halaman" in at.session_state["flash"]  # shown by the frame after the switch
    saved = db.scenarios()
    row = saved.loc[saved["name"] == "AHP uji halaman"].iloc[0]
    assert row["author"] == "pakar"
    assert at.session_state["pending_scenario_id"] == int(row["id"])  # the frame selects it next
    settings = db.get_scenario(int(row["id"]))["settings"]
    dims = ["SG", "SB", "SE", "SL", "SS", "SV"]
    expected = ahp(
        matrix_from_pairs(
            dims, {(a, b): 3.0 if (a, b) == ("SG", "SB") else 1.0 for i, a in enumerate(dims) for b in dims[i + 1 :]}
        ),
        dims,
    )
    for code, weight in expected.weights_dict.items():
        assert settings["weights"][code] == pytest.approx(weight, rel=1e-9)


def test_scenario_page_saves_compares_and_sets_official(db):
    at = _app("scenarios.py", lang="en")
    at.text_input(key="scen_name").set_value("Geometrik")
    at.selectbox[1].set_value("geometric")  # global aggregation
    at.form_submit_button[0].click().run()
    _assert_clean(at)
    found = db.scenarios()
    new_id = int(found.loc[found["name"] == "Geometrik", "id"].iloc[0])
    assert db.get_scenario(new_id)["settings"]["aggregation"] == "geometric"
    # compare the default with the new scenario: metrics and the table behind the scatter
    at.selectbox(key="scen_a").set_value(None)
    at.selectbox(key="scen_b").set_value(new_id).run()
    _assert_clean(at)
    assert any(m.label == "Regions that change rank" for m in at.metric)
    # make it official
    at.selectbox(key="scen_official").set_value(new_id)
    at.button(key="scen_make_official").click().run()
    _assert_clean(at)
    assert db.official_scenario()["id"] == new_id
    log = db.audit_log()
    assert ((log["action"] == "scenario_official") & (log["user"] == "pakar")).any()


def test_robustness_run_sobol_and_exclusion(db):
    at = _app("robustness.py")
    assert at.info  # asks to run first
    at.number_input[0].set_value(100)  # runs
    at.form_submit_button[0].click().run()
    _assert_clean(at)
    labels = [m.label for m in at.metric]
    assert "Rata-rata pergeseran peringkat" in labels
    at.select_slider[0].set_value(64)
    at.button(key="robust_sobol_run").click().run()
    _assert_clean(at)
    assert any("simulasi dipakai" in c.value for c in at.caption)
    # the remove-one-element table lists the elements removed
    summary = next(d.value for d in at.dataframe if "Wilayah berpindah" in d.value.columns)
    assert len(summary) == 18


@pytest.mark.parametrize("role", ["viewer", "expert"])
def test_priorities_for_the_city_and_a_kecamatan(db, role):
    at = _app("priorities.py", role=role)
    _assert_clean(at)
    assert len(at.download_button) >= 2
    at.selectbox(key="prio_region").set_value("17.71.03")
    at.radio[0].set_value("indicator").run()
    _assert_clean(at)
    assert at.data_editor  # effort of the quick-win candidates can be edited


def test_reports_offer_both_downloads(db):
    at = _app("reports.py", role="viewer", lang="en")
    _assert_clean(at)
    labels = [b.label for b in at.download_button]
    assert "Download the Excel report" in labels and any("HTML" in label for label in labels)
    at.selectbox(key="report_region").set_value("17.71.01").run()
    _assert_clean(at)


def test_priorities_at_kelurahan_level(db):
    at = AppTest.from_file(str(PAGES / "priorities.py"), default_timeout=180)
    at.session_state["lang"] = "en"
    at.session_state["region_level"] = "kelurahan"
    at.run()
    _assert_clean(at)
    labels = [b.label for b in at.download_button]
    assert any("every Village (kelurahan)" in label for label in labels)


def test_group_ahp_from_uploaded_matrices(db):
    at = _app("weights.py", lang="en")
    at.selectbox(key="weights_node").set_value("SG").run()
    a = b",SG-PS,SG-BR,SG-PP\nSG-PS,1,3,5\nSG-BR,,1,3\nSG-PP,,,1\n"
    b = b",SG-PS,SG-BR,SG-PP\nSG-PS,1,1,1/3\nSG-BR,,1,1\nSG-PP,,,1\n"
    at.file_uploader(key="ahp_files_SG").set_value([("ani.csv", a, "text/csv"), ("budi.csv", b, "text/csv")]).run()
    _assert_clean(at)
    assert any("2 matrices read" in s.value for s in at.success)
    experts = next(d.value for d in at.dataframe if "Expert" in d.value.columns)
    assert list(experts["Expert"]) == ["ani.csv", "budi.csv", "Group (geometric mean)"]
    group = experts.iloc[-1]
    expected = ahp(
        [[1, (3 * 1) ** 0.5, (5 / 3) ** 0.5], [None, 1, 3**0.5], [None, None, 1]], ["SG-PS", "SG-BR", "SG-PP"]
    )
    assert group["SG-PS"] == pytest.approx(expected.weights_dict["SG-PS"])
