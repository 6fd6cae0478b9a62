"""Layout detection: header rows found wherever they are, delimiters, page-break headers, round trips."""

from __future__ import annotations

import pytest
from corpus.catalog import small_catalog
from corpus.files import LONG_HEADER, text_file, xlsx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loaders.gazetteer import regions_within
from loaders.grid import detect_delimiter
from loaders.upload import read_upload

REGIONS = regions_within("17.71")
CATALOG = small_catalog()


@pytest.mark.parametrize(
    ("text", "delimiter"),
    [
        ("wilayah;indikator;tahun;nilai\n17.71.01;SS-SE-02;2023;12,5\n", ";"),
        ("wilayah,indikator,tahun,nilai\n17.71.01,SS-SE-02,2023,12.5\n", ","),
        ("wilayah\tindikator\ttahun\tnilai\n17.71.01\tSS-SE-02\t2023\t12,5\n", "\t"),
        ("Judul tabel\n\nwilayah|nilai\n17.71.01|5\n17.71.02|6\n", "|"),
    ],
)
def test_delimiter(text, delimiter):
    assert detect_delimiter(text) == delimiter


def test_header_repeated_after_a_page_break_and_blank_rows():
    rows = [
        LONG_HEADER,
        ["17.71.01", "SS-SE-02", 2023, 50],
        [],
        LONG_HEADER,
        ["17.71.02", "SS-SE-02", 2023, 60],
    ]
    result = read_upload(xlsx({"data": rows}), "p.xlsx", CATALOG, REGIONS)
    assert result.ok and len(result.records) == 2
    assert list(result.records["row"]) == [2, 5]


def test_several_sheets_and_reference_sheets():
    sheets = {
        "petunjuk": [["Isi sheet data"]],
        "2022": [[*LONG_HEADER[:2], "nilai"], ["17.71.01", "SS-SE-02", 40]],
        "2023": [LONG_HEADER, ["17.71.01", "SS-SE-02", 2023, 50]],
    }
    result = read_upload(xlsx(sheets), "s.xlsx", CATALOG, REGIONS)
    assert result.ok, [str(p) for p in result.errors]
    got = {(r.sheet, r.year): r.value for r in result.records.itertuples()}
    assert got == {("2022", 2022): 40.0, ("2023", 2023): 50.0}  # the first sheet's year from its name
    assert result.layouts["petunjuk"] == "skipped"


def test_csv_rows_are_file_lines_even_with_multiline_cells():
    rows = [
        [*LONG_HEADER, "catatan"],
        ["17.71.01", "SS-SE-02", "2023", "50", "baris\nkedua"],
        ["x", "SS-SE-02", "2023", "5", ""],
    ]
    result = read_upload(text_file(rows), "m.csv", CATALOG, REGIONS)
    [error] = result.errors
    assert error.row == 4 and error.cell == "A4"  # line 4 of the file, after the two-line record


def test_region_and_name_columns_must_agree():
    rows = [
        ["kode_wilayah", "nama_wilayah", "indikator", "tahun", "nilai"],
        ["17.71.01", "Ratu Agung", "SS-SE-02", 2023, 5],
    ]
    result = read_upload(xlsx({"d": rows}), "c.xlsx", CATALOG, REGIONS)
    assert not result.ok
    [p] = result.errors
    assert p.extra["rule"] == "region_conflict" and p.cell == "B2"


codes = st.sampled_from(list(REGIONS["code"]))
indicators = st.sampled_from(["SS-SE-02", "SV-EN-01", "VAR-POP", "SG-PS-04"])
values = st.floats(min_value=0, max_value=100, allow_nan=False).map(lambda v: round(v, 3))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(codes, indicators, st.integers(2015, 2024), values), min_size=1, max_size=30,
                unique_by=lambda t: t[:3]))  # fmt: skip
def test_long_table_round_trip(rows):
    """Whatever valid long table is written, the same values come back, at the same rows."""
    result = read_upload(xlsx({"data": long_rows_list(rows)}), "r.xlsx", CATALOG, REGIONS)
    assert result.ok, [str(p) for p in result.errors]
    got = {(r.region, r.indicator, r.year): (r.value, r.row) for r in result.records.itertuples()}
    assert got == {(c, i, y): (v, k + 2) for k, (c, i, y, v) in enumerate(rows)}


def long_rows_list(rows):
    return [LONG_HEADER, *[list(r) for r in rows]]


def test_a_bug_becomes_a_refusal_not_a_traceback(monkeypatch):
    import loaders.upload as upload

    def broken(*_args, **_kwargs):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(upload, "detect_table", broken)
    result = read_upload(xlsx({"data": [LONG_HEADER]}), "x.xlsx", CATALOG, REGIONS)
    assert result.refused and not result.ok
    [p] = result.problems
    assert p.extra["rule"] == "internal_error" and "ZeroDivisionError" in p.message_en


def test_headerless_table_mapped_by_column_letter():
    rows = [["17.71.01", 50, 1000], ["17.71.02", 60, 2000]]
    result = read_upload(xlsx({"2024": rows}), "h.xlsx", CATALOG, REGIONS, columns={"B": "SS-SE-02", "C": "VAR-POP"})
    assert result.ok, [str(p) for p in result.errors]
    got = {(r.region, r.indicator): r.value for r in result.records.itertuples()}
    assert got == {
        ("17.71.01", "SS-SE-02"): 50.0,
        ("17.71.02", "SS-SE-02"): 60.0,
        ("17.71.01", "VAR-POP"): 1000.0,
        ("17.71.02", "VAR-POP"): 2000.0,
    }


def test_empty_template_is_not_importable():
    result = read_upload(
        xlsx({"data": [LONG_HEADER, ["17.71.01", "SS-SE-02", 2024, None]]}), "e.xlsx", CATALOG, REGIONS
    )
    assert not result.ok
    assert [p.extra["rule"] for p in result.errors] == ["no_values"]


def test_excel_sep_hint_line():
    data = b"sep=;\r\nwilayah;indikator;tahun;nilai\r\n17.71.01;SS-SE-02;2023;12,5\r\nx;SS-SE-02;2023;1\r\n"
    result = read_upload(data, "hint.csv", CATALOG, REGIONS)
    assert result.records["value"].tolist() == [12.5]
    [p] = result.errors
    assert p.row == 4 and p.cell == "A4"  # line numbers count the hint line
