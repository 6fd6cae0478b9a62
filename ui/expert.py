"""Cached look-ups shared by the expert pages (weights, scenarios, robustness) and the priority and
report pages: scoring another method, the store's values, roles.

Caches follow ``ui.context``: keyed by versions (data version, catalog version, method version),
heavy objects passed as ``_underscore`` arguments so Streamlit never hashes a frame. Returned
objects are shared between sessions and must not be mutated.
"""

from __future__ import annotations

import logging

import pandas as pd
import streamlit as st

from indicators.method import Method
from indicators.scenarios import WRITE_ROLES, ScenarioError, load_scenario
from ui.context import Context, active_values, score_with, scoring_regions  # noqa: F401  (re-exported for the expert pages)
from ui.i18n import t

log = logging.getLogger(__name__)


def role() -> str:
    return st.session_state.get("role") or "viewer"


def user() -> str:
    return st.session_state.get("user") or ""


def can_write() -> bool:
    """Whether the signed-in user may save scenarios (the core checks again on every write)."""
    return role() in WRITE_ROLES


def require_expert() -> None:
    """Stop an expert page for other roles (navigation hides it; this guards a direct visit)."""
    if role() not in WRITE_ROLES:
        st.info(t("expert.need_role"))
        st.stop()


def values(ctx: Context) -> pd.DataFrame:
    """The store's active values (tidy), cached by data version (see ``ui.context``)."""
    return active_values(ctx)


def scenario_choices(ctx: Context) -> tuple[list[int | None], dict[int | None, str], int | None]:
    """Scenario ids (``None`` = catalog default first), their labels (official marked ★) and the
    official scenario's id (``None`` when there is none)."""
    try:
        frame = ctx.store.scenarios()
    except Exception:
        log.exception("scenarios unavailable")
        frame = pd.DataFrame(columns=["id", "name", "author", "created_at", "is_official"])
    ids: list[int | None] = [None]
    labels: dict[int | None, str] = {None: t("expert.default_scenario")}
    official = None
    for rec in frame.itertuples(index=False):
        ids.append(int(rec.id))
        labels[int(rec.id)] = f"{rec.name}{' ★' if bool(rec.is_official) else ''} (#{int(rec.id)})"
        if bool(rec.is_official):
            official = int(rec.id)
    return ids, labels, official


def scenario_method(ctx: Context, scenario_id: int | None) -> tuple[Method, str]:
    """The method and name of a stored scenario (the catalog default for ``None``)."""
    try:
        method, meta = load_scenario(ctx.store, scenario_id)
    except ScenarioError as exc:
        st.error(exc.message(st.session_state.get("lang", "id")))
        return Method(), t("expert.default_scenario")
    return method, (meta["name"] if scenario_id is not None else t("expert.default_scenario"))
