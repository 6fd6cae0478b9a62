"""Small building blocks shared by the pages: labels, colours, table downloads.

Colours: one palette per meaning. Status uses the Okabe-Ito colours (colour-blind safe) and is
always shown with its word, never by colour alone; scores use a sequential palette (cividis); grey
means no data everywhere.
"""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st

from indicators.export import to_csv_bytes, to_xlsx_bytes
from ui.i18n import fmt_num, t

STATUS_COLORS = {
    "green": "#009E73",
    "yellow": "#F0E442",
    "orange": "#E69F00",
    "red": "#D55E00",
    "grey": "#BBBBBB",
}
#: Sequential palette for 0-100 scores (colour-blind safe, prints in greyscale).
SCORE_SCALE = "cividis"
#: Diverging palette for differences (blue = better, orange = worse).
DIFF_SCALE = "RdBu"
NO_DATA_COLOR = "#BBBBBB"
TREND_ARROWS = {"on_track": "↑", "improving": "↗", "stagnating": "→", "decreasing": "↓", "insufficient": "·"}


def status_label(status: str) -> str:
    return t(f"status.{status}")


def trend_label(trend: str) -> str:
    return f"{TREND_ARROWS.get(trend, '')} {t(f'trend.{trend}')}"


def status_chip(status: str) -> str:
    """Markdown badge for a status: coloured dot plus the word (colour is never the only cue)."""
    color = {"green": "green", "yellow": "yellow", "orange": "orange", "red": "red"}.get(status, "gray")
    return f":{color}-badge[● {status_label(status)}]"


def synthetic_banner(synthetic: bool) -> None:
    """The "data contoh (sintetis)" label every page shows while demo data is active."""
    if synthetic:
        st.warning(f"**{t('app.synthetic_badge')}** — {t('app.synthetic_note')}", icon=":material/science:")


def score_text(value: float | None) -> str:
    return fmt_num(value, 1)


def download_table(frame: pd.DataFrame, name: str, key: str | None = None, synthetic: bool = False) -> None:
    """xlsx (formula-injection safe) and CSV downloads of one table, side by side.

    The files are built only when a button is clicked (Streamlit calls the function then), so a
    page with many tables does not pay for their workbooks on every rerun.
    """
    slug = re.sub(r"[^A-Za-z0-9_-]+", "_", name).strip("_") or "tabel"
    note = t("app.synthetic_badge") if synthetic else None
    csv_frame = frame.assign(**{t("common.data_note"): note}) if note else frame
    c1, c2 = st.columns(2)
    c1.download_button(
        t("common.download_xlsx"),
        data=lambda: to_xlsx_bytes({slug[:31]: frame}, note=note),
        file_name=f"{slug}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"{key or slug}_xlsx",
        width="stretch",
    )
    c2.download_button(
        t("common.download_csv"),
        data=lambda: to_csv_bytes(csv_frame),
        file_name=f"{slug}.csv",
        mime="text/csv",
        key=f"{key or slug}_csv",
        width="stretch",
    )


def table_expander(frame: pd.DataFrame, title: str, name: str, key: str | None = None, synthetic: bool = False) -> None:
    """The table behind a chart, in an expander, with its downloads (accessibility: data, not only ink)."""
    with st.expander(title):
        st.dataframe(frame, hide_index=True, width="stretch")
        download_table(frame, name, key=key, synthetic=synthetic)


def switch_to_scenario(scenario_id: int, message: str) -> None:
    """Show a just-saved scenario everywhere: the frame selects it on the next run, with a notice.

    The sidebar's scenario selectbox is drawn before the page, so a page cannot set it directly;
    the frame consumes ``pending_scenario_id`` and ``flash`` before drawing its widgets.
    """
    st.session_state["pending_scenario_id"] = int(scenario_id)
    st.session_state["flash"] = message
    st.rerun()
