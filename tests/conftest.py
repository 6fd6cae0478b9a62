"""Shared fixtures: a throw-away store for each test that needs one, small catalogs from text."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SHARED_DATA = ROOT.parent / "shared" / "data"
KELURAHAN_GEOJSON = SHARED_DATA / "boundaries" / "kota_bengkulu_kelurahan.geojson"


def _clear_app_caches() -> None:
    """Forget Streamlit's process-wide caches (the app's store, catalog and scores live there)."""
    import streamlit as st

    st.cache_resource.clear()
    st.cache_data.clear()


@pytest.fixture
def tmp_db(tmp_path, monkeypatch):
    """A fresh SQLite store URL, set as ``DASBOR_DB_URL`` for the code under test.

    The app caches its store with ``st.cache_resource`` for the life of the process, so the caches
    are cleared before and after: each test sees its own database.
    """
    url = f"sqlite:///{tmp_path / 'dasbor-test.sqlite'}"
    monkeypatch.setenv("DASBOR_DB_URL", url)
    _clear_app_caches()
    yield url
    _clear_app_caches()
    from storage import close_store

    close_store(url)


def catalog_from_text(text: str):
    """A validated catalog from CSV text (for small hand-computed cases)."""
    from indicators.catalog import catalog_from_frame

    frame = pd.read_csv(io.StringIO(text.strip()), dtype=str, keep_default_na=False)
    return catalog_from_frame(frame)


def values_from_rows(rows: list[tuple]) -> pd.DataFrame:
    """Tidy values from ``(region, indicator, year, value)`` tuples."""
    return pd.DataFrame(rows, columns=["region", "indicator", "year", "value"])
