"""Chart builders shared by the pages (plain plotly: no Streamlit, no translation).

Every builder takes already-translated titles and labels, so the same figure serves both
languages, and uses the colour-blind-safe palettes of :mod:`ui.components`: cividis for 0-100
scores, Okabe-Ito for categories (regions, years), grey for no data. Numbers on hover are
pre-formatted by the caller where the Indonesian way matters.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.colors import get_colorscale, sample_colorscale
from plotly.subplots import make_subplots

from ui.components import NO_DATA_COLOR, SCORE_SCALE

#: Okabe-Ito qualitative palette (colour-blind safe), black last.
CATEGORY_COLORS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
#: Line dash per series, so series differ by more than colour.
DASHES = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot")
_MARGIN = {"l": 10, "r": 10, "t": 60, "b": 40}


def _wrap(text: str, width: int = 28) -> str:
    """Break a long label onto lines of about ``width`` characters (plotly does not wrap)."""
    words, lines, line = str(text).split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    if line:
        lines.append(line)
    return "<br>".join(lines[:3]) + ("…" if len(lines) > 3 else "")


def score_bars(
    rows: pd.DataFrame,
    *,
    title: str,
    axis_title: str,
    category_title: str,
    missing_label: str,
    fmt=lambda v: f"{v:.1f}",
) -> go.Figure:
    """Horizontal 0-100 bars of ``rows`` (``name``, ``score``), cividis by score, missing in grey.

    Colours are sampled by hand so one chart can mix the score scale with grey for no data (a
    missing bar is drawn at 0 and labelled ``missing_label``).
    """
    missing = rows["score"].isna().to_numpy()
    scores = rows["score"].fillna(0).clip(0, 100).to_numpy(dtype=float)
    sampled = sample_colorscale(get_colorscale(SCORE_SCALE), list(scores / 100)) if len(scores) else []
    colors = [NO_DATA_COLOR if m else c for c, m in zip(sampled, missing, strict=True)]
    text = [missing_label if m else fmt(v) for v, m in zip(rows["score"], missing, strict=True)]
    fig = go.Figure(
        go.Bar(
            x=scores,
            y=[_wrap(n, 40) for n in rows["name"]],
            orientation="h",
            text=text,
            textposition=["outside" if m else "auto" for m in missing],
            marker={"color": colors, "line": {"color": "#555555", "width": [1 if m else 0 for m in missing]}},
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
    )
    fig.update_layout(
        title=title,
        xaxis={"range": [0, 100], "title": axis_title},
        yaxis={"title": category_title, "autorange": "reversed"},
        height=max(220, 48 * len(rows) + 110),
        margin=_MARGIN,
    )
    return fig


def small_multiples(
    frame: pd.DataFrame, *, title: str, y_title: str, x_title: str, cols: int = 3, y_range=(0, 100)
) -> go.Figure:
    """One small line chart per ``name`` (``year`` x ``score``), one line per ``who``, shared axes."""
    names = list(dict.fromkeys(frame["name"]))
    who = list(dict.fromkeys(frame["who"]))
    rows = max(1, math.ceil(len(names) / cols))
    fig = make_subplots(
        rows=rows,
        cols=cols,
        subplot_titles=[_wrap(n, 44) for n in names],
        shared_yaxes=True,
        vertical_spacing=min(0.16, 0.6 / rows) if rows > 1 else 0.1,
        horizontal_spacing=0.04,
    )
    for k, name in enumerate(names):
        r, c = divmod(k, cols)
        sub = frame.loc[frame["name"] == name]
        for i, w in enumerate(who):
            line = sub.loc[sub["who"] == w].sort_values("year")
            if line.empty:
                continue
            fig.add_trace(
                go.Scatter(
                    x=line["year"],
                    y=line["score"],
                    mode="lines+markers",
                    name=w,
                    legendgroup=w,
                    showlegend=k == 0 or (k > 0 and w not in {tr.name for tr in fig.data if tr.showlegend}),
                    line={"color": CATEGORY_COLORS[i % len(CATEGORY_COLORS)], "dash": DASHES[i % len(DASHES)]},
                    hovertemplate=f"{w}<br>%{{x}}: %{{y:.1f}}<extra></extra>",
                ),
                row=r + 1,
                col=c + 1,
            )
    fig.update_yaxes(range=list(y_range))
    years = sorted(frame["year"].unique())
    fig.update_xaxes(dtick=1, tickformat="d", range=[years[0] - 0.3, years[-1] + 0.3] if years else None)
    for r in range(1, rows + 1):
        fig.update_yaxes(title_text=y_title, row=r, col=1)
    fig.update_xaxes(title_text=x_title, row=rows)
    fig.update_annotations(font_size=11)
    fig.update_layout(
        title=title,
        height=max(300, 230 * rows + 110),
        margin={"l": 10, "r": 10, "t": 110, "b": 40},
        legend={"orientation": "h", "y": 0.995, "yanchor": "top", "yref": "container", "x": 1, "xanchor": "right"},
    )
    return fig


def radar(
    series: Sequence[tuple[str, Sequence[float | None]]],
    axes: Sequence[str],
    *,
    title: str,
    radial_title: str,
    fill_first: bool = True,
) -> go.Figure:
    """A radar of 0-100 scores: one closed line per (label, values) on the ``axes``."""
    fig = go.Figure()
    theta = [_wrap(a, 22) for a in axes]
    for i, (label, values) in enumerate(series):
        vals = [None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v) for v in values]
        fig.add_trace(
            go.Scatterpolar(
                r=[*vals, vals[0]],
                theta=[*theta, theta[0]],
                name=label,
                line={"color": CATEGORY_COLORS[i % len(CATEGORY_COLORS)], "dash": DASHES[i % len(DASHES)]},
                fill="toself" if (fill_first and i == 0 and None not in vals) else None,
                opacity=0.9,
                connectgaps=False,
                hovertemplate="%{theta}: %{r:.1f}<extra>" + label + "</extra>",
            )
        )
    fig.update_layout(
        title={"text": f"{title}<br><sup>{radial_title}</sup>"},
        polar={"radialaxis": {"range": [0, 100], "angle": 90, "tickangle": 90}},
        height=440,
        margin={"l": 60, "r": 60, "t": 60, "b": 30},
        legend={"orientation": "h"},
    )
    return fig


def grouped_bars(
    matrix: pd.DataFrame, *, labels: Sequence[str], names: Sequence[str], title: str, axis_title: str
) -> go.Figure:
    """Grouped horizontal 0-100 bars: rows of ``matrix`` are categories (named ``names``, read on
    the y axis without rotation), columns the entities (named ``labels``), one colour + pattern each."""
    fig = go.Figure()
    patterns = ("", "/", ".", "x", "-", "+")
    for i, col in enumerate(matrix.columns):
        fig.add_trace(
            go.Bar(
                y=[_wrap(n, 26) for n in names],
                x=matrix[col],
                orientation="h",
                name=labels[i],
                marker={
                    "color": CATEGORY_COLORS[i % len(CATEGORY_COLORS)],
                    "pattern": {"shape": patterns[i % len(patterns)]},
                },
                hovertemplate="%{y}: %{x:.1f}<extra>" + labels[i] + "</extra>",
            )
        )
    n_bars = len(matrix.index) * max(len(matrix.columns), 1)
    fig.update_layout(
        title=title,
        barmode="group",
        xaxis={"range": [0, 100], "title": axis_title},
        yaxis={"autorange": "reversed"},
        height=max(360, 14 * n_bars + 40 * len(matrix.index) + 170),
        margin={"l": 10, "r": 10, "t": 60, "b": 90},
        legend={"orientation": "h", "y": 0, "yanchor": "bottom", "yref": "container", "x": 0},
    )
    return fig


def category_heatmap(
    grid: pd.DataFrame,
    *,
    states: dict[int, tuple[str, str]],
    x_labels: Sequence[str],
    y_labels: Sequence[str],
    title: str,
    x_title: str,
    y_title: str,
) -> go.Figure:
    """A heat map of integer states (``states``: code -> (label, colour)) with a discrete legend."""
    codes = sorted(states)
    index_of = {c: i for i, c in enumerate(codes)}
    z = np.vectorize(lambda v: index_of.get(int(v), 0))(grid.to_numpy()) if grid.size else np.zeros((0, 0))
    n = len(codes)
    scale = []
    for i, code in enumerate(codes):
        color = states[code][1]
        scale += [[i / n, color], [(i + 1) / n, color]]
    text = np.vectorize(lambda v: states[int(v)][0])(grid.to_numpy()) if grid.size else None
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=list(x_labels),
            y=list(y_labels),
            zmin=-0.5,
            zmax=n - 0.5,
            colorscale=scale,
            text=text,
            hovertemplate="%{y}<br>%{x}<br>%{text}<extra></extra>",
            xgap=1,
            ygap=1,
            colorbar={
                "tickvals": list(range(n)),
                "ticktext": [states[c][0] for c in codes],
                "title": {"text": ""},
                "thickness": 14,
            },
        )
    )
    fig.update_layout(
        title=title,
        xaxis={"title": x_title, "tickangle": -60, "type": "category", "tickmode": "array", "tickvals": list(x_labels)},
        yaxis={
            "title": y_title,
            "autorange": "reversed",
            "type": "category",
            "tickmode": "array",
            "tickvals": list(y_labels),
        },
        height=max(420, 18 * len(y_labels) + 220),
        margin={"l": 10, "r": 10, "t": 60, "b": 120},
    )
    return fig
