"""Change preview against stored values, and the xlsx report with the bad cells marked."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
from corpus.catalog import small_catalog
from corpus.files import LONG_HEADER, text_file, xlsx

from loaders.gazetteer import regions_within
from loaders.preview import change_preview
from loaders.report import write_report
from loaders.upload import read_upload


def test_change_preview_statuses():
    records = pd.DataFrame(
        {
            "region": ["17.71.01", "17.71.02", "17.71.03"],
            "indicator": ["SS-SE-02"] * 3,
            "year": [2023, 2023, 2023],
            "value": [50.0, 61.0, 70.0],
        }
    )
    stored = pd.DataFrame(
        {
            "region": ["17.71.01", "17.71.02", "17.71.09"],
            "indicator": ["SS-SE-02"] * 3,
            "year": [2023, 2023, 2023],
            "value": [50.0, 60.0, 1.0],
            "dataset_id": [4, 5, 5],
        }
    )
    out = change_preview(records, stored)
    assert list(out["status"]) == ["unchanged", "changed", "new"]
    assert out.loc[1, "old_value"] == 60.0 and out.loc[1, "value"] == 61.0 and out.loc[1, "old_dataset_id"] == 5
    assert pd.isna(out.loc[2, "old_value"])
    assert len(out) == 3  # stored values the upload does not mention are not listed


def test_change_preview_with_nothing_stored():
    records = pd.DataFrame({"region": ["17.71"], "indicator": ["VAR-POP"], "year": [2024], "value": [1.0]})
    assert list(change_preview(records, pd.DataFrame())["status"]) == ["new"]


def test_read_upload_builds_the_preview():
    data = xlsx({"data": [LONG_HEADER, ["17.71.01", "SS-SE-02", 2023, 55], ["17.71.02", "SS-SE-02", 2023, 60]]})
    stored = pd.DataFrame(
        {"region": ["17.71.01"], "indicator": ["SS-SE-02"], "year": [2023], "value": [50.0], "dataset_id": [1]}
    )
    result = read_upload(data, "a.xlsx", small_catalog(), regions_within("17.71"), stored=stored)
    assert list(result.preview["status"]) == ["changed", "new"]
    assert result.preview.loc[0, "old_value"] == 50.0


def _report(data: bytes, name: str, lang: str = "id"):
    result = read_upload(data, name, small_catalog(), regions_within("17.71"))
    buf = io.BytesIO()
    write_report(result, buf, lang=lang)
    return result, openpyxl.load_workbook(io.BytesIO(buf.getvalue()))


def test_report_marks_bad_cells_and_lists_problems():
    data = xlsx(
        {
            "data": [
                LONG_HEADER,
                ["17.71.01", "SS-SE-02", 2023, 120],
                ["Ratu Agungg", "SS-SE-02", 2023, 50],
                ["17.71.02", "SS-SE-02", 2023, 50],
            ]
        }
    )
    _result, book = _report(data, "x.xlsx")
    assert book.sheetnames == ["masalah", "data"]
    problems = book["masalah"]
    header = [c.value for c in problems[1]]
    assert header[:3] == ["tingkat", "sheet", "sel"]
    cells = {problems.cell(r, 3).value for r in range(2, problems.max_row + 1)}
    assert {"D2", "A3"} <= cells
    sheet = book["data"]
    assert sheet["D2"].fill.fgColor.rgb.endswith("F8CBAD")  # error fill
    assert sheet["A3"].fill.fgColor.rgb.endswith("F8CBAD")
    assert sheet["D4"].fill.fgColor.rgb in (None, "00000000")
    assert "100" in sheet["D2"].comment.text
    assert sheet["D2"].value == 120


def test_report_rows_follow_csv_lines_and_text_is_never_a_formula():
    rows = [LONG_HEADER, ["17.71.01", "SS-SE-02", "2023", "=1+1"], ["@SUM(A1)", "SS-SE-02", "2023", "5"]]
    _result, book = _report(text_file(rows), "x.csv", lang="en")
    assert book.sheetnames[0] == "problems"
    sheet = book["x"]
    assert sheet["D2"].value == "'=1+1" and sheet["A3"].value == "'@SUM(A1)"
    assert sheet["D2"].data_type == "s"
    messages = [book["problems"].cell(r, 6).value for r in range(2, book["problems"].max_row + 1)]
    assert any("not a number" in m for m in messages)
    assert not any(isinstance(m, str) and m.startswith(("=", "+", "@")) for m in messages)


def test_report_of_a_refused_file_has_only_the_problem():
    result, book = _report(b"%PDF-1.4", "a.xlsx")
    assert result.refused and book.sheetnames == ["masalah"]
    assert "PDF" in book["masalah"].cell(2, 6).value
