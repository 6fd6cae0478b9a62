"""Catalog validation: every structural and value error is reported with its row and column."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from indicators.catalog import catalog_from_frame, read_catalog
from indicators.problems import ProblemsError


def problems_of(text: str) -> list:
    frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    with pytest.raises(ProblemsError) as info:
        catalog_from_frame(frame)
    return info.value.errors


def find(errors, column, row):
    hits = [p for p in errors if p.column == column and p.row == row]
    assert hits, f"no error at row {row}, column {column}: {[str(p) for p in errors]}"
    return hits[0]


def test_every_error_at_once_with_row_and_column():
    errors = problems_of(
        "code,parent,direction,transform,aggregation,lower,upper,weight\n"
        "R,,,,,,,\n"  # row 2
        "A,R,sideways,,,,,\n"  # row 3: bad direction
        "B,R,,sqrt,,,,\n"  # row 4: bad transform
        "C,R,,,median,,,\n"  # row 5: aggregation unknown
        "D,R,,,,10,5,\n"  # row 6: lower >= upper
        "E,R,,,,,,-2\n"  # row 7: negative weight
        "F,Q,,,,,,\n"  # row 8: parent missing
        "A,R,,,,,,\n"  # row 9: duplicate code
        "G,R,,log,,0,10,\n"  # row 10: log with lower 0
    )
    assert "direction" in find(errors, "direction", 3).message_en.lower()
    assert "transform" in find(errors, "transform", 4).message_en.lower()
    assert "aggregation" in find(errors, "aggregation", 5).message_en.lower()
    assert find(errors, "upper", 6).cell == "G6"
    assert "weight" in find(errors, "weight", 7).message_en.lower()
    assert "Q" in find(errors, "parent", 8).message_en
    assert "Duplicate" in find(errors, "code", 9).message_en
    assert find(errors, "lower", 10)
    assert all(p.message_id and p.message_en for p in errors)


def test_no_root_and_two_roots():
    assert any("No root" in p.message_en for p in problems_of("code,parent\nA,B\nB,A\n"))
    two = problems_of("code,parent\nR1,\nR2,\nx,R1\n")
    assert any("More than one root" in p.message_en and p.row == 3 for p in two)


def test_cycle_is_named():
    errors = problems_of("code,parent\nR,\nA,R\nB,C\nC,D\nD,B\n")
    assert any("Cycle" in p.message_en and "B" in p.message_en for p in errors)


def test_siblings_need_a_positive_weight():
    errors = problems_of("code,parent,weight\nR,,\nA,R,0\nB,R,0\n")
    assert any("weight 0" in p.message_en for p in errors)


def test_target_direction_needs_target_and_missing_required_column():
    assert any(p.column == "target" for p in problems_of("code,parent,direction,target\nR,,,\nA,R,target,\n"))
    assert any("code" in p.message_en for p in problems_of("kode,parent\nR,\n"))


def test_not_a_number():
    errors = problems_of("code,parent,lower,upper\nR,,,\nA,R,nol,10\n")
    assert find(errors, "lower", 3).cell == "C3"


def test_any_depth_and_defaults():
    text = "code,parent\nI,\nL1,I\nL2,L1\nL3,L2\nL4,L3\nleaf,L4\nleaf2,L1\nPOP,\n"
    frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    frame["level"] = ["", "", "", "", "", "", "", "variable"]
    cat = catalog_from_frame(frame)
    assert cat.root == "I"
    assert cat.indicators == ["leaf", "leaf2"]
    assert cat.depth["leaf"] == 5
    assert cat.variables == ["POP"]
    row = cat.node("leaf")
    assert (row["weight"], row["aggregation"], row["direction"], row["transform"]) == (
        1.0,
        "arithmetic",
        "higher",
        "none",
    )
    assert cat.node("I")["level"] == "index" and row["level"] == "indicator"


def test_xlsx_catalog_sheet_and_missing_sheet(tmp_path):
    frame = pd.DataFrame({"code": ["R", "a"], "parent": ["", "R"], "weight": [None, 2]})
    good = tmp_path / "cat.xlsx"
    with pd.ExcelWriter(good) as writer:
        frame.to_excel(writer, sheet_name="catalog", index=False)
    assert read_catalog(good).indicators == ["a"]
    bad = tmp_path / "bad.xlsx"
    frame.to_excel(bad, sheet_name="Sheet1", index=False)
    with pytest.raises(ProblemsError, match="catalog"):
        read_catalog(bad)


def test_semicolon_csv_with_comma_decimals(tmp_path):
    path = tmp_path / "cat.csv"
    path.write_text("code;parent;lower;upper\nR;;;\na;R;0,5;2,5\n", encoding="utf-8")
    cat = read_catalog(path)
    assert (cat.node("a")["lower"], cat.node("a")["upper"]) == (0.5, 2.5)


def test_effective_weights_sum_to_one():
    frame = pd.DataFrame(
        {
            "code": ["R", "A", "B", "a1", "a2", "b1"],
            "parent": ["", "R", "R", "A", "A", "B"],
            "weight": ["", "1", "3", "1", "1", "1"],
        }
    )
    eff = catalog_from_frame(frame).effective_weights()
    assert eff[["a1", "a2", "b1"]].sum() == pytest.approx(1.0)
    assert eff["b1"] == pytest.approx(0.75) and eff["a1"] == pytest.approx(0.125)
