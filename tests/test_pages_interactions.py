"""What a user does on the view pages, driven through AppTest against the seeded demo store.

Opening a region's profile from the map, the selectors keeping their value across pages, the
language switch, walking an explanation down the tree, comparing years, filtering provenance.
(The click ON the map canvas needs a browser: see ``tests/e2e``.)
"""

from __future__ import annotations

import re

import pytest

from tests.pages_support import (
    app_store,  # noqa: F401  (module fixture)
    open_page,
    reset_language,
    texts,
    untranslated_keys,
)
from ui.i18n import t


@pytest.fixture(autouse=True)
def _default_language():
    yield
    reset_language()


def _table(at, column: str):
    """The first table on the page that has ``column``."""
    for frame in at.dataframe:
        if column in frame.value.columns:
            return frame.value
    raise AssertionError(f"no table with column {column!r}")


def _ok(at) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert untranslated_keys(at) == []


def test_map_region_picker_opens_that_profile(app_store):  # noqa: F811
    at = open_page("views/map.py")
    _ok(at)
    picker = at.selectbox(key="map_region")
    target = picker.options[2]
    picker.select(target).run()
    code = at.selectbox(key="map_region").value
    assert code.startswith("17.71.")
    at.button(key="map_open").click().run()
    _ok(at)
    assert at.title[0].value == t("profile.title")
    assert at.selectbox(key="profile_region_w").value == code
    assert at.query_params["region"] == [code] or at.query_params["region"] == code


def test_map_indicator_coloured_by_raw_value_names_its_unit(app_store):  # noqa: F811
    at = open_page("views/map.py", lang="en")
    node = at.selectbox(key="map_node")
    indicator = next(o for o in node.options if "SL-HE-" in o or "SG-PS-04" in o)
    node.select(indicator).run()
    _ok(at)
    at.radio(key="map_color").set_value("value").run()
    _ok(at)
    caption = texts(at)
    assert "Colour: Value (" in caption, caption[:500]
    # the table behind the map lists every region of the level, with the raw values
    table = _table(at, t("level.kecamatan", "en"))
    assert len(table) == 9  # the 9 kecamatan of Kota Bengkulu
    assert any(col.startswith("Value") for col in table.columns)


def test_kelurahan_map_and_missing_data_said_in_the_legend(app_store):  # noqa: F811
    at = open_page("views/map.py", state={"region_level": "kelurahan"})
    _ok(at)
    table = _table(at, t("level.kelurahan"))
    assert len(table) == 67  # every kelurahan of the city
    missing = int(table[t("common.score")].isna().sum())
    if missing:
        assert t("map.no_data_caption", n=missing) in texts(at)


def test_year_and_level_keep_their_value_across_pages(app_store):  # noqa: F811
    # The frame's sidebar selectors write ``year``/``region_level`` in the session. AppTest drops
    # the sidebar from its tree after the first run (the browser keeps it), so the widgets' state
    # is set before each page as the widgets would; the real widgets are driven in tests/e2e.
    at = open_page("views/overview.py")
    years = at.selectbox(key="year").options  # newest first
    oldest = int(years[-1])
    for page, expected in (
        ("views/dimension.py", t("dimension.caption", year=oldest, scenario="").split("·")[0]),
        ("views/quality.py", t("quality.caption", year=oldest, level=t("level.kelurahan"))),
    ):
        at.session_state["year"] = oldest
        at.session_state["region_level"] = "kelurahan"
        at.switch_page(page).run()
        _ok(at)
        assert expected in texts(at)
    at.session_state["region_level"] = "kelurahan"
    at.switch_page("views/map.py").run()
    _ok(at)
    assert len(_table(at, t("level.kelurahan"))) == 67


def test_language_switch_translates_every_page(app_store):  # noqa: F811
    import ui.i18n

    at = open_page("views/overview.py")
    assert at.title[0].value.startswith("Ringkasan")
    for page, key in (("views/methodology.py", "methodology.title"), ("views/compare.py", "compare.title")):
        at.session_state["lang"] = "en"  # what the sidebar's language switch writes
        at.switch_page(page).run()
        ui.i18n.DEFAULT_LANG = "en"  # the widgets now on the page were formatted in English
        _ok(at)
        assert at.title[0].value == t(key, "en")


def test_explanation_walks_down_to_the_raw_value(app_store):  # noqa: F811
    at = open_page("views/dimension.py")
    _ok(at)
    pills = at.pills(key="dimension_explain_pick")
    first_child = pills.options[0]
    pills.set_value(first_child).run()
    _ok(at)
    # now at an element: its children are indicators; drill once more to reach a raw value
    at.pills(key="dimension_explain_pick").set_value(at.pills(key="dimension_explain_pick").options[0]).run()
    _ok(at)
    shown = texts(at)
    assert t("explain.raw_value") in shown
    assert t("explain.direction") in shown
    # the way back up is offered
    assert any(b.label.startswith(t("explain.up", name="").strip()) for b in at.button)


def test_profile_from_a_shared_link(app_store):  # noqa: F811
    from streamlit.testing.v1 import AppTest  # noqa: F401  (AppTest supports query params)

    at = open_page("views/overview.py")
    at.query_params["region"] = "17.71.03"
    at.switch_page("views/profile.py").run()
    _ok(at)
    assert at.selectbox(key="profile_region_w").value == "17.71.03"
    shown = texts(at)
    assert t("profile.strengths") in shown and t("profile.weaknesses") in shown


def test_compare_years_needs_two_and_shows_ranks(app_store):  # noqa: F811
    at = open_page("views/compare.py")
    _ok(at)
    at.segmented_control(key="compare_mode").set_value("years").run()
    _ok(at)
    years = at.multiselect(key="compare_years")
    years.set_value([years.options[-1]]).run()
    _ok(at)
    assert t("compare.pick_more") in texts(at)
    years = at.multiselect(key="compare_years")
    years.set_value(years.options[-2:]).run()
    _ok(at)
    ranks = _table(at, t("compare.component"))
    ranks = next(d.value for d in at.dataframe if any("#" in str(v) for v in d.value.iloc[:, 1]))
    assert len(ranks.columns) == 3  # component + two years
    assert all(re.search(r"#\d+/\d+", str(v)) or v == "–" for v in ranks.iloc[:, 1])


def test_quality_provenance_filter_by_origin(app_store):  # noqa: F811
    at = open_page("views/quality.py")
    _ok(at)
    at.multiselect(key="quality_origins").set_value(["derived"]).run()
    _ok(at)
    frames = [d.value for d in at.dataframe]
    prov = next(f for f in frames if t("quality.inputs") in f.columns)
    assert len(prov) > 0
    assert set(prov[t("dimension.origin")]) == {t("quality.state.derived")}
    assert (prov[t("quality.inputs")] != "").all()  # a derived value names its input variables


def test_methodology_worked_example_writes_the_formulas(app_store):  # noqa: F811
    at = open_page("views/methodology.py")
    _ok(at)
    steps = next(m.value for m in at.markdown if str(m.value).startswith("1. "))
    # raw value, normalisation, then one aggregation step per ancestor up to the index
    assert len(re.findall(r"^\d+\. ", steps, flags=re.MULTILINE)) >= 4
    assert "× 100 =" in steps or "min(" in steps or "50 " in steps
