"""The store's tables (SQLAlchemy Core), the same on SQLite and PostgreSQL.

Values and observations are kept per dataset and never overwritten: which value counts is decided
when reading (the newest active dataset wins), so a rollback only flips a dataset's status. The
audit log is append-only, enforced by database triggers as well as by the API having no update or
delete for it.
"""

from __future__ import annotations

from sqlalchemy import (
    DDL,
    JSON,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    event,
)

SCHEMA_VERSION = "1"

DATASET_STATUSES = ("active", "superseded", "rolled_back")
ROLES = ("viewer", "analyst", "expert", "admin")

metadata = MetaData()

#: Key/value facts about the store itself: ``schema_version``, ``instance`` (random id made when the
#: schema is created), ``data_version`` and ``boundaries_version`` (counters bumped by writes).
meta = Table(
    "store_meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

datasets = Table(
    "datasets",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(32), nullable=False),
    Column("file_name", Text, nullable=False),
    Column("sha256", String(64), nullable=False, index=True),
    Column("uploaded_by", String(128), nullable=False),
    Column("uploaded_at", DateTime(timezone=True), nullable=False),
    Column("n_values", Integer, nullable=False, default=0),
    Column("n_observations", Integer, nullable=False, default=0),
    Column("status", String(16), nullable=False, default="active", index=True),
    Column("synthetic", Boolean, nullable=False, default=False),
    Column("note", Text, nullable=False, default=""),
)

values = Table(
    "values",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("dataset_id", Integer, ForeignKey("datasets.id"), nullable=False),
    Column("region", String(32), nullable=False),
    Column("indicator", String(64), nullable=False),
    Column("year", Integer, nullable=False),
    Column("value", Float, nullable=False),
    Column("unit", Text),
    Column("source", Text),
    Column("note", Text),
    Column("sheet", Text),
    Column("row", Integer),
    Column("n_observed", Integer),
    Index("ix_values_key", "region", "indicator", "year", "dataset_id"),
    Index("ix_values_dataset", "dataset_id"),
)

observations = Table(
    "observations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("dataset_id", Integer, ForeignKey("datasets.id"), nullable=False, index=True),
    Column("obs_id", String(128)),
    Column("asset_type", String(64)),
    Column("lat", Float),
    Column("lon", Float),
    Column("region", String(32)),
    Column("kecamatan", String(32)),
    Column("status", Text),
    Column("condition", Text),
    Column("obs_datetime", Text),
    Column("surveyor", Text),
    Column("notes", Text),
    Column("photo_url", Text),
    Column("sheet", Text),
    Column("row", Integer),
    Column("attributes", JSON),
    Index("ix_observations_obs_id", "obs_id", "dataset_id"),
)

boundaries = Table(
    "boundaries",
    metadata,
    Column("code", String(32), primary_key=True),
    Column("level", String(16), nullable=False, index=True),
    Column("name", Text, nullable=False, default=""),
    Column("geometry", LargeBinary, nullable=False),
    Column("source", Text, nullable=False, default=""),
    Column("saved_by", String(128), nullable=False, default=""),
    Column("saved_at", DateTime(timezone=True), nullable=False),
)

users = Table(
    "users",
    metadata,
    Column("username", String(128), primary_key=True),
    Column("password_hash", String(128), nullable=False),
    Column("role", String(16), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

scenarios = Table(
    "scenarios",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", Text, nullable=False),
    Column("settings", JSON, nullable=False),
    Column("author", String(128), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("is_official", Boolean, nullable=False, default=False),
)

catalogs = Table(
    "catalogs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", Text, nullable=False),
    Column("csv", Text, nullable=False),
    Column("version", String(64), nullable=False),
    Column("saved_by", String(128), nullable=False),
    Column("saved_at", DateTime(timezone=True), nullable=False),
    Column("is_active", Boolean, nullable=False, default=False),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("user", String(128), nullable=False),
    Column("action", String(64), nullable=False),
    Column("detail", JSON, nullable=False),
)

# Append-only audit log, enforced by the database (a bug or a hand-written UPDATE cannot rewrite
# history). SQLite: RAISE in BEFORE triggers; PostgreSQL: a trigger function raising an exception.
for _op in ("UPDATE", "DELETE"):
    event.listen(
        audit_log,
        "after_create",
        DDL(
            f"CREATE TRIGGER audit_log_no_{_op.lower()} BEFORE {_op} ON audit_log "
            "BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END"
        ).execute_if(dialect="sqlite"),
    )
event.listen(
    audit_log,
    "after_create",
    DDL(
        "CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger AS $$ "
        "BEGIN RAISE EXCEPTION 'audit log is append-only'; END; $$ LANGUAGE plpgsql"
    ).execute_if(dialect="postgresql"),
)
event.listen(
    audit_log,
    "after_create",
    DDL(
        "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
        "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()"
    ).execute_if(dialect="postgresql"),
)
