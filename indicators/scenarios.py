"""Method scenarios: named, stored sets of method choices; comparing two; the official one.

A scenario is a :class:`indicators.method.Method` (weights, goalposts/targets, normalisation and
aggregation per node, missing-data threshold, imputation ...) stored with a name, an author and a
time. Officials see the official scenario; experts try others and compare them region by region.

Write actions check the caller's role here, in the core, not only in the page that hides the
button: :data:`WRITE_ROLES` may save scenarios and choose the official one, and the store records
both in the audit log.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from indicators.engine import ScoreResult
from indicators.method import Method
from indicators.problems import BilingualError

__all__ = [
    "WRITE_ROLES",
    "ScenarioError",
    "check_role",
    "compare_results",
    "compare_summary",
    "load_scenario",
    "make_official",
    "method_differences",
    "save_scenario",
]

#: Roles allowed to save scenarios and choose the official one.
WRITE_ROLES = frozenset({"expert", "admin"})
MAX_NAME = 120


class ScenarioError(BilingualError):
    """A scenario request refused (role, name, unknown id); bilingual message."""


def check_role(role: str | None) -> None:
    """Raise :class:`ScenarioError` unless ``role`` may write scenarios (expert or admin)."""
    if role not in WRITE_ROLES:
        raise ScenarioError(
            "Hanya pakar atau admin yang dapat menyimpan skenario atau menetapkan skenario resmi",
            "Only an expert or an admin can save scenarios or set the official one",
        )


def save_scenario(store: Any, name: str, method: Method, author: str, role: str | None) -> int:
    """Store ``method`` under ``name`` (after the role check); returns the scenario id."""
    check_role(role)
    name = str(name or "").strip()
    if not name:
        raise ScenarioError("Skenario perlu nama", "A scenario needs a name")
    if len(name) > MAX_NAME:
        raise ScenarioError(
            f"Nama skenario terlalu panjang (maks. {MAX_NAME} karakter)",
            f"The scenario name is too long (max. {MAX_NAME} characters)",
        )
    if not author:
        raise ScenarioError("Penulis skenario tidak diketahui", "The scenario's author is unknown")
    return int(store.save_scenario(name, method.model_dump(mode="json"), author))


def load_scenario(store: Any, scenario_id: int | None) -> tuple[Method, dict[str, Any]]:
    """The scenario's :class:`Method` and its record (``id, name, author, created_at, is_official``).

    ``None`` stands for the catalog default (an empty ``Method``).
    """
    if scenario_id is None:
        return Method(), {"id": None, "name": "default", "author": None, "created_at": None, "is_official": False}
    try:
        record = store.get_scenario(int(scenario_id))
    except KeyError:
        raise ScenarioError(f"Skenario {scenario_id} tidak ada", f"Scenario {scenario_id} does not exist") from None
    try:
        method = Method.model_validate(record["settings"])
    except Exception as exc:  # pydantic ValidationError: settings stored by an older version
        raise ScenarioError(
            f"Pengaturan skenario {scenario_id} tidak valid: {exc}".splitlines()[0],
            f"The settings of scenario {scenario_id} are invalid: {exc}".splitlines()[0],
        ) from exc
    meta = {k: v for k, v in record.items() if k != "settings"}
    return method, meta


def make_official(store: Any, scenario_id: int, user: str, role: str | None) -> None:
    """Make a scenario the official one (role check here; the store writes the audit entry)."""
    check_role(role)
    try:
        store.set_official(int(scenario_id), user)
    except KeyError:
        raise ScenarioError(f"Skenario {scenario_id} tidak ada", f"Scenario {scenario_id} does not exist") from None


def method_differences(a: Method, b: Method) -> pd.DataFrame:
    """What two scenarios set differently: ``setting, a, b`` (one row per differing value).

    Dict settings (weights, goalposts, per-node choices) are compared key by key, so the table
    says "weights.SG: 1 -> 2" rather than "weights differ".
    """
    da, db = a.model_dump(mode="json"), b.model_dump(mode="json")
    rows = []
    for key in da:
        va, vb = da[key], db[key]
        if isinstance(va, dict) or isinstance(vb, dict):
            va, vb = va or {}, vb or {}
            for sub in sorted(set(va) | set(vb)):
                if va.get(sub) != vb.get(sub):
                    rows.append({"setting": f"{key}.{sub}", "a": _show(va.get(sub)), "b": _show(vb.get(sub))})
        elif va != vb:
            rows.append({"setting": key, "a": _show(va), "b": _show(vb)})
    return pd.DataFrame(rows, columns=["setting", "a", "b"])


def _show(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, dict):
        return ", ".join(f"{k}={v}" for k, v in value.items() if v is not None) or "-"
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value) or "-"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def compare_results(
    a: ScoreResult,
    b: ScoreResult,
    year: int,
    codes: list[str] | None = None,
    regions: list[str] | None = None,
) -> pd.DataFrame:
    """Scores and ranks of two scenarios side by side, per region and node.

    Columns ``region, code, score_a, score_b, diff (b - a), rank_a, rank_b, rank_change (a - b,
    positive = the region moves up under b)``. ``codes`` default: the root and the dimensions.
    """
    catalog = a.catalog
    codes = codes or [catalog.root, *catalog.dimensions]
    sa = a.scores_plain()
    sb = b.scores_plain()
    keep = ["region", "code", "score", "rank"]
    sa = sa.loc[(sa["year"] == int(year)) & sa["code"].isin(codes), keep]
    sb = sb.loc[(sb["year"] == int(year)) & sb["code"].isin(codes), keep]
    frame = sa.merge(sb, on=["region", "code"], how="outer", suffixes=("_a", "_b"))
    if regions is not None:
        frame = frame.loc[frame["region"].isin(set(regions))]
    frame["diff"] = frame["score_b"] - frame["score_a"]
    frame["rank_change"] = frame["rank_a"] - frame["rank_b"]
    order = {c: i for i, c in enumerate(codes)}
    frame = frame.assign(_o=frame["code"].map(order)).sort_values(["_o", "rank_a", "region"]).drop(columns="_o")
    return frame[["region", "code", "score_a", "score_b", "diff", "rank_a", "rank_b", "rank_change"]].reset_index(
        drop=True
    )


def compare_summary(frame: pd.DataFrame) -> pd.DataFrame:
    """Per node: ``code, regions, mean_diff, max_abs_diff, regions_moved, max_rank_change, spearman``."""
    rows = []
    for code, group in frame.groupby("code", sort=False):
        both = group.dropna(subset=["score_a", "score_b"])
        if len(both) > 2 and both["rank_a"].nunique() > 1 and both["rank_b"].nunique() > 1:
            rho = float(both["rank_a"].corr(both["rank_b"], method="spearman"))
        else:
            rho = math.nan
        rows.append(
            {
                "code": code,
                "regions": len(both),
                "mean_diff": float(both["diff"].mean()) if len(both) else math.nan,
                "max_abs_diff": float(both["diff"].abs().max()) if len(both) else math.nan,
                "regions_moved": int((both["rank_change"].fillna(0) != 0).sum()),
                "max_rank_change": float(np.nanmax(np.abs(both["rank_change"]))) if len(both) else math.nan,
                "spearman": rho,
            }
        )
    return pd.DataFrame(
        rows, columns=["code", "regions", "mean_diff", "max_abs_diff", "regions_moved", "max_rank_change", "spearman"]
    )
