"""The Excel report read back with openpyxl holds the engine's numbers; the HTML profile is
self-contained and escaped; both say "data contoh (sintetis)" when the data are synthetic."""

from __future__ import annotations

import io

import numpy as np
import openpyxl
import pandas as pd
import pytest

from indicators.catalog import catalog_from_frame
from indicators.engine import score
from indicators.priorities import priority_table
from indicators.report import ReportInput, excel_report, region_profile_html

SYNTHETIC = "data contoh (sintetis)"


def _catalog():
    rows = [
        {"code": "IDX", "parent": "", "level": "index", "name_id": "Indeks Kota Cerdas", "name_en": "Smart City Index"},
        {"code": "D1", "parent": "IDX", "level": "dimension", "name_id": "Tata Kelola"},
        {"code": "D2", "parent": "IDX", "level": "dimension", "name_id": "Lingkungan"},
        {"code": "E1", "parent": "D1", "level": "element"},
        {"code": "E2", "parent": "D2", "level": "element"},
        {"code": "x1", "parent": "E1", "lower": "0", "upper": "100", "unit": "%", "source": '=HYPERLINK("bad")'},
        {"code": "x2", "parent": "E1", "lower": "0", "upper": "100", "unit": "%"},
        {"code": "y1", "parent": "E2", "direction": "lower", "unit": "ton", "green": "10", "red": "40"},
    ]
    return catalog_from_frame(pd.DataFrame(rows).fillna(""))


def _values():
    rng = np.random.default_rng(11)
    rows = []
    for r in ("17.71.01", "17.71.02", "17.71.03"):
        for year in (2022, 2023, 2024):
            for code in ("x1", "x2", "y1"):
                rows.append((r, code, year, float(rng.uniform(5, 95))))
    return pd.DataFrame(rows, columns=["region", "indicator", "year", "value"])


@pytest.fixture(scope="module")
def result():
    regions = pd.DataFrame({"code": ["17.71.01", "17.71.02", "17.71.03"], "level": ["kecamatan"] * 3})
    return score(_values(), _catalog(), regions=regions)


NAMES = {"17.71.01": "=cmd|' /C calc'!A0", "17.71.02": "Gading Cempaka", "17.71.03": "<script>alert(1)</script>"}


def _report(result, synthetic=True, lang="id", region="17.71.01"):
    datasets = pd.DataFrame(
        {
            "id": [1],
            "kind": ["demo"],
            "file_name": ["@SUM(1+1)"],
            "uploaded_by": ["system"],
            "uploaded_at": [pd.Timestamp("2026-01-02 03:04", tz="UTC")],
            "status": ["active"],
            "synthetic": [True],
            "n_values": [27],
        }
    )
    inp = ReportInput(
        result,
        region,
        2024,
        scenario_name="+resmi",
        region_names=NAMES,
        synthetic=synthetic,
        lang=lang,
        datasets=datasets,
        priorities=priority_table(result, region, 2024),
    )
    return inp, excel_report(inp)


def _book(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data))


def _find_table(ws, first_header: str):
    for row in ws.iter_rows():
        if row[0].value == first_header:
            return row[0].row
    raise AssertionError(f"no table headed {first_header} in {ws.title}")


def test_report_sheets_and_synthetic_label_everywhere(result):
    _, data = _report(result)
    book = _book(data)
    assert book.sheetnames == ["Ringkasan", "Dimensi & Elemen", "Indikator", "Prioritas", "Metodologi", "Sumber Data"]
    for ws in book.worksheets:
        top = [ws.cell(row=r, column=1).value for r in range(1, 5)]
        assert any(isinstance(v, str) and SYNTHETIC in v for v in top), ws.title
    _, real = _report(result, synthetic=False)
    for ws in _book(real).worksheets:
        assert not any(SYNTHETIC in str(c.value) for row in ws.iter_rows(max_row=5) for c in row if c.value)


def test_summary_holds_the_engine_scores(result):
    _, data = _report(result)
    ws = _book(data)["Ringkasan"]
    index_row = next(r for r in ws.iter_rows() if str(r[0].value).startswith("Indeks:"))
    assert index_row[1].value == pytest.approx(result.wide("IDX", 2024)["17.71.01"])
    header = _find_table(ws, "Kode")
    dims = {ws.cell(row=r, column=1).value: ws.cell(row=r, column=3).value for r in range(header + 1, header + 3)}
    for code in ("D1", "D2"):
        assert dims[code] == pytest.approx(result.wide(code, 2024)["17.71.01"])
    assert ws.freeze_panes == f"A{header + 1}"


def test_indicator_sheet_values_scores_status(result):
    _, data = _report(result)
    ws = _book(data)["Indikator"]
    header = _find_table(ws, "Kode")
    heads = [c.value for c in ws[header]]
    rows = {
        ws.cell(row=r, column=1).value: {h: ws.cell(row=r, column=i + 1).value for i, h in enumerate(heads)}
        for r in range(header + 1, ws.max_row + 1)
    }
    unit = result.unit_index[("17.71.01", 2024)]
    for code in ("x1", "x2", "y1"):
        j = result.indicators.index(code)
        assert rows[code]["Nilai"] == pytest.approx(result.raw[unit, j])
        assert rows[code]["Skor (0-100)"] == pytest.approx(result.score_matrix[unit, result.node_index[code]])
        assert rows[code]["Status"] in {"Tercapai", "Tantangan tersisa", "Tantangan signifikan", "Tantangan besar"}
        assert rows[code]["Tren"]
    assert ws.freeze_panes == f"A{header + 1}"
    # conditional colours on the score column
    assert len(ws.conditional_formatting) >= 2


def test_report_is_formula_injection_safe(result):
    _, data = _report(result)
    book = _book(data)
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
    facts = {r[0].value: r[1].value for r in book["Ringkasan"].iter_rows(min_row=1, max_row=15) if r[0].value}
    assert facts["Skenario metode"] == "'+resmi"
    assert facts["Wilayah"].startswith("=cmd") is False
    sources = [c.value for row in book["Sumber Data"].iter_rows() for c in row if c.value]
    assert "'@SUM(1+1)" in sources and '\'=HYPERLINK("bad")' in sources


def test_english_report(result):
    _, data = _report(result, lang="en")
    book = _book(data)
    assert book.sheetnames[0] == "Summary" and "Indicators" in book.sheetnames
    top = [book["Summary"].cell(row=r, column=1).value for r in range(1, 4)]
    assert any("synthetic" in str(v) for v in top)


def test_region_profile_html(result):
    inp, _ = _report(result, region="17.71.03")
    html = region_profile_html(inp)
    assert html.startswith("<!DOCTYPE html>")
    assert SYNTHETIC in html
    assert "<svg" in html and "@media print" in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    score_text = f"{result.wide('IDX', 2024)['17.71.03']:.1f}".replace(".", ",")
    assert score_text in html
