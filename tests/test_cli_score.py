"""``python -m indicators score`` end to end: options, output, and clear one-line errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"

TREE = """code,parent,aggregation,lower,upper,direction
R,,geometric,,,
a,R,,0,100,higher
b,R,,,,lower
"""


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "indicators", *args], capture_output=True, text=True, cwd=ROOT, timeout=120
    )


@pytest.fixture
def files(tmp_path):
    cat = tmp_path / "cat.csv"
    cat.write_text(TREE)
    data = tmp_path / "data.csv"
    pd.DataFrame(
        [
            ("K1", "a", 2023, 40),
            ("K1", "b", 2023, 10),
            ("K2", "a", 2023, 80),
            ("K2", "b", 2023, 30),
            ("K1", "a", 2024, 50),
            ("K1", "b", 2024, 20),
            ("K2", "a", 2024, 70),
            ("K2", "b", 2024, 30),
        ],
        columns=["wilayah", "indikator", "tahun", "nilai"],
    ).to_csv(data, index=False)
    return cat, data, tmp_path


def test_help_documents_every_option():
    proc = run("score", "--help")
    assert proc.returncode == 0
    for option in ("--catalog", "--data", "--out", "--normalization", "--aggregation", "--year", "--threshold"):
        assert option in proc.stdout


def test_score_writes_tidy_output(files):
    cat, data, tmp = files
    out = tmp / "out.csv"
    proc = run("score", "--catalog", str(cat), "--data", str(data), "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    frame = pd.read_csv(out)
    assert list(frame.columns) == ["region", "year", "code", "level", "score", "rank", "coverage"]
    assert len(frame) == 2 * 2 * 3
    k1 = frame.loc[(frame["region"] == "K1") & (frame["year"] == 2024)].set_index("code")["score"]
    # b is min-max lower-is-better over 10..30 (pooled years): 20 -> 50; a goalposts 50; geometric -> 50
    assert k1["b"] == pytest.approx(50.0)
    assert k1["R"] == pytest.approx(50.0)


def test_options_change_the_method(files):
    cat, data, tmp = files
    out = tmp / "out.csv"
    proc = run(
        "score",
        "--catalog",
        str(cat),
        "--data",
        str(data),
        "--out",
        str(out),
        "--aggregation",
        "arithmetic",
        "--normalization",
        "minmax",
        "--year",
        "2024",
        "--threshold",
        "1",
    )
    assert proc.returncode == 0, proc.stderr
    frame = pd.read_csv(out)
    assert set(frame["year"]) == {2024}
    k2 = frame.loc[frame["region"] == "K2"].set_index("code")["score"]
    # a min-max over 40..80: 70 -> 75; b 30 -> 0 (worst); arithmetic -> 37.5
    assert k2["R"] == pytest.approx(37.5)


def test_xlsx_data_is_read(files, tmp_path):
    cat, data, _ = files
    xlsx = tmp_path / "data.xlsx"
    pd.read_csv(data).to_excel(xlsx, index=False, sheet_name="data")
    out = tmp_path / "out.csv"
    assert run("score", "--catalog", str(cat), "--data", str(xlsx), "--out", str(out)).returncode == 0
    assert len(pd.read_csv(out)) == 12


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["score", "--data", "missing.csv", "--out", "x.csv", "--catalog", "tests/data/ipm_catalog.csv"], "not found"),
        (["score", "--normalization", "magic", "--data", "x", "--out", "y"], "invalid choice"),
        (["score", "--threshold", "abc", "--data", "x", "--out", "y"], "invalid float"),
        (
            ["score", "--data", "tests/data/ipm_indonesia_2023.csv", "--out", "o.csv", "--catalog", "nope.csv"],
            "catalog not found",
        ),
        (["frobnicate"], "invalid choice"),
    ],
)
def test_bad_arguments_give_one_line_and_exit_2(args, needle):
    proc = run(*args)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert needle in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_invalid_catalog_names_row_and_column(files, tmp_path):
    _, data, _ = files
    bad = tmp_path / "bad.csv"
    bad.write_text(TREE.replace("a,R,,0,100,higher", "a,R,,100,0,higher"))
    proc = run("score", "--catalog", str(bad), "--data", str(data), "--out", str(tmp_path / "o.csv"))
    assert proc.returncode == 2
    assert "row 3" in proc.stderr and "upper" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_duplicate_values_are_a_clear_error(files, tmp_path):
    cat, data, _ = files
    frame = pd.read_csv(data)
    dup = tmp_path / "dup.csv"
    pd.concat([frame, frame.head(1).assign(nilai=99)]).to_csv(dup, index=False)
    proc = run("score", "--catalog", str(cat), "--data", str(dup), "--out", str(tmp_path / "o.csv"))
    assert proc.returncode == 2
    assert "Duplicate" in proc.stderr and "Traceback" not in proc.stderr
