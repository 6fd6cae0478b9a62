"""Engines and write transactions for SQLite (default) and PostgreSQL.

Every write is one transaction that first takes the store's single write lock, so concurrent
imports (threads, processes, replicas) run one after another and each sees the other's result:

* SQLite: ``BEGIN IMMEDIATE`` takes the database's RESERVED lock at the start (a deferred ``BEGIN``
  would only upgrade at the first write and could fail half-way with "database is locked"); WAL
  mode lets readers go on while a write runs; a busy timeout makes the second writer wait.
* PostgreSQL: a transaction-scoped advisory lock (``pg_advisory_xact_lock``), released at commit or
  rollback, serialises writers across replicas while readers are never blocked.

Reads use ordinary (deferred) transactions.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import StaticPool

#: Seconds a writer waits for another writer before giving up (SQLite busy timeout).
BUSY_TIMEOUT_S = 60.0
#: Any constant: the key of the PostgreSQL advisory lock that serialises writers.
PG_WRITE_LOCK = 7_177_101_001

_WRITE_OPTION = "dasbor_write"


class StorageError(RuntimeError):
    """A store operation failed for a reason a user can be told about."""


class StoreBusy(StorageError):
    """Another write held the store for longer than the busy timeout."""


def normalize_url(url: str) -> str:
    """``postgresql://`` -> ``postgresql+psycopg://`` (psycopg 3 is the driver we ship)."""
    parsed = make_url(url)
    if parsed.drivername in {"postgresql", "postgres"}:
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def make_engine(url: str, busy_timeout: float = BUSY_TIMEOUT_S) -> Engine:
    """An engine with the write-lock discipline above; creates a SQLite file's folder.

    ``busy_timeout`` (seconds) is how long a writer waits for another one before
    :class:`StoreBusy`.
    """
    url = normalize_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        memory = database in {"", ":memory:"} or database.startswith("file::memory:")
        kwargs: dict = {"connect_args": {"timeout": busy_timeout, "check_same_thread": False}}
        if memory:
            kwargs["poolclass"] = StaticPool
        else:
            Path(database).expanduser().resolve().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, **kwargs)
        _sqlite_events(engine, wal=not memory, busy_timeout=busy_timeout)
        return engine
    engine = create_engine(url, pool_pre_ping=True)
    _postgres_events(engine, busy_timeout=busy_timeout)
    return engine


def _sqlite_events(engine: Engine, wal: bool, busy_timeout: float) -> None:
    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record) -> None:  # pragma: no cover - trivial
        # SQLAlchemy, not the sqlite3 module, decides when a transaction begins.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        if wal:
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout * 1000)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get(_WRITE_OPTION, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _postgres_events(engine: Engine, busy_timeout: float) -> None:
    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        if conn.get_execution_options().get(_WRITE_OPTION, False):
            conn.exec_driver_sql(f"SET LOCAL lock_timeout = {int(busy_timeout * 1000)}")
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_WRITE_LOCK})


@contextlib.contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """One all-or-nothing write transaction holding the store's write lock."""
    try:
        with engine.connect().execution_options(**{_WRITE_OPTION: True}) as conn, conn.begin():
            yield conn
    except OperationalError as exc:
        message = str(exc).lower()
        if "locked" in message or "busy" in message or "lock timeout" in message:
            raise StoreBusy(
                "Basis data sedang dipakai proses lain; coba lagi sebentar. / "
                "The database is busy with another write; try again shortly."
            ) from exc
        raise


@contextlib.contextmanager
def read_transaction(engine: Engine) -> Iterator[Connection]:
    """A consistent snapshot for reads (several queries see the same state)."""
    with engine.connect() as conn, conn.begin():
        yield conn
