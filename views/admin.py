"""Admin: users and roles, the city's boundaries and region list, the indicator catalog, the audit log.

Every write checks the role on the server (``admin``), not only the navigation. Uploaded
boundaries and catalogs are validated completely before anything is stored; nothing is half-saved.
"""

from __future__ import annotations

import hashlib
import io

import pandas as pd
import streamlit as st

from indicators.catalog import read_catalog
from indicators.problems import ProblemsError
from ui.components import download_table, synthetic_banner
from ui.context import get_context, get_regions
from ui.i18n import current_lang, t

ctx = get_context()
lang = current_lang()
role = st.session_state.get("role", "viewer")
user = st.session_state.get("user") or "?"
store = ctx.store

st.title(t("admin.title"))
synthetic_banner(ctx.synthetic)
if role != "admin":
    st.error(t("admin.only_admin"))
    st.stop()


def problems_table(problems) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                t("admin.col_severity"): t(f"admin.severity_{p.severity}"),
                t("admin.col_where"): p.location(),
                t("admin.col_message"): p.message(lang),
            }
            for p in problems
        ]
    )


users_tab, boundaries_tab, catalog_tab, audit_tab = st.tabs(
    [t("admin.tab_users"), t("admin.tab_boundaries"), t("admin.tab_catalog"), t("admin.tab_audit")]
)

# ------------------------------------------------------------------ users and roles
with users_tab:
    users = store.users()
    st.dataframe(users, hide_index=True, width="stretch")
    roles = ["viewer", "analyst", "expert", "admin"]
    with st.form("admin_new_user", clear_on_submit=True):
        st.markdown(f"**{t('admin.new_user')}**")
        c1, c2, c3 = st.columns(3)
        username = c1.text_input(t("auth.username"))
        password = c2.text_input(t("auth.password"), type="password")
        new_role = c3.selectbox(t("admin.role"), roles, format_func=lambda r: t(f"role.{r}"), index=1)
        if st.form_submit_button(t("admin.create_user")):
            if st.session_state.get("role") != "admin":
                st.error(t("admin.only_admin"))
            elif len(username.strip()) < 3 or len(password) < 8:
                st.error(t("admin.user_invalid"))
            else:
                try:
                    store.create_user(username.strip(), password, new_role, by=user)
                    st.success(t("admin.user_created", user=username.strip()))
                except Exception as exc:  # duplicate user, password too long ...
                    st.error(t("admin.user_failed", reason=str(exc)))
    if len(users):
        with st.form("admin_change_user"):
            st.markdown(f"**{t('admin.change_user')}**")
            c1, c2, c3 = st.columns(3)
            target = c1.selectbox(t("auth.username"), users["username"].tolist())
            changed_role = c2.selectbox(t("admin.role"), roles, format_func=lambda r: t(f"role.{r}"))
            new_password = c3.text_input(t("admin.new_password"), type="password")
            if st.form_submit_button(t("admin.save_user")):
                if st.session_state.get("role") != "admin":
                    st.error(t("admin.only_admin"))
                else:
                    try:
                        store.set_role(target, changed_role, by=user)
                        if new_password:
                            if len(new_password) < 8:
                                raise ValueError(t("admin.user_invalid"))
                            store.set_password(target, new_password, by=user)
                        st.success(t("admin.user_saved", user=target))
                    except Exception as exc:
                        st.error(t("admin.user_failed", reason=str(exc)))

# ------------------------------------------------------------------ boundaries and regions
with boundaries_tab:
    current = store.boundaries()
    counts = current["level"].value_counts().rename_axis("level").reset_index(name="n") if len(current) else None
    if counts is None:
        st.info(t("admin.no_boundaries"))
    else:
        st.caption(t("admin.boundaries_now"))
        st.dataframe(counts, hide_index=True)
    regions = get_regions(ctx.city["code"])
    st.caption(t("admin.regions_caption", city=ctx.city["name"], n=len(regions) - 1))
    download_table(regions, f"wilayah_{ctx.city['code']}", key="admin_regions")
    upload = st.file_uploader(
        t("admin.boundaries_upload"), type=["geojson", "json", "gpkg", "zip"], key="admin_boundaries_file"
    )
    code_property = st.text_input(t("admin.code_property"), key="admin_code_property")
    if upload is not None:
        from loaders.boundaries import complete_levels, read_boundaries

        data = upload.getvalue()
        try:
            gdf, problems = read_boundaries(data, upload.name, code_property=code_property or None, regions=regions)
        except Exception as exc:
            gdf, problems = None, []
            st.error(t("admin.boundaries_unreadable", reason=str(exc)))
        if problems:
            st.dataframe(problems_table(problems), hide_index=True, width="stretch")
        errors = [p for p in problems if p.severity == "error"]
        if gdf is not None and len(gdf):
            complete = complete_levels(gdf)
            st.success(t("admin.boundaries_ok", n=len(gdf), levels=", ".join(sorted(set(complete["level"])))))
            if st.button(t("admin.boundaries_save"), disabled=bool(errors), key="admin_boundaries_save"):
                if st.session_state.get("role") != "admin":
                    st.error(t("admin.only_admin"))
                else:
                    store.save_boundaries(complete, source=upload.name, user=user)
                    st.success(t("admin.boundaries_saved"))

# ------------------------------------------------------------------ catalog (the method as data)
with catalog_tab:
    catalog = ctx.catalog
    active = store.active_catalog()
    st.caption(
        t("admin.catalog_active", name=active["name"])
        if active
        else t("admin.catalog_default", version=catalog.version)
    )
    st.caption(t("admin.catalog_help"))
    download_table(catalog.to_frame(), "catalog", key="admin_catalog")
    upload = st.file_uploader(t("admin.catalog_upload"), type=["csv", "xlsx"], key="admin_catalog_file")
    if upload is not None:
        data = upload.getvalue()
        try:
            candidate = read_catalog(io.BytesIO(data), name=upload.name)
        except ProblemsError as exc:
            candidate = None
            st.error(t("admin.catalog_invalid", n=len(exc.errors)))
            st.dataframe(problems_table(exc.problems), hide_index=True, width="stretch")
        if candidate is not None:
            old, new = set(catalog.tree_codes), set(candidate.tree_codes)
            st.success(
                t(
                    "admin.catalog_valid",
                    n=len(candidate.indicators),
                    added=len(new - old),
                    removed=len(old - new),
                )
            )
            if candidate.warnings:
                st.dataframe(problems_table(candidate.warnings), hide_index=True, width="stretch")
            name = st.text_input(t("admin.catalog_name"), value=upload.name, key="admin_catalog_name")
            if st.button(t("admin.catalog_activate"), key="admin_catalog_save"):
                if st.session_state.get("role") != "admin":
                    st.error(t("admin.only_admin"))
                else:
                    store.save_catalog(candidate.to_csv(), name, candidate.version, user)
                    st.success(t("admin.catalog_saved"))
                    st.rerun()
    saved = store.catalogs()
    if len(saved):
        st.dataframe(saved, hide_index=True, width="stretch")
        ids = [None, *saved["id"].astype(int).tolist()]
        names = dict(zip(saved["id"].astype(int), saved["name"], strict=True))
        chosen = st.selectbox(
            t("admin.catalog_choose"),
            ids,
            format_func=lambda i: t("admin.catalog_shipped") if i is None else f"#{i} {names[i]}",
            key="admin_catalog_choice",
        )
        if st.button(t("admin.catalog_use"), key="admin_catalog_use"):
            if st.session_state.get("role") != "admin":
                st.error(t("admin.only_admin"))
            else:
                store.activate_catalog(chosen, user)
                st.rerun()

# ------------------------------------------------------------------ audit log
with audit_tab:
    log = store.audit_log(limit=500)
    if len(log):
        log = log.assign(detail=log["detail"].map(lambda d: ", ".join(f"{k}={v}" for k, v in d.items())))
    st.dataframe(log, hide_index=True, width="stretch")
    digest = hashlib.sha256(log.to_csv(index=False).encode()).hexdigest()[:8] if len(log) else "0"
    download_table(log, f"audit_log_{digest}", key="admin_audit")
