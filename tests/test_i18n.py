"""The translation table: one key once, both languages, every key the code asks for exists.

A missing key shows as ``⟦key⟧`` on screen; these checks catch it before a user does, for keys
written literally (``t("map.title")``) and for the families built at run time
(``t(f"status.{status}")``), whose members are enumerated from the code that produces them.
"""

from __future__ import annotations

import ast
import csv
import re
import string
from pathlib import Path

import pytest

from ui.i18n import STRINGS_DIR, duplicate_keys, fmt_num, t, table

ROOT = Path(__file__).resolve().parent.parent
CODE_DIRS = ("views", "ui", "indicators", "loaders", "storage")


def code_files() -> list[Path]:
    files = [ROOT / "dashboard.py"]
    for folder in CODE_DIRS:
        files += sorted((ROOT / folder).rglob("*.py"))
    return [f for f in files if f.exists()]


def literal_keys() -> dict[str, list[str]]:
    """``t("key", ...)`` calls with a literal key -> where they are."""
    found: dict[str, list[str]] = {}
    for path in code_files():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "t"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                found.setdefault(node.args[0].value, []).append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_no_key_is_defined_twice():
    assert duplicate_keys() == []


def test_every_strings_file_has_the_three_columns():
    for path in sorted(STRINGS_DIR.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            header = next(csv.reader(handle))
        assert header == ["key", "id", "en"], path.name


def test_every_key_has_both_languages():
    missing = [(k, lang) for k, row in table().items() for lang in ("id", "en") if not (row.get(lang) or "").strip()]
    assert missing == []


def test_placeholders_match_between_languages():
    def names(text: str) -> set[str]:
        return {f for _, f, _, _ in string.Formatter().parse(text) if f}

    wrong = [k for k, row in table().items() if names(row["id"]) != names(row["en"])]
    assert wrong == []


def test_every_literal_key_used_in_the_code_exists():
    known = table()
    unknown = {k: where for k, where in literal_keys().items() if k not in known}
    assert unknown == {}


def _families() -> dict[str, list[str]]:
    """Key families built at run time, with every member the code can produce."""
    from typing import get_args

    from indicators.catalog import AGGREGATIONS, DIRECTIONS, NORMALIZATIONS
    from indicators.engine import ORIGINS
    from indicators.method import Method
    from indicators.quality import CELL_STATES
    from indicators.status import STATUSES, TRENDS
    from ui.maps import OBS_LABELS

    imputations = get_args(Method.model_fields["imputation"].annotation)
    scopes = get_args(Method.model_fields["minmax_scope"].annotation)
    return {
        "status": [f"status.{s}" for s in STATUSES],
        "trend": [f"trend.{s}" for s in TRENDS],
        "level": [f"level.{s}" for s in ("provinsi", "kota", "kecamatan", "kelurahan")],
        "origin": [f"explain.origin.{s}" for s in ORIGINS.values()],
        "normalization": [f"explain.method.{s}" for s in NORMALIZATIONS],
        "aggregation": [f"explain.aggregation.{s}" for s in AGGREGATIONS],
        "direction": [f"explain.direction.{s}" for s in DIRECTIONS],
        "imputation": [f"explain.imputation.{s}" for s in imputations],
        "scope": [f"methodology.s.scope.{s}" for s in scopes],
        "dataset status": [f"explain.dataset_status.{s}" for s in ("active", "superseded", "rolled_back")],
        "cell state": [f"quality.state.{s}" for s in CELL_STATES.values()],
        "observation": list(OBS_LABELS.values()),
        "compare mode": [f"compare.mode.{s}" for s in ("regions", "years")],
        "map colour": [f"map.color_by.{s}" for s in ("score", "value")],
    }


@pytest.mark.parametrize("family", sorted(_families()))
def test_every_key_built_at_run_time_exists(family):
    known = table()
    assert [k for k in _families()[family] if k not in known] == []


def test_dataset_statuses_of_the_store_are_translated():
    """The store's own status words (checked against its code, not a copy of the list)."""
    source = (ROOT / "storage" / "store.py").read_text(encoding="utf-8")
    statuses = set(re.findall(r'status\s*==\s*"([a-z_]+)"|status="([a-z_]+)"', source))
    words = {w for pair in statuses for w in pair if w}
    assert words, "no dataset status found in storage/store.py"
    assert [w for w in words if f"explain.dataset_status.{w}" not in table()] == []


def test_unknown_key_is_visible_not_a_crash():
    assert t("no.such.key") == "⟦no.such.key⟧"


@pytest.mark.parametrize(
    ("value", "lang", "decimals", "expected"),
    [(1234.5, "id", 1, "1.234,5"), (1234.5, "en", 1, "1,234.5"), (float("nan"), "id", 1, "–"), (None, "en", 2, "–")],
)
def test_numbers_the_users_way(value, lang, decimals, expected):
    assert fmt_num(value, decimals, lang=lang) == expected
