"""AHP weights and consistency against published examples, group AHP, matrix files and the CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indicators.ahp import (
    RANDOM_INDEX,
    SAATY_SCALE,
    AHPError,
    ahp,
    complete_matrix,
    format_judgement,
    group_ahp,
    matrix_from_pairs,
    parse_judgement,
    read_matrix,
    saaty_nearest,
)

ROOT = Path(__file__).resolve().parent.parent

# Wikipedia, "Analytic hierarchy process – leader example" (criteria with respect to the goal):
# Experience, Education, Charisma, Age; published priorities .547, .127, .270, .056 and CR = 0.044.
LEADER_LABELS = ["Experience", "Education", "Charisma", "Age"]
LEADER = [
    [1, 4, 3, 7],
    [None, 1, 1 / 3, 3],
    [None, None, 1, 5],
    [None, None, None, 1],
]

# Saaty (2008), "Decision making with the analytic hierarchy process", Int. J. Services Sciences
# 1(1), table "Which drink is consumed more in the U.S.?": derived priorities
# .177 .019 .042 .116 .190 .129 .327 (coffee, wine, tea, beer, sodas, milk, water).
DRINK_LABELS = ["Coffee", "Wine", "Tea", "Beer", "Sodas", "Milk", "Water"]
DRINKS = [
    [1, 9, 5, 2, 1, 1, 1 / 2],
    [1 / 9, 1, 1 / 3, 1 / 9, 1 / 9, 1 / 9, 1 / 9],
    [1 / 5, 3, 1, 1 / 3, 1 / 4, 1 / 3, 1 / 9],
    [1 / 2, 9, 3, 1, 1 / 2, 1, 1 / 3],
    [1, 9, 4, 2, 1, 2, 1 / 2],
    [1, 9, 3, 1, 1 / 2, 1, 1 / 3],
    [2, 9, 9, 3, 2, 3, 1],
]


def test_wikipedia_leader_example_weights_and_cr():
    result = ahp(LEADER, LEADER_LABELS)
    published = {"Experience": 0.547, "Education": 0.127, "Charisma": 0.270, "Age": 0.056}
    for label, weight in published.items():
        assert result.weights_dict[label] == pytest.approx(weight, abs=1e-3)
    assert result.cr == pytest.approx(0.044, abs=5e-4)
    assert result.consistent
    assert result.weights.sum() == pytest.approx(1.0)


def test_saaty_2008_drink_consumption_example():
    result = ahp(DRINKS, DRINK_LABELS)
    published = [0.177, 0.019, 0.042, 0.116, 0.190, 0.129, 0.327]
    np.testing.assert_allclose(result.weights, published, atol=1e-3)
    assert result.consistent


def test_saaty_random_index_table():
    assert [RANDOM_INDEX[n] for n in range(1, 11)] == [0, 0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49]
    assert len(RANDOM_INDEX) == 15


def test_consistent_matrix_gives_back_its_weights_with_cr_zero():
    w = np.array([0.5, 0.25, 0.15, 0.1])
    matrix = w[:, None] / w[None, :]
    result = ahp(matrix, list("ABCD"))
    np.testing.assert_allclose(result.weights, w, atol=1e-12)
    assert result.lambda_max == pytest.approx(4.0)
    assert result.ci == pytest.approx(0.0, abs=1e-12)
    assert result.cr == pytest.approx(0.0, abs=1e-12)


def test_two_and_one_element_matrices_are_consistent_by_definition():
    two = ahp([[1, 3], [None, 1]], ["A", "B"])
    assert two.weights_dict == pytest.approx({"A": 0.75, "B": 0.25})
    assert (two.ci, two.cr) == (0.0, 0.0)
    one = ahp([[1]], ["A"])
    assert one.weights_dict == {"A": 1.0} and one.cr == 0.0


def test_inconsistent_matrix_is_flagged_and_the_bad_judgement_named():
    # consistent judgements from weights (8, 4, 2, 1) except A vs D, set to 1/5 instead of 8
    w = np.array([8.0, 4.0, 2.0, 1.0])
    matrix = w[:, None] / w[None, :]
    matrix[0, 3], matrix[3, 0] = 1 / 5, 5
    result = ahp(matrix, list("ABCD"))
    assert result.cr > 0.1 and not result.consistent
    worst = result.inconsistencies(1).iloc[0]
    assert (worst["row"], worst["column"]) == ("A", "D")
    assert worst["suggested"] > worst["judgement"]  # the weights pull the judgement towards A
    assert worst["cr_if_changed"] < result.cr


def test_group_ahp_is_the_geometric_mean_of_the_experts():
    w1 = np.array([0.6, 0.3, 0.1])
    w2 = np.array([0.2, 0.5, 0.3])
    m1 = w1[:, None] / w1[None, :]
    m2 = w2[:, None] / w2[None, :]
    group = group_ahp([m1, m2], ["A", "B", "C"], ["Ani", "Budi"])
    np.testing.assert_allclose(group.combined.matrix, np.sqrt(m1 * m2))
    expected = np.sqrt(w1 * w2) / np.sqrt(w1 * w2).sum()
    np.testing.assert_allclose(group.combined.weights, expected, atol=1e-12)
    table = group.experts_table()
    assert list(table["expert"]) == ["Ani", "Budi", "group"]
    assert table["cr"].abs().max() < 1e-9


def test_group_ahp_reports_each_experts_cr():
    inconsistent = [[1, 9, 1 / 9], [None, 1, 9], [None, None, 1]]
    consistent = [[1, 2, 4], [None, 1, 2], [None, None, 1]]
    group = group_ahp([consistent, inconsistent], ["A", "B", "C"])
    crs = [e.cr for e in group.experts]
    assert crs[0] == pytest.approx(0.0, abs=1e-9)
    assert crs[1] > 1.0


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1/5", 0.2), ("5", 5.0), ("0,5", 0.5), (" 3 ", 3.0), (7, 7.0), ("", None), (None, None), (float("nan"), None)],
)
def test_parse_judgement(text, expected):
    assert parse_judgement(text) == (pytest.approx(expected) if expected is not None else None)


@pytest.mark.parametrize("text", ["abc", "-3", "0", "1/0", "2/x"])
def test_parse_judgement_rejects_non_positive_numbers(text):
    with pytest.raises(AHPError):
        parse_judgement(text)


def test_saaty_nearest_and_format():
    assert saaty_nearest(3.4) == 3.0
    assert saaty_nearest(0.3) == pytest.approx(1 / 3)
    assert saaty_nearest(100) == 9.0
    assert format_judgement(0.2) == "1/5" and format_judgement(3.0) == "3" and format_judgement(2.5) == "2.5"
    assert len(SAATY_SCALE) == 17


def test_complete_matrix_fills_reciprocals_from_either_triangle():
    full = complete_matrix([[None, 3, None], [None, None, None], [1 / 5, 2, None]], ["A", "B", "C"])
    expected = np.array([[1, 3, 5], [1 / 3, 1, 1 / 2], [1 / 5, 2, 1]])
    np.testing.assert_allclose(full, expected)


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        ([[1, 3], [1 / 2, 1]], "reciprocals"),
        ([[1, 12], [None, 1]], "Saaty"),
        ([[2, 3], [None, 1]], "Diagonal"),
        ([[1, None, 2], [None, 1, 3], [None, None, 1]], "missing"),
    ],
)
def test_complete_matrix_errors_name_the_pair(cells, message):
    with pytest.raises(AHPError) as err:
        complete_matrix(cells, ["SG", "SB", "SE"][: len(cells)])
    assert message in err.value.message_en
    assert err.value.message_id  # Indonesian message too


def test_matrix_from_pairs_accepts_either_order():
    m = matrix_from_pairs(["A", "B", "C"], {("A", "B"): 3, ("C", "A"): 1 / 2, ("B", "C"): 1})
    assert m[0, 1] == 3 and m[0, 2] == 2 and m[2, 0] == pytest.approx(0.5)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(SAATY_SCALE), min_size=3, max_size=28), st.integers(3, 8))
def test_any_saaty_matrix_gives_positive_weights_summing_to_one(values, n):
    cells = np.full((n, n), np.nan)
    k = 0
    for i in range(n):
        for j in range(i + 1, n):
            cells[i, j] = values[k % len(values)]
            k += 1
    result = ahp(cells, [f"x{i}" for i in range(n)])
    assert np.all(result.weights > 0)
    assert result.weights.sum() == pytest.approx(1.0)
    assert result.lambda_max >= n - 1e-9  # Saaty: lambda_max >= n for a positive reciprocal matrix
    assert result.cr >= -1e-12


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(0.05, 10.0), min_size=3, max_size=9))
def test_consistent_matrices_recover_any_weights(raw):
    w = np.asarray(raw) / np.sum(raw)
    if (w.max() / w.min()) > 9:  # judgements must stay on Saaty's 1/9 .. 9 range
        w = np.clip(w, w.max() / 9, None)
        w = w / w.sum()
    result = ahp(w[:, None] / w[None, :], [str(i) for i in range(len(w))])
    np.testing.assert_allclose(result.weights, w, atol=1e-9)
    assert abs(result.cr) < 1e-9


# ---------------------------------------------------------------------------- files
def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_read_matrix_csv_with_fractions_and_empty_lower_triangle(tmp_path):
    path = _write(
        tmp_path / "m.csv",
        ",Experience,Education,Charisma,Age\nExperience,1,4,3,7\nEducation,,1,1/3,3\nCharisma,,,1,5\nAge,,,,1\n",
    )
    labels, matrix = read_matrix(path)
    assert labels == LEADER_LABELS
    assert matrix[3, 0] == pytest.approx(1 / 7)


def test_read_matrix_semicolon_and_reordered_rows(tmp_path):
    path = _write(tmp_path / "m.csv", "x;A;B;C\nC;;;1\nA;1;3;5\nB;;1;2\n")
    labels, matrix = read_matrix(path)
    assert labels == ["A", "B", "C"]
    np.testing.assert_allclose(matrix[:, 2], [5, 2, 1])


def test_read_matrix_xlsx(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for row in [["", "A", "B"], ["A", 1, "1/3"], ["B", None, 1]]:
        sheet.append(row)
    book.save(tmp_path / "m.xlsx")
    labels, matrix = read_matrix(tmp_path / "m.xlsx")
    assert labels == ["A", "B"] and matrix[1, 0] == pytest.approx(3.0)


def test_read_matrix_bad_cell_names_the_cell(tmp_path):
    path = _write(tmp_path / "m.csv", ",A,B,C\nA,1,x,2\nB,,1,3\nC,,,1\n")
    with pytest.raises(AHPError) as err:
        read_matrix(path)
    assert "C2" in err.value.message_en and "A vs B" in err.value.message_en


# ---------------------------------------------------------------------------- command line
def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "indicators", "ahp", *args], cwd=ROOT, capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def leader_csv(tmp_path) -> Path:
    return _write(
        tmp_path / "leader.csv",
        ",Experience,Education,Charisma,Age\nExperience,1,4,3,7\nEducation,,1,1/3,3\nCharisma,,,1,5\nAge,,,,1\n",
    )


def test_cli_json_shape_and_values(leader_csv):
    proc = _cli("--matrix", str(leader_csv), "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert set(data) == {"weights", "lambda_max", "ci", "cr"}
    assert list(data["weights"]) == LEADER_LABELS
    assert data["weights"]["Experience"] == pytest.approx(0.547, abs=1e-3)
    assert data["cr"] == pytest.approx(0.044, abs=5e-4)


def test_cli_plain_table(leader_csv):
    proc = _cli("--matrix", str(leader_csv))
    assert proc.returncode == 0
    assert "Experience" in proc.stdout and "CR" in proc.stdout and "consistent" in proc.stdout


def test_cli_flags_inconsistency_but_exits_zero(tmp_path):
    path = _write(tmp_path / "bad.csv", ",A,B,C\nA,1,9,1/9\nB,,1,9\nC,,,1\n")
    proc = _cli("--matrix", str(path))
    assert proc.returncode == 0
    assert "INCONSISTENT" in proc.stdout and "try" in proc.stdout


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (",A,B\nA,1,abc\nB,,1\n", "C2"),
        (",A,B\nA,1,3\nB,1/2,1\n", "reciprocals"),
        (",A,B,C\nA,1,2\nB,,1\n", "square"),
    ],
)
def test_cli_bad_matrix_one_line_exit_2(tmp_path, content, fragment):
    path = _write(tmp_path / "m.csv", content)
    proc = _cli("--matrix", str(path), "--json")
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and fragment in lines[0]
    assert proc.stdout == ""


def test_cli_missing_file_exit_2(tmp_path):
    proc = _cli("--matrix", str(tmp_path / "nope.csv"))
    assert proc.returncode == 2 and "not found" in proc.stderr


def test_cli_group_of_two_files(tmp_path):
    a = _write(tmp_path / "a.csv", ",A,B\nA,1,4\nB,,1\n")
    b = _write(tmp_path / "b.csv", ",B,A\nB,1,1\nA,,1\n")  # other order: A vs B = 1
    proc = _cli("--matrix", str(a), "--matrix", str(b), "--json")
    assert proc.returncode == 0, proc.stderr
    weights = json.loads(proc.stdout)["weights"]
    # geometric mean of 4 and 1 is 2 -> weights 2/3, 1/3
    assert weights["A"] == pytest.approx(2 / 3) and weights["B"] == pytest.approx(1 / 3)
