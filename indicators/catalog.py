"""The indicator catalog: the method as data.

One row per node of the framework tree (COINr's iMeta): the index at the root, then any number of
levels (dimension, element, sub-element ...), indicators at the leaves. The tree's shape comes from
``parent`` alone, so an expert can load a 3-level or a 5-level framework without code changes. Rows
with ``level = variable`` are raw inputs (population, area, households ...) used by derived
indicators; they stand outside the tree.

The table is read from CSV or from the ``catalog`` sheet of a workbook, validated as a whole (every
problem reported with its row and column, none silently fixed) and turned into a :class:`Catalog`
that the engine, the loaders and the pages share.
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from indicators.problems import Problem, ProblemsError, column_letter

__all__ = [
    "AGGREGATIONS",
    "COLUMNS",
    "DEFAULT_CATALOG_PATH",
    "DIRECTIONS",
    "NORMALIZATIONS",
    "TRANSFORMS",
    "Catalog",
    "catalog_from_frame",
    "default_catalog",
    "read_catalog",
]

DEFAULT_CATALOG_PATH = Path(__file__).resolve().parent.parent / "data" / "catalog.csv"

#: Columns of the catalog table, in the order they are written. Only ``code`` and ``parent`` are
#: required. ``levels`` (region levels where an indicator applies), ``derivation`` (registered
#: derived-indicator name), ``tolerance`` (half-width of a target band) and ``green``/``red``
#: (status thresholds in the indicator's unit) extend DESIGN.md's list.
COLUMNS = [
    "code",
    "parent",
    "level",
    "name_id",
    "name_en",
    "unit",
    "direction",
    "lower",
    "upper",
    "target",
    "tolerance",
    "green",
    "red",
    "transform",
    "weight",
    "aggregation",
    "normalization",
    "data_type",
    "levels",
    "derivation",
    "source",
    "frameworks",
]
NUMERIC_COLUMNS = ["lower", "upper", "target", "tolerance", "green", "red", "weight"]
TEXT_COLUMNS = [c for c in COLUMNS if c not in NUMERIC_COLUMNS]

DIRECTIONS = ("higher", "lower", "target")
TRANSFORMS = ("none", "log")
AGGREGATIONS = ("arithmetic", "geometric", "harmonic")
NORMALIZATIONS = ("auto", "goalposts", "minmax", "zscore", "percentile", "target")
DATA_TYPES = ("secondary", "observation", "survey", "derived")
VARIABLE_LEVEL = "variable"

_DIRECTION_ALIASES = {
    "higher": "higher",
    "high": "higher",
    "+1": "higher",
    "1": "higher",
    "positive": "higher",
    "naik": "higher",
    "lebih tinggi lebih baik": "higher",
    "lower": "lower",
    "low": "lower",
    "-1": "lower",
    "negative": "lower",
    "turun": "lower",
    "lebih rendah lebih baik": "lower",
    "target": "target",
    "target band": "target",
    "band": "target",
}


def _clean_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    if value is pd.NA:
        return ""
    text = str(value).strip()
    if isinstance(value, float) and text.endswith(".0"):
        text = text[:-2]
    return text


def _parse_number(value: Any) -> float | None:
    """Parse a catalog number; ``None`` when it is not a number. Empty -> NaN."""
    if value is None or value is pd.NA:
        return math.nan
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        return float(value)
    text = str(value).strip().replace("\u00a0", "").replace(" ", "")
    if text == "" or text.lower() in {"nan", "-", "none"}:
        return math.nan
    if "," in text and "." not in text:
        text = text.replace(",", ".")
    elif "," in text and "." in text:
        # "1.234,5" (Indonesian) or "1,234.5" (English): the last separator is the decimal mark.
        if text.rfind(",") > text.rfind("."):
            text = text.replace(".", "").replace(",", ".")
        else:
            text = text.replace(",", "")
    if "/" in text:
        num, _, den = text.partition("/")
        try:
            return float(num) / float(den)
        except (ValueError, ZeroDivisionError):
            return None
    try:
        return float(text)
    except ValueError:
        return None


@dataclass(frozen=True)
class Catalog:
    """A validated catalog tree.

    ``table`` has one row per node (tree nodes first, then variables), every column of
    :data:`COLUMNS` filled with its default, plus ``row`` (the source row number) and ``depth``.
    """

    table: pd.DataFrame
    root: str
    warnings: tuple[Problem, ...] = field(default=())

    # ----------------------------------------------------------------- structure
    @cached_property
    def _rows(self) -> dict[str, dict[str, Any]]:
        return {r["code"]: r for r in self.table.to_dict("records")}

    @cached_property
    def children(self) -> dict[str, list[str]]:
        """Children of every tree node, in catalog order (leaves map to ``[]``)."""
        kids: dict[str, list[str]] = {c: [] for c in self.tree_codes}
        for code, parent in zip(self.table["code"], self.table["parent"], strict=True):
            if parent and code in kids:
                kids[parent].append(code)
        return kids

    @cached_property
    def parent_of(self) -> dict[str, str]:
        return {c: p for c, p in zip(self.table["code"], self.table["parent"], strict=True) if p}

    @cached_property
    def tree_codes(self) -> list[str]:
        """Tree nodes in pre-order (root first, each node followed by its subtree)."""
        kids: dict[str, list[str]] = {}
        codes = [c for c, lv in zip(self.table["code"], self.table["level"], strict=True) if lv != VARIABLE_LEVEL]
        for code in codes:
            kids.setdefault(code, [])
        for code in codes:
            parent = self._rows[code]["parent"]
            if parent:
                kids[parent].append(code)
        order: list[str] = []
        stack = [self.root]
        while stack:
            node = stack.pop()
            order.append(node)
            stack.extend(reversed(kids[node]))
        return order

    @cached_property
    def post_order(self) -> list[str]:
        """Tree nodes with every child before its parent (the order aggregation needs)."""
        return sorted(self.tree_codes, key=lambda c: -self.depth[c])

    @cached_property
    def depth(self) -> dict[str, int]:
        depth = {self.root: 0}
        for code in self.tree_codes[1:]:
            depth[code] = depth[self.parent_of[code]] + 1
        return depth

    @cached_property
    def indicators(self) -> list[str]:
        """Leaves of the tree, in pre-order."""
        return [c for c in self.tree_codes if not self.children[c]]

    @cached_property
    def inner(self) -> list[str]:
        """Inner nodes (index, dimensions, elements ...), in pre-order."""
        return [c for c in self.tree_codes if self.children[c]]

    @cached_property
    def variables(self) -> list[str]:
        return [c for c, lv in zip(self.table["code"], self.table["level"], strict=True) if lv == VARIABLE_LEVEL]

    @property
    def dimensions(self) -> list[str]:
        """Children of the root (the six dimensions in the Kominfo model)."""
        return list(self.children[self.root])

    def node(self, code: str) -> dict[str, Any]:
        """The catalog row of ``code`` as a dict (raises ``KeyError`` for an unknown code)."""
        return self._rows[code]

    def __contains__(self, code: object) -> bool:
        return code in self._rows

    def is_indicator(self, code: str) -> bool:
        return code in self.children and not self.children[code]

    def ancestors(self, code: str) -> list[str]:
        """Parent, grandparent ... up to the root."""
        out = []
        while code in self.parent_of:
            code = self.parent_of[code]
            out.append(code)
        return out

    def descendants(self, code: str, leaves_only: bool = False) -> list[str]:
        out: list[str] = []
        stack = list(reversed(self.children.get(code, [])))
        while stack:
            node = stack.pop()
            if not leaves_only or not self.children[node]:
                out.append(node)
            stack.extend(reversed(self.children[node]))
        return out

    def name(self, code: str, lang: str = "id") -> str:
        row = self._rows.get(code)
        if row is None:
            return code
        name = row["name_en"] if lang == "en" else row["name_id"]
        return name or row["name_id"] or code

    def level_name(self, code: str) -> str:
        return self._rows[code]["level"]

    def applies(self, code: str, region_level: str | None) -> str:
        """How an indicator applies at a region level: ``"yes"``, ``"optional"`` or ``"no"``.

        An empty ``levels`` cell means every level. ``point`` (field observations) makes an indicator
        ``optional`` at levels the cell does not name: it is computed from the assets observed in a
        region, and a region with no such asset (no tourist site, no signalised junction) has nothing
        to score, which is not a data gap. Without a known region level everything applies.
        """
        if region_level is None:
            return "yes"
        levels = self._rows[code]["levels"]
        if not levels:
            return "yes"
        tokens = {_level_key(t) for t in re.split(r"[,;|]", levels) if t.strip()}
        if "all" in tokens or _level_key(region_level) in tokens:
            return "yes"
        return "optional" if "point" in tokens else "no"

    def applicable(self, code: str, region_level: str | None) -> bool:
        """Whether an indicator can be scored at a region level (see :meth:`applies`)."""
        return self.applies(code, region_level) != "no"

    def effective_weights(self, weights: dict[str, float] | None = None) -> pd.Series:
        """Each node's share of the root: the product of sibling-normalised weights on its path.

        Leaves' effective weights sum to 1 (for the nominal tree, all data present).
        """
        weights = weights or {}
        w = {c: float(weights.get(c, self._rows[c]["weight"])) for c in self.tree_codes}
        eff = {self.root: 1.0}
        for code in self.tree_codes:
            kids = self.children[code]
            total = sum(w[k] for k in kids)
            for k in kids:
                eff[k] = eff[code] * (w[k] / total if total > 0 else 0.0)
        return pd.Series(eff, name="effective_weight").reindex(self.tree_codes)

    # ----------------------------------------------------------------- identity & export
    def to_frame(self) -> pd.DataFrame:
        """The catalog as an editable table with the columns of :data:`COLUMNS`."""
        return self.table[COLUMNS].copy()

    def to_csv(self, path: str | Path | None = None) -> str:
        text = self.to_frame().to_csv(index=False, lineterminator="\n")
        if path is not None:
            Path(path).write_text(text, encoding="utf-8")
        return text

    @cached_property
    def version(self) -> str:
        """SHA-256 of the canonical table: the cache key of everything computed from it."""
        return hashlib.sha256(self.to_csv().encode("utf-8")).hexdigest()[:16]

    @cached_property
    def lookup(self) -> dict[str, str]:
        """Case-insensitive code and name -> code, for matching headers and indicator cells."""
        out: dict[str, str] = {}
        for row in self.table.to_dict("records"):
            for key in (row["name_en"], row["name_id"], row["code"]):
                if key:
                    out[_norm_key(key)] = row["code"]
        return out

    def find(self, text: str) -> str | None:
        """Code for a code or a name written in any case/spacing, or ``None``."""
        return self.lookup.get(_norm_key(text))


def _norm_key(text: str) -> str:
    return re.sub(r"\s+", " ", str(text)).strip().casefold()


_LEVEL_SYNONYMS = {
    "kota": "kota",
    "kabupaten": "kota",
    "kabupaten_kota": "kota",
    "kab/kota": "kota",
    "city": "kota",
    "kecamatan": "kecamatan",
    "district": "kecamatan",
    "kelurahan": "kelurahan",
    "desa": "kelurahan",
    "kelurahan_desa": "kelurahan",
    "village": "kelurahan",
    "provinsi": "provinsi",
    "province": "provinsi",
}


def _level_key(level: str) -> str:
    key = str(level).strip().lower()
    return _LEVEL_SYNONYMS.get(key, key)


# --------------------------------------------------------------------- reading
def read_catalog(source: str | Path | bytes | io.IOBase, name: str | None = None) -> Catalog:
    """Read and validate a catalog from a CSV file or the ``catalog`` sheet of a workbook.

    ``source`` is a path, raw bytes or a binary file object; ``name`` (a file name) tells the
    format when ``source`` is not a path. Raises :class:`ProblemsError` listing every problem.
    """
    if isinstance(source, (str, Path)):
        path = Path(source)
        name = name or path.name
        data = path.read_bytes()
    elif isinstance(source, bytes):
        data = source
    else:
        data = source.read()
    name = name or "catalog.csv"
    suffix = Path(name).suffix.lower()
    if suffix in {".xlsx", ".xlsm", ".xls", ".ods"}:
        frame, sheet = _read_catalog_sheet(data, name)
    else:
        frame, sheet = _read_catalog_csv(data, name), None
    return catalog_from_frame(frame, sheet=sheet, what=name)


def _read_catalog_csv(data: bytes, name: str) -> pd.DataFrame:
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    first = text.splitlines()[0] if text else ""
    delimiter = ";" if first.count(";") > first.count(",") else ","
    if "\t" in first and first.count("\t") > max(first.count(";"), first.count(",")):
        delimiter = "\t"
    try:
        return pd.read_csv(
            io.StringIO(text), sep=delimiter, dtype=str, keep_default_na=False, quoting=csv.QUOTE_MINIMAL
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise ProblemsError(
            [Problem(f"Berkas katalog tidak dapat dibaca: {exc}", f"Catalog file cannot be read: {exc}")],
            name,
        ) from exc


def _read_catalog_sheet(data: bytes, name: str) -> tuple[pd.DataFrame, str]:
    try:
        book = pd.read_excel(io.BytesIO(data), sheet_name=None, dtype=object, engine="calamine", header=0)
    except Exception as exc:  # calamine raises its own error types for broken files
        raise ProblemsError(
            [Problem(f"Buku kerja katalog tidak dapat dibaca: {exc}", f"Catalog workbook cannot be read: {exc}")],
            name,
        ) from exc
    sheets = {s.strip().lower(): s for s in book}
    if "catalog" not in sheets and "katalog" not in sheets:
        found = ", ".join(book) or "-"
        raise ProblemsError(
            [
                Problem(
                    f"Sheet 'catalog' tidak ditemukan (ada: {found})",
                    f"No sheet named 'catalog' (found: {found})",
                )
            ],
            name,
        )
    sheet = sheets.get("catalog") or sheets["katalog"]
    return book[sheet], sheet


# --------------------------------------------------------------------- validation
def catalog_from_frame(frame: pd.DataFrame, sheet: str | None = None, what: str = "catalog") -> Catalog:
    """Validate a catalog table (as read, all cells as text or numbers) and build a :class:`Catalog`.

    Every problem is collected before raising, so an expert fixes the whole table in one round.
    Row numbers are the file's own (header = row 1).
    """
    problems: list[Problem] = []
    frame = frame.copy()
    frame.columns = [_clean_text(c).lower() for c in frame.columns]
    header_pos = {c: i for i, c in enumerate(frame.columns)}

    def where(row: int | None, column: str | None) -> dict[str, Any]:
        col_letter = column_letter(header_pos[column]) if column in header_pos else None
        cell = f"{col_letter}{row}" if (col_letter and row) else None
        return {"sheet": sheet, "row": row, "column": column, "cell": cell}

    def err(row: int | None, column: str | None, msg_id: str, msg_en: str, code: str | None = None, severity="error"):
        problems.append(Problem(msg_id, msg_en, severity=severity, code=code, **where(row, column)))

    missing = [c for c in ("code", "parent") if c not in frame.columns]
    if missing:
        cols = ", ".join(missing)
        err(1, None, f"Kolom wajib tidak ada: {cols}", f"Required column missing: {cols}")
        raise ProblemsError(problems, what)

    # Drop rows that are entirely empty (Excel leaves them around), remembering file row numbers.
    frame["row"] = np.arange(len(frame)) + 2
    blank = frame.drop(columns="row").map(_clean_text).eq("").all(axis=1)
    frame = frame.loc[~blank].reset_index(drop=True)
    if frame.empty:
        err(None, None, "Katalog kosong", "The catalog is empty")
        raise ProblemsError(problems, what)

    out = pd.DataFrame({"row": frame["row"].astype(int)})
    for col in TEXT_COLUMNS:
        out[col] = frame[col].map(_clean_text) if col in frame.columns else ""
    for col in NUMERIC_COLUMNS:
        values = []
        if col in frame.columns:
            for raw, row in zip(frame[col], out["row"], strict=True):
                parsed = _parse_number(raw)
                if parsed is None:
                    err(row, col, f"'{raw}' bukan angka", f"'{raw}' is not a number")
                    parsed = math.nan
                values.append(parsed)
        else:
            values = [math.nan] * len(out)
        out[col] = np.asarray(values, dtype=float)

    # --- codes
    rows_of: dict[str, list[int]] = {}
    for code, row in zip(out["code"], out["row"], strict=True):
        if not code:
            err(row, "code", "Kode kosong", "Empty code")
            continue
        rows_of.setdefault(code, []).append(row)
    for code, rows in rows_of.items():
        if len(rows) > 1:
            listed = ", ".join(map(str, rows))
            for row in rows[1:]:
                err(
                    row,
                    "code",
                    f"Kode '{code}' ganda (baris {listed})",
                    f"Duplicate code '{code}' (rows {listed})",
                    code,
                )
    out = out.loc[out["code"] != ""].drop_duplicates("code", keep="first").reset_index(drop=True)

    # --- levels, variables
    out["level"] = out["level"].str.strip()
    is_var = out["level"].str.lower().eq(VARIABLE_LEVEL)
    out.loc[is_var, "level"] = VARIABLE_LEVEL
    for code, parent, row in zip(
        out.loc[is_var, "code"], out.loc[is_var, "parent"], out.loc[is_var, "row"], strict=True
    ):
        if parent:
            err(
                row,
                "parent",
                f"Variabel '{code}' berada di luar pohon; induk '{parent}' diabaikan",
                f"Variable '{code}' stands outside the tree; parent '{parent}' ignored",
                code,
                "warning",
            )
    out.loc[is_var, "parent"] = ""

    codes = set(out["code"])
    var_codes = set(out.loc[is_var, "code"])
    tree = out.loc[~is_var]
    for code, parent, row in zip(tree["code"], tree["parent"], tree["row"], strict=True):
        if parent and parent not in codes:
            err(
                row,
                "parent",
                f"Induk '{parent}' tidak ada di katalog",
                f"Parent '{parent}' is not in the catalog",
                code,
            )
        elif parent in var_codes:
            err(
                row,
                "parent",
                f"Induk '{parent}' adalah variabel, bukan simpul pohon",
                f"Parent '{parent}' is a variable, not a tree node",
                code,
            )
        elif parent == code:
            err(row, "parent", "Simpul menjadi induk dirinya sendiri", "Node is its own parent", code)

    roots = tree.loc[tree["parent"] == ""]
    root = ""
    if len(roots) == 0:
        err(
            None,
            "parent",
            "Tidak ada akar (satu baris harus berinduk kosong)",
            "No root (exactly one row must have an empty parent)",
        )
    elif len(roots) > 1:
        listed = ", ".join(f"{c} (baris/row {r})" for c, r in zip(roots["code"], roots["row"], strict=True))
        for code, row in zip(roots["code"].iloc[1:], roots["row"].iloc[1:], strict=True):
            err(row, "parent", f"Lebih dari satu akar: {listed}", f"More than one root: {listed}", code)
        root = roots["code"].iloc[0]
    else:
        root = roots["code"].iloc[0]

    # --- cycles: walk up from every node
    parent_of = {c: p for c, p in zip(tree["code"], tree["parent"], strict=True) if p and p in codes}
    row_of = dict(zip(out["code"], out["row"], strict=True))
    in_cycle: set[str] = set()
    for start in tree["code"]:
        seen = []
        node = start
        while node in parent_of and node not in seen:
            seen.append(node)
            node = parent_of[node]
        if node in seen:
            cycle = seen[seen.index(node) :]
            key = frozenset(cycle)
            if not key & in_cycle:
                path = " -> ".join([*cycle, node])
                err(row_of[node], "parent", f"Siklus dalam pohon: {path}", f"Cycle in the tree: {path}", node)
            in_cycle |= key

    children: dict[str, list[str]] = {c: [] for c in tree["code"]}
    for code, parent in parent_of.items():
        if parent in children:
            children[parent].append(code)
    is_leaf = {c: not children[c] for c in children}

    # --- per-row value checks
    for rec in out.to_dict("records"):
        code, row = rec["code"], rec["row"]
        variable = rec["level"] == VARIABLE_LEVEL
        direction = rec["direction"].lower()
        if direction:
            canon = _DIRECTION_ALIASES.get(direction)
            if canon is None:
                err(
                    row,
                    "direction",
                    f"Arah '{rec['direction']}' tidak dikenal (higher, lower, target)",
                    f"Unknown direction '{rec['direction']}' (higher, lower, target)",
                    code,
                )
        transform = rec["transform"].lower()
        if transform and transform not in TRANSFORMS:
            err(
                row,
                "transform",
                f"Transformasi '{rec['transform']}' tidak dikenal (none, log)",
                f"Unknown transform '{rec['transform']}' (none, log)",
                code,
            )
        aggregation = rec["aggregation"].lower()
        if aggregation and aggregation not in AGGREGATIONS:
            err(
                row,
                "aggregation",
                f"Agregasi '{rec['aggregation']}' tidak dikenal (arithmetic, geometric, harmonic)",
                f"Unknown aggregation '{rec['aggregation']}' (arithmetic, geometric, harmonic)",
                code,
            )
        elif aggregation and not variable and is_leaf.get(code) and aggregation != "arithmetic":
            err(
                row,
                "aggregation",
                "Agregasi pada indikator (daun) diabaikan",
                "Aggregation on an indicator (leaf) is ignored",
                code,
                "warning",
            )
        normalization = rec["normalization"].lower()
        if normalization and normalization not in NORMALIZATIONS:
            known = ", ".join(NORMALIZATIONS)
            err(
                row,
                "normalization",
                f"Normalisasi '{rec['normalization']}' tidak dikenal ({known})",
                f"Unknown normalization '{rec['normalization']}' ({known})",
                code,
            )
        data_type = rec["data_type"].lower()
        if data_type and data_type not in DATA_TYPES:
            err(
                row,
                "data_type",
                f"Jenis data '{rec['data_type']}' tidak dikenal ({', '.join(DATA_TYPES)})",
                f"Unknown data type '{rec['data_type']}' ({', '.join(DATA_TYPES)})",
                code,
                "warning",
            )
        lower, upper = rec["lower"], rec["upper"]
        if not math.isnan(lower) and not math.isnan(upper) and not lower < upper:
            err(
                row,
                "upper",
                f"Batas bawah ({lower:g}) harus lebih kecil dari batas atas ({upper:g})",
                f"Lower goalpost ({lower:g}) must be below the upper goalpost ({upper:g})",
                code,
            )
        if transform == "log":
            for col in ("lower", "upper", "target"):
                if not math.isnan(rec[col]) and rec[col] <= 0:
                    err(row, col, f"Transformasi log memerlukan {col} > 0", f"Log transform needs {col} > 0", code)
        weight = rec["weight"]
        if not math.isnan(weight) and (weight < 0 or not math.isfinite(weight)):
            err(row, "weight", f"Bobot harus >= 0 (tertulis {weight:g})", f"Weight must be >= 0 (got {weight:g})", code)
        if _DIRECTION_ALIASES.get(direction) == "target" and math.isnan(rec["target"]):
            err(row, "target", "Arah 'target' memerlukan nilai target", "Direction 'target' needs a target value", code)
        if not math.isnan(rec["tolerance"]) and rec["tolerance"] < 0:
            err(row, "tolerance", "Toleransi harus >= 0", "Tolerance must be >= 0", code)
        if rec["derivation"] and not variable:
            from indicators.derived import get_derivation

            derivation = get_derivation(rec["derivation"])
            if derivation is None:
                err(
                    row,
                    "derivation",
                    f"Turunan '{rec['derivation']}' tidak terdaftar",
                    f"Derivation '{rec['derivation']}' is not registered",
                    code,
                )
            else:
                absent = [v for v in derivation.inputs if v not in var_codes]
                if absent:
                    names = ", ".join(absent)
                    err(
                        row,
                        "derivation",
                        f"Turunan '{rec['derivation']}' memerlukan variabel yang tidak ada: {names}",
                        f"Derivation '{rec['derivation']}' needs variables missing from the catalog: {names}",
                        code,
                    )
            if not is_leaf.get(code, True):
                err(
                    row,
                    "derivation",
                    "Hanya indikator (daun) yang dapat diturunkan",
                    "Only indicators (leaves) can be derived",
                    code,
                )

    # --- weights among siblings
    weight_of = {c: (1.0 if math.isnan(w) else w) for c, w in zip(out["code"], out["weight"], strict=True)}
    for parent, kids in children.items():
        if kids and not any(weight_of.get(k, 0) > 0 for k in kids):
            listed = ", ".join(kids)
            err(
                row_of[parent],
                "weight",
                f"Semua anak '{parent}' berbobot 0 ({listed})",
                f"All children of '{parent}' have weight 0 ({listed})",
                parent,
            )

    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise ProblemsError(problems, what)

    # --- defaults
    out["direction"] = (
        out["direction"].str.lower().map(lambda d: _DIRECTION_ALIASES.get(d, "higher") if d else "higher")
    )
    out["transform"] = out["transform"].str.lower().replace("", "none")
    out["aggregation"] = out["aggregation"].str.lower().replace("", "arithmetic")
    out["normalization"] = out["normalization"].str.lower()
    out["data_type"] = out["data_type"].str.lower()
    out["weight"] = out["weight"].fillna(1.0)
    out["name_id"] = np.where(out["name_id"] == "", out["code"], out["name_id"])
    out["name_en"] = np.where(out["name_en"] == "", out["name_id"], out["name_en"])
    levels = []
    for code, level in zip(out["code"], out["level"], strict=True):
        if level:
            levels.append(level)
        elif code == root:
            levels.append("index")
        elif is_leaf.get(code, False):
            levels.append("indicator")
        else:
            levels.append("group")
    out["level"] = levels
    # tree first (pre-order is computed by Catalog), variables last, file order kept otherwise
    out = pd.concat([out.loc[out["level"] != VARIABLE_LEVEL], out.loc[out["level"] == VARIABLE_LEVEL]])
    out = out[["row", *COLUMNS]].reset_index(drop=True)
    catalog = Catalog(table=out, root=root, warnings=tuple(problems))
    order = {c: i for i, c in enumerate(catalog.tree_codes + catalog.variables)}
    table = out.iloc[np.argsort([order[c] for c in out["code"]], kind="stable")].reset_index(drop=True)
    table["depth"] = [catalog.depth.get(c, -1) for c in table["code"]]
    return Catalog(table=table, root=root, warnings=tuple(problems))


_DEFAULT: dict[str, Catalog] = {}


def default_catalog() -> Catalog:
    """The Kominfo six-dimension catalog shipped in ``data/catalog.csv`` (read once per process)."""
    if "default" not in _DEFAULT:
        _DEFAULT["default"] = read_catalog(DEFAULT_CATALOG_PATH)
    return _DEFAULT["default"]


def catalog_codes(catalog: Catalog, kinds: Iterable[str] = ("indicator",)) -> list[str]:
    """Codes of the given kinds (``indicator``, ``inner``, ``variable``), for dropdowns."""
    out: list[str] = []
    for kind in kinds:
        out += {"indicator": catalog.indicators, "inner": catalog.inner, "variable": catalog.variables}[kind]
    return out
