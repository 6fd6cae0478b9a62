"""What every page needs, computed once and cached by version: store, catalog, method, scores.

Pages call :func:`get_context` and read from the returned :class:`Context`; they never score or
query the store themselves. Caches are keyed by ``(store.data_version(), catalog.version,
method.version)`` - never by hashing frames - so an upload or a rollback shows at once and an
unchanged rerun costs a dictionary lookup.

Shared selections live in ``st.session_state`` under fixed keys (:data:`STATE_KEYS`) so they keep
their value across pages: ``lang``, ``year``, ``region_level``, ``scenario_id``, ``role``, ``user``.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import pandas as pd
import streamlit as st

import settings
from indicators.catalog import Catalog, default_catalog
from indicators.engine import ScoreResult, score
from indicators.method import Method
from loaders.gazetteer import region, regions_within
from ui.i18n import t

log = logging.getLogger(__name__)

STATE_KEYS = ("lang", "city", "year", "region_level", "scenario_id", "role", "user")
ROLES = ("viewer", "analyst", "expert", "admin")
#: Region levels a user can pick in the frame's level selector (the city is always shown too).
LEVEL_CHOICES = ("kecamatan", "kelurahan")

DEMO_USERS = (("analis", "analis", "analyst"), ("pakar", "pakar", "expert"), ("admin", "admin", "admin"))


@dataclass
class Context:
    """Data, method and scores of the current session's view."""

    store: Any
    catalog: Catalog
    method: Method
    scenario_name: str
    result: ScoreResult
    regions: pd.DataFrame
    data_version: str
    synthetic: bool
    city: dict[str, Any]
    extras: dict[str, Any] = field(default_factory=dict)

    @cached_property
    def years(self) -> list[int]:
        return sorted({int(y) for y in self.result.unit_year})

    @property
    def latest_year(self) -> int:
        return self.years[-1]

    @cached_property
    def region_names(self) -> dict[str, str]:
        return dict(zip(self.regions["code"], self.regions["name"], strict=True))

    @property
    def scores(self) -> pd.DataFrame:
        """Tidy scores (plain strings) of the selected city's regions, with name, level and parent.

        Ranks are among all regions of the same level in the store (one city: within the city).
        Built once per (versions, city) and shared: do not modify it.
        """
        return _city_scores(f"{self.cache_key}:{self.city['code']}", self.result, self.regions)

    def selected_year(self) -> int:
        year = st.session_state.get("year")
        return int(year) if year in self.years else self.latest_year

    def selected_level(self) -> str:
        level = st.session_state.get("region_level")
        return level if level in LEVEL_CHOICES else "kecamatan"

    def regions_at(self, level: str) -> pd.DataFrame:
        return self.regions.loc[self.regions["level"] == level]

    @property
    def cache_key(self) -> str:
        """Key for page-level caches derived from this context."""
        return f"{self.data_version}:{self.catalog.version}:{self.method.version}"


@st.cache_resource(show_spinner=False, max_entries=8)
def _city_scores(key: str, _result: ScoreResult, _regions: pd.DataFrame) -> pd.DataFrame:
    frame = _result.scores_plain()
    info = _regions[["code", "name", "level", "parent"]].rename(
        columns={"code": "region", "name": "region_name", "level": "region_level", "parent": "region_parent"}
    )
    return frame.merge(info, on="region", how="inner")


# ---------------------------------------------------------------------- resources
@st.cache_resource(show_spinner=False)
def get_store() -> Any:
    """The store (one per process), with the synthetic demo loaded into an empty store."""
    from storage import open_store

    store = open_store(settings.db_url())
    if settings.LOAD_DEMO:
        seed_demo(store)
    return store


def seed_demo(store: Any) -> None:
    """Load the synthetic demo data set, its boundaries and demo accounts into an empty store."""
    if not store.is_empty():
        return
    from loaders.demo import generate_demo

    demo = generate_demo(city=settings.CITY_CODE, boundaries=settings.BOUNDARIES_PATH)
    digest = hashlib.sha256(f"demo:{settings.CITY_CODE}:{demo.meta.get('seed')}".encode()).hexdigest()
    obs = demo.observations if len(demo.observations) else None
    store.import_dataset(
        kind="demo",
        file_name="data contoh (sintetis)",
        sha256=digest,
        uploaded_by="system",
        values=demo.values,
        observations=obs,
        synthetic=True,
        note="Data contoh sintetis untuk peragaan / synthetic demo data",
    )
    try:
        if settings.BOUNDARIES_PATH.exists() and store.boundaries().empty:
            from loaders.boundaries import complete_levels, read_boundaries

            gdf, _ = read_boundaries(settings.BOUNDARIES_PATH, settings.BOUNDARIES_PATH.name)
            store.save_boundaries(complete_levels(gdf), source=str(settings.BOUNDARIES_PATH.name), user="system")
    except Exception:  # boundaries are optional: the map says when they are missing
        log.exception("demo boundaries not loaded")
    existing = set(store.users()["username"]) if hasattr(store, "users") else set()
    for username, password, role in DEMO_USERS:
        if username not in existing:
            store.create_user(username, password, role)


def get_catalog() -> Catalog:
    """The active catalog: the one an admin activated in the store, else the shipped default."""
    try:
        active = get_store().active_catalog()
    except Exception:
        log.exception("active catalog not readable; using the default")
        active = None
    if active is None:
        return default_catalog()
    return _stored_catalog(active["version"], active["csv"])


@st.cache_resource(show_spinner=False, max_entries=4)
def _stored_catalog(version: str, _csv_text: str) -> Catalog:
    from indicators.catalog import read_catalog

    return read_catalog(_csv_text.encode("utf-8"), name="catalog.csv")


@st.cache_resource(show_spinner=False)
def get_regions(city: str) -> pd.DataFrame:
    return regions_within(city)


def cities_in(values: pd.DataFrame) -> list[str]:
    """Kota/kabupaten codes (``17.71``) that have values in the store: the dashboard can show any."""
    codes = pd.Series(values["region"].astype(str).unique())
    return sorted({c[:5] for c in codes if len(c) >= 5 and c[2] == "."})


def all_regions(cities: list[str]) -> pd.DataFrame:
    """Regions of every city with data (and their provinces), for scoring them all at once."""
    frames = [get_regions(c) for c in cities]
    provinces = [region(c[:2]) for c in {c[:2] for c in cities}]
    frames.append(pd.DataFrame([p for p in provinces if p]))
    frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["code", "level"])
    return frame.drop_duplicates("code")


@st.cache_resource(show_spinner=False, max_entries=4)
def _active_values(data_version: str, _store: Any) -> pd.DataFrame:
    """The store's active values (newest dataset wins), read once per data version."""
    return _store.active_values()


@st.cache_resource(show_spinner=False, max_entries=4)
def _scoring_regions(data_version: str, _values: pd.DataFrame) -> tuple[pd.DataFrame, tuple[str, ...]]:
    cities = cities_in(_values)
    return all_regions(cities), tuple(cities)


@st.cache_resource(show_spinner=False, max_entries=16)
def _result(data_version: str, catalog_version: str, method_json: str, _store: Any, _catalog: Catalog) -> ScoreResult:
    """Every active value scored under one method (all cities at once; a level's regions compared)."""
    values = _active_values(data_version, _store)
    regions, _ = _scoring_regions(data_version, values)
    return score(values, _catalog, Method.from_json(method_json), regions=regions)


@st.cache_resource(show_spinner=False, max_entries=4)
def _synthetic(data_version: str, _store: Any) -> bool:
    datasets = _store.datasets()
    active = datasets.loc[datasets["status"] == "active"]
    return bool(active["synthetic"].any()) if len(active) else False


def active_values(ctx: Context) -> pd.DataFrame:
    """The store's active values (tidy, shared and read-only), cached by data version."""
    return _active_values(ctx.data_version, ctx.store)


def scoring_regions(ctx: Context) -> pd.DataFrame:
    """Region levels the scores are computed with (every city in the store)."""
    return _scoring_regions(ctx.data_version, active_values(ctx))[0]


def score_with(ctx: Context, method: Method) -> ScoreResult:
    """The current data scored under another method (the context's own result when it is the same)."""
    if method.version == ctx.method.version:
        return ctx.result
    return _result(ctx.data_version, ctx.catalog.version, method.to_json(), ctx.store, ctx.catalog)


def sign_in(store: Any, username: str, password: str) -> str | None:
    """Check a password against the store; on success put role and user in the session (audited)."""
    username = (username or "").strip()
    role = store.authenticate(username, password or "") if username else None
    if role:
        st.session_state["role"], st.session_state["user"] = role, username
        store.audit("login", username, {"role": role})
    else:
        store.audit("login_failed", username or "-", {})
    return role


def current_method(store: Any) -> tuple[Method, str]:
    """The method of the selected scenario (the official one by default) and its name."""
    scenario_id = st.session_state.get("scenario_id")
    try:
        scenario = store.get_scenario(scenario_id) if scenario_id else store.official_scenario()
    except Exception:
        scenario = None
    if scenario:
        try:
            return Method.model_validate(scenario["settings"]), scenario["name"]
        except Exception:
            log.exception("scenario %s has invalid settings", scenario_id)
    return Method(), t("frame.scenario_default")


def get_context() -> Context:
    """The current session's context (cheap on reruns: everything behind it is cached)."""
    store = get_store()
    catalog = get_catalog()
    method, name = current_method(store)
    data_version = str(store.data_version())
    result = _result(data_version, catalog.version, method.to_json(), store, catalog)
    synthetic = _synthetic(data_version, store)
    _, cities = _scoring_regions(data_version, _active_values(data_version, store))
    city = st.session_state.get("city")
    if city not in cities:
        city = settings.CITY_CODE if (settings.CITY_CODE in cities or not cities) else cities[0]
    regions = get_regions(city)
    city_row = regions.iloc[0].to_dict()
    return Context(
        store=store,
        catalog=catalog,
        method=method,
        scenario_name=name,
        result=result,
        regions=regions,
        data_version=data_version,
        synthetic=synthetic,
        city=city_row,
        extras={"cities": cities},
    )


# ---------------------------------------------------------------------- derived views (cached)
@st.cache_resource(show_spinner=False, max_entries=16)
def _status(cache_key: str, _result: ScoreResult) -> pd.DataFrame:
    from indicators.status import status_frame

    return status_frame(_result)


@st.cache_resource(show_spinner=False, max_entries=16)
def _trends(cache_key: str, end_year: int, _result: ScoreResult) -> pd.DataFrame:
    from indicators.status import trend_frame

    return trend_frame(_result, end_year=end_year)


def statuses(ctx: Context) -> pd.DataFrame:
    """Status of every node, region and year (shared, read-only)."""
    return _status(ctx.cache_key, ctx.result)


def trends(ctx: Context, end_year: int | None = None) -> pd.DataFrame:
    """Trend of every node and region up to ``end_year`` (shared, read-only)."""
    end_year = end_year or ctx.selected_year()
    return _trends(ctx.cache_key, end_year, ctx.result)
