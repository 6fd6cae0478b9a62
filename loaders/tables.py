"""Finding the table in a sheet: its layout, header rows, region column, data rows and footnotes.

Three layouts (DESIGN.md) and the field-observation sheet are recognised without being told:

- ``long``: a header row naming region, indicator, (year) and value columns;
- ``wide``: a region column and one column per indicator;
- ``bps``: a wide table as BPS publishes it - title rows, a multi-row (merged) header, a
  "(1) (2) (3)" numbering row, region cells like "010. Selebar", a "Jumlah"/"Kota X" total row and
  footnotes ("Sumber: ...") below;
- ``observations``: lat/lon (or a coordinates column) plus asset type/status columns.

The header row is wherever the header words are (title rows above it are kept as the table's title,
where a year may be read). Without header words, the region column is the one whose cells match
regions, and the header is the block of rows above the first matching row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from loaders.grid import Sheet
from loaders.headers import clean_header, header_parts, role_of
from loaders.regions import RegionMatcher, level_hint_of_header, norm_name

__all__ = ["Column", "Table", "detect_table", "is_footnote", "years_in"]

SCAN_ROWS = 60
MAX_HEADER_ROWS = 6

_NUMBERING = re.compile(r"^\(\s*\d{1,3}\s*\)$|^\[\s*\d{1,3}\s*\]$")
_FOOTNOTE = re.compile(
    r"^\s*(?:(?:sumber|source|catatan|note|notes|keterangan|ket|tanda|simbol|symbol|ket\.)\s*(?:/\s*\w+\s*)?[:.]"
    r"|sumber\s+data\b|source\s*:|\*+\s*\)|\*\s+\w|[¹²³⁴]\s|\d\)\s+[a-z])",
    re.I,
)
_TOTAL = {
    "jumlah",
    "total",
    "jumlah total",
    "total jumlah",
    "jumlah seluruhnya",
    "grand total",
    "jumlah keseluruhan",
    "jumlah kota",
    "total kota",
}
_YEAR = re.compile(r"(?<!\d)(19[89]\d|20\d\d|2100)(?!\d)")


def years_in(text: str) -> list[int]:
    """Four-digit years (1980-2100) written in a text, in order."""
    return [int(y) for y in _YEAR.findall(text or "")]


def is_footnote(value: Any) -> bool:
    return isinstance(value, str) and bool(_FOOTNOTE.match(value))


#: First characters that may start a footnote ("Sumber:", "Catatan:", "*)"), a numbering row "(1)",
#: or whitespace; any other first character makes a row plain data.
_SPECIAL_START = frozenset("sScCkKnNtT*¹²³⁴([ \t\n\u00a0")


def _maybe_footnote(text: str) -> bool:
    """Cheap pre-check before the footnote pattern (most cells are region codes or names)."""
    c = text.lstrip()[:1].lower()
    return c in "sckntn*¹²³⁴" or (c.isdigit() and ")" in text[:4])


def is_total_label(value: Any) -> bool:
    return isinstance(value, str) and norm_name(value) in _TOTAL


def _nonempty(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    return not (isinstance(value, float) and value != value)


def _is_numbering_row(row: list[Any]) -> bool:
    cells = [v for v in row if _nonempty(v)]
    return len(cells) >= 2 and all(isinstance(v, str) and _NUMBERING.match(v.strip()) for v in cells)


def _is_number_like(value: Any) -> bool:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value == value
    if isinstance(value, str):
        s = value.strip()
        return bool(s) and bool(re.fullmatch(r"[-+(]?\s*(?:rp\.?\s*)?[\d.,\s]+%?\)?\*?", s, re.I))
    return False


@dataclass
class Column:
    """A table column: its header texts (top to bottom, merged cells filled) and what it holds."""

    index: int
    headers: list[str]
    role: str | None = None
    letter: str = ""

    @property
    def lowest(self) -> str:
        return self.headers[-1] if self.headers else ""

    @property
    def label(self) -> str:
        """Full header path, e.g. ``Penduduk / Laki-laki``; the column letter when untitled."""
        return " / ".join(self.headers) if self.headers else self.letter


@dataclass
class Table:
    """The one table found in a sheet."""

    sheet: Sheet
    layout: str  # long | wide | bps | observations
    header_rows: list[int]
    data_rows: list[int]
    columns: list[Column]
    region_cols: list[int] = field(default_factory=list)
    level_hint: str | None = None
    title: str = ""
    footnotes: list[str] = field(default_factory=list)
    numbering_row: int | None = None

    @property
    def source(self) -> str:
        """Text of a "Sumber:" footnote, the natural ``source`` of every value in a BPS table."""
        for note in self.footnotes:
            m = re.match(r"^\s*(?:sumber|source)\s*(?:/\s*source\s*)?[:.]\s*(.+)$", note, re.I)
            if m:
                return m.group(1).strip()
        return ""

    def role_columns(self, role: str) -> list[Column]:
        return [c for c in self.columns if c.role == role]

    def column(self, index: int) -> Column:
        return self.columns[index]


def _row_roles(row: list[Any], extra: dict[str, str] | None) -> dict[str, list[int]]:
    roles: dict[str, list[int]] = {}
    for j, value in enumerate(row):
        if isinstance(value, str) and value.strip():
            role = role_of(clean_header(value), extra)
            if role:
                roles.setdefault(role, []).append(j)
    return roles


def detect_table(sheet: Sheet, matcher: RegionMatcher, roles: dict[str, str] | None = None) -> Table | None:
    """The table in ``sheet``, or ``None`` when nothing looks like one.

    ``roles`` maps normalised header text -> role, from the user's column mapping ("Kode Kel=wilayah").
    """
    rows = sheet.rows
    n = len(rows)
    if n == 0:
        return None
    for r in range(min(n, SCAN_ROWS)):
        found = _row_roles(rows[r], roles)
        has_coords = ("lat" in found and "lon" in found) or "coords" in found
        if has_coords and ({"asset_type", "status", "obs_id", "condition"} & set(found)):
            return _build_single_header(sheet, r, "observations", roles)
        if "indicator" in found and ("value" in found or "year" in found or "region" in found):
            return _build_single_header(sheet, r, "long", roles)
        across = _regions_across(rows[r], matcher)
        if across:
            table = _build_single_header(sheet, r, "transposed", roles)
            table.region_cols = across
            for j in across:
                table.columns[j].role = "region"
            return table
    return _detect_wide(sheet, matcher, roles)


def _regions_across(row: list[Any], matcher: RegionMatcher) -> list[int]:
    """Columns of a header row that name regions ("Indikator | Selebar | Ratu Agung | Jumlah"):
    BPS "Kecamatan Dalam Angka" tables put indicators down and regions across.

    At least two regions of one level, and the row's first cell not a region itself (in a wide
    table's data row the first cell is the region and a name column may follow).
    """
    first = next((j for j, v in enumerate(row) if _nonempty(v)), None)
    if first is None or (isinstance(row[first], str) and matcher.match(row[first]).ok):
        return []
    hits: list[int] = []
    codes: list[str] = []
    for j in range(first + 1, len(row)):
        v = row[j]
        if not isinstance(v, str) or not v.strip() or _is_year_header(v):
            continue
        if is_total_label(v):
            hits.append(j)
            continue
        m = matcher.match(v)
        if m.ok:
            hits.append(j)
            codes.append(m.code)
    # a column for the region containing all the others ("Kota Bengkulu") is a total, not a level
    parts = [c for c in codes if not all(o == c or o.startswith(c + ".") for o in codes)] if len(codes) > 2 else codes
    levels = {matcher.level_of[c] for c in parts}
    return hits if len(parts) >= 2 and len(levels) == 1 else []


def _build_single_header(sheet: Sheet, r: int, layout: str, roles: dict[str, str] | None) -> Table:
    from indicators.problems import column_letter

    width = sheet.n_cols
    header = sheet.rows[r]
    columns = []
    for j in range(width):
        text = clean_header(header[j]) if j < len(header) else ""
        columns.append(Column(j, [text] if text else [], role_of(text, roles), column_letter(j)))
    data, footnotes = _data_rows(sheet, r + 1, None, columns)
    title = _title(sheet, 0, r)
    region_cols = [c.index for c in columns if c.role == "region"]
    hint = None
    for j in region_cols:
        hint = hint or level_hint_of_header(columns[j].lowest)
    return Table(sheet, layout, [r], data, columns, region_cols, hint, title, footnotes)


def _title(sheet: Sheet, start: int, stop: int) -> str:
    parts = []
    for r in range(start, stop):
        for v in sheet.rows[r]:
            if _nonempty(v):
                parts.append(clean_header(v))
    return " ".join(parts)


def _data_rows(sheet: Sheet, start: int, region_col: int | None, columns: list[Column]) -> tuple[list[int], list[str]]:
    """Rows holding data below the header, and footnote texts (everything from the first footnote)."""
    rows = sheet.rows
    lowest = [c.lowest for c in columns]
    head = next((h for h in lowest if h), None)
    data: list[int] = []
    footnotes: list[str] = []
    n = len(rows)
    r = start
    while r < n:
        row = rows[r]
        first = row[0] if row else None
        if first is None or first == "" or (type(first) is float and first != first):
            first = None
            for v in row:
                if v != "" and _nonempty(v):
                    first = v
                    break
            if first is None:
                r += 1
                continue
        elif type(first) is str:
            c = first[:1]
            # the common case: a region code/name or an id, not a footnote, numbering or header
            if c not in _SPECIAL_START and first != head and (not c.isdigit() or ")" not in first[:4]):
                data.append(r)
                r += 1
                continue
            if not first.strip():
                first = next((v for v in row if _nonempty(v)), None)
                if first is None:
                    r += 1
                    continue
        if isinstance(first, str) and _maybe_footnote(first) and is_footnote(first):
            for rr in range(r, n):
                for v in rows[rr]:
                    if _nonempty(v):
                        footnotes.append(clean_header(v))
            break
        if isinstance(first, str) and first.lstrip()[:1] in "([" and _is_numbering_row(row):
            r += 1
            continue
        if isinstance(first, str) and first.strip() == head and [clean_header(v) for v in row[: len(lowest)]] == lowest:
            r += 1  # a header repeated (tables split over pages)
            continue
        data.append(r)
        r += 1
    return data, footnotes


def _detect_wide(sheet: Sheet, matcher: RegionMatcher, roles: dict[str, str] | None) -> Table | None:
    rows = sheet.rows
    n = len(rows)
    width = sheet.n_cols
    scan = min(n, SCAN_ROWS)
    merged = sheet.merged

    # 1. a header row naming the region column
    header_top = None
    region_cols: list[int] = []
    for r in range(scan):
        found = _row_roles(rows[r], roles)
        cols = [j for j in found.get("region", []) if j < 8]
        if cols and sum(1 for v in rows[r] if _nonempty(v)) >= 2:
            header_top, region_cols = r, cols
            break
        if cols and r + 1 < n and any(_nonempty(v) for v in rows[r + 1][cols[0] + 1 :]):
            header_top, region_cols = r, cols
            break

    # 2. otherwise: the column whose cells match regions
    first_data = None
    if header_top is None:
        best_col, best_count, best_first = None, 0, None
        limit = min(n, 300)
        for j in range(min(width, 8)):
            count, first = 0, None
            for r in range(limit):
                v = sheet.cell(r, j)
                if not _nonempty(v) or sum(1 for x in rows[r] if _nonempty(x)) < 2:
                    continue
                if matcher.match(v).ok or is_total_label(v):
                    count += 1
                    first = r if first is None else first
            if count > best_count:
                best_col, best_count, best_first = j, count, first
        if best_col is None:
            return None
        region_cols = [best_col]
        first_data = best_first
    rc = region_cols[0]

    # 3. the header block
    def covered_from_header(r: int, c: int, top: int) -> bool:
        return any(r0 <= r <= r1 and c0 <= c <= c1 and top <= r0 < r for r0, c0, r1, c1 in merged)

    numbering = None
    if header_top is not None:
        header_rows = [header_top]
        r = header_top + 1
        while r < n and len(header_rows) < MAX_HEADER_ROWS:
            row = rows[r]
            if not any(_nonempty(v) for v in row):
                if first_data is None and any(_nonempty(v) for v in rows[min(r + 1, n - 1)]):
                    r += 1
                    continue
                break
            if _is_numbering_row(row):
                numbering = r
                r += 1
                break
            region_cell = row[rc] if rc < len(row) else ""
            if _nonempty(region_cell) and not covered_from_header(r, rc, header_top):
                break
            if any(_is_number_like(v) for j, v in enumerate(row) if j != rc and not _is_year_header(v)):
                break
            header_rows.append(r)
            r += 1
        data_start = r
        # group headers above the region header ("Penduduk" over three columns)
        up = header_top - 1
        while up >= 0 and len(header_rows) < MAX_HEADER_ROWS:
            row = rows[up]
            cells = [j for j, v in enumerate(row) if _nonempty(v)]
            if not cells or min(cells) <= rc:
                break
            header_rows.insert(0, up)
            up -= 1
        title_stop = header_rows[0]
    else:
        data_start = first_data
        header_rows = []
        r = first_data - 1
        while r >= 0 and len(header_rows) < MAX_HEADER_ROWS:
            row = rows[r]
            cells = [j for j, v in enumerate(row) if _nonempty(v)]
            if not cells:
                break
            if _is_numbering_row(row):
                numbering = r
                r -= 1
                continue
            if len(cells) == 1 and cells[0] <= rc:
                break  # a title line
            header_rows.insert(0, r)
            r -= 1
        title_stop = header_rows[0] if header_rows else (numbering if numbering is not None else data_start)

    columns = _columns(sheet, header_rows, width, roles)
    for j in region_cols:
        columns[j].role = "region"
    data, footnotes = _data_rows(sheet, data_start, rc, columns)
    title = _title(sheet, 0, title_stop)
    hint = None
    for j in region_cols:
        hint = hint or level_hint_of_header(columns[j].lowest)
    multi = len(header_rows) > 1 or numbering is not None or bool(title) or bool(footnotes)
    prefixed = any(
        isinstance(sheet.cell(r, rc), str) and re.match(r"^\s*\d{3}\b", sheet.cell(r, rc)) for r in data[:20]
    )
    layout = "bps" if multi or prefixed else "wide"
    return Table(sheet, layout, header_rows, data, columns, region_cols, hint, title, footnotes, numbering)


def _is_year_header(value: Any) -> bool:
    if isinstance(value, float) and value.is_integer():
        return 1980 <= value <= 2100
    return isinstance(value, str) and bool(re.fullmatch(r"\s*(19[89]\d|20\d\d)\s*\*?\s*", value))


def _columns(sheet: Sheet, header_rows: list[int], width: int, roles: dict[str, str] | None) -> list[Column]:
    from indicators.problems import column_letter

    grid = {r: [sheet.cell(r, j) for j in range(width)] for r in header_rows}
    merged_any = False
    for r0, c0, r1, c1 in sheet.merged:
        rows_in = [r for r in header_rows if r0 <= r <= r1]
        if not rows_in:
            continue
        merged_any = True
        value = sheet.cell(r0, c0)
        for r in rows_in:
            for c in range(c0, min(c1, width - 1) + 1):
                grid[r][c] = value
    if not merged_any and len(header_rows) > 1:
        lowest = grid[header_rows[-1]]
        for r in header_rows[:-1]:
            row = grid[r]
            for c in range(1, width):
                if not _nonempty(row[c]) and _nonempty(row[c - 1]) and _nonempty(lowest[c]):
                    row[c] = row[c - 1]
    columns = []
    for j in range(width):
        texts: list[str] = []
        for r in header_rows:
            text = clean_header(grid[r][j])
            if text and (not texts or texts[-1] != text):
                texts.append(text)
        role = None
        for text in reversed(texts):
            role = role_of(text, roles)
            if role:
                break
        columns.append(Column(j, texts, role, column_letter(j)))
    return columns


def header_matches(column: Column, key: str) -> int:
    """How well a user's HEADER names this column: 3 exact lowest text, 2 exact label or part,
    1 the lowest text starts with it or it is the column's letter ("C"), 0 no match."""
    k = norm_name(key)
    if not k:
        return 0
    if key.strip().upper() == column.letter and not column.headers:
        return 3  # a table without a header row: columns can only be named by letter
    if norm_name(column.lowest) == k:
        return 3
    if norm_name(column.label) == k or any(norm_name(p) == k for h in column.headers for p in header_parts(h)):
        return 2
    if norm_name(column.lowest).startswith(k) or key.strip().upper() == column.letter:
        return 1
    return 0
