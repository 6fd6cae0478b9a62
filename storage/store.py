"""The store: datasets with provenance, their values and observations, boundaries, users, method
scenarios and the audit log.

Design choices, and why:

* Nothing is overwritten. Each import is a new dataset holding all its rows; which value counts for
  a region/indicator/year is decided when reading: the newest *active* dataset wins (by id, which
  only grows, so clock skew between replicas cannot reorder uploads). A rollback flips a status, so
  the previous dataset's numbers win again, and the UI can always say which dataset a value is from.
* A dataset whose every value (and every identified observation) is given again by newer datasets
  is marked ``superseded``: it no longer contributes anything. Statuses are recomputed inside the
  transaction of every import and rollback, so a rollback can bring a superseded dataset back.
* Every write is one transaction holding the store's write lock (see :mod:`storage.engine`): an
  import is all or nothing, two concurrent imports end with both in or the second cleanly refused
  (same file), and ``data_version`` changes in the same transaction as the data.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from typing import Any

import bcrypt
import geopandas as gpd
import pandas as pd
import shapely
from sqlalchemy import delete, exists, func, insert, select, update
from sqlalchemy.orm import aliased

from storage.engine import BUSY_TIMEOUT_S, StorageError, make_engine, normalize_url, read_transaction, write_transaction
from storage.frames import KEY, OBS_COLUMNS, jsonable, observation_rows, value_rows
from storage.schema import (
    ROLES,
    SCHEMA_VERSION,
    audit_log,
    catalogs,
    datasets,
    meta,
    metadata,
    scenarios,
    users,
)
from storage.schema import boundaries as boundaries_t
from storage.schema import observations as obs_t
from storage.schema import values as values_t

DATASET_COLUMNS = [
    "id",
    "kind",
    "file_name",
    "sha256",
    "uploaded_by",
    "uploaded_at",
    "n_values",
    "n_observations",
    "status",
    "synthetic",
    "note",
]
_LEVEL_OF_DEPTH = {1: "provinsi", 2: "kota", 3: "kecamatan", 4: "kelurahan"}
_INSERT_CHUNK = 5_000
#: bcrypt only looks at the first 72 bytes; longer passwords are refused rather than truncated.
_BCRYPT_MAX_BYTES = 72
_DUMMY_HASH = bcrypt.hashpw(b"not-a-password", bcrypt.gensalt(rounds=4))


class DuplicateDataset(StorageError):
    """The same file (same SHA-256) is already an active dataset."""

    def __init__(self, dataset_id: int, file_name: str = "", sha256: str = ""):
        self.dataset_id = int(dataset_id)
        self.file_name = file_name
        self.sha256 = sha256
        super().__init__(
            f"Berkas ini sudah diunggah sebagai dataset #{dataset_id} ({file_name}). / "
            f"This file was already uploaded as dataset #{dataset_id} ({file_name})."
        )


class UserExists(StorageError, ValueError):
    """A user with this name already exists."""


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _utc(series: pd.Series) -> pd.Series:
    """Timestamps as UTC-aware (SQLite returns naive UTC, PostgreSQL aware in the session zone)."""
    return pd.to_datetime(series, utc=True)


def _chunks(rows: list[dict], size: int = _INSERT_CHUNK):
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def _level_of(code: str) -> str:
    return _LEVEL_OF_DEPTH.get(str(code).count(".") + 1, "")


class Store:
    """All persistent state of the dashboard behind one small API (SQLite or PostgreSQL)."""

    def __init__(self, url: str, *, busy_timeout: float = BUSY_TIMEOUT_S):
        self.url = normalize_url(url)
        self.engine = make_engine(self.url, busy_timeout=busy_timeout)
        self._init_schema()

    def __repr__(self) -> str:
        return f"Store({self.engine.url.render_as_string(hide_password=True)!r})"

    def close(self) -> None:
        """Release the connection pool (tests, shutdown)."""
        self.engine.dispose()

    # ------------------------------------------------------------------ schema and versions
    def _init_schema(self) -> None:
        with write_transaction(self.engine) as conn:
            metadata.create_all(conn)
            present = {row.key for row in conn.execute(select(meta.c.key))}
            defaults = {
                "schema_version": SCHEMA_VERSION,
                "instance": secrets.token_hex(8),
                "data_version": "0",
                "boundaries_version": "0",
            }
            missing = [{"key": k, "value": v} for k, v in defaults.items() if k not in present]
            if missing:
                conn.execute(insert(meta), missing)

    def _meta(self, *keys: str) -> dict[str, str]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(meta.c.key, meta.c.value).where(meta.c.key.in_(keys)))
            return {row.key: row.value for row in rows}

    @staticmethod
    def _bump(conn, key: str) -> None:
        current = conn.execute(select(meta.c.value).where(meta.c.key == key)).scalar_one()
        conn.execute(update(meta).where(meta.c.key == key).values(value=str(int(current) + 1)))

    def data_version(self) -> str:
        """Changes with every import and rollback (the key of cached scores).

        Includes a random id of this database, so two stores (tests, replicas with different
        databases) never share a version string.
        """
        found = self._meta("instance", "data_version")
        return f"{found['instance']}-{found['data_version']}"

    def boundaries_version(self) -> str:
        """Changes whenever boundaries are saved (the key of cached map layers)."""
        found = self._meta("instance", "boundaries_version")
        return f"{found['instance']}-b{found['boundaries_version']}"

    # ------------------------------------------------------------------ datasets
    def is_empty(self) -> bool:
        """True when no dataset was ever imported (the app then seeds the synthetic demo)."""
        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(datasets)).scalar_one() == 0

    def import_dataset(
        self,
        *,
        kind: str,
        file_name: str,
        sha256: str,
        uploaded_by: str,
        values: pd.DataFrame | None = None,
        observations: pd.DataFrame | None = None,
        synthetic: bool = False,
        note: str = "",
    ) -> int:
        """Store one uploaded file as a new dataset, in ONE transaction; returns its id.

        Raises :class:`DuplicateDataset` (with the existing id) when an active dataset has the same
        SHA-256, ``ValueError`` for a frame the loaders should never have produced (nothing to
        import, conflicting values for one key), :class:`storage.engine.StoreBusy` when another
        write holds the store beyond the busy timeout. Nothing is written unless everything is.
        """
        value_list = value_rows(values) if values is not None and len(values) else []
        obs_list = observation_rows(observations) if observations is not None and len(observations) else []
        if not value_list and not obs_list:
            raise ValueError("nothing to import: no values and no observations")
        with write_transaction(self.engine) as conn:
            existing = conn.execute(
                select(datasets.c.id, datasets.c.file_name)
                .where(datasets.c.sha256 == sha256, datasets.c.status == "active")
                .order_by(datasets.c.id.desc())
            ).first()
            if existing is not None:
                raise DuplicateDataset(existing.id, existing.file_name, sha256)
            result = conn.execute(
                insert(datasets).values(
                    kind=kind,
                    file_name=file_name,
                    sha256=sha256,
                    uploaded_by=uploaded_by,
                    uploaded_at=_now(),
                    n_values=len(value_list),
                    n_observations=len(obs_list),
                    status="active",
                    synthetic=bool(synthetic),
                    note=note or "",
                )
            )
            dataset_id = int(result.inserted_primary_key[0])
            for chunk in _chunks(value_list):
                conn.execute(insert(values_t), [{**row, "dataset_id": dataset_id} for row in chunk])
            for chunk in _chunks(obs_list):
                conn.execute(insert(obs_t), [{**row, "dataset_id": dataset_id} for row in chunk])
            changed = self._refresh_statuses(conn)
            self._bump(conn, "data_version")
            self._audit(
                conn,
                "import",
                uploaded_by,
                {
                    "dataset_id": dataset_id,
                    "kind": kind,
                    "file_name": file_name,
                    "sha256": sha256,
                    "n_values": len(value_list),
                    "n_observations": len(obs_list),
                    "synthetic": bool(synthetic),
                    "superseded": changed.get("superseded", []),
                },
            )
        return dataset_id

    def rollback(self, dataset_id: int, user: str) -> None:
        """Take a dataset out of use: the values it gave fall back to the previous datasets.

        Raises ``KeyError`` for an unknown id; rolling back an already rolled-back dataset changes
        nothing.
        """
        dataset_id = int(dataset_id)
        with write_transaction(self.engine) as conn:
            status = conn.execute(select(datasets.c.status).where(datasets.c.id == dataset_id)).scalar_one_or_none()
            if status is None:
                raise KeyError(f"dataset {dataset_id} does not exist")
            if status == "rolled_back":
                return
            conn.execute(update(datasets).where(datasets.c.id == dataset_id).values(status="rolled_back"))
            changed = self._refresh_statuses(conn)
            self._bump(conn, "data_version")
            self._audit(
                conn,
                "rollback",
                user,
                {"dataset_id": dataset_id, "previous_status": status, "reactivated": changed.get("active", [])},
            )

    def _refresh_statuses(self, conn) -> dict[str, list[int]]:
        """Mark every live dataset active or superseded; returns the ids whose status changed."""
        v, w = values_t, aliased(values_t)
        d, e = datasets, aliased(datasets)
        newer_value = exists().where(
            w.c.dataset_id == e.c.id,
            e.c.status != "rolled_back",
            w.c.dataset_id > v.c.dataset_id,
            w.c.region == v.c.region,
            w.c.indicator == v.c.indicator,
            w.c.year == v.c.year,
        )
        with_own_values = set(
            conn.execute(
                select(v.c.dataset_id)
                .join(d, d.c.id == v.c.dataset_id)
                .where(d.c.status != "rolled_back", ~newer_value)
                .distinct()
            ).scalars()
        )
        o, p = obs_t, aliased(obs_t)
        newer_obs = exists().where(
            p.c.dataset_id == e.c.id,
            e.c.status != "rolled_back",
            p.c.dataset_id > o.c.dataset_id,
            p.c.obs_id == o.c.obs_id,
        )
        with_own_obs = set(
            conn.execute(
                select(o.c.dataset_id)
                .join(d, d.c.id == o.c.dataset_id)
                .where(d.c.status != "rolled_back", (o.c.obs_id.is_(None)) | ~newer_obs)
                .distinct()
            ).scalars()
        )
        contributing = with_own_values | with_own_obs
        changed: dict[str, list[int]] = {"active": [], "superseded": []}
        live = conn.execute(select(d.c.id, d.c.status).where(d.c.status != "rolled_back")).all()
        for row in live:
            wanted = "active" if row.id in contributing else "superseded"
            if wanted != row.status:
                changed[wanted].append(int(row.id))
        for status, ids in changed.items():
            if ids:
                conn.execute(update(d).where(d.c.id.in_(ids)).values(status=status))
        return changed

    def datasets(self) -> pd.DataFrame:
        """Every dataset with its provenance, newest first."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(*[datasets.c[c] for c in DATASET_COLUMNS]).order_by(datasets.c.id.desc()))
            frame = pd.DataFrame(rows.all(), columns=DATASET_COLUMNS)
        frame["uploaded_at"] = _utc(frame["uploaded_at"])
        frame["synthetic"] = frame["synthetic"].astype(bool)
        for col in ("id", "n_values", "n_observations"):
            frame[col] = frame[col].astype("int64")
        return frame

    def dataset(self, dataset_id: int) -> dict[str, Any]:
        """One dataset's provenance as a dict (``KeyError`` when unknown)."""
        frame = self.datasets()
        found = frame.loc[frame["id"] == int(dataset_id)]
        if found.empty:
            raise KeyError(f"dataset {dataset_id} does not exist")
        return found.iloc[0].to_dict()

    def dataset_values(self, dataset_id: int) -> pd.DataFrame:
        """All values one dataset holds (whether or not they win), in file order."""
        cols = ["region", "indicator", "year", "value", "unit", "source", "note", "sheet", "row", "n_observed"]
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(*[values_t.c[c] for c in cols])
                .where(values_t.c.dataset_id == int(dataset_id))
                .order_by(values_t.c.id)
            ).all()
        return pd.DataFrame(rows, columns=cols)

    # ------------------------------------------------------------------ values
    def _active_rows(self, conn, region: str | None = None, indicator: str | None = None, year: int | None = None):
        cols = [
            values_t.c.region,
            values_t.c.indicator,
            values_t.c.year,
            values_t.c.value,
            values_t.c.dataset_id,
        ]
        query = (
            select(*cols).join(datasets, datasets.c.id == values_t.c.dataset_id).where(datasets.c.status == "active")
        )
        if region is not None:
            query = query.where(values_t.c.region == region)
        if indicator is not None:
            query = query.where(values_t.c.indicator == indicator)
        if year is not None:
            query = query.where(values_t.c.year == int(year))
        return conn.execute(query).all()

    def active_values(self) -> pd.DataFrame:
        """The values in force: one row per region/indicator/year, the newest active dataset winning.

        Columns ``region, indicator, year, value, dataset_id``.
        """
        cols = ["region", "indicator", "year", "value", "dataset_id"]
        with read_transaction(self.engine) as conn:
            frame = pd.DataFrame(self._active_rows(conn), columns=cols)
        frame = frame.astype({"year": "int64", "value": "float64", "dataset_id": "int64"})
        frame = frame.sort_values("dataset_id", kind="stable").drop_duplicates(KEY, keep="last")
        return frame.sort_values(KEY, kind="stable").reset_index(drop=True)

    def value_candidates(
        self, region: str | None = None, indicator: str | None = None, year: int | None = None
    ) -> pd.DataFrame:
        """Every stored value of live datasets for the filter, with its dataset's provenance.

        ``winner`` is True for the value in force. Values of superseded datasets are listed too
        (they never win) so the UI can show what a newer upload replaced.
        """
        cols = [
            values_t.c.region,
            values_t.c.indicator,
            values_t.c.year,
            values_t.c.value,
            values_t.c.unit,
            values_t.c.source,
            values_t.c.note,
            values_t.c.sheet,
            values_t.c.row,
            values_t.c.n_observed,
            values_t.c.dataset_id,
            datasets.c.kind,
            datasets.c.file_name,
            datasets.c.uploaded_by,
            datasets.c.uploaded_at,
            datasets.c.status,
            datasets.c.synthetic,
        ]
        query = (
            select(*cols)
            .join(datasets, datasets.c.id == values_t.c.dataset_id)
            .where(datasets.c.status != "rolled_back")
            .order_by(values_t.c.region, values_t.c.indicator, values_t.c.year, values_t.c.dataset_id.desc())
        )
        if region is not None:
            query = query.where(values_t.c.region == region)
        if indicator is not None:
            query = query.where(values_t.c.indicator == indicator)
        if year is not None:
            query = query.where(values_t.c.year == int(year))
        names = [c.name for c in cols]
        with read_transaction(self.engine) as conn:
            frame = pd.DataFrame(conn.execute(query).all(), columns=names)
        frame["uploaded_at"] = _utc(frame["uploaded_at"])
        frame = frame.astype({"year": "int64", "value": "float64", "dataset_id": "int64", "synthetic": bool})
        active = frame.loc[frame["status"] == "active"]
        newest = active.groupby(KEY, sort=False)["dataset_id"].max().rename("_winner_id")
        frame = frame.merge(newest, left_on=KEY, right_index=True, how="left")
        frame["winner"] = frame["dataset_id"].eq(frame["_winner_id"])
        return frame.drop(columns="_winner_id").reset_index(drop=True)

    # ------------------------------------------------------------------ observations
    def observations(self) -> pd.DataFrame:
        """Observed assets of active datasets; an ``obs_id`` observed again counts once (newest)."""
        cols = ["dataset_id", *OBS_COLUMNS, "attributes"]
        query = (
            select(*[obs_t.c[c] for c in cols])
            .join(datasets, datasets.c.id == obs_t.c.dataset_id)
            .where(datasets.c.status == "active")
            .order_by(obs_t.c.id)
        )
        with read_transaction(self.engine) as conn:
            frame = pd.DataFrame(conn.execute(query).all(), columns=cols)
        frame["dataset_id"] = frame["dataset_id"].astype("int64")
        frame["lat"] = frame["lat"].astype("float64")
        frame["lon"] = frame["lon"].astype("float64")
        frame["attributes"] = [a if isinstance(a, dict) else json.loads(a) if a else {} for a in frame["attributes"]]
        has_id = frame["obs_id"].notna()
        keyed = frame.loc[has_id].sort_values("dataset_id", kind="stable").drop_duplicates("obs_id", keep="last")
        frame = pd.concat([keyed, frame.loc[~has_id]]).sort_index()
        return frame.reset_index(drop=True)

    # ------------------------------------------------------------------ boundaries
    def save_boundaries(self, gdf: gpd.GeoDataFrame, source: str, user: str) -> int:
        """Store region polygons (replacing those with the same code); returns how many were saved.

        ``gdf`` needs ``code`` and a geometry; ``name`` and ``level`` are optional (level from the
        code's depth). Any CRS is reprojected to EPSG:4326; a frame without CRS must already be in
        longitude/latitude.
        """
        if "code" not in gdf.columns:
            raise ValueError("boundaries need a 'code' column")
        frame = gdf
        if frame.crs is None:
            minx, miny, maxx, maxy = frame.total_bounds if len(frame) else (0, 0, 0, 0)
            if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
                raise ValueError("boundaries without CRS are not in longitude/latitude")
        elif frame.crs.to_epsg() != 4326:
            frame = frame.to_crs(4326)
        frame = frame.loc[frame.geometry.notna() & ~frame.geometry.is_empty]
        codes = frame["code"].astype(str).str.strip()
        if codes.duplicated().any():
            raise ValueError(f"boundaries repeat code(s) {sorted(set(codes[codes.duplicated()]))[:5]}")
        names = frame["name"] if "name" in frame.columns else pd.Series("", index=frame.index)
        levels = frame["level"] if "level" in frame.columns else codes.map(_level_of)
        wkb = shapely.to_wkb(frame.geometry.to_numpy(), output_dimension=2)
        now = _now()
        rows = [
            {
                "code": code,
                "level": (str(level) if isinstance(level, str) and level else _level_of(code)),
                "name": "" if pd.isna(name) else str(name),
                "geometry": bytes(blob),
                "source": source or "",
                "saved_by": user or "",
                "saved_at": now,
            }
            for code, level, name, blob in zip(codes, levels, names, wkb, strict=True)
        ]
        with write_transaction(self.engine) as conn:
            for chunk in _chunks(rows, 500):
                conn.execute(delete(boundaries_t).where(boundaries_t.c.code.in_([r["code"] for r in chunk])))
                conn.execute(insert(boundaries_t), chunk)
            self._bump(conn, "boundaries_version")
            by_level = pd.Series([r["level"] for r in rows]).value_counts().to_dict()
            self._audit(conn, "boundaries_save", user, {"source": source, "n": len(rows), "levels": by_level})
        return len(rows)

    def boundaries(self, level: str | None = None) -> gpd.GeoDataFrame:
        """Stored polygons (``code, name, level, geometry``) in EPSG:4326, sorted by code."""
        query = select(
            boundaries_t.c.code, boundaries_t.c.name, boundaries_t.c.level, boundaries_t.c.geometry
        ).order_by(boundaries_t.c.code)
        if level is not None:
            query = query.where(boundaries_t.c.level == level)
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        geometry = shapely.from_wkb([bytes(r.geometry) for r in rows]) if rows else []
        frame = pd.DataFrame(
            {"code": [r.code for r in rows], "name": [r.name for r in rows], "level": [r.level for r in rows]},
            columns=["code", "name", "level"],
        )
        return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geometry, index=frame.index), crs="EPSG:4326")

    # ------------------------------------------------------------------ method scenarios
    def save_scenario(self, name: str, settings: dict, author: str) -> int:
        """Store a named method scenario (its settings as JSON); returns its id."""
        if not str(name).strip():
            raise ValueError("a scenario needs a name")
        payload = json.loads(json.dumps(settings))  # fails early on anything not JSON-able
        with write_transaction(self.engine) as conn:
            result = conn.execute(
                insert(scenarios).values(
                    name=str(name).strip(), settings=payload, author=author, created_at=_now(), is_official=False
                )
            )
            scenario_id = int(result.inserted_primary_key[0])
            self._audit(conn, "scenario_save", author, {"scenario_id": scenario_id, "name": str(name).strip()})
        return scenario_id

    def scenarios(self) -> pd.DataFrame:
        """Saved scenarios (``id, name, author, created_at, is_official``), newest first, without settings."""
        cols = ["id", "name", "author", "created_at", "is_official"]
        with self.engine.connect() as conn:
            rows = conn.execute(select(*[scenarios.c[c] for c in cols]).order_by(scenarios.c.id.desc())).all()
        frame = pd.DataFrame(rows, columns=cols)
        frame["created_at"] = _utc(frame["created_at"])
        return frame.astype({"id": "int64", "is_official": bool})

    @staticmethod
    def _scenario_dict(row) -> dict[str, Any]:
        settings = row.settings if isinstance(row.settings, dict) else json.loads(row.settings)
        created = pd.Timestamp(row.created_at)
        created = created.tz_localize("UTC") if created.tzinfo is None else created.tz_convert("UTC")
        return {
            "id": int(row.id),
            "name": row.name,
            "settings": settings,
            "author": row.author,
            "created_at": created,
            "is_official": bool(row.is_official),
        }

    def get_scenario(self, scenario_id: int) -> dict[str, Any]:
        """One scenario with its settings (``KeyError`` when unknown)."""
        with self.engine.connect() as conn:
            row = conn.execute(select(scenarios).where(scenarios.c.id == int(scenario_id))).first()
        if row is None:
            raise KeyError(f"scenario {scenario_id} does not exist")
        return self._scenario_dict(row)

    def set_official(self, scenario_id: int, user: str) -> None:
        """Make one scenario the official method (the one officials see); the previous loses it."""
        scenario_id = int(scenario_id)
        with write_transaction(self.engine) as conn:
            found = conn.execute(select(scenarios.c.name).where(scenarios.c.id == scenario_id)).scalar_one_or_none()
            if found is None:
                raise KeyError(f"scenario {scenario_id} does not exist")
            previous = conn.execute(select(scenarios.c.id).where(scenarios.c.is_official.is_(True))).scalars().all()
            conn.execute(update(scenarios).where(scenarios.c.id != scenario_id).values(is_official=False))
            conn.execute(update(scenarios).where(scenarios.c.id == scenario_id).values(is_official=True))
            self._audit(
                conn,
                "scenario_official",
                user,
                {"scenario_id": scenario_id, "name": found, "previous": [int(i) for i in previous]},
            )

    def clear_official(self, user: str) -> None:
        """No official scenario any more (the default method applies)."""
        with write_transaction(self.engine) as conn:
            previous = conn.execute(select(scenarios.c.id).where(scenarios.c.is_official.is_(True))).scalars().all()
            conn.execute(update(scenarios).values(is_official=False))
            self._audit(conn, "scenario_official_cleared", user, {"previous": [int(i) for i in previous]})

    def official_scenario(self) -> dict[str, Any] | None:
        """The official scenario with its settings, or ``None`` (then the default method applies)."""
        with self.engine.connect() as conn:
            row = conn.execute(
                select(scenarios).where(scenarios.c.is_official.is_(True)).order_by(scenarios.c.id.desc())
            ).first()
        return None if row is None else self._scenario_dict(row)

    # ------------------------------------------------------------------ catalogs
    def save_catalog(self, csv_text: str, name: str, version: str, user: str, *, activate: bool = True) -> int:
        """Keep an edited catalog (validated by the caller) as CSV text; by default it becomes active.

        Catalogs are never overwritten, so an earlier method can be reactivated and the audit log
        says who changed the method when.
        """
        if not str(name).strip():
            raise ValueError("a catalog needs a name")
        with write_transaction(self.engine) as conn:
            if activate:
                conn.execute(update(catalogs).values(is_active=False))
            result = conn.execute(
                insert(catalogs).values(
                    name=str(name).strip(),
                    csv=csv_text,
                    version=version,
                    saved_by=user,
                    saved_at=_now(),
                    is_active=activate,
                )
            )
            catalog_id = int(result.inserted_primary_key[0])
            self._audit(
                conn,
                "catalog_save",
                user,
                {"catalog_id": catalog_id, "name": str(name).strip(), "version": version, "active": activate},
            )
        return catalog_id

    def catalogs(self) -> pd.DataFrame:
        """Saved catalogs (``id, name, version, saved_by, saved_at, is_active``), newest first."""
        cols = ["id", "name", "version", "saved_by", "saved_at", "is_active"]
        with self.engine.connect() as conn:
            rows = conn.execute(select(*[catalogs.c[c] for c in cols]).order_by(catalogs.c.id.desc())).all()
        frame = pd.DataFrame(rows, columns=cols)
        frame["saved_at"] = _utc(frame["saved_at"])
        return frame.astype({"id": "int64", "is_active": bool})

    def active_catalog(self) -> dict[str, Any] | None:
        """The active catalog (``id, name, csv, version``) or ``None``: then the shipped default applies."""
        with self.engine.connect() as conn:
            row = conn.execute(
                select(catalogs.c.id, catalogs.c.name, catalogs.c.csv, catalogs.c.version)
                .where(catalogs.c.is_active.is_(True))
                .order_by(catalogs.c.id.desc())
            ).first()
        return None if row is None else {"id": int(row.id), "name": row.name, "csv": row.csv, "version": row.version}

    def activate_catalog(self, catalog_id: int | None, user: str) -> None:
        """Make a saved catalog the active one (``None``: back to the shipped default)."""
        with write_transaction(self.engine) as conn:
            if catalog_id is not None:
                found = conn.execute(select(catalogs.c.id).where(catalogs.c.id == int(catalog_id))).first()
                if found is None:
                    raise KeyError(f"catalog {catalog_id} does not exist")
            conn.execute(update(catalogs).values(is_active=False))
            if catalog_id is not None:
                conn.execute(update(catalogs).where(catalogs.c.id == int(catalog_id)).values(is_active=True))
            self._audit(conn, "catalog_activate", user, {"catalog_id": catalog_id})

    # ------------------------------------------------------------------ audit log
    @staticmethod
    def _audit(conn, action: str, user: str, detail: dict) -> None:
        conn.execute(
            insert(audit_log).values(at=_now(), user=str(user or ""), action=str(action), detail=jsonable(detail or {}))
        )

    def audit(self, action: str, user: str, detail: dict) -> None:
        """Append one entry to the audit log (there is no way to change or delete entries)."""
        with write_transaction(self.engine) as conn:
            self._audit(conn, action, user, detail)

    def audit_log(self, limit: int | None = None) -> pd.DataFrame:
        """Audit entries newest first: ``id, at, user, action, detail`` (detail as a dict)."""
        query = select(audit_log.c.id, audit_log.c.at, audit_log.c.user, audit_log.c.action, audit_log.c.detail)
        query = query.order_by(audit_log.c.id.desc())
        if limit is not None:
            query = query.limit(int(limit))
        with self.engine.connect() as conn:
            frame = pd.DataFrame(conn.execute(query).all(), columns=["id", "at", "user", "action", "detail"])
        frame["at"] = _utc(frame["at"])
        frame["detail"] = [d if isinstance(d, dict) else json.loads(d) if d else {} for d in frame["detail"]]
        return frame.astype({"id": "int64"})

    # ------------------------------------------------------------------ users
    @staticmethod
    def _hash(password: str) -> str:
        raw = str(password).encode("utf-8")
        if not raw:
            raise ValueError("password must not be empty")
        if len(raw) > _BCRYPT_MAX_BYTES:
            raise ValueError(f"password longer than {_BCRYPT_MAX_BYTES} bytes")
        return bcrypt.hashpw(raw, bcrypt.gensalt()).decode("ascii")

    @staticmethod
    def _check_role(role: str) -> str:
        if role not in ROLES:
            raise ValueError(f"unknown role {role!r}; one of {ROLES}")
        return role

    def create_user(self, username: str, password: str, role: str, *, by: str = "system") -> None:
        """Add a user with a bcrypt-hashed password (``UserExists`` when the name is taken)."""
        username = str(username).strip()
        if not username:
            raise ValueError("username must not be empty")
        self._check_role(role)
        hashed = self._hash(password)
        with write_transaction(self.engine) as conn:
            taken = conn.execute(select(users.c.username).where(users.c.username == username)).first()
            if taken is not None:
                raise UserExists(f"user {username!r} already exists")
            conn.execute(insert(users).values(username=username, password_hash=hashed, role=role, created_at=_now()))
            self._audit(conn, "user_create", by, {"username": username, "role": role})

    def set_role(self, username: str, role: str, *, by: str) -> None:
        self._check_role(role)
        with write_transaction(self.engine) as conn:
            done = conn.execute(update(users).where(users.c.username == username).values(role=role)).rowcount
            if not done:
                raise KeyError(f"user {username!r} does not exist")
            self._audit(conn, "user_role", by, {"username": username, "role": role})

    def set_password(self, username: str, password: str, *, by: str) -> None:
        hashed = self._hash(password)
        with write_transaction(self.engine) as conn:
            done = conn.execute(update(users).where(users.c.username == username).values(password_hash=hashed)).rowcount
            if not done:
                raise KeyError(f"user {username!r} does not exist")
            self._audit(conn, "user_password", by, {"username": username})

    def authenticate(self, username: str, password: str) -> str | None:
        """The user's role when the password is right, else ``None`` (same cost either way)."""
        with self.engine.connect() as conn:
            row = conn.execute(
                select(users.c.password_hash, users.c.role).where(users.c.username == str(username).strip())
            ).first()
        raw = str(password).encode("utf-8")
        if len(raw) > _BCRYPT_MAX_BYTES or not raw:
            return None
        stored = row.password_hash.encode("ascii") if row is not None else _DUMMY_HASH
        ok = bcrypt.checkpw(raw, stored)
        return row.role if ok and row is not None else None

    def users(self) -> pd.DataFrame:
        """Users without their password hashes: ``username, role, created_at``."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(users.c.username, users.c.role, users.c.created_at).order_by(users.c.username))
            frame = pd.DataFrame(rows.all(), columns=["username", "role", "created_at"])
        frame["created_at"] = _utc(frame["created_at"])
        return frame
