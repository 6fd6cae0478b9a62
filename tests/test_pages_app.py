"""Every page of the app, in both languages, renders for a user allowed to see it.

Runs the real frame (``dashboard.py``) with AppTest against a fresh store that the app seeds with
the synthetic demo itself. For each page: no exception and no generic error box, the page's title
and the synthetic-data banner are there, and no untranslated ``⟦key⟧`` appears anywhere (text,
labels, options, tables or chart specs).
"""

from __future__ import annotations

import pytest

from tests.pages_support import (
    app_store,  # noqa: F401  (module fixture)
    chart_count,
    open_page,
    present_pages,
    reset_language,
    role_for,
    texts,
    untranslated_keys,
)
from ui.i18n import t

PAGES = present_pages()
CITY_NAME = "Kota Bengkulu"  # the demo city (settings.CITY_CODE = 17.71)
#: Pages of this helper's area and what each must show besides its title (charts at least).
MIN_CHARTS = {
    "views/overview.py": 2,
    "views/map.py": 1,
    "views/dimension.py": 2,
    "views/profile.py": 1,
    "views/compare.py": 2,
    "views/quality.py": 2,
    "views/methodology.py": 1,
}
TITLES = {
    "views/map.py": "map.title",
    "views/dimension.py": "dimension.title",
    "views/profile.py": "profile.title",
    "views/compare.py": "compare.title",
    "views/quality.py": "quality.title",
    "views/methodology.py": "methodology.title",
    "views/overview.py": "overview.title",
}


@pytest.fixture(autouse=True)
def _default_language():
    yield
    reset_language()


def test_every_page_file_is_in_the_navigation():
    """A page file the frame does not list would be unreachable (or reachable without its role check)."""
    from pathlib import Path

    declared = {p for p, _ in PAGES}
    files = {f"views/{p.name}" for p in (Path(__file__).resolve().parent.parent / "views").glob("*.py")}
    assert files <= declared, sorted(files - declared)


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize(("page", "roles"), PAGES, ids=[p for p, _ in PAGES])
def test_page_renders_translated(app_store, page, roles, lang):  # noqa: F811
    at = open_page(page, lang=lang, role=role_for(roles))
    assert not at.exception, [e.value for e in at.exception]
    shown = texts(at)
    assert t("app.error_generic", lang) not in shown
    assert t("app.synthetic_badge", lang) in shown, "the synthetic-data banner is missing"
    assert untranslated_keys(at) == []
    if page in TITLES:
        assert [str(x.value) for x in at.title][:1] == [t(TITLES[page], lang, city=CITY_NAME)]
    if page in MIN_CHARTS:
        assert chart_count(at) >= MIN_CHARTS[page]


@pytest.mark.parametrize(
    "page",
    ["views/map.py", "views/dimension.py", "views/profile.py", "views/compare.py", "views/quality.py"],
)
def test_view_pages_at_kelurahan_level(app_store, page):  # noqa: F811
    """The same pages with the 67 kelurahan (most indicators are missing at that level)."""
    state = {"region_level": "kelurahan", "profile_region": "17.71.02.1001"}
    at = open_page(page, state=state)
    assert not at.exception, [e.value for e in at.exception]
    assert untranslated_keys(at) == []
    assert chart_count(at) >= 1
