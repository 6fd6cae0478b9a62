"""The one translation table of the UI, and Indonesian number formatting.

Every UI string lives in ``ui/strings/*.csv`` (columns ``key,id,en``); the files are split by
area only so that parallel work does not collide, and are merged into one table at import. A key
defined twice, or missing a language, is an error caught by ``tests/test_i18n.py``.

Bahasa Indonesia is the default; the language switch sets ``st.session_state["lang"]``.
"""

from __future__ import annotations

import contextlib
import csv
import math
from functools import lru_cache
from pathlib import Path

STRINGS_DIR = Path(__file__).resolve().parent / "strings"
LANGS = ("id", "en")
DEFAULT_LANG = "id"


@lru_cache(maxsize=1)
def table() -> dict[str, dict[str, str]]:
    """``key -> {"id": ..., "en": ...}`` merged from every strings file."""
    merged: dict[str, dict[str, str]] = {}
    for path in sorted(STRINGS_DIR.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                key = (row.get("key") or "").strip()
                if not key or key.startswith("#"):
                    continue
                merged[key] = {"id": row.get("id") or "", "en": row.get("en") or ""}
    return merged


def duplicate_keys() -> list[tuple[str, str]]:
    """``(key, file)`` for every key defined more than once across the strings files."""
    seen: dict[str, str] = {}
    dups = []
    for path in sorted(STRINGS_DIR.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                key = (row.get("key") or "").strip()
                if not key or key.startswith("#"):
                    continue
                if key in seen:
                    dups.append((key, path.name))
                seen[key] = path.name
    return dups


def current_lang() -> str:
    """The session's language (``id`` outside a Streamlit session)."""
    try:
        import streamlit as st

        lang = st.session_state.get("lang", DEFAULT_LANG)
    except Exception:  # no session (CLI, tests of pure helpers)
        lang = DEFAULT_LANG
    return lang if lang in LANGS else DEFAULT_LANG


def t(key: str, lang: str | None = None, **kwargs: object) -> str:
    """Translated text for ``key``; ``{name}`` placeholders are filled from ``kwargs``.

    An unknown key is shown as ``⟦key⟧`` so a missing translation is visible (and tests fail on it)
    instead of crashing the page.
    """
    lang = lang or current_lang()
    entry = table().get(key)
    if entry is None:
        return f"⟦{key}⟧"
    text = entry.get(lang) or entry.get(DEFAULT_LANG) or f"⟦{key}⟧"
    if kwargs:
        with contextlib.suppress(KeyError, IndexError, ValueError):
            text = text.format(**kwargs)
    return text


def fmt_num(value: object, decimals: int = 1, lang: str | None = None, dash: str = "–") -> str:
    """A number the way the user's language writes it: ``1.234,5`` in Indonesian, ``1,234.5`` in English.

    Missing values (None, NaN) are shown as ``dash``.
    """
    if value is None:
        return dash
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return str(value)
    if math.isnan(number) or math.isinf(number):
        return dash
    text = f"{number:,.{decimals}f}"
    if (lang or current_lang()) == "id":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text


def fmt_pct(value: object, decimals: int = 0, lang: str | None = None) -> str:
    """A share in [0, 1] as a percentage string (``87 %``)."""
    try:
        number = float(value) * 100  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return "–"
    return f"{fmt_num(number, decimals, lang)} %"
