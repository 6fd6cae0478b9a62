"""Reports a Bappeda can paste into the masterplan: an Excel workbook and a printable region profile.

:func:`excel_report` writes one formatted workbook (xlsxwriter) for a scope - the city or one
kecamatan/kelurahan - a year and a method scenario: summary, dimension and element scores,
the indicator table with status and trend, priorities, the methodology (every method setting and
the weights) and the data sources. Every sheet starts with its title and, while the data are the
synthetic demo, the words "data contoh (sintetis)". Text cells go through
:func:`indicators.export.escape_cell` and the workbook is created with formulas and URLs off, so a
region or file name like ``=HYPERLINK(...)`` stays text (formula injection).

:func:`region_profile_html` writes a self-contained HTML page (inline SVG charts, inline CSS with
print rules, no script, no external file) that prints to A4 from any browser - the PDF route
without a PDF library on the server.

The core does not use the UI's translation table; the few labels of these files are kept here in
both languages (``lang = "id" | "en"``).
"""

from __future__ import annotations

import datetime as dt
import html
import io
import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from indicators.engine import ScoreResult
from indicators.export import XLSX_OPTIONS, escape_cell
from indicators.priorities import node_effective_weights

__all__ = ["LABELS", "STATUS_COLORS", "ReportInput", "excel_report", "region_profile_html"]

#: Okabe-Ito status colours (the UI's palette), grey = no data.
STATUS_COLORS = {"green": "#009E73", "yellow": "#F0E442", "orange": "#E69F00", "red": "#D55E00", "grey": "#BBBBBB"}

LABELS: dict[str, dict[str, str]] = {
    "id": {
        "synthetic": "data contoh (sintetis) - bukan statistik resmi",
        "report_title": "Laporan Indeks Kota Cerdas",
        "profile_title": "Profil Wilayah",
        "summary": "Ringkasan",
        "dimensions": "Dimensi & Elemen",
        "elements": "Elemen",
        "dims_only": "Dimensi",
        "indicators": "Indikator",
        "priorities": "Prioritas",
        "methodology": "Metodologi",
        "sources": "Sumber Data",
        "region": "Wilayah",
        "code": "Kode",
        "name": "Nama",
        "level": "Tingkat",
        "parent": "Induk",
        "year": "Tahun",
        "scenario": "Skenario metode",
        "generated": "Dibuat",
        "index": "Indeks",
        "score": "Skor (0-100)",
        "rank": "Peringkat",
        "of": "dari",
        "status": "Status",
        "trend": "Tren",
        "annual_change": "Perubahan/tahun",
        "coverage": "Cakupan data",
        "weight": "Bobot efektif",
        "value": "Nilai",
        "unit": "Satuan",
        "direction": "Arah",
        "target": "Target",
        "lower": "Batas bawah",
        "upper": "Batas atas",
        "normalization": "Normalisasi",
        "origin": "Asal nilai",
        "source": "Sumber",
        "dataset": "Dataset",
        "file": "Berkas",
        "uploaded_by": "Diunggah oleh",
        "uploaded_at": "Diunggah pada",
        "kind": "Jenis",
        "synthetic_col": "Sintetis",
        "values": "Jumlah nilai",
        "setting": "Pengaturan",
        "setting_value": "Nilai",
        "gap": "Kesenjangan (poin)",
        "priority": "Prioritas (poin indeks)",
        "people": "Penduduk terdampak",
        "peer_median": "Median wilayah sejenis",
        "strengths": "Kekuatan",
        "weaknesses": "Kelemahan",
        "top_priorities": "Prioritas teratas",
        "no_data": "tidak ada data",
        "catalog_weight": "Bobot katalog",
        "formulas": "Rumus",
        "print_hint": "Cetak halaman ini (Ctrl+P) untuk PDF.",
        "higher": "lebih tinggi lebih baik",
        "lower_dir": "lebih rendah lebih baik",
        "target_dir": "target",
        "observed": "diamati",
        "derived": "diturunkan",
        "imputed": "diimputasi",
        "missing": "tidak ada",
        "default": "bawaan katalog",
    },
    "en": {
        "synthetic": "sample data (synthetic) - not official statistics",
        "report_title": "Smart City Index report",
        "profile_title": "Region profile",
        "summary": "Summary",
        "dimensions": "Dimensions & elements",
        "elements": "Elements",
        "dims_only": "Dimensions",
        "indicators": "Indicators",
        "priorities": "Priorities",
        "methodology": "Methodology",
        "sources": "Data sources",
        "region": "Region",
        "code": "Code",
        "name": "Name",
        "level": "Level",
        "parent": "Parent",
        "year": "Year",
        "scenario": "Method scenario",
        "generated": "Generated",
        "index": "Index",
        "score": "Score (0-100)",
        "rank": "Rank",
        "of": "of",
        "status": "Status",
        "trend": "Trend",
        "annual_change": "Change per year",
        "coverage": "Data coverage",
        "weight": "Effective weight",
        "value": "Value",
        "unit": "Unit",
        "direction": "Direction",
        "target": "Target",
        "lower": "Lower goalpost",
        "upper": "Upper goalpost",
        "normalization": "Normalisation",
        "origin": "Value origin",
        "source": "Source",
        "dataset": "Dataset",
        "file": "File",
        "uploaded_by": "Uploaded by",
        "uploaded_at": "Uploaded at",
        "kind": "Kind",
        "synthetic_col": "Synthetic",
        "values": "Values",
        "setting": "Setting",
        "setting_value": "Value",
        "gap": "Gap (points)",
        "priority": "Priority (index points)",
        "people": "People affected",
        "peer_median": "Peer median",
        "strengths": "Strengths",
        "weaknesses": "Weaknesses",
        "top_priorities": "Top priorities",
        "no_data": "no data",
        "catalog_weight": "Catalog weight",
        "formulas": "Formulas",
        "print_hint": "Print this page (Ctrl+P) for a PDF.",
        "higher": "higher is better",
        "lower_dir": "lower is better",
        "target_dir": "target",
        "observed": "observed",
        "derived": "derived",
        "imputed": "imputed",
        "missing": "none",
        "default": "catalog default",
    },
}
STATUS_WORDS = {
    "id": {
        "green": "Tercapai",
        "yellow": "Tantangan tersisa",
        "orange": "Tantangan signifikan",
        "red": "Tantangan besar",
        "grey": "Tidak ada data",
    },
    "en": {
        "green": "Achieved",
        "yellow": "Challenges remain",
        "orange": "Significant challenges",
        "red": "Major challenges",
        "grey": "No data",
    },
}
TREND_WORDS = {
    "id": {
        "on_track": "Sesuai jalur",
        "improving": "Membaik",
        "stagnating": "Stagnan",
        "decreasing": "Menurun",
        "insufficient": "Data tren kurang",
    },
    "en": {
        "on_track": "On track",
        "improving": "Improving",
        "stagnating": "Stagnating",
        "decreasing": "Decreasing",
        "insufficient": "Not enough data",
    },
}
FORMULAS = {
    "id": [
        "Normalisasi goalpost: (x - bawah) / (atas - bawah), dibatasi 0-1, x 100; arah 'lebih rendah' dibalik.",
        "Min-max: batas = nilai terkecil/terbesar wilayah setingkat; z-score: 50 + 10 z; persentil: peringkat.",
        "Agregasi aritmetika: jumlah(w x) / jumlah(w); geometrik: (prod x^w)^(1/jumlah w); "
        "harmonik: jumlah w / jumlah(w/x).",
        "Bobot relatif antarsaudara; simpul dihitung bila bobot anak yang berdata >= ambang; bobot dinormalkan ulang.",
        "Status: hijau/kuning/oranye/merah dari ambang katalog atau pita skor; abu-abu = tidak ada data.",
        "Tren: perubahan tahunan dibanding laju yang diperlukan untuk mencapai hijau pada tahun target (SDSN).",
    ],
    "en": [
        "Goalposts: (x - lower) / (upper - lower), clamped to 0-1, x 100; reversed for lower-is-better.",
        "Min-max: goalposts at the min/max of regions of the same level; z-score: 50 + 10 z; percentile: rank.",
        "Arithmetic mean: sum(w x) / sum(w); geometric: (prod x^w)^(1/sum w); harmonic: sum w / sum(w/x).",
        "Weights are relative among siblings; a node is scored when its children with data hold >= the threshold "
        "share of weight; weights are renormalised among them.",
        "Status: green/yellow/orange/red from catalog thresholds or score bands; grey = no data.",
        "Trend: the annual change against the pace needed to reach green by the target year (SDSN).",
    ],
}


def _label(lang: str, key: str) -> str:
    return LABELS.get(lang, LABELS["id"]).get(key, key)


class ReportInput:
    """Everything a report needs, gathered once (tables are computed here, not in the page).

    ``status``/``trend`` are :func:`indicators.status.status_frame`/``trend_frame`` output (computed
    when not given); ``datasets`` the store's dataset list; ``priorities`` an optional
    :func:`indicators.priorities.priority_table`; ``region_names`` code -> name.
    """

    def __init__(
        self,
        result: ScoreResult,
        region: str,
        year: int,
        *,
        scenario_name: str = "",
        region_names: Mapping[str, str] | None = None,
        synthetic: bool = False,
        lang: str = "id",
        status: pd.DataFrame | None = None,
        trend: pd.DataFrame | None = None,
        datasets: pd.DataFrame | None = None,
        priorities: pd.DataFrame | None = None,
        provenance: pd.DataFrame | None = None,
        generated: dt.datetime | None = None,
    ):
        from indicators.status import status_frame, trend_frame

        self.result = result
        self.catalog = result.catalog
        self.region = str(region)
        self.year = int(year)
        self.unit = result.unit_index.get((self.region, self.year))
        if self.unit is None:
            raise KeyError(f"no scores for {region} in {year}")
        self.scenario_name = scenario_name or _label(lang, "default")
        self.region_names = dict(region_names or {})
        self.synthetic = bool(synthetic)
        self.lang = lang if lang in LABELS else "id"
        if status is None:
            status = status_frame(result, self.year)
        self.status = status.loc[(status["region"] == self.region) & (status["year"] == self.year)]
        if trend is None:
            trend = trend_frame(result, end_year=self.year)
        self.trend = trend.loc[trend["region"] == self.region]
        self.datasets = datasets
        self.priorities = priorities
        self.provenance = provenance
        self.generated = generated or dt.datetime.now(dt.UTC).replace(microsecond=0)
        self.eff = node_effective_weights(result, self.unit)

    # ------------------------------------------------------------------ shared tables
    @property
    def region_name(self) -> str:
        return self.region_names.get(self.region, self.region)

    def peers(self) -> np.ndarray:
        r = self.result
        same = r.unit_year == self.year
        if r.unit_level_idx is not None:
            same &= r.unit_level_idx == r.unit_level_idx[self.unit]
        return np.flatnonzero(same)

    def node_rows(self, codes: list[str]) -> pd.DataFrame:
        """Scores, ranks, status and trend of ``codes`` for the region, plus the peer median."""
        r = self.result
        peers = self.peers()
        st = self.status.set_index("code")["status"] if len(self.status) else pd.Series(dtype=object)
        tr = self.trend.set_index("code") if len(self.trend) else pd.DataFrame(columns=["trend", "annual_change"])
        rows = []
        for code in codes:
            col = r.node_index[code]
            peer_scores = r.score_matrix[peers, col]
            n_peers = int(np.isfinite(peer_scores).sum())
            with np.errstate(all="ignore"):
                # a region alone at its level (the city) has no peers to compare with
                peer_median = float(np.nanmedian(peer_scores)) if n_peers > 1 else math.nan
            rows.append(
                {
                    "code": code,
                    "name": self.catalog.name(code, self.lang),
                    "level": self.catalog.level_name(code),
                    "parent": self.catalog.parent_of.get(code, ""),
                    "score": float(r.score_matrix[self.unit, col]),
                    "rank": float(r.rank_matrix[self.unit, col]),
                    "n_peers": n_peers,
                    "peer_median": peer_median,
                    "status": st.get(code, "grey"),
                    "trend": tr["trend"].get(code, "insufficient") if len(tr) else "insufficient",
                    "annual_change": float(tr["annual_change"].get(code, math.nan)) if len(tr) else math.nan,
                    "coverage": float(r.coverage_matrix[self.unit, col]),
                    "weight": float(self.eff.get(code, 0.0)),
                }
            )
        return pd.DataFrame(rows)

    def indicator_rows(self) -> pd.DataFrame:
        from indicators.tables import indicator_detail

        codes = [c for c in self.catalog.indicators if self.eff.get(c, 0) > 0]
        frame = indicator_detail(
            self.result, self.region, self.year, codes, self.status, self.trend, provenance=self.provenance
        )
        if frame.empty:
            return frame
        frame["name"] = [self.catalog.name(c, self.lang) for c in frame["code"]]
        frame["source"] = [self.catalog.node(c)["source"] for c in frame["code"]]
        frame["weight"] = [self.eff.get(c, 0.0) for c in frame["code"]]
        return frame


# ============================================================================ Excel
class _Book:
    """Formats and helpers shared by the sheets of one workbook."""

    def __init__(self, writer_book, lang: str, synthetic: bool):
        self.book = writer_book
        self.lang = lang
        self.synthetic = synthetic
        add = writer_book.add_format
        self.title = add({"bold": True, "font_size": 14})
        self.subtitle = add({"italic": True, "font_color": "#444444"})
        self.warn = add({"bold": True, "font_color": "#9A3412", "bg_color": "#FFF4E5"})
        self.header = add({"bold": True, "bg_color": "#DDE7F0", "border": 1, "text_wrap": True, "valign": "top"})
        self.text = add({"text_wrap": False})
        self.wrap = add({"text_wrap": True, "valign": "top"})
        self.score = add({"num_format": "0.0"})
        self.int = add({"num_format": "0"})
        self.num = add({"num_format": "#,##0.00"})
        self.big = add({"num_format": "#,##0"})
        self.weight = add({"num_format": "0.000"})
        self.pct = add({"num_format": "0%"})
        self.bold = add({"bold": True})
        self.date = add({"num_format": "yyyy-mm-dd hh:mm"})
        self.status_fmt = {
            s: add({"bg_color": c, "font_color": "#000000" if s in {"yellow", "grey", "orange"} else "#FFFFFF"})
            for s, c in STATUS_COLORS.items()
        }

    def sheet(self, name: str, title: str, subtitle: str = ""):
        ws = self.book.add_worksheet(name[:31])
        ws.write_string(0, 0, escape_cell(title), self.title)
        row = 1
        if subtitle:
            ws.write_string(row, 0, escape_cell(subtitle), self.subtitle)
            row += 1
        if self.synthetic:
            ws.write_string(row, 0, escape_cell(_label(self.lang, "synthetic")), self.warn)
            row += 1
        return ws, row + 1

    def cell(self, ws, r: int, c: int, value: Any, fmt=None) -> None:
        """Write one value by type: numbers stay numbers, text is escaped, NaN is left blank."""
        if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
            ws.write_blank(r, c, None, fmt)
        elif isinstance(value, (bool, np.bool_)):
            ws.write_boolean(r, c, bool(value), fmt)
        elif isinstance(value, (int, float, np.integer, np.floating)):
            ws.write_number(r, c, float(value), fmt)
        elif isinstance(value, (pd.Timestamp, dt.datetime)):
            ts = pd.Timestamp(value)
            ts = ts.tz_convert("UTC").tz_localize(None) if ts.tzinfo is not None else ts
            ws.write_datetime(r, c, ts.to_pydatetime(), self.date)
        else:
            ws.write_string(r, c, str(escape_cell(str(value))), fmt)

    def table(
        self,
        ws,
        top: int,
        frame: pd.DataFrame,
        headers: list[str],
        formats: Mapping[str, Any] | None = None,
        widths: Mapping[str, float] | None = None,
        score_cols: tuple[str, ...] = (),
        status_col: str | None = None,
        status_values: list[str] | None = None,
        freeze: bool = True,
    ) -> int:
        """Write ``frame`` with translated ``headers`` at row ``top``; returns the next free row."""
        formats = dict(formats or {})
        for c, head in enumerate(headers):
            ws.write_string(top, c, str(escape_cell(head)), self.header)
        for r, values in enumerate(frame.itertuples(index=False), start=top + 1):
            for c, (col, value) in enumerate(zip(frame.columns, values, strict=True)):
                self.cell(ws, r, c, value, formats.get(col))
        last = top + len(frame)
        for c, col in enumerate(frame.columns):
            width = (widths or {}).get(col)
            if width is None:
                sample = [len(str(v)) for v in frame[col].head(200)] if len(frame) else [0]
                width = min(max(len(headers[c]) + 2, max(sample) + 2, 8), 60)
            ws.set_column(c, c, width)
            if col in score_cols and len(frame):
                ws.conditional_format(
                    top + 1,
                    c,
                    last,
                    c,
                    {
                        "type": "3_color_scale",
                        "min_type": "num",
                        "min_value": 0,
                        "mid_type": "num",
                        "mid_value": 50,
                        "max_type": "num",
                        "max_value": 100,
                        "min_color": "#D55E00",
                        "mid_color": "#F0E442",
                        "max_color": "#009E73",
                    },
                )
            if status_col and col == status_col and len(frame):
                words = STATUS_WORDS[self.lang]
                for status in status_values or list(STATUS_COLORS):
                    ws.conditional_format(
                        top + 1,
                        c,
                        last,
                        c,
                        {
                            "type": "cell",
                            "criteria": "==",
                            "value": f'"{words[status]}"',
                            "format": self.status_fmt[status],
                        },
                    )
        if freeze:
            ws.freeze_panes(top + 1, 0)
        if len(frame.columns):
            ws.autofilter(top, 0, max(last, top + 1), len(frame.columns) - 1)
        return last + 2


def _words(series: pd.Series, table: Mapping[str, str]) -> pd.Series:
    return series.map(lambda v: table.get(v, v) if isinstance(v, str) else v)


def excel_report(inp: ReportInput) -> bytes:
    """The workbook (xlsx bytes) for the scope, year and scenario of ``inp``."""
    lang = inp.lang
    L = LABELS[lang]
    status_words = STATUS_WORDS[lang]
    trend_words = TREND_WORDS[lang]
    catalog = inp.catalog
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="xlsxwriter", engine_kwargs={"options": XLSX_OPTIONS}) as writer:
        book = _Book(writer.book, lang, inp.synthetic)
        subtitle = (
            f"{L['region']}: {inp.region_name} ({inp.region}) · {L['year']} {inp.year} · "
            f"{L['scenario']}: {inp.scenario_name}"
        )

        # ---------------------------------------------------------------- summary
        ws, row = book.sheet(L["summary"], f"{L['report_title']} - {inp.region_name}", subtitle)
        root = catalog.root
        top = inp.node_rows([root]).iloc[0]
        facts = [
            (L["region"], f"{inp.region_name} ({inp.region})", None),
            (L["year"], inp.year, book.int),
            (L["scenario"], inp.scenario_name, None),
            (L["generated"], inp.generated.strftime("%Y-%m-%d %H:%M UTC"), None),
            (f"{L['index']}: {catalog.name(root, lang)}", top["score"], book.score),
            (L["rank"], f"{_fmt_rank(top['rank'])} {L['of']} {top['n_peers']}", None),
            (L["status"], status_words.get(top["status"], top["status"]), book.status_fmt.get(top["status"])),
            (L["coverage"], top["coverage"], book.pct),
        ]
        for label, value, fmt in facts:
            ws.write_string(row, 0, escape_cell(label), book.bold)
            book.cell(ws, row, 1, value, fmt)
            row += 1
        row += 1
        dims = inp.node_rows(catalog.dimensions)
        shown = dims[["code", "name", "score", "rank", "peer_median", "status", "trend", "annual_change", "coverage"]]
        shown = shown.assign(status=_words(shown["status"], status_words), trend=_words(shown["trend"], trend_words))
        headers = [
            L["code"],
            L["name"],
            L["score"],
            L["rank"],
            L["peer_median"],
            L["status"],
            L["trend"],
            L["annual_change"],
            L["coverage"],
        ]
        book.table(
            ws,
            row,
            shown,
            headers,
            formats={
                "score": book.score,
                "rank": book.int,
                "peer_median": book.score,
                "annual_change": book.score,
                "coverage": book.pct,
            },
            widths={"name": 40, "code": 10},
            score_cols=("score",),
            status_col="status",
        )
        ws.set_column(0, 0, 34)

        # ---------------------------------------------------------------- dimensions & elements
        ws, row = book.sheet(L["dimensions"], f"{L['dimensions']} - {inp.region_name}", subtitle)
        codes = [c for c in catalog.inner if c != root]
        nodes = inp.node_rows(codes)
        shown = nodes[
            [
                "code",
                "name",
                "level",
                "parent",
                "score",
                "rank",
                "peer_median",
                "status",
                "trend",
                "annual_change",
                "coverage",
                "weight",
            ]
        ]
        shown = shown.assign(status=_words(shown["status"], status_words), trend=_words(shown["trend"], trend_words))
        headers = [
            L["code"],
            L["name"],
            L["level"],
            L["parent"],
            L["score"],
            L["rank"],
            L["peer_median"],
            L["status"],
            L["trend"],
            L["annual_change"],
            L["coverage"],
            L["weight"],
        ]
        book.table(
            ws,
            row,
            shown,
            headers,
            formats={
                "score": book.score,
                "rank": book.int,
                "peer_median": book.score,
                "annual_change": book.score,
                "coverage": book.pct,
                "weight": book.weight,
            },
            widths={"name": 40},
            score_cols=("score",),
            status_col="status",
        )

        # ---------------------------------------------------------------- indicators
        ws, row = book.sheet(L["indicators"], f"{L['indicators']} - {inp.region_name}", subtitle)
        ind = inp.indicator_rows()
        if len(ind):
            direction_words = {"higher": L["higher"], "lower": L["lower_dir"], "target": L["target_dir"]}
            origin_words = {k: L[k] for k in ("observed", "derived", "imputed", "missing")}
            shown = pd.DataFrame(
                {
                    "code": ind["code"],
                    "name": ind["name"],
                    "parent": ind["parent"],
                    "value": ind["value"],
                    "unit": ind["unit"],
                    "direction": _words(ind["direction"], direction_words),
                    "method": ind["method"],
                    "lower": ind["lower"],
                    "upper": ind["upper"],
                    "target": ind["target"],
                    "score": ind["score"],
                    "rank": ind["rank"],
                    "status": _words(ind["status"], status_words),
                    "trend": _words(ind["trend"], trend_words),
                    "annual_change": ind["annual_change"],
                    "origin": _words(ind["origin"], origin_words),
                    "weight": ind["weight"],
                    "source": ind["source"],
                }
            )
            headers = [
                L["code"],
                L["name"],
                L["parent"],
                L["value"],
                L["unit"],
                L["direction"],
                L["normalization"],
                L["lower"],
                L["upper"],
                L["target"],
                L["score"],
                L["rank"],
                L["status"],
                L["trend"],
                L["annual_change"],
                L["origin"],
                L["weight"],
                L["source"],
            ]
            book.table(
                ws,
                row,
                shown,
                headers,
                formats={
                    "value": book.num,
                    "lower": book.num,
                    "upper": book.num,
                    "target": book.num,
                    "score": book.score,
                    "rank": book.int,
                    "annual_change": book.score,
                    "weight": book.weight,
                },
                widths={"name": 44, "source": 50, "code": 11},
                score_cols=("score",),
                status_col="status",
            )
        else:
            ws.write_string(row, 0, L["no_data"])

        # ---------------------------------------------------------------- priorities
        if inp.priorities is not None and len(inp.priorities):
            ws, row = book.sheet(L["priorities"], f"{L['priorities']} - {inp.region_name}", subtitle)
            pr = inp.priorities
            cols = [
                c
                for c in ["rank", "code", "name", "score", "gap", "weight", "priority", "people_affected"]
                if c in pr.columns
            ]
            head = {
                "rank": L["rank"],
                "code": L["code"],
                "name": L["name"],
                "score": L["score"],
                "gap": L["gap"],
                "weight": L["weight"],
                "priority": L["priority"],
                "people_affected": L["people"],
            }
            book.table(
                ws,
                row,
                pr[cols],
                [head[c] for c in cols],
                formats={
                    "rank": book.int,
                    "score": book.score,
                    "gap": book.score,
                    "weight": book.weight,
                    "priority": book.num,
                    "people_affected": book.big,
                },
                widths={"name": 44},
                score_cols=("score",),
            )

        # ---------------------------------------------------------------- methodology
        ws, row = book.sheet(L["methodology"], L["methodology"], subtitle)
        method = inp.result.method
        settings = method.model_dump(mode="json")
        rows = []
        for key, value in settings.items():
            if isinstance(value, dict):
                text = "; ".join(f"{k}: {_plain(v)}" for k, v in value.items()) or "-"
            else:
                text = _plain(value)
            rows.append({"setting": key, "value": text})
        rows.append({"setting": "catalog_version", "value": catalog.version})
        rows.append({"setting": "method_version", "value": method.version})
        row = book.table(
            ws,
            row,
            pd.DataFrame(rows),
            [L["setting"], L["setting_value"]],
            widths={"setting": 24, "value": 90},
            freeze=False,
        )
        ws.write_string(row, 0, L["formulas"], book.bold)
        row += 1
        for line in FORMULAS[lang]:
            ws.write_string(row, 0, escape_cell(line))
            row += 1
        row += 1
        weights = catalog.effective_weights(method.weights)
        wt = pd.DataFrame(
            {
                "code": catalog.tree_codes,
                "name": [catalog.name(c, lang) for c in catalog.tree_codes],
                "level": [catalog.level_name(c) for c in catalog.tree_codes],
                "parent": [catalog.parent_of.get(c, "") for c in catalog.tree_codes],
                "catalog_weight": [float(method.weights.get(c, catalog.node(c)["weight"])) for c in catalog.tree_codes],
                "effective": weights.to_numpy(dtype=float),
                "aggregation": [
                    (method.aggregation_by.get(c) or method.aggregation or catalog.node(c)["aggregation"])
                    if catalog.children[c]
                    else ""
                    for c in catalog.tree_codes
                ],
            }
        )
        book.table(
            ws,
            row,
            wt,
            [L["code"], L["name"], L["level"], L["parent"], L["catalog_weight"], L["weight"], "aggregation"],
            formats={"catalog_weight": book.num, "effective": book.weight},
            widths={"code": 24, "name": 44, "value": 90},
            freeze=False,
        )

        # ---------------------------------------------------------------- sources
        ws, row = book.sheet(L["sources"], L["sources"], subtitle)
        if inp.datasets is not None and len(inp.datasets):
            ds = inp.datasets
            cols = [
                c
                for c in ["id", "kind", "file_name", "uploaded_by", "uploaded_at", "status", "synthetic", "n_values"]
                if c in ds.columns
            ]
            head = {
                "id": L["dataset"],
                "kind": L["kind"],
                "file_name": L["file"],
                "uploaded_by": L["uploaded_by"],
                "uploaded_at": L["uploaded_at"],
                "status": L["status"],
                "synthetic": L["synthetic_col"],
                "n_values": L["values"],
            }
            row = book.table(
                ws,
                row,
                ds[cols],
                [head[c] for c in cols],
                formats={"id": book.int, "n_values": book.big},
                widths={"file_name": 40, "uploaded_at": 18},
                freeze=False,
            )
        src = pd.DataFrame(
            {
                "code": catalog.indicators,
                "name": [catalog.name(c, lang) for c in catalog.indicators],
                "source": [catalog.node(c)["source"] for c in catalog.indicators],
                "data_type": [catalog.node(c)["data_type"] for c in catalog.indicators],
            }
        )
        book.table(
            ws,
            row,
            src,
            [L["code"], L["name"], L["source"], L["kind"]],
            widths={"name": 44, "source": 80, "code": 24},
            freeze=False,
        )
    return buffer.getvalue()


def _plain(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, dict):
        return ", ".join(f"{k}={v}" for k, v in value.items() if v is not None) or "-"
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value) or "-"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _fmt_rank(rank: float) -> str:
    return "-" if rank is None or (isinstance(rank, float) and math.isnan(rank)) else str(int(rank))


# ============================================================================ HTML profile
_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2937;margin:24px;max-width:900px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:16px;margin:22px 0 6px;border-bottom:1px solid #ddd}
.meta{color:#555;font-size:13px}.synthetic{background:#FFF4E5;color:#9A3412;font-weight:bold;padding:6px 10px;
border:1px solid #F5C48A;margin:10px 0}.kpi{display:flex;gap:16px;margin:12px 0}.kpi div{border:1px solid #ddd;
padding:8px 12px;border-radius:6px}.kpi b{display:block;font-size:24px}table{border-collapse:collapse;width:100%;
font-size:12px}th,td{border:1px solid #ddd;padding:3px 6px;text-align:left;vertical-align:top}th{background:#EEF2F7}
td.n{text-align:right;white-space:nowrap}.chip{display:inline-block;width:10px;height:10px;border-radius:50%;
margin-right:4px;vertical-align:middle;border:1px solid #888}.hint{color:#777;font-size:11px}
@media print{body{margin:10mm}.hint{display:none}h2{break-after:avoid}table,svg,.kpi{break-inside:avoid}}
@page{size:A4;margin:12mm}
"""


def _esc(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _num(value: float, lang: str, decimals: int = 1) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    text = f"{value:,.{decimals}f}"
    if lang == "id":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text


def _bar_svg(frame: pd.DataFrame, lang: str, title: str) -> str:
    """Horizontal bars (score 0-100, coloured by status) with a tick at the peer median."""
    row_h, left, width = 24, 260, 620
    plot = width - left - 50
    height = row_h * len(frame) + 40
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{_esc(title)}" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="11">',
        f"<title>{_esc(title)}</title>",
    ]
    for tick in (0, 25, 50, 75, 100):
        x = left + plot * tick / 100
        parts.append(f'<line x1="{x:.1f}" y1="18" x2="{x:.1f}" y2="{height - 18}" stroke="#e5e7eb"/>')
        parts.append(f'<text x="{x:.1f}" y="{height - 4}" text-anchor="middle" fill="#555">{tick}</text>')
    for i, rec in enumerate(frame.itertuples(index=False)):
        y = 22 + i * row_h
        name = rec.name if len(rec.name) <= 40 else rec.name[:39] + "…"
        parts.append(f'<text x="{left - 6}" y="{y + 12}" text-anchor="end">{_esc(name)}</text>')
        score = rec.score
        color = STATUS_COLORS.get(rec.status, STATUS_COLORS["grey"])
        if score == score:
            w = plot * max(min(score, 100.0), 0.0) / 100
            parts.append(
                f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{row_h - 8}" fill="{color}" stroke="#555" '
                f'stroke-width="0.5"/>'
            )
            parts.append(f'<text x="{left + w + 4:.1f}" y="{y + 12}" fill="#111">{_num(score, lang)}</text>')
        else:
            parts.append(f'<text x="{left + 4}" y="{y + 12}" fill="#777">{_esc(_label(lang, "no_data"))}</text>')
        med = rec.peer_median
        if med == med:
            x = left + plot * med / 100
            parts.append(
                f'<line x1="{x:.1f}" y1="{y - 2}" x2="{x:.1f}" y2="{y + row_h - 6}" stroke="#111" '
                f'stroke-width="2" stroke-dasharray="3,2"/>'
            )
    parts.append("</svg>")
    return "".join(parts)


def _html_table(frame: pd.DataFrame, headers: list[str], numeric: set[str], lang: str) -> str:
    head = "".join(f"<th>{_esc(h)}</th>" for h in headers)
    body = []
    for rec in frame.itertuples(index=False):
        cells = []
        for col, value in zip(frame.columns, rec, strict=True):
            if col == "status_chip":
                status, word = value
                color = STATUS_COLORS.get(status, STATUS_COLORS["grey"])
                cells.append(f'<td><span class="chip" style="background:{color}"></span>{_esc(word)}</td>')
            elif col in numeric:
                decimals = 0 if col in {"rank", "people_affected"} else (3 if col == "weight" else 1)
                cells.append(f'<td class="n">{_num(value, lang, decimals)}</td>')
            else:
                cells.append(f"<td>{_esc('' if value is None or value != value else value)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def region_profile_html(inp: ReportInput) -> str:
    """A printable, self-contained HTML profile of one region (charts as inline SVG)."""
    lang = inp.lang
    L = LABELS[lang]
    status_words = STATUS_WORDS[lang]
    trend_words = TREND_WORDS[lang]
    catalog = inp.catalog
    root = catalog.root
    top = inp.node_rows([root]).iloc[0]
    dims = inp.node_rows(catalog.dimensions)
    elements = inp.node_rows([c for c in catalog.inner if catalog.depth.get(c) == 2 and inp.eff.get(c, 0) > 0])
    title = f"{L['profile_title']}: {inp.region_name}"
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}"><head><meta charset="utf-8"><title>{_esc(title)}</title>',
        f"<style>{_CSS}</style></head><body>",
        f"<h1>{_esc(title)}</h1>",
        f'<div class="meta">{_esc(inp.region)} · {L["year"]} {inp.year} · {_esc(L["scenario"])}: '
        f"{_esc(inp.scenario_name)} · {_esc(L['generated'])} {inp.generated.strftime('%Y-%m-%d %H:%M UTC')}</div>",
    ]
    if inp.synthetic:
        parts.append(f'<div class="synthetic">{_esc(L["synthetic"])}</div>')
    parts.append('<div class="kpi">')
    parts.append(f"<div>{_esc(catalog.name(root, lang))}<b>{_num(top['score'], lang)}</b></div>")
    parts.append(f"<div>{_esc(L['rank'])}<b>{_fmt_rank(top['rank'])} / {top['n_peers']}</b></div>")
    parts.append(
        f'<div>{_esc(L["status"])}<b><span class="chip" style="background:'
        f'{STATUS_COLORS.get(top["status"], "#BBBBBB")}"></span>{_esc(status_words.get(top["status"], ""))}</b></div>'
    )
    parts.append(f"<div>{_esc(L['coverage'])}<b>{_num(100 * top['coverage'], lang, 0)} %</b></div>")
    parts.append("</div>")
    parts.append(f"<h2>{_esc(L['dims_only'])}</h2>")
    parts.append(_bar_svg(dims, lang, L["dims_only"]))
    if dims["peer_median"].notna().any():
        parts.append(f'<p class="hint">{_esc(L["peer_median"])}: - - -</p>')
    table = pd.DataFrame(
        {
            "code": dims["code"],
            "name": dims["name"],
            "score": dims["score"],
            "rank": dims["rank"],
            "peer_median": dims["peer_median"],
            "status_chip": [(s, status_words.get(s, s)) for s in dims["status"]],
            "trend": _words(dims["trend"], trend_words),
        }
    )
    parts.append(
        _html_table(
            table,
            [L["code"], L["name"], L["score"], L["rank"], L["peer_median"], L["status"], L["trend"]],
            {"score", "rank", "peer_median"},
            lang,
        )
    )
    if len(elements):
        parts.append(f"<h2>{_esc(L['elements'])}</h2>")
        parts.append(_bar_svg(elements, lang, L["elements"]))
    scored = elements.dropna(subset=["score"])
    if scored["peer_median"].notna().any():  # relative to peers; alone at its level: by score
        scored = scored.assign(gap=scored["score"] - scored["peer_median"]).dropna(subset=["gap"])
    else:
        scored = scored.assign(gap=scored["score"])
    if len(scored):
        best = scored.sort_values("gap", ascending=False).head(3)
        worst = scored.sort_values("gap").head(3)
        for key, frame in (("strengths", best), ("weaknesses", worst)):
            parts.append(f"<h2>{_esc(L[key])}</h2>")
            parts.append(
                _html_table(
                    frame[["name", "score", "peer_median"]],
                    [L["name"], L["score"], L["peer_median"]],
                    {"score", "peer_median"},
                    lang,
                )
            )
    if inp.priorities is not None and len(inp.priorities):
        parts.append(f"<h2>{_esc(L['top_priorities'])}</h2>")
        pr = inp.priorities.head(10)
        cols = [c for c in ["rank", "name", "score", "gap", "weight", "priority"] if c in pr.columns]
        head = {
            "rank": L["rank"],
            "name": L["name"],
            "score": L["score"],
            "gap": L["gap"],
            "weight": L["weight"],
            "priority": L["priority"],
        }
        parts.append(
            _html_table(pr[cols], [head[c] for c in cols], {"rank", "score", "gap", "weight", "priority"}, lang)
        )
    ind = inp.indicator_rows()
    if len(ind):
        parts.append(f"<h2>{_esc(L['indicators'])}</h2>")
        table = pd.DataFrame(
            {
                "code": ind["code"],
                "name": ind["name"],
                "value": ind["value"],
                "unit": ind["unit"],
                "score": ind["score"],
                "status_chip": [(s, status_words.get(s, s)) for s in ind["status"]],
                "trend": _words(ind["trend"], trend_words),
            }
        )
        parts.append(
            _html_table(
                table,
                [L["code"], L["name"], L["value"], L["unit"], L["score"], L["status"], L["trend"]],
                {"value", "score"},
                lang,
            )
        )
    parts.append(f'<p class="hint">{_esc(L["print_hint"])}</p>')
    parts.append("</body></html>")
    return "\n".join(parts)
