"""Fixtures running the storage tests on SQLite and, when ``DASBOR_TEST_PG_URL`` is set, PostgreSQL.

Each PostgreSQL test gets its own schema (through ``search_path``), dropped afterwards, so tests
never see each other's rows. Start a server with ``eval "$(.ci/postgres.sh)"``.
"""

from __future__ import annotations

import os
import uuid

import pandas as pd
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

import storage

PG_ENV = "DASBOR_TEST_PG_URL"
PG_SKIP_REASON = f'{PG_ENV} is not set: run `eval "$(.ci/postgres.sh)"` to also test against PostgreSQL'


def _pg_url_with_schema(schema: str) -> str:
    base = make_url(os.environ[PG_ENV])
    if base.drivername in {"postgresql", "postgres"}:
        base = base.set(drivername="postgresql+psycopg")
    return base.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)


def make_backend_url(kind: str, tmp_path) -> tuple[str, callable]:
    """``(url, cleanup)`` for a fresh, empty store of ``kind`` (``sqlite`` or ``postgresql``)."""
    if kind == "sqlite":
        url = f"sqlite:///{tmp_path / 'store' / 'dasbor.sqlite'}"
        return url, lambda: storage.close_store(url)
    if not os.environ.get(PG_ENV):
        pytest.skip(PG_SKIP_REASON)
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(os.environ[PG_ENV].replace("postgresql://", "postgresql+psycopg://", 1))
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = _pg_url_with_schema(schema)

    def cleanup() -> None:
        storage.close_store(url)
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()

    return url, cleanup


#: Parametrise a ``store_url`` fixture with these; each test module declares (lint-clean):
#:
#:     @pytest.fixture(params=BACKENDS)
#:     def store_url(request, tmp_path):
#:         yield from backend_url(request.param, tmp_path)
BACKENDS = ["sqlite", "postgresql"]


def backend_url(kind: str, tmp_path):
    """Generator body of a ``store_url`` fixture: a fresh empty store's URL, cleaned up after."""
    url, cleanup = make_backend_url(kind, tmp_path)
    try:
        yield url
    finally:
        cleanup()


def tidy(rows: list[tuple]) -> pd.DataFrame:
    """Values frame from ``(region, indicator, year, value)`` tuples."""
    return pd.DataFrame(rows, columns=["region", "indicator", "year", "value"])


def sha(text_: str) -> str:
    import hashlib

    return hashlib.sha256(text_.encode()).hexdigest()
