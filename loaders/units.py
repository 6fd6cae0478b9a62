"""What a catalog unit allows: the range a value must fall in to be possible at all.

Only the impossible is an error (a percentage over 100, a negative count); goalposts and targets
are the method's business, not the loader's. Growth rates written in % may be negative or exceed
100, so an indicator whose name says growth/change/inflation gets no percent bounds.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass

__all__ = ["UnitRange", "same_unit", "unit_range"]

_PERCENT = {"%", "persen", "percent", "pct", "persentase", "prosen", "percentage"}
_GROWTH = re.compile(r"pertumbuhan|growth|laju|inflasi|inflation|perubahan|change|selisih|kenaikan", re.I)
_RANGE = re.compile(r"^(?:ordinal|skala|scale|skor|score)?\s*(-?\d+(?:[.,]\d+)?)\s*[-\u2013]\s*(\d+(?:[.,]\d+)?)$")
_NONNEG = re.compile(
    r"^(?:count|jumlah|unit|units|buah|orang|jiwa|people|persons|residents|penduduk|households|rumah tangga|"
    r"rt|km2|km²|km|m2|m|ha|hektar|hectare|days|day|hari|years|year|tahun|minutes|minute|menit|hours|jam|"
    r"rp|idr|rupiah|ug/m3|µg/m3|μg/m3|mbps|kbps|per\b|visits|kunjungan|kasus|cases|kg|ton|liter|titik|points|"
    r"sekolah|schools|unit usaha|usaha)",
    re.I,
)


@dataclass(frozen=True)
class UnitRange:
    lower: float = -math.inf
    upper: float = math.inf
    kind: str = ""  # percent | range | nonneg | ""

    def impossible(self, value: float) -> bool:
        return value < self.lower or value > self.upper


def unit_range(unit: str, name: str = "") -> UnitRange:
    """The possible range for values in ``unit`` (``name`` tells growth rates apart)."""
    u = re.sub(r"\s+", " ", str(unit or "")).strip().lower()
    if not u:
        return UnitRange()
    if u in _PERCENT:
        return UnitRange() if _GROWTH.search(name or "") else UnitRange(0.0, 100.0, "percent")
    m = _RANGE.match(u)
    if m:
        lo, hi = (float(x.replace(",", ".")) for x in m.groups())
        if lo < hi:
            return UnitRange(lo, hi, "range")
    if _NONNEG.match(u):
        return UnitRange(0.0, math.inf, "nonneg")
    return UnitRange()


def _norm_unit(unit: str) -> str:
    u = re.sub(r"[\s.]+", "", unicodedata.normalize("NFKC", str(unit or "")).lower())
    return "%" if u in {re.sub(r"\s", "", p) for p in _PERCENT} else u


def same_unit(a: str, b: str) -> bool:
    """Whether two unit spellings mean the same ("%" and "persen"; "per 10000" and "per 10.000")."""
    return _norm_unit(a) == _norm_unit(b)
