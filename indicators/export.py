"""Safe spreadsheet export of tables (downloads, reports).

Spreadsheet text can carry formulas: a cell starting with ``=``, ``+``, ``-``, ``@``, a tab or NUL
is executed by Excel when the file is opened (OWASP CSV/formula injection). Every exported text
cell goes through :func:`escape_cell`, and workbooks are written by xlsxwriter with
``strings_to_formulas`` and ``strings_to_urls`` off, since xlsxwriter would otherwise turn "=..."
strings into live formulas itself.
"""

from __future__ import annotations

import io
from collections.abc import Mapping

import pandas as pd

__all__ = ["XLSX_OPTIONS", "escape_cell", "escape_frame", "to_csv_bytes", "to_xlsx_bytes"]

XLSX_OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False, "nan_inf_to_errors": True}
_DANGEROUS = ("=", "+", "-", "@", "\t", "\r", "\x00")


def escape_cell(value: object) -> object:
    """Prefix a text cell that a spreadsheet would treat as a formula with a single quote.

    Numbers are left alone (a negative number is data, not a formula); text like ``-5%`` or
    ``=SUM(A1)`` becomes ``'-5%`` / ``'=SUM(A1)``.
    """
    if isinstance(value, str) and value.startswith(_DANGEROUS):
        return "'" + value
    return value


def escape_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with every text cell (and column name) escaped."""
    out = frame.copy()
    for col in out.columns:
        if isinstance(out[col].dtype, pd.DatetimeTZDtype):  # Excel has no time zones: write UTC
            out[col] = out[col].dt.tz_convert("UTC").dt.tz_localize(None)
        elif out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(escape_cell)
    out.columns = [escape_cell(str(c)) for c in out.columns]
    return out


def to_xlsx_bytes(sheets: Mapping[str, pd.DataFrame] | pd.DataFrame, note: str | None = None) -> bytes:
    """An xlsx workbook with one formatted sheet per frame (frozen header, filters, widths).

    ``note`` (e.g. "data contoh (sintetis)") becomes the title row of every sheet, so a downloaded
    table never loses its synthetic label.
    """
    if isinstance(sheets, pd.DataFrame):
        sheets = {"data": sheets}
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="xlsxwriter", engine_kwargs={"options": XLSX_OPTIONS}) as writer:
        book = writer.book
        header = book.add_format({"bold": True, "bg_color": "#DDE7F0", "border": 1, "text_wrap": True})
        for i, (name, frame) in enumerate(sheets.items()):
            safe = escape_frame(frame)
            sheet_name = str(name)[:31] or f"sheet{i + 1}"
            start = 2 if note else 0
            safe.to_excel(writer, sheet_name=sheet_name, index=False, startrow=start)
            sheet = writer.sheets[sheet_name]
            if note:
                sheet.write(0, 0, escape_cell(note), book.add_format({"bold": True, "font_color": "#9A3412"}))
            for c, col in enumerate(safe.columns):
                sheet.write(start, c, col, header)
                sample = safe[col].iloc[:200].tolist()  # str() of each: NaN stays a float in pandas 3 strings
                width = max([len(str(col)), *[len(str(v)) for v in sample]])
                sheet.set_column(c, c, min(max(width + 2, 8), 60))
            sheet.freeze_panes(start + 1, 0)
            if len(safe.columns):
                sheet.autofilter(start, 0, start + max(len(safe), 1), len(safe.columns) - 1)
    return buffer.getvalue()


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV (with BOM, so Excel opens it with the right encoding), ISO numbers, escaped text."""
    return escape_frame(frame).to_csv(index=False).encode("utf-8-sig")
