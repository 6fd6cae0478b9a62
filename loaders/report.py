"""The validation report as a workbook: the problems, and the uploaded sheets with bad cells marked.

An analyst fixes a file in Excel, so the report puts every problem next to its cell: each uploaded
sheet is copied with errors filled red and warnings amber (the message as a cell comment), and a
``masalah`` sheet lists every problem (filterable, with the cell reference). Text from the upload is
written through :func:`loaders.xlsxsafe.safe_text`: nothing in the report runs as a formula.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from pathlib import Path
from typing import IO

from indicators.problems import Problem
from loaders.safety import col_index
from loaders.upload import UploadResult
from loaders.xlsxsafe import safe_text, workbook

__all__ = ["MAX_COMMENTS", "write_report"]

#: Cell comments per report (Excel slows down with many more).
MAX_COMMENTS = 2000
_REF = re.compile(r"^([A-Z]{1,3})(\d+)$")


def _sheet_title(name: str, taken: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", "_", name)[:28] or "sheet"
    title, k = base, 2
    while title.lower() in taken:
        title = f"{base[:25]}_{k}"
        k += 1
    taken.add(title.lower())
    return title


def write_report(result: UploadResult, out: str | Path | IO[bytes], lang: str = "id") -> None:
    """Write the report of ``result`` to a path or binary buffer (``lang`` orders the messages)."""
    # constant memory: rows are streamed to disk in order (a 100,000-row upload stays small in RAM)
    book = workbook(str(out) if isinstance(out, Path) else out, constant_memory=True)
    header = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    fills = {
        "error": book.add_format({"bg_color": "#F8CBAD", "border": 1, "border_color": "#C00000"}),
        "warning": book.add_format({"bg_color": "#FFE699", "border": 1, "border_color": "#BF8F00"}),
        "info": book.add_format({"bg_color": "#DDEBF7"}),
    }
    date_fmt = book.add_format({"num_format": "yyyy-mm-dd"})
    taken: set[str] = set()

    # problems sheet first
    sheet = book.add_worksheet(_sheet_title("masalah" if lang != "en" else "problems", taken))
    columns = (
        ["tingkat", "sheet", "sel", "baris", "kolom", "pesan", "message (en)", "saran"]
        if lang != "en"
        else ["severity", "sheet", "cell", "row", "column", "message", "pesan (id)", "suggestion"]
    )
    for j, name in enumerate(columns):
        sheet.write_string(0, j, name, header)
    severity_word = {"error": "kesalahan", "warning": "peringatan", "info": "info"}
    for i, p in enumerate(result.problems, start=1):
        first, second = (p.message_en, p.message_id) if lang == "en" else (p.message_id, p.message_en)
        row = [
            p.severity if lang == "en" else severity_word.get(p.severity, p.severity),
            p.sheet or "",
            p.cell or "",
            p.row if p.row is not None else "",
            p.column or "",
            first,
            second,
            p.suggestion or "",
        ]
        for j, value in enumerate(row):
            if isinstance(value, int):
                sheet.write_number(i, j, value)
            elif value:
                sheet.write_string(i, j, safe_text(str(value)), fills.get(p.severity) if j == 0 else None)
    sheet.set_column(0, 0, 12)
    sheet.set_column(1, 4, 12)
    sheet.set_column(5, 6, 70, wrap)
    sheet.set_column(7, 7, 40, wrap)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(len(result.problems), 1), len(columns) - 1)
    if result.refused:
        book.close()
        return

    # marks per sheet and cell
    marks: dict[str, dict[str, list[Problem]]] = {}
    for p in result.problems:
        if p.sheet and p.cell and _REF.match(p.cell):
            marks.setdefault(p.sheet, {}).setdefault(p.cell, []).append(p)
    comments = 0
    for src in result.sheets:
        if result.layouts.get(src.name) in {"skipped", None}:
            continue
        ws = book.add_worksheet(_sheet_title(src.name, taken))
        line_to_index = {line: i for i, line in enumerate(src.line_numbers)} if src.line_numbers is not None else None
        bad: dict[tuple[int, int], list[Problem]] = {}
        for ref, problems in marks.get(src.name, {}).items():
            m = _REF.match(ref)
            col = col_index(m.group(1))
            line = int(m.group(2))
            r = line_to_index.get(line) if line_to_index is not None else line - 1
            if r is not None:
                bad[(r, col)] = problems
        bad_cols: dict[int, int] = {}
        for r, c in bad:
            bad_cols[r] = max(bad_cols.get(r, -1), c)
        last_row = max([len(src.rows) - 1, *bad_cols])
        for r in range(last_row + 1):
            cells = src.rows[r] if r < len(src.rows) else []
            for c in range(max(len(cells), bad_cols.get(r, -1) + 1)):
                value = cells[c] if c < len(cells) else None
                problems = bad.get((r, c))
                fmt = None
                if problems:
                    worst = min(problems, key=lambda p: {"error": 0, "warning": 1}.get(p.severity, 2)).severity
                    fmt = fills[worst]
                if isinstance(value, bool):
                    ws.write_boolean(r, c, value, fmt)
                elif isinstance(value, (int, float)):
                    if value == value:
                        ws.write_number(r, c, value, fmt)
                    elif fmt is not None:
                        ws.write_blank(r, c, None, fmt)
                elif isinstance(value, (datetime, date)):
                    ws.write_datetime(r, c, value, fmt or date_fmt)
                elif isinstance(value, time):
                    ws.write_string(r, c, value.isoformat(), fmt)
                elif value is None or value == "":
                    if fmt is not None:
                        ws.write_blank(r, c, None, fmt)
                else:
                    ws.write_string(r, c, safe_text(str(value)), fmt)
                if problems and comments < MAX_COMMENTS:
                    text = "\n".join(p.message(lang) + (f" ({p.suggestion})" if p.suggestion else "") for p in problems)
                    ws.write_comment(r, c, text[:2000], {"x_scale": 2, "y_scale": 2})
                    comments += 1
    book.close()
