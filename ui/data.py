"""Cached, read-only views of the current context that several pages share.

Everything here is keyed by :func:`view_key` (data, catalog and method versions plus the selected
city, since one store may hold several cities) and takes the
heavy objects as ``_underscore`` arguments, so Streamlit never hashes a frame; an unchanged rerun
costs a dictionary lookup. Returned frames are shared between sessions: callers must not mutate
them (copy first).
"""

from __future__ import annotations

import logging

import pandas as pd
import streamlit as st

from indicators.engine import ScoreResult
from indicators.quality import provenance as _provenance_frame
from ui.context import Context
from ui.i18n import t

log = logging.getLogger(__name__)

#: Region levels a page may show, top first (the city itself, then its subdivisions).
LEVELS = ("kota", "kecamatan", "kelurahan")


def view_key(ctx: Context) -> str:
    """Cache key of everything a page derives from the context: versions + the selected city."""
    return f"{ctx.cache_key}:{ctx.city['code']}"


def scores(ctx: Context) -> pd.DataFrame:
    """``ctx.scores`` (tidy scores with region name/level/parent), computed once per version."""
    return ctx.scores


@st.cache_resource(show_spinner=False, max_entries=8)
def _provenance(cache_key: str, _store, _result: ScoreResult) -> pd.DataFrame:
    try:
        values = _store.active_values()
        datasets = _store.datasets()
    except Exception:  # a store without provenance still lets the pages show scores
        log.exception("provenance unavailable")
        return pd.DataFrame(
            columns=["region", "year", "indicator", "value", "origin", "score", "dataset_id", "file_name", "inputs"]
        )
    return _provenance_frame(_result, values, datasets)


def provenance(ctx: Context) -> pd.DataFrame:
    """Every indicator value of the run with its origin and dataset (file, uploader, time)."""
    return _provenance(ctx.cache_key, ctx.store, ctx.result)


@st.cache_resource(show_spinner=False, max_entries=4)
def _datasets(data_version: str, _store) -> pd.DataFrame:
    try:
        return _store.datasets()
    except Exception:
        log.exception("datasets unavailable")
        return pd.DataFrame(columns=["id", "file_name", "uploaded_by", "uploaded_at", "status", "synthetic"])


def datasets(ctx: Context) -> pd.DataFrame:
    """The store's dataset list (newest first), cached by data version."""
    return _datasets(ctx.data_version, ctx.store)


def region_label(ctx: Context, code: str, with_parent: bool = True) -> str:
    """``Kecamatan Selebar`` / ``Kel. Pagar Dewa (Selebar)`` / ``Kota Bengkulu``: a region as users name it."""
    names = ctx.region_names
    name = names.get(code, code)
    depth = code.count(".")
    if depth >= 3:
        parent = names.get(code.rsplit(".", 1)[0], "")
        prefix = t("pages.prefix.kelurahan")
        return f"{prefix} {name} ({parent})" if with_parent and parent else f"{prefix} {name}"
    if depth == 2:
        return f"{t('pages.prefix.kecamatan')} {name}"
    return name


def region_options(ctx: Context, levels: tuple[str, ...] = LEVELS) -> list[str]:
    """Region codes of the given levels, the city first, each kecamatan followed by its kelurahan."""
    frame = ctx.regions.loc[ctx.regions["level"].isin(levels)]
    return sorted(frame["code"].astype(str), key=lambda c: [int(p) for p in c.split(".")])


def level_of(code: str) -> str:
    """Region level from a dotted Kemendagri code's depth."""
    return {0: "provinsi", 1: "kota", 2: "kecamatan", 3: "kelurahan"}.get(code.count("."), "kelurahan")


def node_label(ctx: Context, code: str, lang: str) -> str:
    """A node's name, with its code for indicators (users cite indicators by code)."""
    name = ctx.catalog.name(code, lang)
    return f"{code} · {name}" if ctx.catalog.is_indicator(code) else name


#: Above this many rows a table is shown unstyled: a pandas Styler costs about 70 ms per 1,000 rows.
STYLE_MAX_ROWS = 200


def styled(frame: pd.DataFrame, lang: str, precision: int = 2):
    """A Styler writing decimals the user's way (``1.234,56`` in Indonesian) and "–" for no data.

    Only float columns get decimals and separators; integer columns (years, counts, ranks) stay as
    they are, so 2024 never becomes "2.024".
    """
    floats = [c for c in frame.columns if pd.api.types.is_float_dtype(frame[c])]
    marks = {"thousands": ".", "decimal": ","} if lang == "id" else {"thousands": ","}
    styler = frame.style.format(na_rep="–")
    if floats:
        styler = styler.format(precision=precision, na_rep="–", subset=floats, **marks)
    return styler


def show_table(frame: pd.DataFrame, lang: str, precision: int = 2, styler=None, **kwargs) -> None:
    """``st.dataframe`` with Indonesian/English number formatting (see :func:`styled`).

    ``styler`` optionally adds colours to the formatted Styler (``styler(st) -> st``). Tables
    longer than :data:`STYLE_MAX_ROWS` are shown plain so a rerun stays fast.
    """
    kwargs.setdefault("hide_index", True)
    kwargs.setdefault("width", "stretch")
    if len(frame) > STYLE_MAX_ROWS:
        st.dataframe(frame, **kwargs)
        return
    style = styled(frame, lang, precision)
    if styler is not None:
        style = styler(style)
    st.dataframe(style, **kwargs)


@st.cache_resource(show_spinner=False, max_entries=64)
def _memo(key: tuple, _build):
    return _build()


def memo(key: tuple, build):
    """``build()`` computed once per ``key`` and shared (read-only) between reruns and sessions.

    For page views that are pure functions of the versions and selections in ``key`` (always
    include :func:`view_key` and the language): the key is explicit, so nothing is hashed.
    """
    return _memo(key, build)
