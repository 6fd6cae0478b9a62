"""The dashboard in a real Chromium, as a new user meets it.

Every page in both languages with a screenshot of each (``tests/artifacts/``), no Streamlit
exception and no generic error anywhere; the map drawn on its canvas (non-blank pixels) with no
network at all; a click on a region opens its profile; the year chosen in the sidebar holds on
the next page; the kelurahan map draws all 67 kelurahan. Run with::

    /work/venv/bin/pytest tests/e2e -m browser -q
"""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import ARTIFACTS
from tests.e2e.helpers import EXCEPTION, drawn_share, find_region_under_cursor, nav_titles, open_nav, settle
from ui.i18n import t

pytestmark = [pytest.mark.browser, pytest.mark.slow]

#: Navigation titles (translation keys) of every page; restricted ones need the admin login.
PUBLIC = ["nav.overview", "nav.map", "nav.dimension", "nav.profile", "nav.compare", "nav.priorities",
          "nav.reports", "nav.quality", "nav.methodology"]  # fmt: skip
RESTRICTED = ["nav.upload", "nav.weights", "nav.scenarios", "nav.robustness", "nav.admin"]


def _no_error(page, lang: str, where: str) -> None:
    assert page.locator(EXCEPTION).count() == 0, f"Streamlit exception on {where}"
    body = page.locator("[data-testid='stMain']").inner_text()
    assert t("app.error_generic", lang) not in body, f"generic error on {where}"
    assert "⟦" not in body, f"untranslated key on {where}: {re.findall(r'⟦[^⟧]*⟧', body)[:3]}"


def _login_admin(page) -> None:
    """Sign in with the demo admin account (created with the demo data) through the sidebar form."""
    sidebar = page.locator("[data-testid='stSidebar']")
    sidebar.get_by_text(t("auth.title", "id")).click()
    username = sidebar.get_by_label(t("auth.username", "id"))
    username.wait_for(state="visible")
    username.fill("admin")
    sidebar.get_by_label(t("auth.password", "id")).fill("admin")
    sidebar.locator("[data-testid='stFormSubmitButton'] button").click()
    sidebar.get_by_text(t("auth.signed_in", "id", user="admin")).wait_for()
    settle(page)
    assert t("nav.upload", "id") in nav_titles(page), "admin login did not open the restricted pages"


def test_first_visitor_after_a_start_keeps_the_session(browser, fresh_app_url):
    """The very first visitor after the server starts can sign in (the session survives a rerun).

    Streamlit runs the first script of a process as a "pages/ directory" app when a folder named
    ``pages/`` sits next to the entry file, and that first session then loses its state on rerun
    (which is why the page folder is named ``views/``).
    """
    tab = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        tab.set_default_timeout(120_000)
        tab.goto(fresh_app_url + "/")
        tab.wait_for_selector("[data-testid='stApp']")
        settle(tab)
        _login_admin(tab)
        assert t("nav.upload", "id") in nav_titles(tab)
    finally:
        tab.close()


def test_every_page_in_both_languages_with_screenshots(page):
    page.set_viewport_size({"width": 1400, "height": 2400})  # Streamlit scrolls inside: a tall window shows more
    _login_admin(page)
    for lang in ("id", "en"):
        if lang == "en":
            page.locator("[data-testid='stSidebar']").get_by_text("English").click()
            settle(page)
        shown = set(nav_titles(page))
        for key in PUBLIC + RESTRICTED:
            title = t(key, lang)
            if title not in shown:  # a page whose file has not landed yet is not in the navigation
                continue
            open_nav(page, title)
            _no_error(page, lang, f"{title} ({lang})")
            page.screenshot(path=str(ARTIFACTS / f"{lang}_{key.split('.')[-1]}.png"), full_page=True)
        assert t("nav.map", lang) in shown and t("nav.methodology", lang) in shown


def test_map_is_drawn_offline_and_a_click_opens_the_profile(page):
    open_nav(page, t("nav.map", "id"))
    chart = page.locator("[data-testid='stPlotlyChart']").first
    canvas = chart.locator("canvas").first
    canvas.wait_for()
    page.wait_for_timeout(1500)  # MapLibre draws after the tiles-free style has loaded
    assert drawn_share(chart.screenshot()) > 0.10, "the map canvas is blank"
    page.screenshot(path=str(ARTIFACTS / "map_kecamatan.png"))
    hit = find_region_under_cursor(page, canvas, t("common.score", "id") + ":")
    assert hit is not None, "no region answered the hover"
    x, y, label = hit
    name = label.split(t("common.score", "id"))[0].strip()
    page.mouse.click(x, y)
    page.wait_for_url(re.compile(r".*/profile\?region=17\.71\.\d\d"), timeout=60_000)
    settle(page)
    _no_error(page, "id", "profile from map")
    assert page.locator("h1").first.inner_text().strip() == t("profile.title", "id")
    chosen = page.locator("[data-testid='stMain'] [data-testid='stSelectbox'] input").first.input_value()
    assert chosen == name, (name, chosen)  # the profile shows the region that was clicked
    page.screenshot(path=str(ARTIFACTS / "profile_from_map.png"), full_page=True)


def test_year_from_the_sidebar_holds_on_the_next_page(page):
    sidebar = page.locator("[data-testid='stSidebar']")
    year_box = sidebar.locator("[data-testid='stSelectbox']").filter(has_text=t("frame.year", "id"))
    current = int(year_box.locator("input").input_value())
    year_box.locator("input").click()
    target = current - 2
    page.get_by_role("option", name=str(target), exact=True).click()
    settle(page)
    open_nav(page, t("nav.dimension", "id"))
    assert int(year_box.locator("input").input_value()) == target
    main = page.locator("[data-testid='stMain']").inner_text()
    assert t("dimension.caption", "id", year=target, scenario="").split("·")[0].strip() in main
    _no_error(page, "id", "dimension after year change")


def test_kelurahan_map_draws_every_kelurahan(page):
    page.locator("[data-testid='stSidebar']").get_by_text(t("level.kelurahan", "id")).click()
    settle(page)
    open_nav(page, t("nav.map", "id"))
    chart = page.locator("[data-testid='stPlotlyChart']").first
    chart.locator("canvas").first.wait_for()
    page.wait_for_timeout(1500)
    assert drawn_share(chart.screenshot()) > 0.10
    page.get_by_text(t("map.table_title", "id")).click()
    settle(page)
    rows = page.locator("[data-testid='stExpander']").filter(has_text=t("map.table_title", "id"))
    assert rows.count() == 1
    page.screenshot(path=str(ARTIFACTS / "map_kelurahan.png"))
    _no_error(page, "id", "kelurahan map")
