"""Numbers as analysts type them: Indonesian ("1.234,5") and English ("1,234.5") style, with
percent signs, "Rp", BPS markers, and the no-data symbols ("-", "...", "n.a.", empty).

The hard case is a lone separator followed by exactly three digits: "1.234" is 1234 in an
Indonesian file and 1.234 in an English one. Such cells are *ambiguous*; :class:`NumberColumn`
decides them per column from the evidence the column itself holds ("1.234,5" or "12,5" say
Indonesian; "1,234.5" or "0.5" say English), then from the rest of the file, then from what the
indicator's unit allows, and otherwise reads Indonesian (the dashboard's locale) - always saying so.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import numpy as np

__all__ = ["AMBIGUOUS", "BAD", "EMPTY", "OK", "NumberColumn", "parse_number"]

OK, EMPTY, BAD, AMBIGUOUS = 0, 1, 2, 3

#: Cell texts meaning "no data". BPS writes "-" for nil and "..." for not available.
NO_DATA = {
    "",
    "-",
    "--",
    "---",
    "\u2013",
    "\u2014",
    "..",
    "...",
    "\u2026",
    "n.a.",
    "n.a",
    "na",
    "n/a",
    "#n/a",
    "nan",
    "null",
    "none",
    "tidak ada data",
    "tidak ada",
    "t.a.d",
    "tad",
    "no data",
    "x",
}

_CURRENCY = re.compile(r"^(?:rp\.?|idr|usd|us\$|\$)\s*", re.I)
_TRAIL = re.compile(r"(?:\s*(?:\*+|\s[re]\)?|\^[re]))+$", re.I)
_DASH_END = re.compile(r"[.,]-{1,2}$")
_INT = re.compile(r"^\d+$")
_ONE_SEP = re.compile(r"^(\d+)([.,])(\d+)$")
_GROUPED = re.compile(r"^\d{1,3}([.,])\d{3}(?:\1\d{3})+$")
_ID_FULL = re.compile(r"^\d{1,3}(?:\.\d{3})+,\d+$")
_EN_FULL = re.compile(r"^\d{1,3}(?:,\d{3})+\.\d+$")
_SPACE_GROUP = re.compile(r"^\d{1,3}(?: \d{3})+(?:[.,]\d+)?$")
_SIMPLE = re.compile(r"^-?(\d+)(?:([.,])(\d+))?$")
_SCI = re.compile(r"^\d+(?:[.,]\d+)?e[+-]?\d+$", re.I)


def _one_separator(whole: str, sep: str | None, frac: str | None, sign: float, text: str) -> Parsed:
    """An integer or a number with one separator, without currency, percent or markers."""
    if sep is None:
        v = sign * float(whole)
        return Parsed(OK, v, v, "", False, False, text)
    as_decimal = sign * float(f"{whole}.{frac}")
    if len(frac) == 3 and len(whole) <= 3 and whole != "0":
        as_thousands = sign * float(whole + frac)
        if sep == ".":
            return Parsed(AMBIGUOUS, as_thousands, as_decimal, "amb", False, False, text)
        return Parsed(AMBIGUOUS, as_decimal, as_thousands, "amb", False, False, text)
    return Parsed(OK, as_decimal, as_decimal, "en" if sep == "." else "id", False, False, text)


@dataclass(frozen=True)
class Parsed:
    """One parsed cell. ``value`` is the Indonesian reading, ``value_en`` the English one."""

    status: int
    value: float = math.nan
    value_en: float = math.nan
    style: str = ""  # "", "id", "en", "amb"
    percent: bool = False
    marker: bool = False  # a trailing "*" (preliminary figure) or similar was dropped
    text: str = ""


_EMPTY_PARSED = Parsed(EMPTY)


def parse_number(raw: Any) -> Parsed:
    """Parse one cell; see the module docstring for the styles recognised."""
    if raw is None:
        return _EMPTY_PARSED
    if isinstance(raw, bool):
        return Parsed(BAD, text=str(raw))
    if isinstance(raw, (int, float, np.integer, np.floating)):
        v = float(raw)
        if math.isnan(v):
            return _EMPTY_PARSED
        return Parsed(OK, v, v, "")
    if isinstance(raw, (datetime, date, time, timedelta)):
        return Parsed(BAD, text=str(raw))
    text = str(raw)
    m = _SIMPLE.match(text)
    if m:  # fast path: "12", "-12,5", "1.234" - most text cells
        return _one_separator(m.group(1), m.group(2), m.group(3), -1.0 if text[0] == "-" else 1.0, text)
    s = text.replace("\u00a0", " ").replace("\u202f", " ").replace("\u2009", " ").strip()
    low = s.casefold()
    if low in NO_DATA:
        return Parsed(EMPTY, text=text)
    negative = False
    if s.startswith("(") and s.endswith(")"):
        negative, s = True, s[1:-1].strip()
    if s[:1] in "-\u2212\u2013":
        negative, s = True, s[1:].strip()
    elif s[:1] == "+":
        s = s[1:].strip()
    stripped = _CURRENCY.sub("", s)
    rupiah = stripped != s and s[:1].lower() in "ri"
    s = _DASH_END.sub("", stripped).strip()
    percent = False
    if s.endswith("%"):
        percent, s = True, s[:-1].strip()
    marker = False
    trimmed = _TRAIL.sub("", s)
    if trimmed != s:
        marker, s = True, trimmed.strip()
    if s.endswith("%"):
        percent, s = True, s[:-1].strip()
    if s[:1] in "-\u2212" and not negative:
        negative, s = True, s[1:].strip()
    if _SPACE_GROUP.match(s):
        s = s.replace(" ", "")
    sign = -1.0 if negative else 1.0
    if _INT.match(s):
        v = sign * float(s)
        return Parsed(OK, v, v, "", percent, marker, text)
    m = _ONE_SEP.match(s)
    if m:
        whole, sep, frac = m.groups()
        as_decimal = sign * float(f"{whole}.{frac}")
        as_thousands = sign * float(whole + frac)
        if len(frac) == 3 and len(whole) <= 3 and whole != "0":
            # "1.234" / "1,234": a thousands group or three decimals. Rupiah has no decimals in use.
            if rupiah:
                style = "id" if sep == "." else "en"
                return Parsed(OK, as_thousands, as_thousands, style, percent, marker, text)
            if sep == ".":
                return Parsed(AMBIGUOUS, as_thousands, as_decimal, "amb", percent, marker, text)
            return Parsed(AMBIGUOUS, as_decimal, as_thousands, "amb", percent, marker, text)
        style = "en" if sep == "." else "id"
        return Parsed(OK, as_decimal, as_decimal, style, percent, marker, text)
    m = _GROUPED.match(s)
    if m:
        v = sign * float(s.replace(m.group(1), ""))
        return Parsed(OK, v, v, "id" if m.group(1) == "." else "en", percent, marker, text)
    if _ID_FULL.match(s):
        v = sign * float(s.replace(".", "").replace(",", "."))
        return Parsed(OK, v, v, "id", percent, marker, text)
    if _EN_FULL.match(s):
        v = sign * float(s.replace(",", ""))
        return Parsed(OK, v, v, "en", percent, marker, text)
    if _SCI.match(s):
        style = "id" if "," in s else ""
        v = sign * float(s.replace(",", "."))
        return Parsed(OK, v, v, style, percent, marker, text)
    return Parsed(BAD, text=text)


class NumberColumn:
    """The parsed cells of one column, with the evidence needed to read its ambiguous cells.

    Kept as arrays (Indonesian reading, English reading, status) so a 100,000-row column costs one
    pass; text cells are parsed once per distinct text.
    """

    def __init__(self, raw: Sequence[Any]):
        self.raw = raw
        n = len(raw)
        self._id = np.empty(n)
        self._en = np.empty(n)
        self._status = np.empty(n, dtype=np.int8)
        self.texts: dict[int, Parsed] = {}  # index -> parse of a text cell (for messages)
        cache: dict[Any, Parsed] = {}
        vid, ven, st = self._id, self._en, self._status
        nan = math.nan
        for i, value in enumerate(raw):
            if type(value) is float:
                if value == value:
                    vid[i] = ven[i] = value
                    st[i] = OK
                else:
                    vid[i] = ven[i] = nan
                    st[i] = EMPTY
                continue
            try:
                hit = cache.get(value)
                if hit is None:
                    hit = cache[value] = parse_number(value)
            except TypeError:
                hit = parse_number(value)
            vid[i] = hit.value
            ven[i] = hit.value_en
            st[i] = hit.status
            if hit.text or hit.status != OK:
                self.texts[i] = hit
        styles = [p.style for p in self.texts.values()]
        self.id_evidence = styles.count("id")
        self.en_evidence = styles.count("en")

    def __len__(self) -> int:
        return len(self._status)

    def parsed(self, i: int) -> Parsed:
        """The parse of cell ``i`` (numbers from the file come back as plain ``OK``)."""
        hit = self.texts.get(i)
        if hit is not None:
            return hit
        status = int(self._status[i])
        return Parsed(status, float(self._id[i]), float(self._en[i]))

    @property
    def n_ambiguous(self) -> int:
        return int(np.count_nonzero(self._status == AMBIGUOUS))

    @property
    def markers(self) -> int:
        return sum(1 for p in self.texts.values() if p.marker)

    def values(self, style: str) -> np.ndarray:
        """Float values, reading ambiguous cells in ``style`` ("id" or "en"); NaN for no data/bad."""
        return (self._en if style == "en" else self._id).copy()

    def status(self) -> np.ndarray:
        return self._status.copy()

    def decide(
        self,
        file_id: int = 0,
        file_en: int = 0,
        impossible: Callable[[np.ndarray], int] | None = None,
    ) -> tuple[str, str]:
        """``(style, reason)`` for the ambiguous cells; reason is "" when there are none.

        Reasons: ``column`` (the column's own unambiguous cells), ``column_mixed`` (both styles in
        the column; majority), ``file`` (other columns of the file), ``unit`` (one reading breaks the
        unit's range, the other does not), ``default`` (no evidence: Indonesian).
        """
        if not self.n_ambiguous:
            return ("en" if self.en_evidence > self.id_evidence else "id"), ""
        if self.id_evidence and not self.en_evidence:
            return "id", "column"
        if self.en_evidence and not self.id_evidence:
            return "en", "column"
        if self.id_evidence and self.en_evidence:
            return ("id" if self.id_evidence >= self.en_evidence else "en"), "column_mixed"
        if file_id and not file_en:
            return "id", "file"
        if file_en and not file_id:
            return "en", "file"
        if impossible is not None:
            bad_id = impossible(self.values("id"))
            bad_en = impossible(self.values("en"))
            if bad_id != bad_en:
                return ("id" if bad_id < bad_en else "en"), "unit"
        return "id", "default"
