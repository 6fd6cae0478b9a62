"""Shared helpers of the page tests (AppTest): a seeded store, the page list, text checks.

The app keeps one store per process (``st.cache_resource``), so the page tests share ONE
throw-away SQLite store per test module, seeded with the synthetic demo by the app itself on its
first run (as a new installation would be), and clear Streamlit's caches before and after.
"""

from __future__ import annotations

import ast
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DASHBOARD = ROOT / "dashboard.py"
#: Bytes of the untranslated-key marker "⟦" as UTF-8 and as JSON escapes (inside plotly specs).
UNTRANSLATED = (b"\xe2\x9f\xa6", b"\\u27e6", b"\\u27E6")


def pages_in_navigation() -> list[tuple[str, frozenset[str] | None]]:
    """``(path, roles)`` of every page the frame declares (read from ``dashboard.PAGES``)."""
    tree = ast.parse(DASHBOARD.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "PAGES" for t in node.targets):
            pages = ast.literal_eval(node.value)
            return [(p[0], frozenset(p[4]) if p[4] else None) for p in pages]
    raise AssertionError("dashboard.py has no PAGES list")


def present_pages() -> list[tuple[str, frozenset[str] | None]]:
    """The declared pages whose file exists (others land in parallel and are skipped by the frame)."""
    return [(path, roles) for path, roles in pages_in_navigation() if (ROOT / path).exists()]


def role_for(roles: frozenset[str] | None) -> str:
    """A role allowed to open a page (admin for pages restricted to other roles too)."""
    if not roles:
        return "viewer"
    return "admin" if "admin" in roles else sorted(roles)[0]


@pytest.fixture(scope="module")
def app_store(tmp_path_factory) -> Iterator[str]:
    """A fresh SQLite store for the module, set as ``DASBOR_DB_URL``; Streamlit caches cleared."""
    import streamlit as st

    url = f"sqlite:///{tmp_path_factory.mktemp('pages') / 'dasbor-pages.sqlite'}"
    previous = os.environ.get("DASBOR_DB_URL")
    os.environ["DASBOR_DB_URL"] = url
    st.cache_resource.clear()
    st.cache_data.clear()
    try:
        yield url
    finally:
        st.cache_resource.clear()
        st.cache_data.clear()
        if previous is None:
            os.environ.pop("DASBOR_DB_URL", None)
        else:
            os.environ["DASBOR_DB_URL"] = previous


def open_page(page: str, lang: str = "id", role: str = "viewer", state: dict | None = None, timeout: float = 120):
    """An AppTest of the frame switched to ``page`` (already run), in ``lang`` as ``role``."""
    from streamlit.testing.v1 import AppTest

    import ui.i18n

    # AppTest formats widget options OUTSIDE the script run (no session there), so t() falls back
    # to DEFAULT_LANG; align it with the session language so option labels match the run's.
    ui.i18n.DEFAULT_LANG = lang
    at = AppTest.from_file(str(DASHBOARD), default_timeout=timeout)
    at.session_state["lang"] = lang
    if role != "viewer":
        at.session_state["role"] = role
        at.session_state["user"] = f"test-{role}"
    for key, value in (state or {}).items():
        at.session_state[key] = value
    at.run()
    if page != "views/overview.py":
        at.switch_page(page)
        at.run()
    return at


def reset_language() -> None:
    import ui.i18n

    ui.i18n.DEFAULT_LANG = "id"


def iter_nodes(node) -> Iterator:
    """Every block and element of an AppTest tree."""
    yield node
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        for child in children.values():
            yield from iter_nodes(child)


def rendered_bytes(at) -> bytes:
    """All protos of the rendered page, serialised (text, labels, options, tables, chart specs)."""
    parts = []
    for node in iter_nodes(at._tree):
        proto = getattr(node, "proto", None)
        if proto is not None and hasattr(proto, "SerializeToString"):
            parts.append(proto.SerializeToString())
    return b"\n".join(parts)


def untranslated_keys(at) -> list[str]:
    """``⟦key⟧`` markers found anywhere in the rendered page (empty when every key is translated)."""
    blob = rendered_bytes(at)
    found = []
    for marker in UNTRANSLATED:
        start = 0
        while (pos := blob.find(marker, start)) >= 0:
            found.append(blob[pos : pos + 60].decode("utf-8", "replace"))
            start = pos + len(marker)
    return found


def texts(at) -> str:
    """Visible text of the page (markdown, titles, captions, alerts, metric labels/values)."""
    out = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success"):
        out += [str(e.value) for e in getattr(at, kind)]
    out += [f"{m.label} {m.value}" for m in at.metric]
    return "\n".join(out)


def chart_count(at) -> int:
    return len(at.get("plotly_chart"))
