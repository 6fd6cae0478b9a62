"""Laporan: an Excel report and a printable region profile for a chosen scope, year and scenario.

The workbook (summary, dimensions and elements, indicators with status and trend, priorities,
methodology, data sources) and the self-contained HTML profile (inline SVG charts, print CSS: the
browser's "print to PDF" makes the PDF) are built by ``indicators.report``; this page picks the
scope and offers the downloads.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from indicators.priorities import population_by_region, priority_table
from indicators.report import ReportInput, excel_report, region_profile_html
from indicators.status import status_frame, trend_frame
from ui.components import synthetic_banner
from ui.context import Context, get_context, statuses, trends
from ui.data import datasets, provenance, region_label, region_options
from ui.expert import scenario_choices, scenario_method, score_with, values
from ui.i18n import LANGS, current_lang, fmt_num, t

ctx = get_context()
lang = current_lang()
catalog = ctx.catalog
city = ctx.city["code"]

st.title(t("reports.title"))
synthetic_banner(ctx.synthetic)
st.caption(t("reports.caption"))

options = region_options(ctx)
region_labels = {c: region_label(ctx, c) for c in options}  # computed once, in the page's language
if not options:
    st.info(t("reports.no_regions"))
    st.stop()
c1, c2 = st.columns([2, 1])
region = c1.selectbox(
    t("reports.scope"),
    options,
    format_func=region_labels.get,
    index=options.index(city) if city in options else 0,
    key="report_region",
)
years = ctx.years[::-1]
year = c2.selectbox(t("reports.year"), years, index=years.index(ctx.selected_year()), key="report_year")
ids, labels, official = scenario_choices(ctx)
current_id = st.session_state.get("scenario_id")
if current_id not in ids:
    current_id = official
c3, c4 = st.columns([2, 1])
scenario_id = c3.selectbox(
    t("reports.scenario"),
    ids,
    index=ids.index(current_id) if current_id in ids else 0,
    format_func=lambda i: labels[i],
    key="report_scenario",
)
report_lang = c4.radio(
    t("reports.language"),
    list(LANGS),
    index=list(LANGS).index(lang),
    format_func=lambda v: {"id": "Bahasa Indonesia", "en": "English"}[v],
    horizontal=True,
    key="report_lang",
)
method, scenario_name = scenario_method(ctx, scenario_id)
result = score_with(ctx, method)
same = result is ctx.result
if result.unit_index.get((region, int(year))) is None:
    st.info(t("reports.no_data", region=region_label(ctx, region), year=year))
    st.stop()


@st.cache_resource(show_spinner=False, max_entries=8)
def _build(cache_key: str, method_version: str, region: str, year: int, lang: str, name: str, _ctx: Context, _result):
    """The workbook and the profile for one scope (both from the same inputs)."""
    if _result is _ctx.result:
        status, trend, prov = statuses(_ctx), trends(_ctx, year), provenance(_ctx)
    else:
        status, trend, prov = status_frame(_result, year), trend_frame(_result, end_year=year), None
    pop = population_by_region(values(_ctx), year).get(region)
    prio = priority_table(_result, region, year, level="indicator", population=pop, lang=lang)
    inp = ReportInput(
        _result,
        region,
        year,
        scenario_name=name,
        region_names=_ctx.region_names,
        synthetic=_ctx.synthetic,
        lang=lang,
        status=status,
        trend=trend,
        datasets=datasets(_ctx),
        priorities=prio,
        provenance=prov,
    )
    root = _ctx.catalog.root
    headline = inp.node_rows([root, *_ctx.catalog.dimensions])
    return excel_report(inp), region_profile_html(inp), headline


with st.spinner(t("reports.building")):
    xlsx, profile, headline = _build(
        ctx.cache_key, method.version, region, int(year), report_lang, scenario_name, ctx, result
    )

slug = f"laporan_{region}_{year}"
d1, d2 = st.columns(2)
d1.download_button(
    t("reports.download_xlsx"),
    xlsx,
    file_name=f"{slug}.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    key="report_xlsx",
    width="stretch",
    type="primary",
)
d2.download_button(
    t("reports.download_html"),
    profile.encode("utf-8"),
    file_name=f"profil_{region}_{year}.html",
    mime="text/html",
    key="report_html",
    width="stretch",
)
st.caption(t("reports.pdf_hint"))

st.subheader(t("reports.preview_title", region=region_label(ctx, region), year=year))
preview = pd.DataFrame(
    {
        t("common.code"): headline["code"],
        t("reports.node"): [catalog.name(c, lang) for c in headline["code"]],
        t("common.score"): [fmt_num(v, 1) for v in headline["score"]],
        t("common.rank"): [fmt_num(v, 0) for v in headline["rank"]],
        t("common.status"): [t(f"status.{s}") for s in headline["status"]],
        t("reports.trend"): [t(f"trend.{s}") for s in headline["trend"]],
    }
)
st.dataframe(preview, hide_index=True, width="stretch")
st.caption(t("reports.contents"))
if not same:
    st.caption(t("reports.other_scenario", name=scenario_name))
