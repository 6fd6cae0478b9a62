"""Every bad or messy file of the loader corpus, generated from code.

Each :class:`Case` says what an analyst must see: refused or not, ``ok`` or not, which problem
rules appear (``Problem.extra["rule"]``), how many values come out, and optionally a check of the
values themselves (hand-computed).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"
KELURAHAN_GEOJSON = SHARED / "boundaries" / "kota_bengkulu_kelurahan.geojson"

KECAMATAN_BPS = [
    ("010", "Selebar", "17.71.01"),
    ("011", "Kampung Melayu", "17.71.05"),
    ("020", "Gading Cempaka", "17.71.02"),
    ("021", "Ratu Agung", "17.71.06"),
    ("022", "Ratu Samban", "17.71.07"),
    ("023", "Singaran Pati", "17.71.09"),
    ("030", "Teluk Segara", "17.71.03"),
    ("031", "Sungai Serut", "17.71.08"),
    ("040", "Muara Bangka Hulu", "17.71.04"),
]


@dataclass
class Case:
    name: str
    filename: str
    make: Callable[[], bytes]
    refused: bool = False
    ok: bool | None = None
    rules: set[str] = field(default_factory=set)
    absent: set[str] = field(default_factory=set)
    records: int | None = None
    kwargs: dict[str, Any] = field(default_factory=dict)
    city: str = "17.71"
    check: Callable[[Any], None] | None = None
    kind: str = "values"
    #: a module the generator needs (test-only dependency), skipped without it
    needs: str | None = None


# --------------------------------------------------------------------- writers
def xlsx(sheets: dict[str, list[list[Any]]], merges: dict[str, list[tuple]] | None = None) -> bytes:
    """A workbook from rows of cells; ``merges``: sheet -> [(first_row, first_col, last_row, last_col, text)]."""
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"strings_to_numbers": False, "strings_to_formulas": False})
    for name, rows in sheets.items():
        sheet = book.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, str):
                    sheet.write_string(r, c, value)
                else:
                    sheet.write(r, c, value)
        for r0, c0, r1, c1, text in (merges or {}).get(name, []):
            sheet.merge_range(r0, c0, r1, c1, text)
    book.close()
    return buf.getvalue()


def text_file(rows: list[list[Any]], sep: str = ",", encoding: str = "utf-8") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=sep, lineterminator="\r\n")
    for row in rows:
        writer.writerow(row)
    return out.getvalue().encode(encoding)


def rezip(data: bytes, edit: Callable[[str, bytes], bytes | None], extra: dict[str, bytes] | None = None) -> bytes:
    """Copy a zip, passing each entry through ``edit`` (``None`` keeps it)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            changed = edit(info.filename, body)
            dst.writestr(info.filename, body if changed is None else changed)
        for name, body in (extra or {}).items():
            dst.writestr(name, body)
    return out.getvalue()


LONG_HEADER = ["wilayah", "indikator", "tahun", "nilai"]


def long_rows(*rows: tuple) -> list[list[Any]]:
    return [LONG_HEADER, *[list(r) for r in rows]]


def _records(result) -> dict[tuple[str, str, int], float]:
    return {(r.region, r.indicator, int(r.year)): float(r.value) for r in result.records.itertuples()}


# --------------------------------------------------------------------- values files
def bps_table(total: str = "Kota Bengkulu", bad_total: bool = False) -> bytes:
    rows: list[list[Any]] = [
        ["Tabel 3.1.2 Jumlah Penduduk dan Luas Wilayah Menurut Kecamatan di Kota Bengkulu, 2023"],
        ["Table 3.1.2 Population and Area by Subdistrict in Bengkulu Municipality, 2023"],
        [],
        [None, None, "Laki-laki/Male", "Perempuan/Female", "Jumlah/Total", None],
        ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)"],
    ]
    rows.insert(3, [None] * 6)
    total_pop = 0
    total_area = 0.0
    for i, (code, name, _) in enumerate(KECAMATAN_BPS):
        pop = 40_000 + 1_111 * i
        total_pop += pop
        area = 10.0 + i + 0.25
        total_area += area
        male = pop // 2
        rows.append(
            [
                f"{code}. {name}",
                f"{area:.2f}".replace(".", ","),
                f"{male:,}".replace(",", "."),
                f"{pop - male:,}".replace(",", "."),
                f"{pop:,}".replace(",", "."),
                "-",
            ]
        )
    shown = total_pop + (20_000 if bad_total else 0)
    rows.append([total, f"{total_area:.2f}".replace(".", ","), "-", "-", f"{shown:,}".replace(",", "."), "..."])
    rows += [[], ["Sumber: BPS Kota Bengkulu, Proyeksi Penduduk 2023"], ["Catatan: angka sementara"]]
    merges = {
        "Tabel 3.1.2": [
            (3, 0, 4, 0, "Kecamatan\nSubdistrict"),
            (3, 1, 4, 1, "Luas Wilayah (km2)\nArea"),
            (3, 2, 3, 4, "Jumlah Penduduk (jiwa)\nPopulation"),
            (3, 5, 4, 5, "Keterangan"),
        ]
    }
    return xlsx({"Tabel 3.1.2": rows}, merges)


def _check_bps(result) -> None:
    got = _records(result)
    assert got[("17.71.01", "VAR-POP", 2023)] == 40_000
    assert got[("17.71.09", "VAR-POP", 2023)] == 40_000 + 5 * 1_111  # 023. Singaran Pati
    assert got[("17.71", "VAR-POP", 2023)] == sum(40_000 + 1_111 * i for i in range(9))
    assert got[("17.71.04", "VAR-AREA", 2023)] == 18.25
    assert set(result.records["source"]) == {"BPS Kota Bengkulu, Proyeksi Penduduk 2023"}


def bps_kelurahan_jumlah() -> bytes:
    rows = [
        ["Luas wilayah menurut kelurahan di Kecamatan Selebar, 2022"],
        ["Kelurahan", "Luas Wilayah (km2)"],
        ["(1)", "(2)"],
        ["001. Pagar Dewa", "4,5"],
        ["002. Sukarami", "3,25"],
        ["003. Pekan Sabtu", "2,0"],
        ["004. Bumi Ayu", "1,75"],
        ["005. Betungan", "5,0"],
        ["006. Sumur Dewa", "6,5"],
        ["Jumlah", "23,0"],
    ]
    return xlsx({"Sheet1": rows})


def _check_jumlah(result) -> None:
    got = _records(result)
    assert got[("17.71.01", "VAR-AREA", 2022)] == 23.0  # "Jumlah" of Selebar's kelurahan = Selebar
    assert got[("17.71.01.1004", "VAR-AREA", 2022)] == 1.75  # "Bumi Ayu" alias of the gazetteer's "Bumu Ayu"


def id_numbers_csv() -> bytes:
    return text_file(
        long_rows(
            ("17.71.01", "VAR-POP", 2023, "1.234,5"),
            ("17.71.02", "SS-SE-02", 2023, "87%"),
            ("17.71.03", "SS-SE-02", 2023, "91,25 %"),
            ("17.71.04", "VAR-POP", 2023, "Rp 1.234"),
            ("17.71.05", "VAR-POP", 2023, "45.678"),
            ("17.71.06", "VAR-POP", 2023, "-"),
            ("17.71.07", "VAR-POP", 2023, "..."),
            ("17.71.08", "VAR-POP", 2023, "n.a."),
            ("17.71.09", "VAR-POP", 2023, ""),
        ),
        sep=";",
    )


def _check_id_numbers(result) -> None:
    got = _records(result)
    assert got == {
        ("17.71.01", "VAR-POP", 2023): 1234.5,
        ("17.71.02", "SS-SE-02", 2023): 87.0,
        ("17.71.03", "SS-SE-02", 2023): 91.25,
        ("17.71.04", "VAR-POP", 2023): 1234.0,
        ("17.71.05", "VAR-POP", 2023): 45678.0,
    }


def en_numbers_csv() -> bytes:
    return text_file(
        [
            ["region", "indicator", "year", "value"],
            ["Selebar", "VAR-POP", "2023", "1,234.5"],
            ["Gading Cempaka", "VAR-POP", "2023", "45,678"],
            ["Teluk Segara", "Share of street lights working", "2023", "0.5"],
        ]
    )


def _check_en(result) -> None:
    got = _records(result)
    assert got[("17.71.02", "VAR-POP", 2023)] == 45678.0  # English evidence in the column: "45,678" is thousands
    assert got[("17.71.03", "SS-SE-02", 2023)] == 0.5


def ambiguous_default() -> bytes:
    return xlsx({"data": long_rows(("17.71.01", "VAR-POP", 2023, "1.234"), ("17.71.02", "VAR-POP", 2023, "2.345"))})


def _check_ambiguous_default(result) -> None:
    got = _records(result)
    assert got[("17.71.01", "VAR-POP", 2023)] == 1234.0
    [p] = [p for p in result.problems if p.extra.get("rule") == "ambiguous_number"]
    assert p.severity == "warning" and "1.234" in p.message_id and p.cell == "D2"


def ambiguous_by_unit() -> bytes:
    # a percentage column holding only "12.345"-style text: 12345 % is impossible, 12.345 % is not
    return xlsx({"data": long_rows(("17.71.01", "SS-SE-02", 2023, "12.345"), ("17.71.02", "SS-SE-02", 2023, "87.125"))})


def _check_by_unit(result) -> None:
    got = _records(result)
    assert got[("17.71.01", "SS-SE-02", 2023)] == 12.345
    [p] = [p for p in result.problems if p.extra.get("rule") == "ambiguous_number"]
    assert "rentang satuan" in p.message_id


def percent_over_100() -> bytes:
    return xlsx({"data": long_rows(("17.71.01", "SS-SE-02", 2023, 120), ("17.71.02", "SS-SE-02", 2023, 80))})


def negative_count() -> bytes:
    return xlsx(
        {
            "data": long_rows(
                ("17.71.01", "SB-BB-02", 2023, -3),
                ("17.71.02", "SE-IN-01", 2023, -2.5),  # growth may be negative
                ("17.71.03", "SE-WE-03", 2023, 1.2),  # Gini above 1
            )
        }
    )


def duplicates(same: bool) -> bytes:
    second = 50 if same else 60
    return xlsx({"data": long_rows(("17.71.01", "SS-SE-02", 2023, 50), ("Selebar", "ss-se-02", 2023, second))})


def unknown_region_typo() -> bytes:
    return xlsx({"data": long_rows(("Ratu Agungg", "SS-SE-02", 2023, 50), ("Kec. Ratu Samban", "SS-SE-02", 2023, 60))})


def _check_typo(result) -> None:
    [p] = [p for p in result.problems if p.extra.get("rule") == "unknown_region"]
    assert p.cell == "A2" and p.row == 2 and p.sheet == "data" and p.column == "wilayah"
    assert "Ratu Agung" in (p.suggestion or "") and "17.71.06" in p.suggestion


def ambiguous_name() -> bytes:
    return xlsx({"data": long_rows(("Kuta Alam", "SS-SE-02", 2023, 50), ("Kec. Kuta Alam", "SS-SE-02", 2024, 55))})


def unknown_indicator() -> bytes:
    return xlsx({"data": long_rows(("17.71.01", "SS-SE-2", 2023, 50), ("17.71.01", "SS", 2023, 50))})


def _check_unknown_indicator(result) -> None:
    [p] = [p for p in result.problems if p.extra.get("rule") == "unknown_indicator"]
    assert p.cell == "B2" and "SS-SE-02" in (p.suggestion or "")


def implausible_year() -> bytes:
    return xlsx(
        {
            "data": long_rows(
                ("17.71.01", "SS-SE-02", 1985, 50),
                ("17.71.02", "SS-SE-02", 2099, 50),
                ("17.71.03", "SS-SE-02", "2023/2024", 50),
                ("17.71.04", "SS-SE-02", 2023, 50),
            )
        }
    )


def not_a_number() -> bytes:
    return xlsx({"data": long_rows(("17.71.01", "SS-SE-02", 2023, "lima puluh"), ("17.71.02", "SS-SE-02", 2023, 50))})


def title_and_footnotes_long() -> bytes:
    rows = [
        ["Data PJU Dishub Kota Bengkulu"],
        ["Diperbarui Maret 2024"],
        [],
        ["Wilayah", "Indikator", "Tahun", "Nilai", "Satuan", "Sumber"],
        ["17.71.01", "SS-SE-02", 2023, 81.5, "persen", "Dishub"],
        ["17.71.02", "SS-SE-02", 2023, 77, "%", "Dishub"],
        [],
        ["Sumber: Dinas Perhubungan Kota Bengkulu"],
        ["Catatan: survei malam hari"],
    ]
    return xlsx({"PJU": rows})


def _check_title_long(result) -> None:
    got = _records(result)
    assert got == {("17.71.01", "SS-SE-02", 2023): 81.5, ("17.71.02", "SS-SE-02", 2023): 77.0}
    assert list(result.records["row"]) == [5, 6]


def wide_codes_year_column() -> bytes:
    rows = [
        ["wilayah", "tahun", "SS-SE-02", "VAR-POP", "Keterangan"],
        ["Selebar", 2022, 70.5, 60000, "ok"],
        ["Selebar", 2023, 72.5, 61000, ""],
        ["Ratu Agung", 2023, 90, 45000, ""],
    ]
    return xlsx({"wide": rows})


def _check_wide(result) -> None:
    got = _records(result)
    assert got[("17.71.01", "SS-SE-02", 2022)] == 70.5
    assert got[("17.71.06", "VAR-POP", 2023)] == 45000.0
    assert len(got) == 6


def wide_year_from_sheet() -> bytes:
    rows = [
        ["Kelurahan", "Persentase PJU berfungsi", "Jumlah penduduk"],
        ["KELURAHAN SUMUR MELELEH", "88,5", "5.123"],
        ["Kel. Pasar Baru", "90", "4.876"],
    ]
    return xlsx({"2023": rows})


def _check_sheet_year(result) -> None:
    got = _records(result)
    assert got[("17.71.03.1013", "SS-SE-02", 2023)] == 88.5
    assert got[("17.71.03.1002", "VAR-POP", 2023)] == 4876.0


def wide_no_year() -> bytes:
    return xlsx({"Sheet1": [["wilayah", "SS-SE-02"], ["17.71.01", 50], ["17.71.02", 60]]})


def cp1252_semicolon() -> bytes:
    rows = [
        ["wilayah", "indikator", "tahun", "nilai", "satuan", "catatan"],
        ["Kelurahan Sumur Meleleh", "VAR-AREA", "2023", "0,85", "km²", "luas – peta BIG"],
        ["Kelurahan Kampung Bali", "VAR-AREA", "2023", "1,05", "km²", "luas – peta BIG"],
    ]
    return text_file(rows, sep=";", encoding="cp1252")


def _check_cp1252(result) -> None:
    got = _records(result)
    assert got[("17.71.03.1013", "VAR-AREA", 2023)] == 0.85
    assert "luas – peta BIG" in set(result.records["note"])


def utf16_tab() -> bytes:
    text = "wilayah\tindikator\ttahun\tnilai\r\n17.71.01\tSS-SE-02\t2023\t55,5\r\n"
    return b"\xff\xfe" + text.encode("utf-16-le")


def formulas_cached() -> bytes:
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf)
    sheet = book.add_worksheet("data")
    sheet.write_row(0, 0, LONG_HEADER)
    sheet.write_row(1, 0, ["17.71.01", "SS-SE-02", 2023])
    sheet.write_formula(1, 3, "=40+2", None, 42)
    sheet.write_row(2, 0, ["17.71.02", "SS-SE-02", 2023])
    sheet.write_formula(2, 3, "=1/0", None, "#DIV/0!")
    sheet.write_row(3, 0, ["17.71.03", "SS-SE-02", 2023])
    sheet.write_formula(3, 3, '=WEBSERVICE("http://example.invalid")', None, 10)
    book.close()
    return buf.getvalue()


def _check_formulas(result) -> None:
    got = _records(result)
    assert got[("17.71.01", "SS-SE-02", 2023)] == 42.0  # the cached value, never evaluated
    assert got[("17.71.03", "SS-SE-02", 2023)] == 10.0
    [p] = [p for p in result.problems if p.extra.get("rule") == "excel_error"]
    assert p.cell == "D3" and "#DIV/0!" in p.message_id


def percent_fraction() -> bytes:
    return xlsx(
        {"data": long_rows(*[(f"17.71.0{i}", "SS-SE-02", 2023, v) for i, v in [(1, 0.87), (2, 0.5), (3, 0.91)]])}
    )


def bps_code_name_conflict() -> bytes:
    return xlsx({"t": [["Kecamatan", "SS-SE-02"], ["010. Ratu Agung", 50], ["021. Ratu Agung", 60]]})


def region_outside() -> bytes:
    return xlsx({"data": long_rows(("17.01.01", "SS-SE-02", 2023, 50), ("17.71.01", "SS-SE-02", 2023, 50))})


def years_as_subheaders() -> bytes:
    rows = [
        ["Jumlah Penduduk Menurut Kecamatan, 2021-2023"],
        [None, "Jumlah Penduduk", None, None],
        [None, 2021, 2022, 2023],
    ]
    rows[1][0] = "Kecamatan"
    for i, (_code, name, _) in enumerate(KECAMATAN_BPS[:3]):
        rows.append([name, 1000 + i, 1100 + i, 1200 + i])
    return xlsx({"pop": rows}, {"pop": [(1, 0, 2, 0, "Kecamatan"), (1, 1, 1, 3, "Jumlah Penduduk")]})


def _check_years(result) -> None:
    got = _records(result)
    assert got[("17.71.01", "VAR-POP", 2021)] == 1000
    assert got[("17.71.05", "VAR-POP", 2023)] == 1201
    assert len(got) == 9


def mapped_columns() -> bytes:
    rows = [
        ["Kecamatan", "Panjang Jalan (km)", "Lampu PJU menyala (%)"],
        ["Selebar", "12,5", "77,5"],
        ["Teluk Segara", "8", "91"],
    ]
    return xlsx({"2024": rows})


def no_table() -> bytes:
    return xlsx(
        {"catatan rapat": [["Rapat koordinasi smart city"], ["dihadiri 20 orang"], ["tindak lanjut: survei PJU"]]}
    )


def mixed_kinds() -> bytes:
    return xlsx(
        {
            "nilai": long_rows(("17.71.01", "SS-SE-02", 2023, 50)),
            "titik": [["obs_id", "asset_type", "lat", "lon", "status"], ["A1", "PJU", -3.8, 102.3, "berfungsi"]],
        }
    )


def template_filled_with(catalog, regions) -> bytes:
    import openpyxl

    from loaders.template import write_template

    buf = io.BytesIO()
    write_template(catalog, regions, buf)
    book = openpyxl.load_workbook(io.BytesIO(buf.getvalue()))
    sheet = book["data"]
    rows = [
        ("17.71.01", "SS-SE-02", 2024, 87.5, "%", "Survei PJU 2024", ""),
        ("17.71.01.1001", "VAR-POP", 2024, "5.123", "", "BPS", ""),
        ("17.71", "SE-IN-01", 2023, "-1,5", "%", "", "angka sementara"),
        ("17.71.03.1013", "SS-SE-02", 2024, "91,25", "", "", ""),
        ("17.71.09", "SG-PS-04", 2024, 3, "days", "LAPOR!", ""),
    ]
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row, start=1):
            if value != "":
                sheet.cell(r, c, value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def xls(rows: list[list[Any]], merges: list[tuple] = (), far_cell: bool = False) -> bytes:
    """A legacy .xls (BIFF8) workbook, written by xlwt (a test-only dependency).

    ``merges``: (first_row, last_row, first_col, last_col, text), xlwt's order.
    """
    import xlwt

    book = xlwt.Workbook()
    sheet = book.add_sheet("Tabel")
    merged_cells = {(r0, c0) for r0, _r1, c0, _c1, _t in merges}
    for r0, r1, c0, c1, text in merges:
        sheet.write_merge(r0, r1, c0, c1, text)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None and (r, c) not in merged_cells:
                sheet.write(r, c, value)
    if far_cell:
        sheet.write(65535, 255, "x")
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def legacy_xls_bps() -> bytes:
    rows = [
        ["Persentase PJU berfungsi menurut kecamatan, 2022"],
        [None, None],
        [None, "Persentase PJU berfungsi"],
        ["(1)", "(2)"],
        ["010. Selebar", "81,5"],
        ["021. Ratu Agung", 77.25],
        ["Sumber: Dinas Perhubungan"],
    ]
    return xls(rows, merges=[(1, 2, 0, 0, "Kecamatan")])  # "Kecamatan" merged over the two header rows


def _check_xls(result) -> None:
    assert {(r.region, r.year): r.value for r in result.records.itertuples()} == {
        ("17.71.01", 2022): 81.5,
        ("17.71.06", 2022): 77.25,
    }


# --------------------------------------------------------------------- hostile files
def valid_xlsx() -> bytes:
    return xlsx({"data": long_rows(("17.71.01", "SS-SE-02", 2023, 50))})


def zip_bomb() -> bytes:
    padding = b" " * (60 << 20)  # 60 MiB of spaces: deflates about 1000 times

    def edit(name: str, body: bytes) -> bytes | None:
        if name == "xl/worksheets/sheet1.xml":
            return body.replace(b"<sheetData>", b"<sheetData>" + padding, 1)
        return None

    return rezip(valid_xlsx(), edit)


def wrong_magic_pdf() -> bytes:
    return b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" + b"0" * 200


def html_as_xls() -> bytes:
    return b"<html><body><table><tr><td>wilayah</td><td>nilai</td></tr></table></body></html>"


def csv_as_xlsx() -> bytes:
    return b"wilayah,indikator,tahun,nilai\n17.71.01,SS-SE-02,2023,50\n"


def encrypted_xlsx() -> bytes:
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    return header + "EncryptedInfo".encode("utf-16-le") + b"\x00" * 64 + "EncryptedPackage".encode("utf-16-le")


def truncated_xlsx() -> bytes:
    data = valid_xlsx()
    return data[: len(data) // 2]


def absurd_dimension() -> bytes:
    def edit(name: str, body: bytes) -> bytes | None:
        if name == "xl/worksheets/sheet1.xml":
            return re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', body)
        return None

    return rezip(valid_xlsx(), edit)


def sparse_far_cell() -> bytes:
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf)
    sheet = book.add_worksheet("data")
    sheet.write_row(0, 0, LONG_HEADER)
    sheet.write_string(1_000_000, 300, "x")  # one cell at KO1000001: a 301 x 1,000,001 rectangle
    book.close()
    data = buf.getvalue()

    def edit(name: str, body: bytes) -> bytes | None:  # an honest-looking small dimension tag
        if name == "xl/worksheets/sheet1.xml":
            return re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:D2"/>', body)
        return None

    return rezip(data, edit)


def _ods(content_extra: str) -> bytes:
    import pandas as pd

    buf = io.BytesIO()
    pd.DataFrame({"wilayah": ["17.71.01"], "indikator": ["SS-SE-02"], "tahun": [2023], "nilai": [50]}).to_excel(
        buf, engine="odf", index=False, sheet_name="data"
    )

    def edit(name: str, body: bytes) -> bytes | None:
        if name == "content.xml":
            text = body.decode("utf-8")
            i = text.find("</table:table>")
            return (text[:i] + content_extra + text[i:]).encode("utf-8")
        return None

    return rezip(buf.getvalue(), edit)


def ods_valid() -> bytes:
    # LibreOffice writes a million empty rows at a sheet's end: harmless, must not be refused
    return _ods(
        '<table:table-row table:number-rows-repeated="1048570"><table:table-cell '
        'table:number-columns-repeated="1024"/></table:table-row>'
    )


def ods_repeat_bomb() -> bytes:
    return _ods(
        '<table:table-row table:number-rows-repeated="100000"><table:table-cell '
        'table:number-columns-repeated="1000" office:value-type="string"><text:p>x</text:p>'
        "</table:table-cell></table:table-row>"
    )


# --------------------------------------------------------------------- observations
def _points() -> dict[str, tuple[float, float]]:
    """A point inside each of a few kelurahan (lat, lon), from the real boundaries."""
    import geopandas as gpd

    gdf = gpd.read_file(KELURAHAN_GEOJSON)
    out = {}
    for code in ("17.71.01.1001", "17.71.03.1013", "17.71.06.1003"):
        p = gdf.loc[gdf["kode"] == code].geometry.iloc[0].representative_point()
        out[code] = (round(p.y, 6), round(p.x, 6))
    return out


def _dms(value: float, pos: str, neg: str) -> str:
    hemi = pos if value >= 0 else neg
    v = abs(value)
    d = int(v)
    m = int((v - d) * 60)
    s = (v - d - m / 60) * 3600
    return f"{d}°{m}'{s:.2f}\"{hemi}"


def observations_messy() -> bytes:
    pts = _points()
    a, b, c = pts["17.71.01.1001"], pts["17.71.03.1013"], pts["17.71.06.1003"]
    rows = [
        ["Survei PJU malam, Oktober 2024"],
        ["obs_id", "asset_type", "lat", "lon", "kelurahan", "status", "lampu_tipe", "menyala_malam", "obs_datetime"],
        ["P1", "PJU", a[0], a[1], "Pagar Dewa", "Berfungsi", "LED", "Y", "2024-10-01"],
        [
            "P2",
            "pju",
            str(a[0]).replace(".", ","),
            str(a[1]).replace(".", ","),
            "",
            " BERFUNGSI ",
            "led",
            "ya",
            "2024-10-01",
        ],
        [
            "P3",
            "PJU",
            _dms(a[0], "LS", "LS"),
            _dms(a[1], "BT", "BB"),
            "",
            "tidak  berfungsi",
            "non-LED",
            "N",
            "02/10/2024",
        ],
        ["P4", "PJU", b[1], b[0], "", "berfungsi", "LED", "Y", "2024-10-02"],  # lat/lon swapped
        ["P5", "PJU", -b[0], b[1], "", "berfungsi", "non-LED", "Y", "2024-10-02"],  # minus sign lost
        ["P6", "PJU", -6.2, 106.8, "", "berfungsi", "LED", "Y", "2024-10-02"],  # Jakarta: outside
        ["P7", "PJU", c[0], c[1], "", "tidak ditemukan", "", "", "2024-10-03"],
        ["P8", "Lampu Jalan", None, None, "Nusa Indah", "berfungsi", "LED", "N", "2024-10-03"],  # placed by name
    ]
    return xlsx({"PJU 2024": rows})


def _check_observations(result) -> None:
    got = {(r.region, r.indicator): (pytest.approx(r.value), r.n_observed) for r in result.records.itertuples()}
    # Pagar Dewa: P1 working+lit, P2 working+lit, P3 not working -> 2/3; LED among found: 2/3
    assert got[("17.71.01.1001", "SS-SE-02")] == (100 * 2 / 3, 3)
    assert got[("17.71.01.1001", "SV-EN-01")] == (100 * 2 / 3, 3)
    # Sumur Meleleh: P4 (swap fixed) + P5 (sign fixed), both working and lit
    assert got[("17.71.03.1013", "SS-SE-02")] == (100.0, 2)
    assert got[("17.71.03.1013", "SV-EN-01")] == (50.0, 2)
    # Nusa Indah: P7 not found (fails SS-SE-02, left out of SV-EN-01) + P8 placed by name (not lit)
    assert got[("17.71.06.1003", "SS-SE-02")] == (0.0, 2)
    assert got[("17.71.06.1003", "SV-EN-01")] == (100.0, 1)
    # the city pools the 7 counted points: P1, P2, P4, P5 working and lit
    assert got[("17.71", "SS-SE-02")] == (100 * 4 / 7, 7)
    obs = result.observations
    assert int(obs["counted"].sum()) == 7 and obs.loc[obs["obs_id"] == "P6", "counted"].item() is False
    assert obs.loc[obs["obs_id"] == "P4", "region"].item() == "17.71.03.1013"
    assert set(result.records["year"]) == {2024}


def observations_coords_column() -> bytes:
    pts = _points()
    a = pts["17.71.01.1001"]
    rows = [
        ["id", "jenis aset", "koordinat", "status", "tanggal"],
        ["W1", "WIFI", f"{a[0]}, {a[1]}", "berfungsi", "2024-05-01"],
        ["W2", "WIFI", f"{a[0]}; {a[1]}".replace(".", ","), "berfungsi", "2024-05-01"],
        ["W3", "WIFI", "di depan kantor lurah", "berfungsi", "2024-05-01"],
    ]
    return text_file(rows)


def observations_no_year() -> bytes:
    pts = _points()
    a = pts["17.71.01.1001"]
    return xlsx({"titik": [["obs_id", "asset_type", "lat", "lon", "status"], ["A", "CCTV", a[0], a[1], "berfungsi"]]})


# --------------------------------------------------------------------- the corpus
def cases() -> list[Case]:
    return [
        Case("bps_merged_headers", "bps.xlsx", bps_table, ok=True, records=20,
             rules={"ambiguous_number", "year_from_title", "total_row", "unmapped_column"},
             absent={"total_mismatch"}, kwargs={"columns": {"Jumlah": "VAR-POP"}}, check=_check_bps),
        Case("bps_total_mismatch", "bps.xlsx", lambda: bps_table(bad_total=True), ok=True,
             rules={"total_mismatch"}, kwargs={"columns": {"Jumlah/Total": "VAR-POP"}}),
        Case("bps_jumlah_kelurahan", "luas.xlsx", bps_kelurahan_jumlah, ok=True, records=7,
             rules={"total_row", "year_from_title"}, check=_check_jumlah),
        Case("indonesian_numbers_csv", "angka.csv", id_numbers_csv, ok=True, records=5, rules={"delimiter"},
             check=_check_id_numbers),
        Case("english_numbers_csv", "numbers.csv", en_numbers_csv, ok=True, records=3, check=_check_en),
        Case("ambiguous_default", "amb.xlsx", ambiguous_default, ok=True, rules={"ambiguous_number"},
             check=_check_ambiguous_default),
        Case("ambiguous_by_unit", "amb2.xlsx", ambiguous_by_unit, ok=True, rules={"ambiguous_number"},
             absent={"impossible_value"}, check=_check_by_unit),
        Case("percent_over_100", "pct.xlsx", percent_over_100, ok=False, rules={"impossible_value"}, records=1),
        Case("negative_count_gini", "neg.xlsx", negative_count, ok=False, rules={"impossible_value"}, records=1),
        Case("duplicate_conflict", "dup.xlsx", lambda: duplicates(False), ok=False, rules={"duplicate_conflict"}),
        Case("duplicate_same", "dup2.xlsx", lambda: duplicates(True), ok=True, rules={"duplicate_same"}, records=1),
        Case("unknown_region_typo", "typo.xlsx", unknown_region_typo, ok=False, rules={"unknown_region"},
             records=1, check=_check_typo),
        Case("ambiguous_region_name", "aceh.xlsx", ambiguous_name, ok=False, rules={"ambiguous_region"},
             records=1, city="11.71"),
        Case("unknown_indicator", "ind.xlsx", unknown_indicator, ok=False,
             rules={"unknown_indicator", "group_indicator"}, check=_check_unknown_indicator),
        Case("implausible_year", "year.xlsx", implausible_year, ok=False, rules={"implausible_year", "bad_year"},
             records=1),
        Case("not_a_number", "nan.xlsx", not_a_number, ok=False, rules={"not_a_number"}, records=1),
        Case("title_and_footnotes_long", "pju.xlsx", title_and_footnotes_long, ok=True, records=2,
             check=_check_title_long),
        Case("wide_codes_year_column", "wide.xlsx", wide_codes_year_column, ok=True, records=6, check=_check_wide),
        Case("wide_year_from_sheet_name", "wide2.xlsx", wide_year_from_sheet, ok=True, records=4,
             rules={"year_from_sheet"}, check=_check_sheet_year),
        Case("wide_no_year", "noyear.xlsx", wide_no_year, ok=False, rules={"missing_year"}),
        Case("wide_no_year_given", "noyear.xlsx", wide_no_year, ok=True, records=2, kwargs={"year": 2024}),
        Case("cp1252_semicolon_csv", "luas.csv", cp1252_semicolon, ok=True, records=2, rules={"encoding"},
             check=_check_cp1252),
        Case("utf16_tab_text", "excel.txt", utf16_tab, ok=True, records=1),
        Case("formulas_cached_values", "f.xlsx", formulas_cached, ok=False, rules={"formulas_cached", "excel_error"},
             records=2, check=_check_formulas),
        Case("percent_as_fraction", "frac.xlsx", percent_fraction, ok=True, rules={"percent_as_fraction"}),
        Case("bps_prefix_conflict", "conf.xlsx", bps_code_name_conflict, ok=False, rules={"region_conflict"},
             records=1, kwargs={"year": 2023}),
        Case("region_outside_scope", "out.xlsx", region_outside, ok=False, rules={"region_outside"}, records=1),
        Case("years_as_subheaders", "years.xlsx", years_as_subheaders, ok=True, check=_check_years),
        Case("mapped_columns", "map.xlsx", mapped_columns, ok=True, records=2,
             kwargs={"columns": {"Lampu PJU": "SS-SE-02", "Panjang Jalan (km)": ""}}),
        Case("mapping_unknown_code", "map.xlsx", mapped_columns, ok=False, rules={"unknown_indicator"},
             kwargs={"columns": {"Lampu PJU": "XX-01"}}),
        Case("mapping_header_absent", "map.xlsx", mapped_columns, ok=False, rules={"mapping_unmatched"},
             kwargs={"columns": {"Tidak Ada": "SS-SE-02"}}),
        Case("no_table", "rapat.xlsx", no_table, ok=False, rules={"no_table"}),
        Case("mixed_kinds", "campur.xlsx", mixed_kinds, ok=False, rules={"mixed_kinds"}),
        Case("ods_with_empty_tail", "data.ods", ods_valid, ok=True, records=1),
        Case("regions_across_indicators_down", "kda.xlsx", kecamatan_dalam_angka, ok=True, records=8,
             rules={"unmapped_row", "year_from_title"}, absent={"total_mismatch"}, check=_check_kda),
        Case("regions_across_mapped_row", "kda.xlsx", kecamatan_dalam_angka, ok=True, records=12,
             kwargs={"columns": {"Rasio murid": "SB-BB-02"}}, absent={"unmapped_row"}),
        Case("legacy_xls_bps", "pju.xls", legacy_xls_bps, ok=True, records=2, check=_check_xls, needs="xlwt"),
        Case("xls_far_cell", "jauh.xls", lambda: xls([["wilayah", "nilai"]], far_cell=True), refused=True,
             rules={"absurd_dimension"}, needs="xlwt"),
        Case("xls_truncated", "potong.xls", lambda: xls([["wilayah", "nilai"], ["17.71.01", 5]])[:2048],
             refused=True, rules={"damaged"}, needs="xlwt"),
        # hostile
        Case("zip_bomb", "bom.xlsx", zip_bomb, refused=True, rules={"zip_bomb"}),
        Case("pdf_named_xlsx", "laporan.xlsx", wrong_magic_pdf, refused=True, rules={"wrong_content"}),
        Case("html_named_xls", "export.xls", html_as_xls, refused=True, rules={"wrong_content"}),
        Case("csv_named_xlsx", "data.xlsx", csv_as_xlsx, refused=True, rules={"wrong_content"}),
        Case("password_protected", "rahasia.xlsx", encrypted_xlsx, refused=True, rules={"wrong_content"}),
        Case("truncated_xlsx", "potong.xlsx", truncated_xlsx, refused=True, rules={"damaged"}),
        Case("empty_file", "kosong.csv", lambda: b"", refused=True, rules={"empty_file"}),
        Case("unsupported_extension", "data.pdf", wrong_magic_pdf, refused=True, rules={"unsupported_extension"}),
        Case("absurd_dimension", "dim.xlsx", absurd_dimension, refused=True, rules={"absurd_dimension"}),
        Case("sparse_far_cell", "jauh.xlsx", sparse_far_cell, refused=True, rules={"absurd_dimension"}),
        Case("ods_repeat_bomb", "bom.ods", ods_repeat_bomb, refused=True, rules={"absurd_dimension"}),
        Case("too_large", "besar.csv", lambda: b"wilayah,nilai\n" + b"17.71.01,1\n" * 200_000, refused=True,
             rules={"too_large"}, kwargs={"max_mb": 1}),
        # observations
        Case("observations_messy", "pju.xlsx", observations_messy, ok=True, kind="observations",
             rules={"coordinates_swapped", "coordinates_flipped", "point_outside", "placed_by_name"},
             check=_check_observations),
        Case("observations_coordinate_pairs", "wifi.csv", observations_coords_column, ok=False, kind="observations",
             rules={"bad_coordinate"}),
        Case("observations_without_year", "cctv.xlsx", observations_no_year, ok=False, kind="observations",
             rules={"missing_year"}),
        Case("observations_year_given", "cctv.xlsx", observations_no_year, ok=True, kind="observations",
             kwargs={"year": 2024}),
    ]  # fmt: skip


def kecamatan_dalam_angka() -> bytes:
    """Indicators down, regions across, as in BPS "Kecamatan Dalam Angka" / city tables."""
    rows = [
        ["Indikator Kota Bengkulu Menurut Kecamatan, 2023"],
        ["Uraian", "Selebar", "Kampung Melayu", "Ratu Agung", "Kota Bengkulu"],
        ["Pendidikan"],  # a section heading: no numbers, quietly passed over
        ["Persentase PJU berfungsi", "81,5", "77", "90,25", "83"],
        ["Jumlah penduduk", "60.100", "40.200", "50.300", "150.600"],
        ["Rasio murid-guru", "15", "16", "14", "15"],
        ["Sumber: Bappeda Kota Bengkulu"],
    ]
    return xlsx({"KDA": rows})


def _check_kda(result) -> None:
    got = _records(result)
    assert got[("17.71.01", "SS-SE-02", 2023)] == 81.5
    assert got[("17.71.06", "VAR-POP", 2023)] == 50300.0
    assert got[("17.71", "VAR-POP", 2023)] == 150600.0
    assert len(got) == 8
