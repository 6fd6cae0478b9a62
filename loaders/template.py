"""The upload template analysts download: the long layout with dropdowns, the catalog, instructions.

Sheets: ``petunjuk`` (instructions, Indonesian then English), ``data`` (``wilayah, indikator,
tahun, nilai, satuan, sumber, catatan``; frozen header; dropdowns for region and indicator codes;
a whole-number check on the year), ``daftar_wilayah`` (codes with names, to look up), ``catalog``
(the catalog table) and a hidden ``_daftar`` holding the dropdown lists (so sorting the visible
reference sheets cannot break the dropdowns). The reader skips every sheet but ``data``.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import IO

import pandas as pd

from indicators.catalog import Catalog
from loaders.xlsxsafe import safe_text, workbook

__all__ = ["DATA_COLUMNS", "TEMPLATE_ROWS", "write_template"]

DATA_COLUMNS = ["wilayah", "indikator", "tahun", "nilai", "satuan", "sumber", "catatan"]
#: Rows of the data sheet that carry the dropdowns.
TEMPLATE_ROWS = 20_000

_INSTRUCTIONS_ID = [
    "Templat unggah data - Dasbor Kota Cerdas",
    "",
    "1. Isi sheet 'data', satu nilai per baris. Jangan mengubah judul kolom di baris 1.",
    "2. wilayah: pilih kode Kemendagri dari daftar (mis. 17.71.01). Nama wilayah ada di sheet 'daftar_wilayah'.",
    '   Nama juga diterima ("Kec. Ratu Agung"), tetapi kode lebih pasti.',
    "3. indikator: pilih kode indikator dari daftar (mis. SS-SE-02). Nama, satuan dan arah ada di sheet 'catalog'.",
    "4. tahun: empat angka (mis. 2024).",
    "5. nilai: angka dalam satuan katalog. Koma atau titik desimal boleh (12,5 atau 12.5); persen ditulis 87 "
    "(bukan 0,87). Kosongkan atau tulis '-' bila tidak ada data (tulis 0 bila memang nol).",
    "6. satuan, sumber, catatan: boleh kosong. Sumber membantu penelusuran (mis. 'BPS Kota Bengkulu 2024').",
    "7. Satu wilayah/indikator/tahun hanya boleh satu kali.",
    "8. Unggah di halaman Unggah Data. Semua masalah ditampilkan sekaligus dengan sheet, baris dan sel-nya;",
    "   tidak ada yang tersimpan sebelum semua kesalahan diperbaiki.",
]
_INSTRUCTIONS_EN = [
    "Data upload template - Smart City Dashboard",
    "",
    "1. Fill the 'data' sheet, one value per row. Do not change the headers in row 1.",
    "2. wilayah (region): pick the Kemendagri code from the list (e.g. 17.71.01); names are in 'daftar_wilayah'.",
    "3. indikator (indicator): pick the indicator code from the list; names, units and directions are in 'catalog'.",
    "4. tahun (year): four digits (e.g. 2024).",
    "5. nilai (value): a number in the catalog's unit; decimal comma or point; percentages as 87 (not 0.87); "
    "empty or '-' for no data (write 0 for zero).",
    "6. satuan (unit), sumber (source), catatan (note): optional.",
    "7. Each region/indicator/year only once.",
    "8. Upload on the Unggah Data page: every problem is listed at once with its sheet, row and cell; nothing is "
    "stored until every error is fixed.",
]


def write_template(catalog: Catalog, regions: pd.DataFrame, out: str | Path | IO[bytes]) -> None:
    """Write the template for ``catalog`` and ``regions`` (the city's scope) to a path or binary buffer."""
    target = str(out) if isinstance(out, Path) else out
    book = workbook(target)
    bold = book.add_format({"bold": True})
    title = book.add_format({"bold": True, "font_size": 14})
    header = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    text = book.add_format({"num_format": "@"})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})

    # instructions
    sheet = book.add_worksheet("petunjuk")
    sheet.set_column(0, 0, 120, wrap)
    row = 0
    for i, line in enumerate(_INSTRUCTIONS_ID):
        sheet.write_string(row, 0, line, title if i == 0 else wrap)
        row += 1
    row += 1
    for i, line in enumerate(_INSTRUCTIONS_EN):
        sheet.write_string(row, 0, line, title if i == 0 else wrap)
        row += 1
    row += 1
    sheet.write_string(row, 0, "Contoh / Example: 17.71.01 | SS-SE-02 | 2024 | 87,5 | % | Survei PJU Dishub 2024", bold)

    # data
    data = book.add_worksheet("data")
    widths = [16, 16, 8, 12, 10, 30, 30]
    for j, name in enumerate(DATA_COLUMNS):
        data.write_string(0, j, name, header)
        data.set_column(j, j, widths[j], text if name in {"wilayah", "indikator"} else None)
    data.freeze_panes(1, 0)

    # lists (hidden) and reference sheets
    codes = [c for c in regions["code"].tolist()]
    indicators = [*catalog.indicators, *catalog.variables]
    lists = book.add_worksheet("_daftar")
    lists.write_string(0, 0, "wilayah")
    lists.write_string(0, 1, "indikator")
    for i, code in enumerate(codes, start=1):
        lists.write_string(i, 0, safe_text(code))
    for i, code in enumerate(indicators, start=1):
        lists.write_string(i, 1, safe_text(code))
    lists.hide()
    last = TEMPLATE_ROWS
    if codes:
        data.data_validation(
            1, 0, last, 0,
            {
                "validate": "list",
                "source": f"=_daftar!$A$2:$A${len(codes) + 1}",
                "input_title": "wilayah",
                "input_message": "Kode Kemendagri / Kemendagri code",
                "error_type": "warning",
                "error_title": "Wilayah",
                "error_message": "Pilih kode dari daftar / Pick a code from the list",
            },
        )  # fmt: skip
    if indicators:
        data.data_validation(
            1, 1, last, 1,
            {
                "validate": "list",
                "source": f"=_daftar!$B$2:$B${len(indicators) + 1}",
                "input_title": "indikator",
                "input_message": "Kode indikator katalog / Catalog indicator code",
                "error_type": "warning",
                "error_title": "Indikator",
                "error_message": "Pilih kode dari daftar / Pick a code from the list",
            },
        )  # fmt: skip
    data.data_validation(
        1, 2, last, 2,
        {
            "validate": "integer",
            "criteria": "between",
            "minimum": 1990,
            "maximum": date.today().year + 1,
            "error_title": "Tahun",
            "error_message": "Tahun empat angka, 1990 sampai tahun depan / A four-digit year, 1990 to next year",
        },
    )  # fmt: skip

    ref = book.add_worksheet("daftar_wilayah")
    for j, name in enumerate(["kode", "nama", "tingkat", "induk"]):
        ref.write_string(0, j, name, header)
    for i, rec in enumerate(regions[["code", "name", "level", "parent"]].itertuples(index=False), start=1):
        for j, value in enumerate(rec):
            ref.write_string(i, j, safe_text(str(value or "")))
    ref.set_column(0, 0, 16)
    ref.set_column(1, 1, 28)
    ref.set_column(2, 3, 12)
    ref.freeze_panes(1, 0)
    ref.autofilter(0, 0, max(len(regions), 1), 3)

    cat = book.add_worksheet("catalog")
    frame = catalog.to_frame()
    for j, name in enumerate(frame.columns):
        cat.write_string(0, j, name, header)
    for i, rec in enumerate(frame.itertuples(index=False), start=1):
        for j, value in enumerate(rec):
            if isinstance(value, float):
                if value == value:
                    cat.write_number(i, j, value)
            elif value is not None and value != "":
                cat.write_string(i, j, safe_text(str(value)))
    cat.set_column(0, 1, 14)
    cat.set_column(3, 4, 40)
    cat.freeze_panes(1, 1)
    cat.autofilter(0, 0, max(len(frame), 1), len(frame.columns) - 1)
    book.close()
