"""Unggah Data (analysts): template -> upload -> validation report -> change preview -> commit;
the datasets with their provenance, and rollback.

Thin on purpose: reading, validating and previewing are ``loaders.read_upload``; storing and rolling
back are the store's (one transaction each). The page lays out widgets, checks the role on the
server before every write (hiding the page is not protection), and turns any failure into a
bilingual message: a user never sees a traceback. Runs inside ``dashboard.py`` or on its own
(AppTest): the store comes from ``storage.open_store()`` (one per process and URL) and the catalog
from ``default_catalog()``.
"""

from __future__ import annotations

import hashlib
import json
import logging
from typing import Any

import pandas as pd
import streamlit as st

import settings
import storage
from indicators.catalog import Catalog, default_catalog
from loaders.gazetteer import regions_within
from ui.components import synthetic_banner
from ui.i18n import current_lang, fmt_num, t

log = logging.getLogger(__name__)

WRITE_ROLES = {"analyst", "admin"}
UPLOAD_TYPES = ["xlsx", "xlsm", "xls", "ods", "csv", "tsv", "txt"]
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SEVERITIES = ("error", "warning", "info")
KINDS = ("values", "observations", "demo")
CHANGE_STATUSES = ("new", "changed", "unchanged")
#: Upload times are stored in UTC and shown in the city's time (Kota Bengkulu: WIB, UTC+7).
DISPLAY_TZ, DISPLAY_TZ_LABEL = "Asia/Jakarta", "WIB"
_NONCE = "upload.nonce"
_FLASH = "upload.flash"


# ---------------------------------------------------------------------- cached core calls
def _read_upload():
    """``loaders.read_upload`` (the package entry point), or its module while the package is young."""
    try:
        from loaders import read_upload
    except ImportError:
        from loaders.upload import read_upload
    return read_upload


@st.cache_resource(show_spinner=False, max_entries=4, ttl=3600)
def _validated(
    digest: str, filename: str, year: int | None, columns_json: str, data_version: str, city: str, _data: bytes
):
    """The validation result of one upload, keyed on the bytes' SHA-256 and the store's version.

    The bytes come in as an unhashed argument (``_data``): hashing them again on every rerun is
    what the digest avoids. Shared read-only across sessions (the same file gives the same report).
    """
    store = storage.open_store()
    boundaries = store.boundaries()
    active = store.active_values()
    return _read_upload()(
        _data,
        filename,
        default_catalog(),
        regions_within(city),
        year=year,
        columns=json.loads(columns_json) or None,
        stored=active,
        boundaries=boundaries if len(boundaries) else None,
        values=active,
    )


@st.cache_resource(show_spinner=False, max_entries=2)
def _template(catalog_version: str, city: str) -> bytes | None:
    try:
        from loaders.template import write_template
    except ImportError:
        return None
    import io

    out = io.BytesIO()
    write_template(default_catalog(), regions_within(city), out)
    return out.getvalue()


def _report_bytes(result: Any, lang: str) -> bytes:
    """The loaders' xlsx report: the problems, and each uploaded sheet with its bad cells filled."""
    import io

    from loaders.report import write_report

    out = io.BytesIO()
    write_report(result, out, lang)
    return out.getvalue()


# ---------------------------------------------------------------------- small helpers
def _flash(kind: str, text: str) -> None:
    st.session_state[_FLASH] = (kind, text)


def _show_flash() -> None:
    kind, text = st.session_state.pop(_FLASH, (None, None))
    if kind == "success":
        st.success(text, icon=":material/check_circle:")
    elif kind:
        st.warning(text)


def _when(stamp: Any) -> str:
    if stamp is None or pd.isna(stamp):
        return "–"
    return pd.Timestamp(stamp).tz_convert(DISPLAY_TZ).strftime(f"%Y-%m-%d %H:%M {DISPLAY_TZ_LABEL}")


def _parse_columns(text: str) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        header, sep, code = line.partition("=")
        if not sep or not header.strip() or not code.strip():
            st.warning(t("upload.columns_bad_line", line=line.strip()))
            continue
        mapping[header.strip()] = code.strip()
    return mapping


def _problem_frame(problems: list, lang: str) -> pd.DataFrame:
    rows = [
        {
            "severity": p.severity,
            t("upload.col.severity"): t(f"upload.severity.{p.severity}"),
            t("upload.col.sheet"): p.sheet or "",
            t("upload.col.row"): p.row,
            t("upload.col.column"): p.column or "",
            t("upload.col.cell"): p.cell or "",
            t("upload.col.message"): p.message(lang),
            t("upload.col.suggestion"): p.suggestion or "",
        }
        for p in problems
    ]
    frame = pd.DataFrame(rows)
    if frame.empty:
        return pd.DataFrame(columns=["severity", t("upload.col.severity"), t("upload.col.message")])
    frame[t("upload.col.row")] = frame[t("upload.col.row")].astype("Int64")
    return frame


# ---------------------------------------------------------------------- sections
def _template_box(catalog: Catalog, city: str) -> None:
    st.markdown(f"**{t('upload.template_title')}**")
    st.caption(t("upload.template_help"))
    data = _template(catalog.version, city)
    if data is None:
        st.caption(t("upload.template_unavailable"))
        return
    st.download_button(
        t("upload.template_download"),
        data=data,
        file_name="templat_dasbor_kota_cerdas.xlsx",
        mime=XLSX_MIME,
        key="upload.template",
        icon=":material/download:",
        width="stretch",
    )


def _report(result: Any, lang: str) -> None:
    st.subheader(t("upload.report_title"))
    counts = {s: sum(p.severity == s for p in result.problems) for s in SEVERITIES}
    cols = st.columns(4)
    if result.kind == "observations" and result.observations is not None:
        cols[0].metric(t("upload.n_observations"), fmt_num(len(result.observations), 0))
    else:
        cols[0].metric(t("upload.n_values"), fmt_num(len(result.records), 0))
    cols[1].metric(t("upload.n_errors"), fmt_num(counts["error"], 0))
    cols[2].metric(t("upload.n_warnings"), fmt_num(counts["warning"], 0))
    cols[3].metric(t("upload.n_infos"), fmt_num(counts["info"], 0))
    if counts["error"]:
        st.error(t("upload.has_errors", n=fmt_num(counts["error"], 0)))
    else:
        st.success(t("upload.all_good"))
    if not result.problems:
        return
    frame = _problem_frame(result.problems, lang)
    left, right = st.columns(2)
    present = [s for s in SEVERITIES if counts[s]]
    chosen = left.multiselect(
        t("upload.filter_severity"),
        present,
        default=[s for s in present if s != "info"] or present,
        format_func=lambda s: t(f"upload.severity.{s}"),
        key="upload.filter_severity",
        placeholder=t("common.choose"),
    )
    sheet_col = t("upload.col.sheet")
    sheets = sorted({s for s in frame[sheet_col] if s})
    picked = (
        right.multiselect(t("upload.filter_sheet"), sheets, key="upload.filter_sheet", placeholder=t("common.choose"))
        if sheets
        else []
    )
    shown = frame.loc[frame["severity"].isin(chosen)]
    if picked:
        shown = shown.loc[shown[sheet_col].isin(picked)]
    if shown.empty:
        st.caption(t("upload.no_problems_shown"))
    else:
        st.dataframe(shown.drop(columns="severity"), hide_index=True, width="stretch", key="upload.problems")
    st.download_button(
        t("upload.report_download"),
        data=lambda: _report_bytes(result, lang),  # built on click, off the script thread
        file_name=f"laporan_{result.filename.rsplit('.', 1)[0][:40]}.xlsx",
        mime=XLSX_MIME,
        key="upload.report",
        icon=":material/download:",
    )


def _preview(result: Any, catalog: Catalog, names: dict[str, str], lang: str) -> None:
    st.subheader(t("upload.preview_title"))
    preview = result.preview
    if preview is None or preview.empty:
        st.caption(t("upload.preview_none"))
        return
    counts = preview["status"].value_counts()
    cols = st.columns(3)
    for col, status in zip(cols, CHANGE_STATUSES, strict=True):
        col.metric(t(f"upload.status.{status}"), fmt_num(int(counts.get(status, 0)), 0))
    chosen = st.multiselect(
        t("upload.preview_filter"),
        list(CHANGE_STATUSES),
        default=["new", "changed"],
        format_func=lambda s: t(f"upload.status.{s}"),
        key="upload.preview_filter",
        placeholder=t("common.choose"),
    )
    shown = preview.loc[preview["status"].isin(chosen)]
    table = pd.DataFrame(
        {
            t("upload.col.region"): [f"{names.get(c, c)} ({c})" for c in shown["region"]],
            t("upload.col.indicator"): [f"{c} · {catalog.name(c, lang)}" for c in shown["indicator"]],
            t("upload.col.year"): shown["year"].astype(str).to_numpy(),
            t("upload.col.old"): [fmt_num(v, 2) for v in shown["old_value"]],
            t("upload.col.new"): [fmt_num(v, 2) for v in shown["value"]],
            t("upload.col.status"): [t(f"upload.status.{s}") for s in shown["status"]],
            t("upload.col.old_dataset"): ["" if pd.isna(d) else f"#{int(d)}" for d in shown["old_dataset_id"]],
        }
    )
    st.dataframe(table, hide_index=True, width="stretch", key="upload.preview")
    st.caption(t("upload.preview_note"))


def _observations(result: Any) -> None:
    if result.kind != "observations" or result.observations is None or result.observations.empty:
        return
    with st.expander(f"{t('upload.observations_title')} ({fmt_num(len(result.observations), 0)})"):
        keep = [
            c
            for c in ("obs_id", "asset_type", "lat", "lon", "region", "kecamatan", "status")
            if c in result.observations
        ]
        st.dataframe(result.observations[keep].head(500), hide_index=True, width="stretch")


def _commit_box(store: Any, result: Any, role: str | None, user: str) -> None:
    st.subheader(t("upload.commit_title"))
    datasets = store.datasets()
    same = datasets.loc[(datasets["sha256"] == result.sha256) & (datasets["status"] == "active")]
    has_content = len(result.records) > 0 or (result.observations is not None and len(result.observations) > 0)
    if role not in WRITE_ROLES:
        blocked = t("upload.commit_need_role")
    elif not result.ok:
        blocked = t("upload.commit_blocked_errors")
    elif not same.empty:
        blocked = t("upload.commit_duplicate", id=int(same["id"].iloc[0]), file=same["file_name"].iloc[0])
    elif not has_content:
        blocked = t("upload.commit_nothing")
    else:
        blocked = None
    note = st.text_input(t("upload.note"), key="upload.note", disabled=blocked is not None, max_chars=500)
    clicked = st.button(
        t("upload.commit"),
        type="primary",
        disabled=blocked is not None,
        key="upload.commit",
        icon=":material/cloud_upload:",
    )
    if blocked:
        st.caption(blocked)
    if not clicked:
        return
    # checked again on the server: a disabled button is only a hint
    if st.session_state.get("role") not in WRITE_ROLES or not result.ok or not has_content:
        st.error(t("upload.commit_need_role") if st.session_state.get("role") not in WRITE_ROLES else blocked)
        return
    observations = result.observations if result.observations is not None and len(result.observations) else None
    try:
        dataset_id = store.import_dataset(
            kind=result.kind,
            file_name=result.filename,
            sha256=result.sha256,
            uploaded_by=user,
            values=result.records if len(result.records) else None,
            observations=observations,
            note=note,
        )
    except storage.DuplicateDataset as exc:
        st.warning(t("upload.commit_duplicate", id=exc.dataset_id, file=exc.file_name))
        return
    except storage.StoreBusy:
        st.error(t("upload.busy"))
        return
    except Exception:
        log.exception("import of %s failed", result.filename)
        st.error(t("upload.commit_failed"))
        return
    row = store.dataset(dataset_id)
    _flash(
        "success",
        t("upload.committed", id=dataset_id, n=fmt_num(row["n_values"], 0), m=fmt_num(row["n_observations"], 0)),
    )
    st.session_state[_NONCE] = st.session_state.get(_NONCE, 0) + 1  # a fresh, empty uploader
    st.rerun()


def _upload_tab(store: Any, catalog: Catalog, city: str, role: str | None, user: str, lang: str) -> None:
    left, right = st.columns([3, 1])
    with right:
        _template_box(catalog, city)
    with left:
        file = st.file_uploader(
            t("upload.file_label"),
            type=UPLOAD_TYPES,
            max_upload_size=settings.MAX_UPLOAD_MB,
            key=f"upload.file.{st.session_state.get(_NONCE, 0)}",
            help=t("upload.file_help", mb=settings.MAX_UPLOAD_MB),
        )
        with st.expander(t("upload.options")):
            year = st.number_input(
                t("upload.year"), min_value=1990, max_value=2100, value=None, step=1, key="upload.year"
            )
            mapping = _parse_columns(
                st.text_area(t("upload.columns"), help=t("upload.columns_help"), key="upload.columns", height=80)
            )
    if file is None:
        st.info(t("upload.drop_hint"))
        return
    data = file.getvalue()
    digest = hashlib.sha256(data).hexdigest()
    with st.spinner(t("upload.checking")):
        result = _validated(
            digest,
            file.name,
            int(year) if year is not None else None,
            json.dumps(mapping, sort_keys=True),
            store.data_version(),
            city,
            data,
        )
    kind = t(f"upload.kind_{result.kind}") if result.kind in KINDS else result.kind
    st.caption(
        t("upload.file_info", file=file.name, kb=fmt_num(len(data) / 1024, 1), sha=digest[:16])
        + f" · {t('upload.kind')}: {kind}"
    )
    if result.refused:
        reason = result.problems[0].message(lang) if result.problems else ""
        st.error(t("upload.refused", reason=reason))
        if result.problems and result.problems[0].suggestion:
            st.caption(result.problems[0].suggestion)
        st.caption(t("upload.refused_hint"))
        return
    regions = regions_within(city)
    names = dict(zip(regions["code"], regions["name"], strict=True))
    _report(result, lang)
    _preview(result, catalog, names, lang)
    _observations(result)
    _commit_box(store, result, role, user)


def _datasets_tab(store: Any, catalog: Catalog, city: str, role: str | None, user: str, lang: str) -> None:
    st.subheader(t("upload.datasets_title"))
    datasets = store.datasets()
    if datasets.empty:
        st.info(t("upload.no_datasets"))
        return
    synthetic_word = t("app.synthetic_badge")
    table = pd.DataFrame(
        {
            t("upload.col.id"): datasets["id"].to_numpy(),
            t("upload.col.file"): datasets["file_name"].to_numpy(),
            t("upload.col.kind"): [t(f"upload.kind_{k}") if k in KINDS else k for k in datasets["kind"]],
            t("upload.col.by"): datasets["uploaded_by"].to_numpy(),
            t("upload.col.at"): [_when(s) for s in datasets["uploaded_at"]],
            t("upload.col.n_values"): datasets["n_values"].to_numpy(),
            t("upload.col.n_observations"): datasets["n_observations"].to_numpy(),
            t("upload.col.dataset_status"): [t(f"upload.dataset_status.{s}") for s in datasets["status"]],
            t("upload.col.synthetic"): [synthetic_word if s else "" for s in datasets["synthetic"]],
            t("upload.col.sha"): datasets["sha256"].to_numpy(),
            t("upload.col.note"): datasets["note"].to_numpy(),
        }
    )
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        key="upload.datasets",
        column_config={
            t("upload.col.dataset_status"): st.column_config.TextColumn(help=t("upload.status_help")),
            t("upload.col.sha"): st.column_config.TextColumn(width="small"),
        },
    )

    st.subheader(t("upload.rollback_title"))
    live = datasets.loc[datasets["status"] != "rolled_back"]
    if live.empty:
        st.caption(t("upload.rollback_none"))
    else:
        st.caption(t("upload.rollback_explain"))
        labels = {
            int(r.id): f"#{int(r.id)} · {r.file_name} · {r.uploaded_by} · {_when(r.uploaded_at)}"
            for r in live.itertuples()
        }
        chosen = st.selectbox(t("upload.rollback_pick"), list(labels), format_func=labels.get, key="upload.rb_pick")
        sure = st.checkbox(t("upload.rollback_confirm", id=chosen), key=f"upload.rb_sure.{chosen}")
        allowed = role in WRITE_ROLES
        if not allowed:
            st.caption(t("upload.commit_need_role"))
        if st.button(t("upload.rollback"), disabled=not (sure and allowed), key="upload.rb_go", icon=":material/undo:"):
            if st.session_state.get("role") not in WRITE_ROLES:  # server-side check
                st.error(t("upload.commit_need_role"))
            else:
                try:
                    store.rollback(int(chosen), user)
                except storage.StoreBusy:
                    st.error(t("upload.busy"))
                except Exception:
                    log.exception("rollback of %s failed", chosen)
                    st.error(t("upload.rollback_failed"))
                else:
                    _flash("success", t("upload.rolled_back", id=chosen))
                    st.rerun()

    with st.expander(t("upload.provenance_title")):
        st.caption(t("upload.provenance_help"))
        active = store.active_values()
        if active.empty:
            st.caption(t("upload.provenance_none"))
            return
        scope = regions_within(city)
        names = dict(zip(scope["code"], scope["name"], strict=True))
        left, right = st.columns(2)
        indicator = left.selectbox(
            t("upload.col.indicator"),
            sorted(active["indicator"].unique()),
            format_func=lambda c: f"{c} · {catalog.name(c, lang)}",
            key="upload.prov_indicator",
        )
        regions = sorted(active.loc[active["indicator"] == indicator, "region"].unique())
        region = right.selectbox(
            t("upload.col.region"), regions, format_func=lambda c: f"{names.get(c, c)} ({c})", key="upload.prov_region"
        )
        cand = store.value_candidates(region=region, indicator=indicator)
        st.dataframe(
            pd.DataFrame(
                {
                    t("upload.col.year"): cand["year"].astype(str).to_numpy(),
                    t("upload.col.new"): [fmt_num(v, 2) for v in cand["value"]],
                    t("upload.col.winner"): [t("upload.yes") if w else "" for w in cand["winner"]],
                    t("upload.col.id"): [f"#{i}" for i in cand["dataset_id"]],
                    t("upload.col.file"): cand["file_name"].to_numpy(),
                    t("upload.col.by"): cand["uploaded_by"].to_numpy(),
                    t("upload.col.at"): [_when(s) for s in cand["uploaded_at"]],
                    t("upload.col.dataset_status"): [t(f"upload.dataset_status.{s}") for s in cand["status"]],
                }
            ),
            hide_index=True,
            width="stretch",
            key="upload.provenance",
        )


# ---------------------------------------------------------------------- page
def main() -> None:
    lang = current_lang()
    st.title(t("upload.title"))
    st.caption(t("upload.caption"))
    _show_flash()
    store = storage.open_store()
    catalog = default_catalog()
    city = settings.CITY_CODE
    role = st.session_state.get("role")
    user = st.session_state.get("user") or str(role or "anonim")
    datasets = store.datasets()
    active = datasets.loc[datasets["status"] == "active"]
    synthetic_banner(bool(active["synthetic"].any()) if len(active) else False)
    if role not in WRITE_ROLES:
        st.info(t("upload.read_only"))
    upload_tab, datasets_tab = st.tabs([t("upload.tab_upload"), t("upload.tab_datasets")])
    with upload_tab:
        _upload_tab(store, catalog, city, role, user, lang)
    with datasets_tab:
        _datasets_tab(store, catalog, city, role, user, lang)


try:
    main()
except Exception:  # st.rerun/st.stop are BaseExceptions and pass through
    log.exception("upload page failed")
    st.error(t("upload.error_generic"))
