"""Matching what analysts write in a region cell to a Kemendagri code.

Accepted: Kemendagri codes in any spelling (``17.71.01``, ``177101``, ``1771011001``, numbers from
Excel), BPS codes through the crosswalk table ``data/bps_crosswalk.csv`` (``1771023`` = Singaran
Pati; the 3-digit prefixes of BPS tables, "010. Selebar"), names with administrative prefixes,
any case and spacing ("Kec. Ratu Agung", "KELURAHAN SUMUR MELELEH", "Kota Bengkulu"), aliases
(``data/region_aliases.csv``: "Bumi Ayu" for the gazetteer's "Bumu Ayu"), and "code name" cells.

A typo gets a suggestion (rapidfuzz) but stays an error: a wrong region is worse than a missing
one. A name that fits two regions in scope is an error asking for the code, unless a prefix
("Kec.") or the column header ("Kecamatan") says which level is meant.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd
from rapidfuzz import fuzz, process

from loaders.gazetteer import region as gazetteer_region

__all__ = [
    "ALIASES_PATH",
    "CROSSWALK_PATH",
    "RegionMatch",
    "RegionMatcher",
    "norm_name",
    "read_aliases",
    "read_crosswalk",
]

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
CROSSWALK_PATH = DATA_DIR / "bps_crosswalk.csv"
ALIASES_PATH = DATA_DIR / "region_aliases.csv"

#: Administrative words written before names, and the level they point at.
_PREFIXES = [
    ("kota administrasi", "kota"),
    ("kabupaten", "kota"),
    ("kab", "kota"),
    ("kota", "kota"),
    ("kecamatan", "kecamatan"),
    ("kec", "kecamatan"),
    ("distrik", "kecamatan"),
    ("kelurahan desa", "kelurahan"),
    ("kelurahan", "kelurahan"),
    ("kel", "kelurahan"),
    ("desa", "kelurahan"),
    ("ds", "kelurahan"),
    ("provinsi", "provinsi"),
    ("prov", "provinsi"),
]
_LEVEL_WORDS = {
    "kecamatan": "kecamatan",
    "distrik": "kecamatan",
    "subdistrict": "kecamatan",
    "district": "kecamatan",
    "kelurahan": "kelurahan",
    "desa": "kelurahan",
    "kelurahan desa": "kelurahan",
    "desa kelurahan": "kelurahan",
    "village": "kelurahan",
    "kota": "kota",
    "kabupaten": "kota",
    "kabupaten kota": "kota",
    "kab kota": "kota",
    "regency": "kota",
    "city": "kota",
}
_LEVEL_ID = {"provinsi": "provinsi", "kota": "kota", "kecamatan": "kecamatan", "kelurahan": "kelurahan"}
_LEVEL_EN = {"provinsi": "province", "kota": "city/regency", "kecamatan": "district", "kelurahan": "village"}

_CODE_NAME = re.compile(r"^\s*(\d(?:[\d.]*\d)?)\s*[.):\-\u2013]?\s+(\S.*)$")
_DOTTED = re.compile(r"^\d{2}(?:\.\d{2}(?:\.\d{2}(?:\.\d{4})?)?)?$")
_DIGITS = re.compile(r"^\d+$")


def norm_name(text: Any) -> str:
    """Casefolded, accent-free name with punctuation as single spaces ("Kec.  Ratu-Agung" -> "kec ratu agung")."""
    text = unicodedata.normalize("NFKD", str(text))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    return re.sub(r"[^0-9a-z]+", " ", text).strip()


def level_hint_of_header(header: str) -> str | None:
    """The level a column header names ("Kecamatan / Subdistrict" -> ``kecamatan``), if any."""
    key = norm_name(header)
    for part in [key, *re.split(r"\s{2,}|/", str(header))]:
        word = norm_name(part)
        if word in _LEVEL_WORDS:
            return _LEVEL_WORDS[word]
    first = key.split(" ")[0] if key else ""
    return _LEVEL_WORDS.get(first)


def _strip_prefix(key: str) -> tuple[str, str | None]:
    for prefix, level in _PREFIXES:
        if key.startswith(prefix + " ") and len(key) > len(prefix) + 1:
            return key[len(prefix) + 1 :], level
    return key, None


@lru_cache(maxsize=8)
def _read_table(path: str) -> pd.DataFrame:
    p = Path(path)
    if not p.exists():
        return pd.DataFrame()
    return pd.read_csv(p, dtype=str, keep_default_na=False, comment=None)


def read_crosswalk(path: str | Path = CROSSWALK_PATH) -> pd.DataFrame:
    """BPS code -> Kemendagri code table (columns ``bps_code, kemendagri_code, name``)."""
    frame = _read_table(str(path)).copy()
    if frame.empty:
        return pd.DataFrame(columns=["bps_code", "kemendagri_code", "name"])
    frame["bps_code"] = frame["bps_code"].str.replace(r"\D", "", regex=True)
    return frame


def read_aliases(path: str | Path = ALIASES_PATH) -> pd.DataFrame:
    """Other names of regions (columns ``kemendagri_code, alias``)."""
    frame = _read_table(str(path)).copy()
    if frame.empty:
        return pd.DataFrame(columns=["kemendagri_code", "alias"])
    return frame


@dataclass(frozen=True)
class RegionMatch:
    """Outcome of matching one cell.

    ``status``: ``ok`` | ``empty`` | ``unknown`` | ``ambiguous`` | ``outside`` | ``conflict``.
    ``via``: how it matched (``code``, ``bps``, ``bps_prefix``, ``name``, ``alias``).
    ``note``: a (id, en) warning to report even though the match is usable.
    """

    code: str | None
    status: str
    via: str = ""
    candidates: tuple[str, ...] = ()
    suggestion: str | None = None
    note: tuple[str, str] | None = None
    message: tuple[str, str] | None = None

    @property
    def ok(self) -> bool:
        return self.status == "ok"


class RegionMatcher:
    """Matches cells against the regions in scope (a frame from ``gazetteer.regions_within``)."""

    def __init__(
        self,
        regions: pd.DataFrame,
        crosswalk: pd.DataFrame | None = None,
        aliases: pd.DataFrame | None = None,
    ):
        self.regions = regions.reset_index(drop=True)
        self.codes: set[str] = set(self.regions["code"])
        self.name_of: dict[str, str] = dict(zip(self.regions["code"], self.regions["name"], strict=True))
        self.level_of: dict[str, str] = dict(zip(self.regions["code"], self.regions["level"], strict=True))
        self.parent_of: dict[str, str] = dict(zip(self.regions["code"], self.regions["parent"], strict=True))
        depth = {c: c.count(".") for c in self.codes}
        self.top: str | None = min(self.codes, key=lambda c: (depth[c], c)) if self.codes else None
        crosswalk = read_crosswalk() if crosswalk is None else crosswalk
        aliases = read_aliases() if aliases is None else aliases
        self.bps: dict[str, str] = {
            str(b): str(k)
            for b, k in zip(crosswalk["bps_code"], crosswalk["kemendagri_code"], strict=True)
            if str(k) in self.codes
        }
        bps_of = {k: b for b, k in self.bps.items()}
        self.city_bps: str | None = None
        if self.top is not None and self.level_of.get(self.top) == "kota":
            self.city_bps = bps_of.get(self.top) or self.top.replace(".", "")
        # name index: tier 1 full names and aliases; tier 2 names without their own level's prefix
        self._tier1: dict[str, list[str]] = {}
        self._tier2: dict[str, list[str]] = {}
        self._alias: set[tuple[str, str]] = set()
        for code, name in self.name_of.items():
            key = norm_name(name)
            self._tier1.setdefault(key, []).append(code)
            stripped, level = _strip_prefix(key)
            if level is not None and level == self.level_of[code]:
                self._tier2.setdefault(stripped, []).append(code)
        for code, alias in zip(aliases.get("kemendagri_code", []), aliases.get("alias", []), strict=True):
            if code in self.codes and alias:
                key = norm_name(alias)
                if code not in self._tier1.get(key, []):
                    self._tier1.setdefault(key, []).append(code)
                    self._alias.add((key, code))
        self._choices = {lvl: None for lvl in (None, "provinsi", "kota", "kecamatan", "kelurahan")}
        self._cache: dict[tuple[Any, str | None], RegionMatch] = {}

    # ----------------------------------------------------------------- labels
    def label(self, code: str, lang: str = "id") -> str:
        """``Selebar (kecamatan, 17.71.01)`` / ``Selebar (district, 17.71.01)``."""
        level = self.level_of.get(code, "")
        word = (_LEVEL_EN if lang == "en" else _LEVEL_ID).get(level, level)
        return f"{self.name_of.get(code, code)} ({word}, {code})"

    def common_ancestor(self, codes: list[str]) -> str | None:
        """The region a "Jumlah"/"Total" row stands for: the rows' common parent (or longest
        common code prefix when the rows sit at different levels)."""
        unique = sorted({c for c in codes if c})
        if not unique:
            return self.top
        parents = {self.parent_of.get(c, "") for c in unique}
        if len(parents) == 1:
            parent = parents.pop()
            return parent if parent in self.codes else self.top
        prefix: list[str] = []
        for items in zip(*(c.split(".") for c in unique)):
            if len(set(items)) != 1:
                break
            prefix.append(items[0])
        common = ".".join(prefix)
        return common if common in self.codes else self.top

    # ----------------------------------------------------------------- matching
    def match(self, value: Any, level_hint: str | None = None) -> RegionMatch:
        """Match one cell; results are cached per (cell value, level hint)."""
        try:
            key = (value, level_hint)
            hit = self._cache.get(key)
        except TypeError:
            key, hit = None, None
        if hit is None:
            hit = self._match(value, level_hint)
            if key is not None:
                self._cache[key] = hit
        return hit

    def _match(self, value: Any, level_hint: str | None) -> RegionMatch:
        if value is None or (isinstance(value, float) and value != value):
            return RegionMatch(None, "empty")
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if float(value).is_integer():
                return self._match_code(str(int(value)))
            text = f"{value:.2f}"  # Excel turned a typed "17.71" into a number
            if _DOTTED.match(text):
                return self._match_code(text)
            return self._unknown(str(value), level_hint)
        text = str(value).strip()
        if not text:
            return RegionMatch(None, "empty")
        if _DOTTED.match(text) or _DIGITS.match(text) or re.fullmatch(r"\d+(?:\.0+)?", text):
            return self._match_code(text.split(".0")[0] if re.fullmatch(r"\d+\.0+", text) else text)
        m = _CODE_NAME.match(text)
        if m and (_DOTTED.match(m.group(1)) or _DIGITS.match(m.group(1))):
            return self._match_code_and_name(m.group(1), m.group(2), level_hint)
        return self._match_name(text, level_hint)

    def _match_code(self, text: str) -> RegionMatch:
        digits = text.replace(".", "")
        kemendagri = None
        if _DOTTED.match(text):
            kemendagri = text
        elif len(digits) in (2, 4, 6, 10):
            cuts = [2, 4, 6][: {2: 0, 4: 1, 6: 2, 10: 3}[len(digits)]]
            parts, last = [], 0
            for cut in cuts:
                parts.append(digits[last:cut])
                last = cut
            parts.append(digits[last:])
            kemendagri = ".".join(parts)
        if kemendagri in self.codes:
            return RegionMatch(kemendagri, "ok", "code")
        if digits in self.bps:
            return RegionMatch(self.bps[digits], "ok", "bps")
        if len(digits) == 3 and self.city_bps and self.city_bps + digits in self.bps:
            return RegionMatch(self.bps[self.city_bps + digits], "ok", "bps_prefix")
        if kemendagri is not None:
            known = gazetteer_region(kemendagri)
            if known is not None:
                top = self.label(self.top) if self.top else "-"
                top_en = self.label(self.top, "en") if self.top else "-"
                return RegionMatch(
                    None,
                    "outside",
                    "code",
                    message=(
                        f"Wilayah {known['name']} ({kemendagri}) berada di luar cakupan {top}",
                        f"Region {known['name']} ({kemendagri}) is outside the scope {top_en}",
                    ),
                )
        return RegionMatch(
            None,
            "unknown",
            "code",
            message=(
                f"Kode wilayah '{text}' tidak dikenal (bukan kode Kemendagri atau BPS dalam cakupan)",
                f"Unknown region code '{text}' (not a Kemendagri or BPS code in scope)",
            ),
        )

    def _match_code_and_name(self, code_text: str, name: str, level_hint: str | None) -> RegionMatch:
        by_code = self._match_code(code_text)
        by_name = self._match_name(name, level_hint)
        digits = code_text.replace(".", "")
        if by_code.ok and by_name.ok:
            if by_code.code == by_name.code:
                return by_code
            if by_code.via == "bps_prefix" and self.level_of.get(by_name.code) == "kelurahan":
                return by_name  # a BPS desa sequence number, not a kecamatan code
            return RegionMatch(
                None,
                "conflict",
                by_code.via,
                suggestion=f"{self.label(by_code.code)} / {self.label(by_name.code)}",
                message=(
                    f"Kode '{code_text}' adalah {self.label(by_code.code)}, tetapi namanya '{name}' "
                    f"adalah {self.label(by_name.code)}",
                    f"Code '{code_text}' is {self.label(by_code.code, 'en')} but the name '{name}' "
                    f"is {self.label(by_name.code, 'en')}",
                ),
            )
        if by_code.ok:
            expected = self.name_of[by_code.code]
            score = fuzz.ratio(norm_name(name), norm_name(expected))
            stripped, _ = _strip_prefix(norm_name(name))
            score = max(score, fuzz.ratio(stripped, norm_name(expected)))
            if score >= 80:
                note = None
                if score < 100:
                    note = (
                        f"Nama '{name}' ditulis berbeda dari '{expected}' (kode {code_text}); dipakai kodenya",
                        f"Name '{name}' is spelled differently from '{expected}' (code {code_text}); the code is used",
                    )
                return RegionMatch(by_code.code, "ok", by_code.via, note=note)
            return RegionMatch(
                None,
                "conflict",
                by_code.via,
                suggestion=self.label(by_code.code),
                message=(
                    f"Kode '{code_text}' adalah {self.label(by_code.code)}, tetapi namanya tertulis '{name}'",
                    f"Code '{code_text}' is {self.label(by_code.code, 'en')} but the name reads '{name}'",
                ),
            )
        if by_name.ok and len(digits) == 3:
            return by_name  # an unknown BPS sequence number in front of a good name
        if by_name.ok:
            return RegionMatch(
                None,
                "conflict",
                "code",
                suggestion=self.label(by_name.code),
                message=(
                    f"Kode '{code_text}' tidak cocok dengan nama '{name}' ({self.label(by_name.code)})",
                    f"Code '{code_text}' does not fit the name '{name}' ({self.label(by_name.code, 'en')})",
                ),
            )
        return by_name if by_name.status == "ambiguous" else by_code

    def _lookup(self, key: str, level: str | None) -> list[str]:
        for tier in (self._tier1, self._tier2):
            found = tier.get(key, [])
            if level is not None:
                found = [c for c in found if self.level_of[c] == level]
            if found:
                return found
        return []

    def _match_name(self, text: str, level_hint: str | None) -> RegionMatch:
        key = norm_name(text)
        if not key:
            return RegionMatch(None, "empty")
        stripped, prefix_level = _strip_prefix(key)
        attempts = [(key, None), (stripped, prefix_level)] if stripped != key else [(key, None)]
        for candidate_key, own_level in attempts:
            found = self._lookup(candidate_key, own_level)
            if len(found) > 1 and level_hint and own_level is None:
                narrowed = [c for c in found if self.level_of[c] == level_hint]
                found = narrowed or found
            if len(found) == 1:
                via = "alias" if (candidate_key, found[0]) in self._alias else "name"
                return RegionMatch(found[0], "ok", via)
            if len(found) > 1:
                more = "; ..." if len(found) > 6 else ""
                listed = "; ".join(self.label(c) for c in found[:6]) + more
                listed_en = "; ".join(self.label(c, "en") for c in found[:6]) + more
                return RegionMatch(
                    None,
                    "ambiguous",
                    "name",
                    candidates=tuple(found),
                    suggestion=" / ".join(found[:6]),
                    message=(
                        f"Nama '{text}' cocok dengan {len(found)} wilayah: {listed}; tulis kode wilayahnya",
                        f"Name '{text}' fits {len(found)} regions: {listed_en}; write the region code instead",
                    ),
                )
        return self._unknown(text, prefix_level or level_hint)

    def _unknown(self, text: str, level: str | None) -> RegionMatch:
        suggestion = self.suggest(text, level)
        if suggestion:
            label = self.label(suggestion)
            return RegionMatch(
                None,
                "unknown",
                "name",
                suggestion=label,
                message=(
                    f"Wilayah '{text}' tidak dikenal; maksudnya {label}?",
                    f"Unknown region '{text}'; did you mean {self.label(suggestion, 'en')}?",
                ),
            )
        return RegionMatch(
            None,
            "unknown",
            "name",
            message=(
                f"Wilayah '{text}' tidak dikenal dalam cakupan",
                f"Unknown region '{text}' in scope",
            ),
        )

    def suggest(self, text: str, level: str | None = None) -> str | None:
        """The closest region (code) by name, or ``None`` when nothing is close (score < 80)."""
        key, _ = _strip_prefix(norm_name(text))
        if not key:
            return None
        choices = self._choices.get(level)
        if choices is None:
            choices = {}
            for tier in (self._tier2, self._tier1):
                for name, codes in tier.items():
                    kept = [c for c in codes if level is None or self.level_of[c] == level]
                    if kept:
                        choices[name] = kept[0]
            self._choices[level] = choices
        best = process.extractOne(key, list(choices), scorer=fuzz.WRatio, score_cutoff=80)
        if best is None and level is not None:
            return self.suggest(text, None)
        return choices[best[0]] if best else None
