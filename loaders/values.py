"""From detected tables to tidy values, checking every cell and collecting every problem.

Per cell: region (:mod:`loaders.regions`), indicator (catalog code or name, case-insensitive),
year (a number from 1990 to next year), value (:mod:`loaders.numbers`; ambiguous "1.234" decided
per column from evidence and reported), possible for the indicator's unit (:mod:`loaders.units`).
Across cells: the same region/indicator/year twice (different values: error; same value: warning),
a BPS total row that does not add up, percentages that look like fractions.

Work is per column and per distinct cell value (a 100,000-row sheet has ~100 distinct regions), so
validation costs little more than reading.
"""

from __future__ import annotations

import contextlib
import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from indicators.catalog import Catalog
from loaders.headers import clean_header, header_parts
from loaders.numbers import AMBIGUOUS, BAD, EMPTY, OK, NumberColumn
from loaders.problemlog import ProblemLog
from loaders.regions import RegionMatcher, norm_name
from loaders.tables import Column, Table, header_matches, is_total_label, years_in
from loaders.units import UnitRange, same_unit, unit_range

__all__ = ["RECORD_COLUMNS", "IndicatorMatcher", "ValueContext", "parse_year", "records_from_tables"]

#: Columns of the records frame: the tidy values plus where each value came from.
RECORD_COLUMNS = ["region", "indicator", "year", "value", "unit", "source", "note", "sheet", "row", "column", "cell"]
MIN_YEAR = 1990
_CODE_TOKEN = re.compile(r"^\s*([A-Za-z]{1,5}(?:[-_.][A-Za-z0-9]{1,6}){1,4})\b")
_CODE_LIKE = re.compile(r"^[A-Za-z]{2,5}(?:[-_][A-Za-z0-9]{1,6}){1,4}$")


def max_year() -> int:
    return date.today().year + 1


# --------------------------------------------------------------------- indicators
class IndicatorMatcher:
    """Catalog codes and names (any case/spacing) -> indicator or variable code, with suggestions."""

    def __init__(self, catalog: Catalog):
        self.catalog = catalog
        self.valid = set(catalog.indicators) | set(catalog.variables)
        self.inner = set(catalog.inner)
        self._choices: dict[str, str] = {}
        for code in [*catalog.indicators, *catalog.variables]:
            self._choices[code] = code
            for lang in ("id", "en"):
                self._choices.setdefault(catalog.name(code, lang), code)
        self._cache: dict[Any, tuple[str | None, str]] = {}
        self._suggested: dict[str, str | None] = {}

    def find(self, text: str) -> str | None:
        """Catalog code for a code, a name, "CODE name" or a name with a bracketed unit."""
        text = clean_header(text)
        if not text:
            return None
        for part in header_parts(text):
            code = self.catalog.find(part)
            if code:
                return code
        m = _CODE_TOKEN.match(text)
        if m:
            return self.catalog.find(m.group(1))
        return None

    def match(self, value: Any) -> tuple[str | None, str]:
        """``(code, status)``; status ``ok`` | ``empty`` | ``group`` | ``unknown``."""
        try:
            hit = self._cache.get(value)
        except TypeError:
            hit = None
        if hit is not None:
            return hit
        text = clean_header(value)
        if not text:
            out: tuple[str | None, str] = (None, "empty")
        else:
            code = self.find(text)
            if code in self.valid:
                out = (code, "ok")
            elif code in self.inner:
                out = (code, "group")
            else:
                out = (None, "unknown")
        with contextlib.suppress(TypeError):
            self._cache[value] = out
        return out

    def suggest(self, text: str) -> str | None:
        """The closest code or name ("SS-SE-02 (Persentase ...)"), or ``None``; cached per text."""
        key = clean_header(text)
        if key in self._suggested:
            return self._suggested[key]
        best = process.extractOne(key, list(self._choices), scorer=fuzz.WRatio, score_cutoff=80) if key else None
        out = None
        if best is not None:
            code = self._choices[best[0]]
            out = f"{code} ({self.catalog.name(code)})"
        self._suggested[key] = out
        return out


def parse_year(value: Any) -> tuple[int | None, str]:
    """``(year, status)``; status ``ok`` | ``empty`` | ``bad`` | ``date`` (a date cell, its year taken)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None, "empty"
    if isinstance(value, bool):
        return None, "bad"
    if isinstance(value, (datetime, date)):
        return value.year, "date"
    if isinstance(value, (int, float, np.integer, np.floating)):
        return (int(value), "ok") if float(value).is_integer() else (None, "bad")
    text = str(value).strip().rstrip("*").strip()
    if not text:
        return None, "empty"
    if re.fullmatch(r"\d{4}(?:\.0+)?", text):
        return int(float(text)), "ok"
    found = years_in(text)
    if len(found) == 1 and re.fullmatch(r"(?:tahun|th\.?|thn\.?|year)?\s*\d{4}", text, re.I):
        return found[0], "ok"
    return None, "bad"


# --------------------------------------------------------------------- context
@dataclass
class ValueContext:
    catalog: Catalog
    matcher: RegionMatcher
    log: ProblemLog
    year: int | None = None
    #: user mapping HEADER -> catalog code (or "" to skip the column)
    mapping: dict[str, str] = field(default_factory=dict)
    #: sheet -> {cell ref: Excel error text} (from the preflight scan)
    error_cells: dict[str, dict[str, str]] = field(default_factory=dict)
    indicators: IndicatorMatcher | None = None
    used_mapping: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        if self.indicators is None:
            self.indicators = IndicatorMatcher(self.catalog)
        self._ranges: dict[str, UnitRange] = {}

    def range_of(self, code: str | None) -> UnitRange:
        if not code or code not in self.catalog:
            return UnitRange()
        hit = self._ranges.get(code)
        if hit is None:
            node = self.catalog.node(code)
            hit = unit_range(node.get("unit", ""), f"{node.get('name_id', '')} {node.get('name_en', '')}")
            self._ranges[code] = hit
        return hit


@dataclass
class _Block:
    """Cells of one value column, matched and waiting for the file-wide number-style decision."""

    table: Table
    column: Column
    rows: list[int]
    regions: list[str | None]
    indicators: list[str | None]
    years: list[int | None]
    numbers: NumberColumn
    units: list[str] | None = None
    sources: list[str] | None = None
    notes: list[str] | None = None
    totals: list[bool] | None = None
    valid: np.ndarray | None = None  # rows whose region/indicator/year are usable


def _text(value: Any) -> str:
    return clean_header(value)


# --------------------------------------------------------------------- entry
def records_from_tables(tables: list[Table], ctx: ValueContext) -> pd.DataFrame:
    """Validated tidy records from the value tables of one upload (problems go to ``ctx.log``)."""
    blocks: list[_Block] = []
    for table in tables:
        if table.layout == "long":
            block = _long_block(table, ctx)
            if block is not None:
                blocks.append(block)
        elif table.layout == "transposed":
            blocks.extend(_transposed_blocks(table, ctx))
        else:
            blocks.extend(_wide_blocks(table, ctx))
    _check_mapping_used(ctx)
    file_id = sum(b.numbers.id_evidence for b in blocks)
    file_en = sum(b.numbers.en_evidence for b in blocks)
    frames = [_finish_block(b, ctx, file_id, file_en) for b in blocks]
    frames = [f for f in frames if len(f)]
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype=_dtype(c)) for c in RECORD_COLUMNS})
    records = pd.concat(frames, ignore_index=True)
    records["_total"] = records["_total"].fillna(False).astype(bool) if "_total" in records else False
    records = _check_duplicates(records, ctx)
    _check_fractions(records, ctx)
    for table in tables:
        if table.layout in {"bps", "transposed"}:
            _check_totals(records, table, ctx)
    return records.drop(columns="_total")[RECORD_COLUMNS]


def _dtype(column: str) -> Any:
    return {"year": "int64", "value": "float64", "row": "int64"}.get(column, "str")


def _where(table: Table, r: int, column: Column) -> dict[str, Any]:
    return {
        "sheet": table.sheet.name,
        "row": table.sheet.excel_row(r),
        "column": column.label,
        "cell": table.sheet.ref(r, column.index),
    }


def _cells(table: Table, rows: list[int], j: int) -> list[Any]:
    """Cells of column ``j`` in ``rows``; the table's data columns are transposed once and kept."""
    grid = table.sheet.rows
    if rows is table.data_rows:
        columns = table.__dict__.get("_columns_t")
        if columns is None:
            width = table.sheet.n_cols
            if rows and rows[-1] - rows[0] + 1 == len(rows):
                block = grid[rows[0] : rows[-1] + 1]
            else:
                block = [grid[r] for r in rows]
            if not table.sheet.rectangular and any(len(row) != width for row in block):
                block = [list(row) + [""] * (width - len(row)) for row in block]
            columns = table.__dict__["_columns_t"] = list(zip(*block)) if block else [()] * width
        if j < len(columns):
            return columns[j]  # a tuple: callers only read it
        return ("",) * len(rows)
    return [grid[r][j] if j < len(grid[r]) else "" for r in rows]


def _table_year(table: Table, ctx: ValueContext) -> tuple[int | None, str]:
    if ctx.year is not None:
        return ctx.year, "param"
    found = sorted(set(years_in(table.sheet.name)))
    if len(found) == 1:
        return found[0], "sheet"
    found = sorted(set(years_in(table.title)))
    if len(found) == 1:
        return found[0], "title"
    return None, ""


def _year_origin_note(table: Table, year: int, origin: str, ctx: ValueContext) -> None:
    if origin in {"sheet", "title"}:
        where_id = {"sheet": "nama sheet", "title": "judul tabel"}[origin]
        where_en = {"sheet": "the sheet name", "title": "the table title"}[origin]
        ctx.log.add(
            f"Tahun {year} diambil dari {where_id}",
            f"Year {year} taken from {where_en}",
            rule="year_from_" + origin,
            severity="info",
            sheet=table.sheet.name,
        )


# --------------------------------------------------------------------- regions
def _match_regions(table: Table, rows: list[int], j: int, ctx: ValueContext) -> list[str | None]:
    """Region code per row; problems for every cell that does not match."""
    hint = table.level_hint
    cells = _cells(table, rows, j)
    column = table.columns[j]
    results = {value: ctx.matcher.match(value, hint) for value in set(cells)}
    out: list[str | None] = [results[v].code for v in cells]
    flagged = {v for v, m in results.items() if (not m.ok and m.status != "empty") or m.note}
    if not flagged:
        return out
    for r, value in zip(rows, cells, strict=True):
        if value not in flagged:
            continue
        m = results[value]
        if m.ok:
            ctx.log.add(*m.note, rule="region_spelling", severity="warning", **_where(table, r, column))
            continue
        rule = {"unknown": "unknown_region", "ambiguous": "ambiguous_region", "outside": "region_outside"}.get(
            m.status, "region_conflict"
        )
        msg = m.message or (f"Wilayah '{value}' tidak dikenal", f"Unknown region '{value}'")
        ctx.log.add(*msg, rule=rule, suggestion=m.suggestion, **_where(table, r, column))
    return out


def _pick_region_col(table: Table, ctx: ValueContext) -> int | None:
    if not table.region_cols:
        return None
    if len(table.region_cols) == 1:
        return table.region_cols[0]
    sample = table.data_rows[:200]
    best, best_n = table.region_cols[0], -1
    for j in table.region_cols:
        n = sum(1 for v in _cells(table, sample, j) if ctx.matcher.match(v, table.level_hint).ok)
        if n > best_n:
            best, best_n = j, n
    return best


def _cross_check_regions(table: Table, rows: list[int], primary: int, codes: list[str | None], ctx: ValueContext):
    """A second region column (a name beside the code) must name the same region."""
    for j in table.region_cols:
        if j == primary:
            continue
        column = table.columns[j]
        for r, value, code in zip(rows, _cells(table, rows, j), codes, strict=True):
            if code is None or not _text(value):
                continue
            m = ctx.matcher.match(value, table.level_hint)
            if m.ok and m.code != code:
                ctx.log.add(
                    f"Kolom '{column.label}' menyebut {ctx.matcher.label(m.code)}, tetapi kolom kode menyebut "
                    f"{ctx.matcher.label(code)}",
                    f"Column '{column.label}' names {ctx.matcher.label(m.code, 'en')} but the code column says "
                    f"{ctx.matcher.label(code, 'en')}",
                    rule="region_conflict",
                    **_where(table, r, column),
                )


# --------------------------------------------------------------------- long layout
def _long_block(table: Table, ctx: ValueContext) -> _Block | None:
    sheet = table.sheet
    rows = table.data_rows
    region_col = _pick_region_col(table, ctx)
    ind_cols = table.role_columns("indicator")
    val_cols = table.role_columns("value")
    year_cols = table.role_columns("year")
    header_row = sheet.excel_row(table.header_rows[0])
    missing = []
    if region_col is None:
        missing.append(("wilayah", "region"))
    if not ind_cols:
        missing.append(("indikator", "indicator"))
    if not val_cols:
        missing.append(("nilai", "value"))
    if missing:
        ctx.log.add(
            "Kolom wajib tidak ada: " + ", ".join(m[0] for m in missing),
            "Required column missing: " + ", ".join(m[1] for m in missing),
            rule="missing_column",
            sheet=sheet.name,
            row=header_row,
            suggestion="Judul kolom: wilayah, indikator, tahun, nilai / Headers: region, indicator, year, value",
        )
        return None
    if not rows:
        ctx.log.add(
            "Sheet tidak berisi baris data",
            "The sheet has no data rows",
            rule="no_data",
            severity="warning",
            sheet=sheet.name,
            row=header_row,
        )
        return None
    ind_col, val_col = ind_cols[0], val_cols[0]
    regions = _match_regions(table, rows, region_col, ctx)
    _cross_check_regions(table, rows, region_col, regions, ctx)

    # indicators
    ind_cells = _cells(table, rows, ind_col.index)
    matched = {v: ctx.indicators.match(v) for v in set(ind_cells)}
    indicators: list[str | None] = [m[0] if m[1] == "ok" else None for m in map(matched.__getitem__, ind_cells)]
    flagged = {v for v, m in matched.items() if m[1] not in {"ok", "empty"}}
    for r, value in zip(rows, ind_cells, strict=True):
        if value not in flagged:
            continue
        code, status = matched[value]
        if status == "group":
            ctx.log.add(
                f"'{_text(value)}' adalah kelompok ({ctx.catalog.level_name(code)}) di katalog, bukan indikator; "
                "nilainya dihitung dari indikatornya",
                f"'{_text(value)}' is a group ({ctx.catalog.level_name(code)}) of the catalog, not an indicator; "
                "its value is computed from its indicators",
                rule="group_indicator",
                **_where(table, r, ind_col),
            )
        elif status == "unknown":
            ctx.log.add(
                f"Indikator '{_text(value)}' tidak ada di katalog",
                f"Indicator '{_text(value)}' is not in the catalog",
                rule="unknown_indicator",
                suggestion=ctx.indicators.suggest(_text(value)),
                **_where(table, r, ind_col),
            )

    # years
    default, origin = _table_year(table, ctx)
    years: list[int | None] = []
    if year_cols:
        years = _parse_years(table, rows, year_cols[0], default, ctx)
    elif default is not None:
        years = [default] * len(rows)
        _year_origin_note(table, default, origin, ctx)
    else:
        ctx.log.add(
            "Tahun tidak diketahui: tambahkan kolom 'tahun', beri nama sheet dengan tahunnya, atau isi tahun saat "
            "mengunggah",
            "Year unknown: add a 'tahun' (year) column, name the sheet after the year, or give the year on upload",
            rule="missing_year",
            sheet=sheet.name,
            row=header_row,
        )
        years = [None] * len(rows)

    def optional(role: str) -> list[str] | None:
        cols = table.role_columns(role)
        if not cols:
            return None
        cells = _cells(table, rows, cols[0].index)
        texts = {v: _text(v) for v in set(cells)}
        return [texts[v] for v in cells]

    units = optional("unit")
    if units is not None:
        _check_units(table, rows, table.role_columns("unit")[0], units, indicators, ctx)
    numbers = NumberColumn(_cells(table, rows, val_col.index))
    _flag_incomplete(table, rows, ind_col, val_col, indicators, numbers, ctx)
    return _Block(
        table,
        val_col,
        rows,
        regions,
        indicators,
        years,
        numbers,
        units=units,
        sources=optional("source"),
        notes=optional("note"),
    )


def _flag_incomplete(table, rows, ind_col, val_col, indicators, numbers, ctx) -> None:
    """A value without an indicator is an error; a row with neither is an unfinished template row."""
    ind_cells = _cells(table, rows, ind_col.index)
    for i, r in enumerate(rows):
        if indicators[i] is None and not _text(ind_cells[i]) and numbers.parsed(i).status != EMPTY:
            ctx.log.add(
                "Nilai tanpa indikator",
                "Value without an indicator",
                rule="missing_indicator",
                **_where(table, r, ind_col),
            )


def _parse_years(table: Table, rows: list[int], column: Column, default: int | None, ctx: ValueContext) -> list:
    top = max_year()
    cells = _cells(table, rows, column.index)
    parsed = {v: parse_year(v) for v in set(cells)}
    fine = {v for v, (y, st) in parsed.items() if st in {"ok", "date"} and MIN_YEAR <= y <= top}
    if len(fine) == len(parsed):
        return [parsed[v][0] for v in cells]
    out: list[int | None] = []
    for r, value in zip(rows, cells, strict=True):
        year, status = parsed[value]
        if value in fine:
            out.append(year)
            continue
        if status == "empty":
            if default is None:
                ctx.log.add("Tahun kosong", "Year is empty", rule="missing_year", **_where(table, r, column))
            out.append(default)
            continue
        if status == "bad":
            hint = years_in(_text(value))
            ctx.log.add(
                f"'{_text(value)}' bukan tahun (contoh: 2023)",
                f"'{_text(value)}' is not a year (e.g. 2023)",
                rule="bad_year",
                suggestion=" / ".join(map(str, hint)) or None,
                **_where(table, r, column),
            )
            out.append(None)
            continue
        if year < MIN_YEAR or year > top:
            ctx.log.add(
                f"Tahun {year} tidak masuk akal (harus {MIN_YEAR}-{top})",
                f"Year {year} is implausible (must be {MIN_YEAR}-{top})",
                rule="implausible_year",
                **_where(table, r, column),
            )
            out.append(None)
            continue
        out.append(year)
    return out


def _check_units(table, rows, column, units, indicators, ctx) -> None:
    seen: set[tuple[str, str]] = set()
    for r, unit, code in zip(rows, units, indicators, strict=True):
        if not unit or not code or (unit, code) in seen:
            continue
        seen.add((unit, code))
        expected = ctx.catalog.node(code).get("unit", "")
        if expected and not same_unit(unit, expected):
            ctx.log.add(
                f"Satuan '{unit}' berbeda dari satuan katalog untuk {code} ('{expected}'); nilai dibaca dalam "
                "satuan katalog",
                f"Unit '{unit}' differs from the catalog's unit for {code} ('{expected}'); values are read in the "
                "catalog's unit",
                rule="unit_differs",
                severity="warning",
                **_where(table, r, column),
            )


# --------------------------------------------------------------------- wide / BPS layout
def _resolve_mapping(table: Table, ctx: ValueContext, candidates: list[Column]) -> dict[int, str]:
    """User mapping HEADER=CODE -> {column index: code} for this table (problems for ambiguity)."""
    out: dict[int, str] = {}
    for key, code in ctx.mapping.items():
        scores = [(header_matches(c, key), c) for c in candidates]
        best = max((s for s, _ in scores), default=0)
        if best == 0:
            continue
        hits = [c for s, c in scores if s == best]
        if len(hits) > 1 and best < 2:
            listed = ", ".join(f"'{c.label}' ({c.letter})" for c in hits[:6])
            ctx.log.add(
                f"Pemetaan '{key}' cocok dengan {len(hits)} kolom: {listed}; tulis judul kolom lebih lengkap",
                f"Mapping '{key}' fits {len(hits)} columns: {listed}; write more of the column header",
                rule="mapping_ambiguous",
                sheet=table.sheet.name,
            )
            ctx.used_mapping.add(key)
            continue
        ctx.used_mapping.add(key)
        for c in hits:
            out[c.index] = code
    return out


def _check_mapping_used(ctx: ValueContext) -> None:
    for key, code in ctx.mapping.items():
        if key not in ctx.used_mapping:
            ctx.log.add(
                f"Tidak ada kolom berjudul '{key}' (pemetaan '{key}={code}')",
                f"No column has the header '{key}' (mapping '{key}={code}')",
                rule="mapping_unmatched",
            )


def _wide_blocks(table: Table, ctx: ValueContext) -> list[_Block]:
    sheet = table.sheet
    region_col = _pick_region_col(table, ctx)
    skip_roles = {"region", "year", "seq", "note", "source", "unit"}
    candidates = [c for c in table.columns if c.role not in skip_roles and c.index != region_col]
    mapped = _resolve_mapping(table, ctx, candidates)
    rows = list(table.data_rows)
    header_row = sheet.excel_row(table.header_rows[-1]) if table.header_rows else None
    if not rows:
        ctx.log.add(
            "Tabel tidak berisi baris data",
            "The table has no data rows",
            rule="no_data",
            severity="warning",
            sheet=sheet.name,
            row=header_row,
        )
        return []

    # which columns hold which indicator (and year, for "2021 | 2022 | 2023" sub-headers)
    resolved: list[tuple[Column, str, int | None]] = []
    for column in candidates:
        head_year = None
        if column.headers and re.fullmatch(r"(19[89]\d|20\d\d)\*?", column.lowest.replace(".0", "")):
            head_year = int(column.lowest[:4])
        code = mapped.get(column.index)
        if code is not None:
            code = code.strip()
            if code in {"", "-", "skip", "abaikan"}:
                continue
            if code not in ctx.indicators.valid:
                found = ctx.indicators.find(code)
                if found in ctx.indicators.valid:
                    code = found
                else:
                    ctx.log.add(
                        f"Kode '{code}' untuk kolom '{column.label}' tidak ada di katalog (sebagai indikator)",
                        f"Code '{code}' given for column '{column.label}' is not an indicator in the catalog",
                        rule="unknown_indicator",
                        sheet=sheet.name,
                        column=column.label,
                        suggestion=ctx.indicators.suggest(code),
                    )
                    continue
            resolved.append((column, code, head_year))
            continue
        # a column is named by its own (lowest) header; a group header above several columns names
        # none of them alone - except over year sub-headers ("Jumlah Penduduk" over 2021 | 2022)
        if head_year is not None:
            code = next(
                (
                    c
                    for c in map(ctx.indicators.find, [" / ".join(column.headers[:-1]), *reversed(column.headers[:-1])])
                    if c
                ),
                None,
            )
        elif column.headers:
            code = ctx.indicators.find(column.lowest) or ctx.catalog.find(column.label)
        else:
            code = None
        if code in ctx.indicators.valid:
            resolved.append((column, code, head_year))
            continue
        has_numbers = any(
            (isinstance(v, (int, float)) and not isinstance(v, bool)) or (isinstance(v, str) and re.search(r"\d", v))
            for v in _cells(table, rows[:50], column.index)
        )
        if not column.headers and not has_numbers:
            continue
        if code in ctx.indicators.inner:
            ctx.log.add(
                f"Kolom '{column.label}' adalah kelompok katalog ({code}), bukan indikator",
                f"Column '{column.label}' is a catalog group ({code}), not an indicator",
                rule="group_indicator",
                sheet=sheet.name,
                column=column.label,
                row=header_row,
            )
        elif column.headers and _CODE_LIKE.match(column.lowest):
            ctx.log.add(
                f"Indikator '{column.lowest}' (kolom {column.letter}) tidak ada di katalog",
                f"Indicator '{column.lowest}' (column {column.letter}) is not in the catalog",
                rule="unknown_indicator",
                sheet=sheet.name,
                column=column.label,
                row=header_row,
                cell=f"{column.letter}{header_row}" if header_row else None,
                suggestion=ctx.indicators.suggest(column.lowest),
            )
        elif has_numbers:
            label = column.lowest or column.letter
            guess = ctx.indicators.suggest(column.lowest) if column.headers else None
            ctx.log.add(
                f"Kolom '{column.label}' ({column.letter}) tidak dikenali sebagai indikator dan diabaikan; "
                f"petakan dengan '{label}=KODE'",
                f"Column '{column.label}' ({column.letter}) is not recognised as an indicator and is ignored; "
                f"map it with '{label}=CODE'",
                rule="unmapped_column",
                severity="warning",
                sheet=sheet.name,
                column=column.label,
                row=header_row,
                suggestion=guess,
            )
    if not resolved:
        ctx.log.add(
            "Tidak ada kolom indikator yang dikenali di tabel ini; beri judul kolom kode/nama indikator katalog "
            "atau petakan kolomnya (JUDUL=KODE)",
            "No indicator column recognised in this table; head the columns with catalog codes/names or map them "
            "(HEADER=CODE)",
            rule="no_indicator_columns",
            sheet=sheet.name,
            row=header_row,
        )
        return []

    # regions, totals
    rc = region_col
    region_cells = _cells(table, rows, rc)
    totals = [is_total_label(v) for v in region_cells]
    plain_rows = [r for r, t in zip(rows, totals, strict=True) if not t]
    plain_codes = _match_regions(table, plain_rows, rc, ctx)
    _cross_check_regions(table, plain_rows, rc, plain_codes, ctx)
    total_code = ctx.matcher.common_ancestor([c for c in plain_codes if c])
    it = iter(plain_codes)
    regions = [total_code if t else next(it) for t in totals]
    # a row naming the region that contains all the others ("Kota Bengkulu") is a total row too
    named = {c for c, t in zip(regions, totals, strict=True) if c and not t}
    for i, code in enumerate(regions):
        if code and not totals[i] and len(named) > 2 and all(o == code or o.startswith(code + ".") for o in named):
            totals[i] = True
    region_column = table.columns[rc]
    for r, code, value, is_total in zip(rows, regions, region_cells, totals, strict=True):
        if code is None and not _text(value):
            ctx.log.add(
                "Baris berisi nilai tetapi wilayahnya kosong",
                "The row holds values but no region",
                rule="missing_region",
                **_where(table, r, region_column),
            )
        if is_total and code:
            ctx.log.add(
                f"Baris jumlah '{_text(value)}' dibaca sebagai {ctx.matcher.label(code)}",
                f"Total row '{_text(value)}' read as {ctx.matcher.label(code, 'en')}",
                rule="total_row",
                severity="info",
                **_where(table, r, region_column),
            )

    # years
    year_cols = table.role_columns("year")
    default, origin = _table_year(table, ctx)
    row_years = _parse_years(table, rows, year_cols[0], default, ctx) if year_cols else None
    needs_default = row_years is None and any(y is None for _, _, y in resolved)
    if needs_default:
        if default is None:
            ctx.log.add(
                "Tahun tidak diketahui: tambahkan kolom 'tahun', beri nama sheet dengan tahunnya, tulis tahun di "
                "judul tabel, atau isi tahun saat mengunggah",
                "Year unknown: add a 'tahun' (year) column, name the sheet after the year, put the year in the "
                "title, or give the year on upload",
                rule="missing_year",
                sheet=sheet.name,
                row=header_row,
            )
        else:
            _year_origin_note(table, default, origin, ctx)

    blocks = []
    source = table.source
    for column, code, head_year in resolved:
        if row_years is not None:
            years = list(row_years)
        else:
            years = [head_year if head_year is not None else default] * len(rows)
        block = _Block(
            table,
            column,
            rows,
            regions,
            [code] * len(rows),
            years,
            NumberColumn(_cells(table, rows, column.index)),
            sources=[source] * len(rows) if source else None,
            totals=totals,
        )
        blocks.append(block)
    return blocks


# --------------------------------------------------------------------- indicators down, regions across
def _transposed_blocks(table: Table, ctx: ValueContext) -> list[_Block]:
    """A table with indicators as rows and regions as columns (BPS "Kecamatan Dalam Angka")."""
    sheet = table.sheet
    first_region = min(table.region_cols)
    header_row = sheet.excel_row(table.header_rows[0])
    ind_cols = [c for c in table.columns if c.role == "indicator" and c.index < first_region]
    label_col = (
        ind_cols[0]
        if ind_cols
        else next((c for c in table.columns[:first_region] if c.role not in {"seq", "unit", "year"}), table.columns[0])
    )
    rows = list(table.data_rows)
    labels = _cells(table, rows, label_col.index)
    mapped = {}
    for key, code in ctx.mapping.items():
        k = norm_name(key)
        for value in set(labels):
            text = norm_name(_text(value))
            if text and (text == k or text.startswith(k)):
                mapped[value] = code.strip()
                ctx.used_mapping.add(key)
    kept: list[int] = []
    codes: list[str] = []
    for r, value in zip(rows, labels, strict=True):
        text = _text(value)
        if not text:
            continue
        code = mapped.get(value)
        if code is not None:
            if code in {"", "-", "skip", "abaikan"}:
                continue
            found = code if code in ctx.indicators.valid else ctx.indicators.find(code)
            if found not in ctx.indicators.valid:
                ctx.log.add(
                    f"Kode '{code}' untuk baris '{text}' tidak ada di katalog (sebagai indikator)",
                    f"Code '{code}' given for row '{text}' is not an indicator in the catalog",
                    rule="unknown_indicator",
                    suggestion=ctx.indicators.suggest(code),
                    **_where(table, r, label_col),
                )
                continue
            kept.append(r)
            codes.append(found)
            continue
        code, status = ctx.indicators.match(value)
        if status == "ok":
            kept.append(r)
            codes.append(code)
            continue
        has_numbers = any(
            isinstance(sheet.cell(r, j), (int, float)) or re.search(r"\d", str(sheet.cell(r, j)))
            for j in table.region_cols
        )
        if status == "group":
            ctx.log.add(
                f"Baris '{text}' adalah kelompok katalog ({code}), bukan indikator",
                f"Row '{text}' is a catalog group ({code}), not an indicator",
                rule="group_indicator",
                **_where(table, r, label_col),
            )
        elif _CODE_LIKE.match(text):
            ctx.log.add(
                f"Indikator '{text}' tidak ada di katalog",
                f"Indicator '{text}' is not in the catalog",
                rule="unknown_indicator",
                suggestion=ctx.indicators.suggest(text),
                **_where(table, r, label_col),
            )
        elif has_numbers:
            ctx.log.add(
                f"Baris '{text}' tidak dikenali sebagai indikator dan diabaikan; petakan dengan '{text}=KODE'",
                f"Row '{text}' is not recognised as an indicator and is ignored; map it with '{text}=CODE'",
                rule="unmapped_row",
                severity="warning",
                suggestion=ctx.indicators.suggest(text),
                **_where(table, r, label_col),
            )
    if not kept:
        ctx.log.add(
            "Tidak ada baris indikator yang dikenali di tabel ini; tulis kode/nama indikator katalog di kolom "
            f"'{label_col.label}' atau petakan barisnya (JUDUL=KODE)",
            f"No indicator row recognised in this table; write catalog codes/names in column '{label_col.label}' "
            "or map the rows (HEADER=CODE)",
            rule="no_indicator_columns",
            sheet=sheet.name,
            row=header_row,
        )
        return []

    year_cols = table.role_columns("year")
    default, origin = _table_year(table, ctx)
    if year_cols:
        years = _parse_years(table, kept, year_cols[0], default, ctx)
    else:
        if default is None:
            ctx.log.add(
                "Tahun tidak diketahui: tambahkan kolom 'tahun', beri nama sheet dengan tahunnya, tulis tahun di "
                "judul tabel, atau isi tahun saat mengunggah",
                "Year unknown: add a 'tahun' (year) column, name the sheet after the year, put the year in the "
                "title, or give the year on upload",
                rule="missing_year",
                sheet=sheet.name,
                row=header_row,
            )
        else:
            _year_origin_note(table, default, origin, ctx)
        years = [default] * len(kept)

    region_codes: dict[int, str | None] = {}
    for j in table.region_cols:
        header = table.columns[j].lowest
        if not is_total_label(header):
            m = ctx.matcher.match(header, table.level_hint)
            region_codes[j] = m.code if m.ok else None
    total_code = ctx.matcher.common_ancestor([c for c in region_codes.values() if c])
    named = [c for c in region_codes.values() if c]
    blocks = []
    source = table.source
    for j in table.region_cols:
        code = region_codes.get(j, total_code)
        is_total = j not in region_codes or (
            code is not None and len(named) > 2 and all(o == code or o.startswith(code + ".") for o in named)
        )
        if code is None:
            continue
        blocks.append(
            _Block(
                table,
                table.columns[j],
                kept,
                [code] * len(kept),
                list(codes),
                list(years),
                NumberColumn(_cells(table, kept, j)),
                sources=[source] * len(kept) if source else None,
                totals=[is_total] * len(kept),
            )
        )
    return blocks


# --------------------------------------------------------------------- numbers -> records
def _finish_block(block: _Block, ctx: ValueContext, file_id: int, file_en: int) -> pd.DataFrame:
    table, column, rows = block.table, block.column, block.rows
    n = len(rows)
    lower = np.full(n, -np.inf)
    upper = np.full(n, np.inf)
    by_code: dict[str | None, UnitRange] = {}
    for i, code in enumerate(block.indicators):
        rng = by_code.get(code)
        if rng is None:
            rng = by_code[code] = ctx.range_of(code)
        lower[i], upper[i] = rng.lower, rng.upper

    def impossible(values: np.ndarray) -> int:
        with np.errstate(invalid="ignore"):
            return int(np.sum((values < lower) | (values > upper)))

    style, reason = block.numbers.decide(file_id, file_en, impossible)
    values = block.numbers.values(style)
    status = block.numbers.status()
    sheet = table.sheet
    errors = ctx.error_cells.get(sheet.name, {})

    if reason:
        amb = np.flatnonzero(status == AMBIGUOUS).tolist()
        examples = ", ".join(f"'{block.numbers.parsed(i).text}' ({sheet.ref(rows[i], column.index)})" for i in amb[:4])
        style_id = "ribuan gaya Indonesia (1.234 = 1234)" if style == "id" else "desimal gaya Inggris (1.234 = 1,234)"
        style_en = "Indonesian thousands (1.234 = 1234)" if style == "id" else "English decimals (1.234 = 1.234)"
        why_id = {
            "column": "kolom ini juga memuat angka yang jelas bergaya sama",
            "column_mixed": "kolom ini mencampur dua gaya; dipakai gaya mayoritas",
            "file": "kolom lain di berkas ini memakai gaya itu",
            "unit": "cara baca lain melanggar rentang satuan indikatornya",
            "default": "tidak ada petunjuk lain; dipakai gaya Indonesia",
        }[reason]
        why_en = {
            "column": "the column also holds unambiguous numbers in that style",
            "column_mixed": "the column mixes both styles; the majority style is used",
            "file": "other columns of the file use that style",
            "unit": "the other reading breaks the indicator's unit range",
            "default": "no other evidence; Indonesian style assumed",
        }[reason]
        ctx.log.add(
            f"{len(amb)} angka ambigu di kolom '{column.label}', mis. {examples}, dibaca sebagai {style_id} karena "
            f"{why_id}",
            f"{len(amb)} ambiguous number(s) in column '{column.label}', e.g. {examples}, read as {style_en} "
            f"because {why_en}",
            rule="ambiguous_number",
            severity="info" if reason == "column" else "warning",
            sheet=sheet.name,
            column=column.label,
            row=sheet.excel_row(rows[amb[0]]),
            cell=sheet.ref(rows[amb[0]], column.index),
            suggestion="Tulis angka tanpa pemisah ribuan (1234 atau 1234,5) / Write numbers without thousands "
            "separators (1234 or 1234.5)",
        )

    valid = np.fromiter(
        (
            reg is not None and ind is not None and yr is not None
            for reg, ind, yr in zip(block.regions, block.indicators, block.years, strict=True)
        ),
        dtype=bool,
        count=n,
    )
    empty_count = 0
    markers = block.numbers.markers
    for i in np.flatnonzero((status != OK) & (status != AMBIGUOUS)):
        p = block.numbers.parsed(i)
        r = rows[i]
        ref = sheet.ref(r, column.index)
        if p.status == EMPTY:
            if ref in errors:
                ctx.log.add(
                    f"Sel berisi galat Excel {errors[ref]}",
                    f"The cell holds an Excel error {errors[ref]}",
                    rule="excel_error",
                    **_where(table, r, column),
                )
            else:
                empty_count += 1
        elif p.status == BAD:
            ctx.log.add(
                f"'{_text(block.numbers.raw[i])}' bukan angka",
                f"'{_text(block.numbers.raw[i])}' is not a number",
                rule="not_a_number",
                **_where(table, r, column),
            )
    if markers:
        ctx.log.add(
            f"{markers} angka bertanda (*, r, e) di kolom '{column.label}' dibaca tanpa tandanya",
            f"{markers} marked number(s) (*, r, e) in column '{column.label}' read without the mark",
            rule="number_marker",
            severity="info",
            sheet=sheet.name,
            column=column.label,
        )
    has_value = (status == OK) | (status == AMBIGUOUS)
    if empty_count and table.layout != "long":
        ctx.log.add(
            f"{empty_count} sel tanpa data ('-', '...', kosong) di kolom '{column.label}' dilewati "
            "(tulis 0 bila maksudnya nol)",
            f"{empty_count} cell(s) without data ('-', '...', empty) in column '{column.label}' skipped "
            "(write 0 if you mean zero)",
            rule="no_data_cells",
            severity="info",
            sheet=sheet.name,
            column=column.label,
        )

    # impossible for the unit
    with np.errstate(invalid="ignore"):
        bad_range = has_value & ((values < lower) | (values > upper))
    for i in np.flatnonzero(bad_range):
        code = block.indicators[i]
        rng = ctx.range_of(code)
        unit = ctx.catalog.node(code).get("unit", "") if code else ""
        v = values[i]
        if rng.kind == "percent":
            msg = (
                f"Nilai {v:g} tidak mungkin untuk persentase (0-100) pada {code}",
                f"Value {v:g} is impossible for a percentage (0-100) in {code}",
            )
        elif rng.kind == "nonneg":
            msg = (
                f"Nilai {v:g} negatif, tidak mungkin untuk satuan '{unit}' ({code})",
                f"Value {v:g} is negative, impossible for the unit '{unit}' ({code})",
            )
        else:
            msg = (
                f"Nilai {v:g} di luar rentang satuan '{unit}' ({rng.lower:g}-{rng.upper:g}) pada {code}",
                f"Value {v:g} is outside the unit range '{unit}' ({rng.lower:g}-{rng.upper:g}) in {code}",
            )
        ctx.log.add(*msg, rule="impossible_value", code=code, **_where(table, rows[i], column))

    keep = valid & has_value & ~bad_range
    idx = np.flatnonzero(keep)
    if not len(idx):
        return pd.DataFrame(columns=RECORD_COLUMNS)
    if sheet.line_numbers is None:
        excel_rows = np.asarray(rows, dtype=np.int64)[idx] + 1
    else:
        excel_rows = np.asarray(sheet.line_numbers, dtype=np.int64)[np.asarray(rows, dtype=np.int64)[idx]]
    letter = column.letter

    def pick(items: list | None, default: str = "") -> list:
        return [items[i] for i in idx] if items is not None else [default] * len(idx)

    frame = pd.DataFrame(
        {
            "region": pick(block.regions),
            "indicator": pick(block.indicators),
            "year": np.fromiter((block.years[i] for i in idx), dtype=np.int64, count=len(idx)),
            "value": values[idx],
            "unit": pick(block.units),
            "source": pick(block.sources),
            "note": pick(block.notes),
            "sheet": sheet.name,
            "row": excel_rows,
            "column": column.label,
            "cell": [f"{letter}{r}" for r in excel_rows],
        }
    )
    if block.totals is not None:
        frame["_total"] = pick(block.totals, False)
    return frame


# --------------------------------------------------------------------- cross-cell checks
def _check_duplicates(records: pd.DataFrame, ctx: ValueContext) -> pd.DataFrame:
    """Reports repeated region/indicator/year; returns the records without same-value repeats."""
    keys = ["region", "indicator", "year"]
    dup = records.duplicated(keys, keep=False)
    if not dup.any():
        return records
    drop: list[int] = []
    for _, group in records.loc[dup].groupby(keys, sort=False):
        first = group.iloc[0]
        values = group["value"].to_numpy()
        same = bool(np.allclose(values, values[0], rtol=1e-9, atol=0))
        for k in range(1, len(group)):
            row = group.iloc[k]
            where = {"sheet": row["sheet"], "row": int(row["row"]), "column": row["column"], "cell": row["cell"]}
            other = f"{first['sheet']}!{first['cell']}"
            if same:
                ctx.log.add(
                    f"{row['region']} / {row['indicator']} / {row['year']} sudah ada di {other} dengan nilai sama; "
                    "baris ini diabaikan",
                    f"{row['region']} / {row['indicator']} / {row['year']} already given in {other} with the same "
                    "value; this row is ignored",
                    rule="duplicate_same",
                    severity="warning",
                    **where,
                )
                drop.append(group.index[k])
            else:
                ctx.log.add(
                    f"{row['region']} / {row['indicator']} / {row['year']}: nilai {row['value']:g} bertentangan "
                    f"dengan {first['value']:g} di {other}",
                    f"{row['region']} / {row['indicator']} / {row['year']}: value {row['value']:g} conflicts with "
                    f"{first['value']:g} in {other}",
                    rule="duplicate_conflict",
                    **where,
                )
    return records.drop(index=drop).reset_index(drop=True) if drop else records


def _check_fractions(records: pd.DataFrame, ctx: ValueContext) -> None:
    """Percentages typed as fractions (0.87 for 87%, Excel's %-formatted cells) are flagged."""
    for code, group in records.groupby("indicator", sort=False):
        if ctx.range_of(code).kind != "percent" or len(group) < 3:
            continue
        values = group["value"].to_numpy()
        if values.max() <= 1.0 and values.max() > 0:
            first = group.iloc[0]
            ctx.log.add(
                f"Semua nilai {code} (persen) antara 0 dan 1: apakah ditulis sebagai pecahan? Tulis 87 untuk 87%",
                f"All values of {code} (a percentage) lie between 0 and 1: were they written as fractions? "
                "Write 87 for 87%",
                rule="percent_as_fraction",
                severity="warning",
                sheet=first["sheet"],
                column=first["column"],
                code=code,
            )


_COUNT_UNITS = re.compile(
    r"^(count|jumlah|orang|jiwa|people|persons|penduduk|unit|buah|households|rumah tangga|km2|ha)"
)


def _check_totals(records: pd.DataFrame, table: Table, ctx: ValueContext) -> None:
    """A BPS total row of counts must equal the sum of its rows (0.5% slack for rounding)."""
    mine = records.loc[records["sheet"] == table.sheet.name]
    for (code, _year), group in mine.groupby(["indicator", "year"], sort=False):
        unit = str(ctx.catalog.node(code).get("unit", "")).lower()
        if not _COUNT_UNITS.match(unit):
            continue
        totals = group.loc[group["_total"]]
        parts = group.loc[~group["_total"]]
        if len(totals) != 1 or parts.empty:
            continue
        total = float(totals["value"].iloc[0])
        summed = float(parts["value"].sum())
        if abs(total - summed) > 0.005 * max(abs(total), 1.0):
            row = totals.iloc[0]
            ctx.log.add(
                f"Baris jumlah {total:g} tidak sama dengan jumlah barisnya ({summed:g}) untuk {code}",
                f"The total row {total:g} differs from the sum of its rows ({summed:g}) for {code}",
                rule="total_mismatch",
                severity="warning",
                sheet=row["sheet"],
                row=int(row["row"]),
                column=row["column"],
                cell=row["cell"],
            )
