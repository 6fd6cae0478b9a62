"""Raw cell grids from xlsx/xls/ods (python-calamine) and CSV (encoding and delimiter detection).

A :class:`Sheet` is the rectangle from A1 as the file has it (formulas as their cached values,
merged ranges listed separately), so every later stage can name a cell the way Excel shows it.
Layout detection, number parsing and validation work on these grids and never re-open the file.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import PurePath
from typing import Any

import charset_normalizer
import python_calamine

from indicators.problems import Problem, column_letter
from loaders.safety import MAX_CELLS

__all__ = ["ReadError", "Sheet", "decode_text", "detect_delimiter", "read_sheets"]


class ReadError(Exception):
    """The file cannot be read at all; carries the refusal problem."""

    def __init__(self, problem: Problem):
        super().__init__(problem.message_en)
        self.problem = problem


@dataclass
class Sheet:
    """One sheet as a grid of cells (``""`` for empty), 0-based; ``cell(r, c)`` is safe anywhere."""

    name: str
    rows: list[list[Any]]
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    #: File line of each grid row (CSV records may span lines); ``None`` means row index + 1.
    line_numbers: list[int] | None = None
    hidden: bool = False
    #: Every row has the same length (calamine's grids do; CSV rows are padded when read).
    rectangular: bool = False

    @property
    def n_rows(self) -> int:
        return len(self.rows)

    @cached_property
    def n_cols(self) -> int:
        return max((len(r) for r in self.rows), default=0)

    def cell(self, r: int, c: int) -> Any:
        if 0 <= r < len(self.rows):
            row = self.rows[r]
            if 0 <= c < len(row):
                return row[c]
        return ""

    def excel_row(self, r: int) -> int:
        """The row number the user sees (Excel row, or CSV line) for grid row ``r``."""
        if self.line_numbers is not None and 0 <= r < len(self.line_numbers):
            return self.line_numbers[r]
        return r + 1

    def ref(self, r: int, c: int) -> str:
        """A1-style reference of grid cell ``(r, c)``."""
        return f"{column_letter(c)}{self.excel_row(r)}"


# --------------------------------------------------------------------- workbooks
def read_sheets(data: bytes, fmt: str, filename: str = "") -> tuple[list[Sheet], list[Problem]]:
    """All worksheets of a checked upload (see :func:`loaders.safety.preflight`) as grids."""
    if fmt == "csv":
        text, notes = decode_text(data)
        sheet, more = read_csv_text(text, PurePath(filename or "data.csv").stem or "data")
        return [sheet], notes + more
    return _read_workbook(data), []


def _read_workbook(data: bytes) -> list[Sheet]:
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except python_calamine.PasswordError as exc:
        raise ReadError(
            Problem("Buku kerja terkunci kata sandi", "The workbook is password-protected", extra={"rule": "password"})
        ) from exc
    except Exception as exc:  # calamine raises several error types for broken files
        raise ReadError(_damaged(exc)) from exc
    sheets: list[Sheet] = []
    total = 0
    try:
        for meta in book.sheets_metadata:
            if str(meta.typ).rsplit(".", 1)[-1] not in {"WorkSheet", "Worksheet"}:
                continue  # chart sheets, dialog sheets, macros
            raw = book.get_sheet_by_name(meta.name)
            total += raw.height * raw.width
            if total > MAX_CELLS:
                raise ReadError(
                    Problem(
                        f"Buku kerja memakai lebih dari {MAX_CELLS:,} sel (sheet '{meta.name}')",
                        f"The workbook uses more than {MAX_CELLS:,} cells (sheet '{meta.name}')",
                        sheet=meta.name,
                        extra={"rule": "too_many_cells"},
                    )
                )
            rows = raw.to_python(skip_empty_area=False)
            merged = [(r0, c0, r1, c1) for (r0, c0), (r1, c1) in (raw.merged_cell_ranges or [])]
            hidden = str(meta.visible).rsplit(".", 1)[-1] != "Visible"
            sheets.append(Sheet(meta.name, rows, merged, hidden=hidden, rectangular=True))
    except ReadError:
        raise
    except Exception as exc:
        raise ReadError(_damaged(exc)) from exc
    finally:
        book.close()
    return sheets


def _damaged(exc: Exception) -> Problem:
    detail = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
    return Problem(
        f"Buku kerja tidak dapat dibaca (rusak atau terpotong): {detail}",
        f"The workbook cannot be read (damaged or truncated): {detail}",
        suggestion="Buka dan simpan ulang di Excel/LibreOffice / Open and save it again in Excel/LibreOffice",
        extra={"rule": "damaged"},
    )


# --------------------------------------------------------------------- text files
def decode_text(data: bytes) -> tuple[str, list[Problem]]:
    """Text of a CSV: BOM, then strict UTF-8, then charset-normalizer's best guess."""
    notes: list[Problem] = []
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), notes
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), notes
    try:
        return data.decode("utf-8"), notes
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(data).best()
    encoding = best.encoding if best is not None else "cp1252"
    if encoding in {"ascii", "utf_8"}:
        encoding = "cp1252"
    try:
        text = data.decode(encoding, errors="replace")
    except LookupError:
        encoding = "cp1252"
        text = data.decode(encoding, errors="replace")
    notes.append(
        Problem(
            f"Berkas teks bukan UTF-8; dibaca dengan pengodean {encoding}",
            f"The text file is not UTF-8; read with encoding {encoding}",
            severity="info",
            extra={"rule": "encoding"},
        )
    )
    if "\ufffd" in text:
        notes.append(
            Problem(
                "Sebagian karakter tidak dapat dibaca (ditampilkan sebagai \ufffd); simpan ulang sebagai CSV UTF-8",
                "Some characters could not be decoded (shown as \ufffd); save again as CSV UTF-8",
                severity="warning",
                extra={"rule": "encoding"},
            )
        )
    return text, notes


def detect_delimiter(text: str) -> str:
    """``;``, ``,``, tab or ``|``: the one that splits the first lines most consistently.

    Indonesian-locale Excel writes ``;`` with decimal commas ("12,5"), so the comma also splits
    those lines, but into inconsistent field counts; title lines above a table split into one field
    under every delimiter and do not sway the choice.
    """
    lines = [ln for ln in text.splitlines()[:60] if ln.strip()]
    if not lines:
        return ","
    best, best_score = ",", -1.0
    for delim in (";", ",", "\t", "|"):
        if not any(delim in ln for ln in lines):
            continue
        counts = [len(r) for r in csv.reader(lines, delimiter=delim)]
        multi = [c for c in counts if c > 1]
        if not multi:
            continue
        mode = max(set(multi), key=multi.count)
        score = multi.count(mode) / len(counts) + 0.01 * min(mode, 50)
        if score > best_score:
            best, best_score = delim, score
    return best


def read_csv_text(text: str, name: str) -> tuple[Sheet, list[Problem]]:
    first_line = 1
    if text[:4].lower() == "sep=" and len(text) > 4 and text[4] not in "\r\n":
        # Excel's hint line "sep=;" names the delimiter; the table starts on line 2
        delimiter = text[4]
        text = text.split("\n", 1)[1] if "\n" in text else ""
        first_line = 2
    else:
        delimiter = detect_delimiter(text)
    # a cap on cells before building lists: every delimiter is at most one more cell
    approx = text.count(delimiter) + text.count("\n") + 1
    if approx > MAX_CELLS:
        raise ReadError(
            Problem(
                f"Berkas teks memuat sekitar {approx:,} sel (batas {MAX_CELLS:,})",
                f"The text file holds about {approx:,} cells (limit {MAX_CELLS:,})",
                extra={"rule": "too_many_cells"},
            )
        )
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list[Any]] = []
    lines: list[int] = []
    start = first_line
    try:
        for record in reader:
            rows.append(record)
            lines.append(start)
            start = reader.line_num + first_line
    except csv.Error as exc:
        raise ReadError(
            Problem(
                f"Berkas CSV tidak dapat dibaca di baris {start}: {exc}",
                f"The CSV file cannot be read at line {start}: {exc}",
                row=start,
                extra={"rule": "damaged"},
            )
        ) from exc
    notes = []
    if delimiter != ",":
        label = {"\t": "tab", ";": ";", "|": "|"}[delimiter]
        notes.append(
            Problem(
                f"Pemisah kolom terdeteksi: '{label}'",
                f"Column separator detected: '{label}'",
                severity="info",
                extra={"rule": "delimiter"},
            )
        )
    width = max((len(r) for r in rows), default=0)
    for row in rows:
        if len(row) < width:
            row.extend([""] * (width - len(row)))
    return Sheet(name, rows, line_numbers=lines, rectangular=True), notes
