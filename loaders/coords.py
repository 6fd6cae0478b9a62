"""Coordinates as surveyors write them: numbers, comma decimals ("-3,79"), degrees-minutes-seconds
(3°47'30"S, 3 47 30 LS), hemisphere letters in English or Indonesian (LU/LS = north/south latitude,
BT/BB = east/west longitude), and both in one cell as copied from a map app ("-3.7956, 102.2592").
"""

from __future__ import annotations

import math
import re
from typing import Any

__all__ = ["parse_coordinate", "split_pair"]

_HEMI = {
    "n": 1, "u": 1, "lu": 1,
    "s": -1, "ls": -1,
    "e": 1, "t": 1, "bt": 1,
    "w": -1, "b": -1, "bb": -1,
}  # fmt: skip
_HEMI_RE = r"(lu|ls|bt|bb|n|s|e|w|u|t|b)"
_NUM = r"(\d+(?:[.,]\d+)?)"
_DMS = re.compile(
    rf"^\s*{_HEMI_RE}?\s*(-|\u2212)?\s*{_NUM}\s*(?:°|º|˚|deg|d|\s|:)\s*"
    rf"(?:{_NUM}(?:\s*(?:'|′|’|:)|m|\s)\s*)?(?:{_NUM}(?:\s*(?:\"|″|”|'')|s(?![a-z]))?\s*)?{_HEMI_RE}?\s*$",
    re.I,
)
_DEC = re.compile(rf"^\s*{_HEMI_RE}?\s*([-+\u2212]?)\s*{_NUM}\s*°?\s*{_HEMI_RE}?\s*$", re.I)


def _num(text: str) -> float:
    return float(text.replace(",", "."))


def parse_coordinate(value: Any) -> float | None:
    """Decimal degrees, or ``None`` when the cell is not a coordinate (NaN for an empty cell)."""
    if value is None:
        return math.nan
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    text = str(value).strip().replace("\u00a0", " ")
    if not text or text in {"-", "..."}:
        return math.nan
    m = _DEC.match(text)
    if m:
        pre, sign, number, post = m.groups()
        v = _num(number)
        hemi = (pre or post or "").lower()
        if sign in {"-", "\u2212"}:
            v = -v
        if hemi:
            v = abs(v) * _HEMI[hemi]
        return v
    m = _DMS.match(text)
    if m:
        pre, sign, deg, minutes, seconds, post = m.groups()
        if minutes is None and seconds is None:
            return None
        v = _num(deg) + (_num(minutes) if minutes else 0.0) / 60.0 + (_num(seconds) if seconds else 0.0) / 3600.0
        if (minutes and _num(minutes) >= 60) or (seconds and _num(seconds) >= 60):
            return None
        hemi = (pre or post or "").lower()
        if hemi:
            v *= _HEMI[hemi]
        elif sign:
            v = -v
        return v
    return None


def split_pair(value: Any) -> tuple[str, str] | None:
    """Split a "lat, lon" cell into its two parts, or ``None`` when it is not a pair."""
    if value is None or isinstance(value, (int, float)):
        return None
    text = str(value).strip().strip("()[]")
    if not text:
        return None
    for sep in (";", "|", "/"):
        if text.count(sep) == 1:
            a, b = text.split(sep)
            return a.strip(), b.strip()
    if text.count(",") == 1:
        a, b = text.split(",")
        return a.strip(), b.strip()
    if ", " in text and text.count(", ") == 1:
        a, b = text.split(", ")
        return a.strip(), b.strip()
    if text.count(",") == 3:  # "-3,79, 102,26": decimal commas, the pair split by the middle comma
        parts = text.split(",")
        return f"{parts[0]},{parts[1]}".strip(), f"{parts[2]},{parts[3]}".strip()
    m = re.match(r"^(.*?[NSLUnsu])\s+(.*[EWTBewtb])$", text)
    if m:
        return m.group(1).strip(), m.group(2).strip()
    parts = text.split()
    if len(parts) == 2:
        return parts[0], parts[1]
    return None
