"""Persistent state of the dashboard: datasets with provenance, values, observations, boundaries,
users, method scenarios and an append-only audit log.

SQLite file by default (``settings.db_url()``, created on first use), PostgreSQL by URL
(``postgresql://user:pw@host/db``, driven by psycopg 3). No Streamlit here: the CLI, the tests and
the pages share this code. ::

    from storage import open_store
    store = open_store()                      # settings.db_url()
    dataset_id = store.import_dataset(kind="values", file_name="bps.xlsx", sha256=digest,
                                      uploaded_by="analis", values=tidy)
    store.active_values()                     # region, indicator, year, value, dataset_id
"""

from __future__ import annotations

import threading

from storage.engine import StorageError, StoreBusy, normalize_url
from storage.schema import DATASET_STATUSES, ROLES
from storage.store import DuplicateDataset, Store, UserExists

__all__ = [
    "DATASET_STATUSES",
    "ROLES",
    "DuplicateDataset",
    "StorageError",
    "Store",
    "StoreBusy",
    "UserExists",
    "close_all",
    "close_store",
    "open_store",
]

_STORES: dict[str, Store] = {}
_LOCK = threading.Lock()


def open_store(url: str | None = None) -> Store:
    """The store at ``url`` (default ``settings.db_url()``), schema created on first use.

    One :class:`Store` per URL per process: it holds the connection pool, and is thread-safe.
    """
    if url is None:
        import settings

        url = settings.db_url()
    key = normalize_url(url)
    with _LOCK:
        store = _STORES.get(key)
        if store is None:
            store = Store(key)
            _STORES[key] = store
        return store


def close_store(url: str) -> None:
    """Dispose and forget the cached store of ``url`` (tests, after deleting its database)."""
    with _LOCK:
        store = _STORES.pop(normalize_url(url), None)
    if store is not None:
        store.close()


def close_all() -> None:
    """Dispose every cached store's connections and forget them (tests, shutdown)."""
    with _LOCK:
        for store in _STORES.values():
            store.close()
        _STORES.clear()
