"""The template: dropdowns, reference sheets, and a filled template that imports with no error."""

from __future__ import annotations

import io

import openpyxl
import pytest
from corpus.catalog import small_catalog
from corpus.files import template_filled_with

from indicators.catalog import DEFAULT_CATALOG_PATH, default_catalog
from loaders.gazetteer import regions_within
from loaders.template import DATA_COLUMNS, write_template
from loaders.upload import read_upload


@pytest.fixture(scope="module")
def regions():
    return regions_within("17.71")


def test_template_structure(regions):
    catalog = small_catalog()
    buf = io.BytesIO()
    write_template(catalog, regions, buf)
    book = openpyxl.load_workbook(io.BytesIO(buf.getvalue()))
    assert book.sheetnames[:2] == ["petunjuk", "data"]
    assert {"catalog", "daftar_wilayah", "_daftar"} <= set(book.sheetnames)
    assert book["_daftar"].sheet_state == "hidden"
    data = book["data"]
    assert [c.value for c in data[1]] == DATA_COLUMNS
    assert data.freeze_panes == "A2"
    lists = {str(dv.sqref): dv for dv in data.data_validations.dataValidation}
    assert lists["A2:A20001"].type == "list" and lists["A2:A20001"].formula1 == f"_daftar!$A$2:$A${len(regions) + 1}"
    assert lists["B2:B20001"].formula1 == f"_daftar!$B$2:$B${len(catalog.indicators) + len(catalog.variables) + 1}"
    daftar = book["_daftar"]
    assert len(regions) == 77  # Kota Bengkulu, 9 kecamatan, 67 kelurahan
    assert [daftar.cell(r, 1).value for r in range(2, 79)] == list(regions["code"])
    assert "SS-SE-02" in [daftar.cell(r, 2).value for r in range(2, 40)]
    assert "IKC" not in [daftar.cell(r, 2).value for r in range(2, 40)]  # groups are computed, not entered
    cat = book["catalog"]
    assert [c.value for c in cat[1]][:2] == ["code", "parent"]
    text = " ".join(str(c.value) for c in book["petunjuk"]["A"] if c.value)
    assert "Isi sheet 'data'" in text and "Fill the 'data' sheet" in text


def test_filled_template_imports_without_error(regions):
    catalog = small_catalog()
    result = read_upload(template_filled_with(catalog, regions), "isi.xlsx", catalog, regions)
    assert result.ok, [str(p) for p in result.errors]
    assert not result.errors and not result.warnings
    got = {(r.region, r.indicator, r.year): r.value for r in result.records.itertuples()}
    assert got == {
        ("17.71.01", "SS-SE-02", 2024): 87.5,
        ("17.71.01.1001", "VAR-POP", 2024): 5123.0,
        ("17.71", "SE-IN-01", 2023): -1.5,
        ("17.71.03.1013", "SS-SE-02", 2024): 91.25,
        ("17.71.09", "SG-PS-04", 2024): 3.0,
    }
    assert result.layouts["data"] == "long" and result.layouts["catalog"] == "skipped"


@pytest.mark.skipif(not DEFAULT_CATALOG_PATH.exists(), reason="default catalog not written yet")
def test_default_catalog_template_round_trip(regions):
    catalog = default_catalog()
    result = read_upload(template_filled_with(catalog, regions), "isi.xlsx", catalog, regions)
    assert result.ok, [str(p) for p in result.errors]
    assert len(result.records) == 5


def test_template_escapes_formula_text(regions):
    import pandas as pd

    from indicators.catalog import catalog_from_frame

    frame = small_catalog().to_frame()
    frame.loc[frame["code"] == "SS-SE-02", "source"] = '=HYPERLINK("http://evil.invalid","klik")'
    catalog = catalog_from_frame(frame)
    buf = io.BytesIO()
    write_template(catalog, regions, buf)
    cat = openpyxl.load_workbook(io.BytesIO(buf.getvalue()))["catalog"]
    sources = [cat.cell(r, 21).value for r in range(2, cat.max_row + 1)]
    assert '\'=HYPERLINK("http://evil.invalid","klik")' in sources
    assert not any(isinstance(v, str) and v.startswith("=") for v in sources)
    assert pd.notna(sources).any()
