""" "Why is this score what it is?": one reusable explanation component for every page.

From any score a user walks down the tree: an inner node shows its children with their weights,
the share of the weight they really carry (missing children's weight is shared out among the
others) and the aggregation written out with the live numbers; an indicator shows its raw value,
unit and origin, its direction, the goalposts or target actually used, the normalisation formula
with the numbers filled in, and the dataset(s) the value came from (file, uploader, time).

The text builders (:func:`aggregation_formula`, :func:`normalization_formula`) are plain functions
of :meth:`ScoreResult.explain`'s dict so they are tested without Streamlit; :func:`explain_panel`
lays them out and keeps the walk in ``st.session_state`` under the caller's key.
"""

from __future__ import annotations

import logging
import math
from typing import Any

import pandas as pd
import streamlit as st

from indicators.derived import get_derivation
from indicators.status import indicator_status, score_status
from indicators.tables import used_normalization
from ui.components import download_table, status_chip
from ui.data import node_label, region_label, show_table
from ui.i18n import current_lang, fmt_num, t

log = logging.getLogger(__name__)


# ---------------------------------------------------------------------- pure text builders
def _n(value: Any, decimals: int = 1, lang: str | None = None) -> str:
    return fmt_num(value, decimals, lang=lang)


def aggregation_formula(expl: dict[str, Any], lang: str | None = None) -> str:
    """The parent score written out with its children's live scores and used weight shares.

    ``0,50 × 53,1 + 0,50 × 56,4 = 54,8`` (arithmetic), ``53,1^0,50 × 56,4^0,50 = 54,7``
    (geometric), ``1 / (0,50 / 53,1 + 0,50 / 56,4) = 54,7`` (harmonic). Only children with data
    appear: their shares are the weights renormalised among them. Empty when nothing has data.
    """
    kids = [c for c in expl.get("children", []) if c["score"] is not None and c["used_share"] > 0]
    if not kids:
        return ""
    how = expl.get("aggregation", "arithmetic")
    result = _n(expl.get("score"), 1, lang)
    if how == "geometric":
        body = " × ".join(f"{_n(c['score'], 1, lang)}^{_n(c['used_share'], 2, lang)}" for c in kids)
    elif how == "harmonic":
        body = "1 / (" + " + ".join(f"{_n(c['used_share'], 2, lang)} / {_n(c['score'], 1, lang)}" for c in kids) + ")"
    else:
        body = " + ".join(f"{_n(c['used_share'], 2, lang)} × {_n(c['score'], 1, lang)}" for c in kids)
    return f"{body} = {result}"


def children_frame(expl: dict[str, Any], lang: str | None = None) -> pd.DataFrame:
    """Children of an inner node: score, catalog weight, share of weight, share used, contribution.

    ``contribution`` (points of the parent score) is shown for arithmetic means only, where the
    parent is exactly the sum of contributions; for geometric and harmonic means the weights act
    on logarithms / reciprocals and a per-child "contribution" would mislead.
    """
    rows = []
    arithmetic = expl.get("aggregation", "arithmetic") == "arithmetic"
    for c in expl.get("children", []):
        has = c["score"] is not None
        rows.append(
            {
                "code": c["code"],
                "name": c["name"],
                "score": c["score"],
                "weight": c["weight"],
                "weight_share": c["weight_share"] if c["applicable"] else None,
                "used_share": c["used_share"] if has else 0.0,
                "contribution": (c["used_share"] * c["score"]) if (has and arithmetic) else None,
                "applicable": c["applicable"],
            }
        )
    return pd.DataFrame(rows)


def normalization_formula(expl: dict[str, Any], params: dict[str, Any], lang: str | None = None) -> str:
    """The normalisation of one indicator value, written out with the numbers actually used."""
    value = expl.get("value")
    score = expl.get("score")
    method = params.get("method", "")
    if value is None or score is None or not method:
        return ""
    direction = params.get("direction", expl.get("direction", "higher"))
    log_t = params.get("transform", expl.get("transform")) == "log"

    def v(x: Any, d: int = 2) -> str:
        text = _n(x, d, lang)
        return f"ln({text})" if log_t else text

    x = v(value)
    out = _n(score, 1, lang)
    lo, hi = params.get("lower"), params.get("upper")
    if direction == "target" and method in {"goalposts", "target"}:
        return t(
            "explain.formula.band",
            lang,
            target=_n(params.get("target"), 2, lang),
            tol=_n(params.get("tolerance", 0), 2, lang),
            lo=_n(lo, 2, lang),
            hi=_n(hi, 2, lang),
            score=out,
        )
    if params.get("band") == "distance":
        return t("explain.formula.band_distance", lang, method=t(f"explain.method.{method}", lang), score=out)
    if method in {"goalposts", "minmax"} and lo is not None and hi is not None:
        if direction == "lower":
            return f"({v(hi)} − {x}) / ({v(hi)} − {v(lo)}) × 100 = {out}"
        return f"({x} − {v(lo)}) / ({v(hi)} − {v(lo)}) × 100 = {out}"
    if method == "zscore":
        sign = "−" if direction == "lower" else "+"
        return f"50 {sign} 10 × ({x} − {_n(params.get('mean'), 2, lang)}) / {_n(params.get('sd'), 2, lang)} = {out}"
    if method == "percentile":
        return t("explain.formula.percentile", lang, n=_n(params.get("n"), 0, lang), score=out)
    if method == "target":
        target = v(params.get("target"))
        if direction == "lower":
            return f"min({target} / {x}, 1) × 100 = {out}"
        return f"min({x} / {target}, 1) × 100 = {out}"
    return ""


def peer_count(result, region: str, year: int, code: str) -> int:
    """How many regions of the same level have a score for ``code`` in ``year`` (the rank's "of n")."""
    unit = result.unit_index.get((region, int(year)))
    if unit is None or result.unit_level_idx is None:
        return 0
    same = (result.unit_level_idx == result.unit_level_idx[unit]) & (result.unit_year == int(year))
    col = result.node_index[code]
    return int((~pd.isna(result.score_matrix[same, col])).sum())


# ---------------------------------------------------------------------- store look-ups (cached)
@st.cache_resource(show_spinner=False, max_entries=512)
def _candidates(data_version: str, region: str, indicator: str, year: int, _store) -> pd.DataFrame:
    try:
        return _store.value_candidates(region=region, indicator=indicator, year=int(year))
    except Exception:
        log.exception("value candidates unavailable")
        return pd.DataFrame()


def value_sources(ctx, region: str, indicator: str, year: int) -> pd.DataFrame:
    """Every stored value for this region/indicator/year with its dataset (winner first)."""
    found = _candidates(ctx.data_version, region, indicator, int(year), ctx.store)
    if found.empty:
        return found
    return found.sort_values(["winner", "dataset_id"], ascending=[False, False])


def sources_table(frame: pd.DataFrame, unit: str = "") -> pd.DataFrame:
    """The candidates as a user-facing table (translated headers)."""
    if frame.empty:
        return frame
    out = pd.DataFrame(
        {
            t("explain.col.used"): ["✓" if w else "" for w in frame["winner"]],
            t("explain.col.value"): [fmt_num(v, 2) + (f" {unit}" if unit else "") for v in frame["value"]],
            t("explain.col.dataset"): frame["file_name"].astype(str),
            t("explain.col.uploader"): frame["uploaded_by"].astype(str),
            t("explain.col.uploaded_at"): pd.to_datetime(frame["uploaded_at"]).dt.strftime("%Y-%m-%d %H:%M"),
            t("explain.col.dataset_status"): [t(f"explain.dataset_status.{s}") for s in frame["status"]],
        }
    )
    if "sheet" in frame.columns:
        where = [
            f"{s or ''}{'!' if s and r == r and r is not None else ''}{int(r) if r == r and r is not None else ''}"
            for s, r in zip(frame["sheet"], frame["row"], strict=True)
        ]
        out[t("explain.col.where")] = where
    return out


# ---------------------------------------------------------------------- the component
def _node_options(catalog, start: str) -> list[str]:
    """The start node's ancestors (root first), the start node and its whole subtree."""
    return [*reversed(catalog.ancestors(start)), start, *catalog.descendants(start)]


def explain_panel(ctx, region: str, year: int, start: str, key: str, *, expanded: bool = False) -> None:
    """An expander that explains the score of ``start`` for ``region`` in ``year`` and lets the user
    walk up and down the tree from there. ``key`` namespaces its widgets and state."""
    lang = current_lang()
    catalog = ctx.catalog
    state_key = f"{key}_node"
    origin_key = f"{key}_origin"
    if st.session_state.get(origin_key) != (start, region, int(year)) or st.session_state.get(state_key) not in catalog:
        st.session_state[origin_key] = (start, region, int(year))
        st.session_state[state_key] = start
    options = _node_options(catalog, start)
    if st.session_state[state_key] not in options:
        st.session_state[state_key] = start
    title = t("explain.title", node=catalog.name(start, lang), region=region_label(ctx, region))
    with st.expander(title, expanded=expanded, icon=":material/help:"):
        depth0 = catalog.depth[options[0]]
        st.selectbox(
            t("explain.node"),
            options,
            format_func=lambda c: "\u2003" * (catalog.depth[c] - depth0) + node_label(ctx, c, lang),
            key=state_key,
        )
        code = st.session_state[state_key]
        try:
            expl = ctx.result.explain(region, int(year), code, lang=lang)
        except KeyError:
            st.info(t("explain.no_data", region=region_label(ctx, region), year=year))
            return
        _render(ctx, expl, key, lang)


def _go_to(state_key: str, pick_key: str) -> None:
    picked = st.session_state.get(pick_key)
    if picked:
        st.session_state[state_key] = picked
    st.session_state[pick_key] = None


def _render(ctx, expl: dict[str, Any], key: str, lang: str) -> None:
    catalog = ctx.catalog
    code = expl["code"]
    score = expl["score"]
    n = peer_count(ctx.result, expl["region"], expl["year"], code)
    is_leaf = "children" not in expl
    if is_leaf:
        status = indicator_status(
            expl.get("value") if expl.get("value") is not None else math.nan,
            score if score is not None else math.nan,
            catalog.node(code),
            ctx.method.status_bands,
        )
    else:
        status = score_status(score if score is not None else math.nan, ctx.method.status_bands)
    head = t(
        "explain.headline",
        name=catalog.name(code, lang),
        score=fmt_num(score, 1),
        year=expl["year"],
    )
    st.markdown(f"**{head}** &nbsp; {status_chip(status)}")
    facts = []
    if expl.get("rank") is not None and n > 1:
        facts.append(t("explain.rank", rank=fmt_num(expl["rank"], 0), n=n))
    if expl.get("coverage") is not None:
        facts.append(t("explain.coverage", share=fmt_num(100 * expl["coverage"], 0)))
    if facts:
        st.caption(" · ".join(facts))
    parent = catalog.parent_of.get(code)
    if parent:
        st.button(
            t("explain.up", name=catalog.name(parent, lang)),
            key=f"{key}_up",
            on_click=lambda: st.session_state.__setitem__(f"{key}_node", parent),
            icon=":material/arrow_upward:",
        )
    if is_leaf:
        _render_indicator(ctx, expl, key, lang)
    else:
        _render_inner(ctx, expl, key, lang)


def _render_inner(ctx, expl: dict[str, Any], key: str, lang: str) -> None:
    how = expl.get("aggregation", "arithmetic")
    st.markdown(
        t(
            "explain.inner_how",
            how=t(f"explain.aggregation.{how}"),
            n=len(expl["children"]),
            threshold=fmt_num(100 * expl.get("threshold", 0), 0),
        )
    )
    if ctx.method.geo_floor and how in {"geometric", "harmonic"}:
        st.caption(t("explain.geo_floor", floor=fmt_num(ctx.method.geo_floor, 0)))
    formula = aggregation_formula(expl, lang)
    if formula:
        st.code(formula, language=None, wrap_lines=True)
    elif expl["score"] is None:
        st.warning(t("explain.not_enough", threshold=fmt_num(100 * expl.get("threshold", 0), 0)))
    frame = children_frame(expl, lang)
    shown = pd.DataFrame(
        {
            t("common.code"): frame["code"],
            t("explain.col.component"): frame["name"],
            t("common.score"): frame["score"].astype(float).round(1),
            t("explain.col.weight"): frame["weight"].astype(float).round(3),
            t("explain.col.weight_share"): (100 * frame["weight_share"].astype(float)).round(1),
            t("explain.col.used_share"): (100 * frame["used_share"].astype(float)).round(1),
            t("explain.col.contribution"): frame["contribution"].astype(float).round(2),
        }
    )
    show_table(shown, lang)
    st.caption(t("explain.children_note"))
    download_table(shown, f"rincian_{expl['code']}_{expl['region']}_{expl['year']}", key=f"{key}_kids")
    kids = [c["code"] for c in expl["children"] if c["applicable"]]
    if kids:
        pick_key = f"{key}_pick"
        st.pills(
            t("explain.drill"),
            kids,
            format_func=lambda c: ctx.catalog.name(c, lang),
            key=pick_key,
            on_change=_go_to,
            args=(f"{key}_node", pick_key),
        )


def _render_indicator(ctx, expl: dict[str, Any], key: str, lang: str) -> None:
    catalog = ctx.catalog
    code = expl["code"]
    row = catalog.node(code)
    unit = row["unit"] or ""
    value = expl.get("value")
    origin = expl.get("origin", "missing")
    c1, c2 = st.columns(2)
    with c1:
        st.markdown(f"**{t('explain.raw_value')}:** {fmt_num(value, 2)} {unit}".strip())
        st.markdown(f"**{t('explain.origin')}:** {t(f'explain.origin.{origin}')}")
        direction = t(f"explain.direction.{row['direction']}")
        st.markdown(f"**{t('explain.direction')}:** {direction}")
    params = used_normalization(ctx.result, code, expl["region"], expl["year"])
    params.setdefault("direction", row["direction"])
    with c2:
        method = params.get("method")
        if method:
            st.markdown(f"**{t('explain.normalization')}:** {t(f'explain.method.{method}')}")
        if params.get("lower") is not None and params.get("upper") is not None:
            label = t("explain.goalposts") if method in {"goalposts", "target"} else t("explain.scope_range")
            st.markdown(f"**{label}:** {fmt_num(params['lower'], 2)} – {fmt_num(params['upper'], 2)} {unit}".strip())
        target = row["target"] if not math.isnan(row["target"]) else params.get("target")
        if target is not None and not (isinstance(target, float) and math.isnan(target)):
            st.markdown(f"**{t('explain.target')}:** {fmt_num(target, 2)} {unit}".strip())
        if params.get("scope"):
            st.markdown(f"**{t('explain.scope')}:** {params['scope']}")
    formula = normalization_formula(expl, params, lang)
    if formula:
        st.code(formula, language=None, wrap_lines=True)
        if params.get("transform") == "log":
            st.caption(t("explain.log_note"))
    elif value is None:
        st.warning(t("explain.missing_value"))
    if origin == "imputed":
        st.info(t("explain.imputed_note", how=t(f"explain.imputation.{ctx.method.imputation}")))
    # ------- where the value came from
    st.markdown(f"**{t('explain.source')}**")
    if row["source"]:
        st.caption(f"{t('explain.catalog_source')}: {row['source']}")
    sources = value_sources(ctx, expl["region"], code, expl["year"])
    if origin == "derived" or (sources.empty and row.get("derivation")):
        derivation = get_derivation(row.get("derivation") or "")
        if derivation is not None:
            st.markdown(t("explain.derived_from", inputs=", ".join(derivation.inputs)))
            if derivation.doc:
                st.caption(derivation.doc)
            frames = [value_sources(ctx, expl["region"], v, expl["year"]).assign(variable=v) for v in derivation.inputs]
            frames = [f for f in frames if not f.empty]
            if frames:
                found = pd.concat(frames, ignore_index=True)
                table = sources_table(found)
                table.insert(0, t("explain.col.variable"), found["variable"].to_numpy())
                st.dataframe(table, hide_index=True, width="stretch")
                download_table(
                    table, f"sumber_{code}_{expl['region']}_{expl['year']}", key=f"{key}_src", synthetic=False
                )
            return
    if sources.empty:
        st.caption(t("explain.no_source"))
        return
    table = sources_table(sources, unit)
    st.dataframe(table, hide_index=True, width="stretch")
    if len(sources) > 1:
        st.caption(t("explain.sources_note"))
    download_table(table, f"sumber_{code}_{expl['region']}_{expl['year']}", key=f"{key}_src")
