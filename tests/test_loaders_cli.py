"""``python -m loaders`` end to end, as a batch job would run it (subprocess, exit codes, files)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from corpus.catalog import catalog_csv_bytes
from corpus.files import (
    KELURAHAN_GEOJSON,
    bps_table,
    observations_messy,
    percent_over_100,
    truncated_xlsx,
    unknown_region_typo,
    xlsx,
)

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "loaders", *args], capture_output=True, text=True, cwd=cwd, timeout=120
    )


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    out = {"catalog": tmp_path / "catalog.csv"}
    out["catalog"].write_bytes(catalog_csv_bytes())
    for name, data in {
        "good.xlsx": xlsx(
            {"data": [["wilayah", "indikator", "tahun", "nilai"], ["Selebar", "SS-SE-02", 2023, "81,5"]]}
        ),
        "bps.xlsx": bps_table(),
        "typo.xlsx": unknown_region_typo(),
        "pct.xlsx": percent_over_100(),
        "broken.xlsx": truncated_xlsx(),
        "pju.xlsx": observations_messy(),
    }.items():
        out[name] = tmp_path / name
        out[name].write_bytes(data)
    return out


def test_check_valid_file(files):
    proc = run("check", str(files["good.xlsx"]), "--catalog", str(files["catalog"]))
    assert proc.returncode == 0, proc.stderr
    assert "1 nilai, 0 kesalahan" in proc.stdout


def test_check_json_shape_and_excel_rows(files):
    proc = run("check", str(files["typo.xlsx"]), "--catalog", str(files["catalog"]), "--json")
    assert proc.returncode == 1
    payload = json.loads(proc.stdout)
    assert set(payload) == {"ok", "errors", "warnings", "records"}
    assert payload["ok"] is False and payload["records"] == 1
    [error] = payload["errors"]
    assert set(error) == {"sheet", "row", "column", "cell", "severity", "message"}
    assert (error["sheet"], error["row"], error["column"], error["cell"]) == ("data", 2, "wilayah", "A2")
    assert "Ratu Agungg" in error["message"] and " / " in error["message"]


def test_check_unreadable_exits_2(files):
    proc = run("check", str(files["broken.xlsx"]), "--catalog", str(files["catalog"]), "--json")
    assert proc.returncode == 2
    payload = json.loads(proc.stdout)
    assert payload["ok"] is False and payload["errors"][0]["severity"] == "error"
    assert "Traceback" not in proc.stderr


def test_convert_bps_table_with_mapping_and_read_back(files, tmp_path):
    out = tmp_path / "tidy.csv"
    proc = run(
        "convert", str(files["bps.xlsx"]), "--catalog", str(files["catalog"]), "--column", "Jumlah=VAR-POP",
        "--out", str(out),
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    tidy = pd.read_csv(out, dtype={"region": str})
    assert list(tidy.columns) == ["region", "indicator", "year", "value"]
    assert len(tidy) == 20
    pop = tidy.loc[tidy["indicator"] == "VAR-POP"].set_index("region")["value"]
    assert pop["17.71.09"] == 40_000 + 5 * 1_111 and pop["17.71"] == sum(40_000 + 1_111 * i for i in range(9))
    # the converted CSV is itself a valid long upload
    again = run("check", str(out), "--catalog", str(files["catalog"]), "--json")
    assert again.returncode == 0, again.stdout
    assert json.loads(again.stdout)["records"] == 20


def test_convert_with_errors_writes_nothing(files, tmp_path):
    out = tmp_path / "tidy.csv"
    proc = run("convert", str(files["pct.xlsx"]), "--catalog", str(files["catalog"]), "--out", str(out))
    assert proc.returncode == 1
    assert not out.exists()
    assert list(tmp_path.glob(".tmp-*")) == []
    assert "D2" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.skipif(not KELURAHAN_GEOJSON.exists(), reason="shared boundaries not present")
def test_observations_command(files, tmp_path):
    out = tmp_path / "values.csv"
    proc = run(
        "observations", str(files["pju.xlsx"]), "--catalog", str(files["catalog"]), "--boundaries",
        str(KELURAHAN_GEOJSON), "--out", str(out),
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    values = pd.read_csv(out, dtype={"region": str})
    assert list(values.columns) == ["region", "indicator", "year", "value", "n_observed"]
    city = values.loc[(values["region"] == "17.71") & (values["indicator"] == "SS-SE-02")].iloc[0]
    assert city["value"] == pytest.approx(100 * 4 / 7) and city["n_observed"] == 7


def test_template_command(files, tmp_path):
    out = tmp_path / "T.xlsx"
    proc = run("template", "--catalog", str(files["catalog"]), "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    import openpyxl

    assert "data" in openpyxl.load_workbook(out).sheetnames


def test_report_command(files, tmp_path):
    out = tmp_path / "R.xlsx"
    proc = run("report", str(files["typo.xlsx"]), "--catalog", str(files["catalog"]), "--out", str(out))
    assert proc.returncode == 1 and out.exists()


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["check"],
        ["convert", "x.xlsx"],  # --out missing
        ["check", "x.xlsx", "--year", "abc"],
        ["frobnicate"],
    ],
)
def test_bad_arguments_one_line_exit_2(args):
    proc = run(*args)
    assert proc.returncode == 2
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "error" in lines[0] and "Traceback" not in proc.stderr


def test_missing_file_and_bad_mapping(files, tmp_path):
    proc = run("check", str(tmp_path / "nope.xlsx"), "--catalog", str(files["catalog"]))
    assert proc.returncode == 2 and "not found" in proc.stderr
    proc = run("convert", str(files["bps.xlsx"]), "--catalog", str(files["catalog"]), "--column", "Jumlah",
               "--out", str(tmp_path / "o.csv"))  # fmt: skip
    assert proc.returncode == 2 and "HEADER=CODE" in proc.stderr


@pytest.mark.parametrize("command", ["check", "convert", "observations", "template", "report"])
def test_help_on_each_command(command):
    proc = run(command, "--help")
    assert proc.returncode == 0
    assert " / " in proc.stdout  # bilingual
