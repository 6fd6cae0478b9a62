"""Whole workflows in a real Chromium, as the issue's users do them.

An analyst signs in, downloads the template, fills it (with one mistake), uploads it, sees the
error with its cell and a disabled commit button, fixes it, commits, and sees the city's score
change on the overview. Run with ``pytest tests/e2e -m browser -q``.
"""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook

from tests.e2e.conftest import ARTIFACTS
from tests.e2e.helpers import EXCEPTION, open_nav, settle
from ui.i18n import t

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _sign_in(page, user: str, password: str) -> None:
    sidebar = page.locator("[data-testid='stSidebar']")
    sidebar.get_by_text(t("auth.title", "id")).click()
    sidebar.get_by_label(t("auth.username", "id")).fill(user)
    sidebar.get_by_label(t("auth.password", "id")).fill(password)
    sidebar.locator("[data-testid='stFormSubmitButton'] button").click()
    sidebar.get_by_text(t("auth.signed_in", "id", user=user)).wait_for()
    settle(page)


def _index_text(page) -> str:
    """The city index as shown on the overview (Indonesian number)."""
    return page.locator("[data-testid='stMetricValue']").first.inner_text().strip()


def _filled(template: bytes, rows: list[tuple]) -> bytes:
    """The downloaded template with ``rows`` typed into its data sheet under the header."""
    book = load_workbook(io.BytesIO(template))
    sheet = next(ws for ws in book.worksheets if ws.title.lower() in {"data", "nilai"})
    header_row = next(
        r for r in range(1, 15) if str(sheet.cell(r, 1).value or "").strip().lower() in {"wilayah", "region"}
    )
    for i, row in enumerate(rows, start=header_row + 1):
        for j, value in enumerate(row, start=1):
            sheet.cell(i, j, value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _upload(page, name: str, data: bytes) -> None:
    page.locator("[data-testid='stFileUploaderDropzoneInput']").first.set_input_files(
        {"name": name, "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "buffer": data}
    )
    settle(page, 1500)


def test_analyst_template_to_committed_scores(page):
    before = _index_text(page)
    _sign_in(page, "analis", "analis")
    open_nav(page, t("nav.upload", "id"))
    assert page.locator(EXCEPTION).count() == 0

    with page.expect_download() as info:
        page.get_by_role("button", name=re.compile(re.escape(t("upload.template_download", "id")))).click()
    template = info.value.path().read_bytes()

    # the city's waste handling reported much better than the demo's, plus one typo in a region
    good_rows = [("17.71", "SV-WA-01", 2024, 99), ("17.71", "SV-WA-02", 2024, 60)]
    bad = _filled(template, [*good_rows, ("Kota Bengkuluu", "SV-WA-03", 2024, 80)])
    _upload(page, "isian_salah.xlsx", bad)
    main = page.locator("[data-testid='stMain']")
    assert t("upload.has_errors", "id", n=1) in main.inner_text()
    assert page.get_by_role("button", name=re.compile(re.escape(t("upload.commit", "id")))).is_disabled()
    page.screenshot(path=str(ARTIFACTS / "workflow_upload_errors.png"), full_page=True)

    fixed = _filled(template, [*good_rows, ("17.71", "SV-WA-03", 2024, 80)])
    _upload(page, "isian_benar.xlsx", fixed)
    assert t("upload.all_good", "id") in main.inner_text()
    commit = page.get_by_role("button", name=re.compile(re.escape(t("upload.commit", "id"))))
    assert commit.is_enabled()
    commit.click()
    settle(page, 1500)
    assert re.search(r"dataset #\d+", main.inner_text())
    page.screenshot(path=str(ARTIFACTS / "workflow_upload_committed.png"), full_page=True)

    open_nav(page, t("nav.overview", "id"))
    after = _index_text(page)
    assert page.locator(EXCEPTION).count() == 0
    assert after != before, (before, after)


#: Pairwise judgements of the six dimensions (upper triangle; SG judged 3x as important as SB ...).
AHP_MATRIX = """,SG,SB,SE,SL,SS,SV
SG,1,3,1,1,2,2
SB,,1,1/3,1/3,1/2,1/2
SE,,,1,1,2,2
SL,,,,1,2,2
SS,,,,,1,1
SV,,,,,,1
"""


def test_expert_ahp_scenario_robustness_and_reports(page):
    _sign_in(page, "pakar", "pakar")
    main = page.locator("[data-testid='stMain']")

    # 1. AHP judgements for the six dimensions, consistency ratio shown
    open_nav(page, t("nav.weights", "id"))
    page.get_by_role("tab", name=t("weights.ahp_upload", "id")).click()
    page.locator("[data-testid='stFileUploaderDropzoneInput']").first.set_input_files(
        {"name": "ahp_dimensi.csv", "mimeType": "text/csv", "buffer": AHP_MATRIX.encode()}
    )
    settle(page, 1500)
    assert "CR =" in main.inner_text()
    assert t("weights.cr_ok", "id", cr="").split("(")[0].strip() in main.inner_text()

    # 2. saved as a scenario: the sidebar switches to it
    name_box = page.get_by_label(t("weights.scenario_name", "id"))
    name_box.fill("AHP pakar uji")
    page.get_by_role("button", name=t("weights.save", "id")).click()
    settle(page, 1500)
    sidebar = page.locator("[data-testid='stSidebar']")
    assert "AHP pakar uji" in sidebar.inner_text()
    page.screenshot(path=str(ARTIFACTS / "workflow_expert_weights.png"), full_page=True)

    # 3. compared with the official method on the scenarios page
    open_nav(page, t("nav.scenarios", "id"))
    assert t("scenarios.compare_title", "id") in main.inner_text()
    assert page.locator(EXCEPTION).count() == 0

    # 4. rank robustness by Monte Carlo (the new scenario stays selected from page to page)
    open_nav(page, t("nav.robustness", "id"))
    assert "AHP pakar uji" in main.inner_text(), "the saved scenario was lost on the way"
    shown = sidebar.locator("[data-testid='stSelectbox']").first.evaluate(
        "el => el.innerText + ' ' + Array.from(el.querySelectorAll('input')).map(i => i.value).join(' ')"
    )
    assert "AHP pakar uji" in shown, shown
    page.get_by_role("button", name=t("robustness.run", "id")).click()
    settle(page, 2000)
    assert t("robustness.robust_regions", "id") in main.inner_text()
    page.screenshot(path=str(ARTIFACTS / "workflow_expert_robustness.png"), full_page=True)

    # 5. a report and a priority list to paste into the masterplan
    open_nav(page, t("nav.reports", "id"))
    with page.expect_download() as info:
        page.get_by_role("button", name=t("reports.download_xlsx", "id")).click()
    report = load_workbook(io.BytesIO(info.value.path().read_bytes()))
    assert len(report.sheetnames) >= 4
    assert any("sintetis" in str(c.value) for ws in report.worksheets for row in ws.iter_rows(max_row=3) for c in row)
    open_nav(page, t("nav.priorities", "id"))
    with page.expect_download() as info:
        page.get_by_role("button", name=re.compile(re.escape(t("priorities.download_csv", "id")))).click()
    assert info.value.path().stat().st_size > 200
    assert page.locator(EXCEPTION).count() == 0
