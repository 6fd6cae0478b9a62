"""Dasbor Kota Cerdas: the Streamlit entry point.

Page config, the language switch, login and roles, the shared selectors (scenario, year, region
level) and navigation by role. Everything a page computes comes from ``ui.context``; pages only lay
out widgets and charts. Run with ``streamlit run dashboard.py``.
"""

from __future__ import annotations

import logging
from pathlib import Path

import streamlit as st

st.set_page_config(page_title="Dasbor Kota Cerdas", page_icon="🏙️", layout="wide")

from loaders.gazetteer import region  # noqa: E402
from ui.context import get_context, get_store, sign_in  # noqa: E402
from ui.i18n import LANGS, t  # noqa: E402

log = logging.getLogger("dashboard")
ROOT = Path(__file__).resolve().parent

#: (file, title key, icon, section key, roles allowed). Viewers are officials: read-only pages.
PAGES = [
    ("views/overview.py", "nav.overview", ":material/dashboard:", "nav.section.view", None),
    ("views/map.py", "nav.map", ":material/map:", "nav.section.view", None),
    ("views/dimension.py", "nav.dimension", ":material/account_tree:", "nav.section.view", None),
    ("views/profile.py", "nav.profile", ":material/location_city:", "nav.section.view", None),
    ("views/compare.py", "nav.compare", ":material/compare_arrows:", "nav.section.view", None),
    ("views/priorities.py", "nav.priorities", ":material/flag:", "nav.section.view", None),
    ("views/reports.py", "nav.reports", ":material/description:", "nav.section.view", None),
    ("views/quality.py", "nav.quality", ":material/fact_check:", "nav.section.data", None),
    ("views/methodology.py", "nav.methodology", ":material/functions:", "nav.section.data", None),
    ("views/upload.py", "nav.upload", ":material/upload_file:", "nav.section.data", {"analyst", "admin"}),
    ("views/weights.py", "nav.weights", ":material/balance:", "nav.section.expert", {"expert", "admin"}),
    ("views/scenarios.py", "nav.scenarios", ":material/tune:", "nav.section.expert", {"expert", "admin"}),
    ("views/robustness.py", "nav.robustness", ":material/ssid_chart:", "nav.section.expert", {"expert", "admin"}),
    ("views/admin.py", "nav.admin", ":material/admin_panel_settings:", "nav.section.expert", {"admin"}),
]


def _language_switch() -> None:
    if st.session_state.get("lang") not in LANGS:
        st.session_state["lang"] = "id"
    st.sidebar.segmented_control(
        t("app.language"),
        options=list(LANGS),
        format_func={"id": "Bahasa Indonesia", "en": "English"}.get,
        key="lang",
        required=True,
    )


def _login(store) -> None:
    role = st.session_state.setdefault("role", "viewer")
    with st.sidebar.expander(
        t("auth.title") if role == "viewer" else t("auth.signed_in", user=st.session_state["user"])
    ):
        if role == "viewer":
            with st.form("login", clear_on_submit=True, border=False):
                username = st.text_input(t("auth.username"))
                password = st.text_input(t("auth.password"), type="password")
                if st.form_submit_button(t("auth.login")):
                    if sign_in(store, username, password):
                        st.rerun()
                    st.error(t("auth.failed"))
            st.caption(t("auth.viewer_hint"))
        else:
            st.caption(t("auth.role", role=t(f"role.{role}")))
            if st.button(t("auth.logout")):
                st.session_state["role"], st.session_state["user"] = "viewer", None
                st.rerun()


def _use_scenario(widget_key: str) -> None:
    st.session_state["scenario_id"] = st.session_state[widget_key] or None


def _scenario_selector(store) -> None:
    """The method scenario shown on every page (0 = the official one, or the catalog's default).

    ``scenario_id`` holds the choice; the selectbox only edits it. When a page switches the
    scenario itself (after saving one) the selectbox is re-created under a new key, because a
    widget whose value is changed from the server keeps sending its old value from the browser
    on the next page switch.
    """
    try:
        scenarios = store.scenarios()
    except Exception:
        scenarios = None
    if scenarios is None or scenarios.empty:
        st.session_state["scenario_id"] = None
        return
    ids = [0, *[int(i) for i in scenarios["id"]]]
    names = dict(zip(scenarios["id"].astype(int), scenarios["name"], strict=True))
    official = scenarios.loc[scenarios["is_official"].astype(bool), "id"]
    official_id = int(official.iloc[0]) if len(official) else None

    lang = st.session_state.get("lang", "id")

    def label(scenario_id):  # AppTest formats options outside the run: the language is captured here
        if not scenario_id:
            return t("frame.scenario_official", lang) if official_id else t("frame.scenario_default", lang)
        mark = " ★" if scenario_id == official_id else ""
        return f"{names[scenario_id]}{mark}"

    generation = st.session_state.setdefault("scenario_widget", 0)
    pending = st.session_state.pop("pending_scenario_id", None)
    if pending in ids:  # a page just saved a scenario: show it
        st.session_state["scenario_id"] = pending
        generation = st.session_state["scenario_widget"] = generation + 1
    current = st.session_state.get("scenario_id") or 0
    if current not in ids:
        current = 0
    st.session_state["scenario_id"] = current or None
    key = f"scenario_select_{generation}"
    st.sidebar.selectbox(
        t("frame.scenario"),
        ids,
        index=ids.index(current) if key not in st.session_state else None,
        format_func=label,
        key=key,
        on_change=_use_scenario,
        args=(key,),
    )


def _selectors(ctx) -> None:
    lang = st.session_state.get("lang", "id")  # captured: AppTest formats options outside the run
    cities = list(ctx.extras.get("cities", ()))
    if len(cities) > 1:  # the store holds several kota/kabupaten: any of them can be shown
        names = {c: (region(c) or {}).get("name", c) for c in cities}
        st.session_state["city"] = ctx.city["code"]
        st.sidebar.selectbox(t("frame.city"), cities, format_func=lambda c: names[c], key="city")
    years = ctx.years
    if st.session_state.get("year") not in years:
        st.session_state["year"] = ctx.latest_year
    st.sidebar.selectbox(t("frame.year"), years[::-1], key="year")
    if st.session_state.get("region_level") not in ("kecamatan", "kelurahan"):
        st.session_state["region_level"] = "kecamatan"
    st.sidebar.radio(
        t("frame.level"),
        ["kecamatan", "kelurahan"],
        format_func=lambda lv: t(f"level.{lv}", lang),
        key="region_level",
        horizontal=True,
    )


@st.cache_resource(show_spinner=False)
def _xml_safety() -> str | None:
    """openpyxl must parse through defusedxml; checked once per process (None when safe)."""
    from loaders import check_xml_safety

    try:
        check_xml_safety()
    except RuntimeError as exc:
        log.error("%s", exc)
        return str(exc)
    return None


def main() -> None:
    _language_switch()
    unsafe = _xml_safety()
    if unsafe:  # refuse to run rather than parse hostile workbooks unprotected
        st.error(unsafe)
        st.stop()
    flash = st.session_state.pop("flash", None)
    if flash:
        st.toast(flash, icon=":material/check_circle:")
    try:
        store = get_store()
    except Exception:
        log.exception("store unavailable")
        st.error(t("app.store_error"))
        st.stop()
    _login(store)
    _scenario_selector(store)
    try:
        ctx = get_context()
    except Exception:
        log.exception("context failed")
        st.error(t("app.error_generic"))
        st.stop()
    _selectors(ctx)

    role = st.session_state.get("role", "viewer")
    sections: dict[str, list] = {}
    for path, title, icon, section, roles in PAGES:
        if not (ROOT / path).exists() or (roles is not None and role not in roles):
            continue
        page = st.Page(path, title=t(title), icon=icon, default=path == "views/overview.py")
        sections.setdefault(t(section), []).append(page)
    st.sidebar.caption(f"{ctx.city['name']} · {t('frame.scenario_short')}: {ctx.scenario_name}")
    navigation = st.navigation(sections)
    try:
        navigation.run()
    except Exception:  # a page bug must never show a traceback to a user
        log.exception("page failed: %s", navigation.title)
        st.error(t("app.error_generic"))


main()
