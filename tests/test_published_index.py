"""A published composite index recomputed from its components.

Indeks Pembangunan Manusia (IPM, the Indonesian HDI) of Indonesia 2023: BPS, Berita Resmi
Statistik No. 76/11/Th. XXVI, 15 November 2023 ("Indeks Pembangunan Manusia (IPM) Indonesia pada
tahun 2023 mencapai 74,39"). Components: Umur Harapan Hidup saat lahir 73,93 tahun; Harapan Lama
Sekolah 13,15 tahun; Rata-rata Lama Sekolah 8,77 tahun; pengeluaran riil per kapita disesuaikan
Rp 11,899 juta (11.899 ribu rupiah PPP). Method (BPS, UNDP 2010 method): goalposts UHH 20-85, HLS
0-18, RLS 0-15, pengeluaran 1.007,436-26.572,352 ribu rupiah on a log scale; education index =
arithmetic mean of HLS and RLS indices; IPM = geometric mean of the three dimension indices x 100.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from indicators.catalog import read_catalog
from indicators.engine import score

DATA = Path(__file__).parent / "data"


def test_ipm_indonesia_2023_reproduced_to_0_01():
    catalog = read_catalog(DATA / "ipm_catalog.csv")
    result = score(pd.read_csv(DATA / "ipm_indonesia_2023.csv"), catalog)
    frame = result.scores_plain().set_index("code")["score"]
    assert frame["IPM"] == pytest.approx(74.39, abs=0.01)
    # the dimension indices BPS reports implicitly: health (73.93 - 20) / 65
    assert frame["KES"] == pytest.approx(100 * (73.93 - 20) / 65)
    assert frame["PEN"] == pytest.approx(100 * (13.15 / 18 + 8.77 / 15) / 2)


def test_cli_reproduces_ipm(tmp_path):
    out = tmp_path / "ipm.csv"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "indicators",
            "score",
            "--catalog",
            str(DATA / "ipm_catalog.csv"),
            "--data",
            str(DATA / "ipm_indonesia_2023.csv"),
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        cwd=Path(__file__).parent.parent,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    scores = pd.read_csv(out).set_index("code")["score"]
    assert round(scores["IPM"], 2) == 74.39
