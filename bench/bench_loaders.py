"""Benchmark: the loaders' full check + convert against a plain ``pandas.read_excel(engine="openpyxl")``.

Generates (synthetic, in a temporary folder; shared strings as Excel writes them) a 100,000-row long
workbook of Kota Bengkulu values and a 50,000-point field-observation workbook, then times, each in
a fresh child process so peak memory (VmHWM) is that process's own:

- ``baseline``: ``pandas.read_excel(FILE, engine="openpyxl")`` of the same file, no validation
  (the timer includes ``import pandas``);
- ``check`` and ``convert`` (or ``observations FILE --boundaries B``) as separate CLI runs, each
  doing every validation (preflight, regions, indicators, years, numbers, unit ranges, duplicates;
  spatial join and rules for observations), timer including the process's imports;
- ``read_upload`` in a process that has loaded its modules, catalog and regions already: the upload
  page's call.

Prints the times, the ratios (baseline / ours; the aim is >= 3) and peak RSS. Run:
``/work/venv/bin/python bench/bench_loaders.py [--rows 100000] [--points 50000]``.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

BOUNDARIES = ROOT.parent / "shared" / "data" / "boundaries" / "kota_bengkulu_kelurahan.geojson"


# --------------------------------------------------------------------- data
def make_values_workbook(path: Path, rows: int, seed: int = 7) -> None:
    """A long workbook: unique region/indicator/year rows, values inside each unit's range."""
    import xlsxwriter

    from indicators.catalog import default_catalog
    from loaders.gazetteer import regions_within
    from loaders.units import unit_range

    rng = np.random.default_rng(seed)
    catalog = default_catalog()
    regions = regions_within("17.71")["code"].tolist()
    codes = [*catalog.indicators, *catalog.variables]
    years = list(range(2025 - max(1, -(-rows // (len(regions) * len(codes)))), 2025))
    book = xlsxwriter.Workbook(str(path))  # shared strings, as Excel itself writes them
    sheet = book.add_worksheet("data")
    sheet.write_row(0, 0, ["wilayah", "indikator", "tahun", "nilai", "satuan", "sumber"])
    r = 1
    for year in years:
        for code in codes:
            rng_unit = unit_range(catalog.node(code)["unit"], catalog.name(code))
            hi = 100.0 if np.isinf(rng_unit.upper) else rng_unit.upper
            lo = 0.0 if np.isinf(rng_unit.lower) else rng_unit.lower
            for region in regions:
                if r > rows:
                    break
                value = round(float(rng.uniform(lo, hi)), 2)
                sheet.write_string(r, 0, region)
                sheet.write_string(r, 1, code)
                sheet.write_number(r, 2, year)
                if r % 10 == 0:  # some cells typed as Indonesian text
                    sheet.write_string(r, 3, f"{value:.2f}".replace(".", ","))
                else:
                    sheet.write_number(r, 3, value)
                sheet.write_string(r, 4, catalog.node(code)["unit"])
                sheet.write_string(r, 5, "data contoh (sintetis)")
                r += 1
    book.close()


def make_observation_workbook(path: Path, points: int, seed: int = 11) -> None:
    """Survey points inside Kota Bengkulu's kelurahan (schema of reference/smart-city-framework.md)."""
    import geopandas as gpd
    import shapely
    import xlsxwriter

    rng = np.random.default_rng(seed)
    polys = gpd.read_file(BOUNDARIES)
    area = shapely.union_all(polys.geometry.to_numpy())
    minx, miny, maxx, maxy = area.bounds
    lon: list[float] = []
    lat: list[float] = []
    while len(lon) < points:
        x = rng.uniform(minx, maxx, points)
        y = rng.uniform(miny, maxy, points)
        keep = shapely.contains_xy(area, x, y)
        lon.extend(np.round(x[keep], 6).tolist())
        lat.extend(np.round(y[keep], 6).tolist())
    lon, lat = lon[:points], lat[:points]
    assets = np.array(["PJU", "WIFI", "HALTE", "CCTV", "TPS", "TROTOAR", "MERCHANT"])
    kinds = rng.choice(assets, points, p=[0.4, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1])
    status = rng.choice(np.array(["berfungsi", "tidak berfungsi", "tidak ditemukan"]), points, p=[0.8, 0.15, 0.05])
    book = xlsxwriter.Workbook(str(path))  # shared strings, as Excel itself writes them
    sheet = book.add_worksheet("observasi")
    header = ["obs_id", "asset_type", "lat", "lon", "status", "condition", "lampu_tipe", "menyala_malam",
              "online", "meluber", "bersih", "qris", "surveyor", "obs_datetime"]  # fmt: skip
    sheet.write_row(0, 0, header)
    for i in range(points):
        r = i + 1
        row = [
            f"OBS-{i + 1:06d}",
            kinds[i],
            lat[i] if i % 7 else f"{lat[i]:.6f}".replace(".", ","),  # some comma decimals
            lon[i],
            status[i],
            "baik" if rng.random() < 0.7 else "rusak ringan",
            "LED" if rng.random() < 0.5 else "non-LED",
            "Y" if rng.random() < 0.8 else "N",
            "Y" if rng.random() < 0.7 else "N",
            "N" if rng.random() < 0.7 else "Y",
            "Y" if rng.random() < 0.6 else "N",
            "Y" if rng.random() < 0.5 else "N",
            "surveyor contoh (sintetis)",
            f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}",
        ]
        sheet.write_row(r, 0, row)
    book.close()


def make_population(path: Path) -> None:
    from loaders.gazetteer import regions_within

    regions = regions_within("17.71")
    with path.open("w") as handle:
        handle.write("region,indicator,year,value\n")
        for code, level in zip(regions["code"], regions["level"], strict=True):
            pop = {"kota": 394192, "kecamatan": 43800, "kelurahan": 5883}[level]
            handle.write(f"{code},VAR-POP,2024,{pop}\n")


# --------------------------------------------------------------------- children
def _peak_rss_mb() -> float:
    """This process's own peak RSS (VmHWM; ru_maxrss would include the parent's size at fork)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _child(mode: str, args: list[str]) -> dict:
    """Run one measured step in this (fresh) process; return its time and peak RSS."""
    if mode == "inproc":  # the upload page's path: modules, catalog and regions already loaded
        import pandas as pd

        from indicators.catalog import default_catalog
        from loaders.gazetteer import regions_within
        from loaders.observations import default_boundaries
        from loaders.upload import read_upload

        catalog, regions = default_catalog(), regions_within("17.71")
        path = Path(args[0])
        kwargs = {}
        if len(args) > 1:
            kwargs = {"boundaries": default_boundaries(regions), "values": pd.read_csv(args[1], dtype={"region": str})}
        data = path.read_bytes()
        start = time.perf_counter()
        result = read_upload(data, path.name, catalog, regions, **kwargs)
        elapsed = time.perf_counter() - start
        return {"seconds": elapsed, "peak_mb": _peak_rss_mb(), "exit_codes": [0 if result.ok else 1]}
    start = time.perf_counter()
    if mode == "baseline":
        import pandas as pd

        frame = pd.read_excel(args[0], engine="openpyxl")
        extra = {"rows": len(frame)}
    else:
        from loaders.cli import main

        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            code = main(args)
        extra = {"exit_codes": [code]}
    elapsed = time.perf_counter() - start
    peak_mb = _peak_rss_mb()
    return {"seconds": elapsed, "peak_mb": peak_mb, **extra}


def run_child(mode: str, *args: str) -> dict:
    payload = json.dumps({"mode": mode, "args": list(args)})
    out = subprocess.run(
        [sys.executable, __file__, "--child", payload], capture_output=True, text=True, check=True, cwd=str(ROOT)
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--points", type=int, default=50_000)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        spec = json.loads(args.child)
        print(json.dumps(_child(spec["mode"], spec["args"])))
        return

    with tempfile.TemporaryDirectory(prefix="bench-loaders-") as tmp:
        tmpdir = Path(tmp)
        values_xlsx = tmpdir / "values_long.xlsx"
        obs_xlsx = tmpdir / "observations.xlsx"
        pop_csv = tmpdir / "population.csv"
        t = time.perf_counter()
        make_values_workbook(values_xlsx, args.rows)
        make_observation_workbook(obs_xlsx, args.points)
        make_population(pop_csv)
        print(f"generated in {time.perf_counter() - t:.1f} s: {values_xlsx.stat().st_size / 1e6:.1f} MB values "
              f"workbook ({args.rows:,} rows), {obs_xlsx.stat().st_size / 1e6:.1f} MB observation workbook "
              f"({args.points:,} points)")  # fmt: skip
        cases = [
            # title, file, second command, its arguments
            (f"long workbook, {args.rows:,} rows", values_xlsx, "convert", ["--out", str(tmpdir / "tidy.csv")]),
            (
                f"observation workbook, {args.points:,} points",
                obs_xlsx,
                "observations",
                ["--boundaries", str(BOUNDARIES), "--values", str(pop_csv), "--out", str(tmpdir / "obs.csv")],
            ),
        ]
        for title, path, second_name, second_args in cases:
            first = run_child("ours", "check", str(path), "--json")
            second = run_child("ours", second_name, str(path), *second_args)
            base = run_child("baseline", str(path))
            total = first["seconds"] + second["seconds"]
            print(f"\n{title}: check + {second_name}")
            print(f"  baseline pandas.read_excel(openpyxl), no validation: {base['seconds']:6.2f} s  "
                  f"peak RSS {base['peak_mb']:5.0f} MB")  # fmt: skip
            for label, run in (("check", first), (second_name, second)):
                ratio = base["seconds"] / run["seconds"]
                print(
                    f"  ours {label:<13} (fresh process, all validation): {run['seconds']:6.2f} s  "
                    f"peak RSS {run['peak_mb']:5.0f} MB  exit {run['exit_codes'][0]}  ratio {ratio:4.1f}x"
                )
            inproc = run_child("inproc", str(path), *([str(pop_csv)] if second_name == "observations" else []))
            print(
                f"  ours read_upload in process (the upload page's call): {inproc['seconds']:6.2f} s  "
                f"ratio {base['seconds'] / inproc['seconds']:4.1f}x"
            )
            ratio = base["seconds"] / total
            verdict = "met" if ratio >= 3 else "not met"
            print(f"  ours check + {second_name} together: {total:6.2f} s  ratio {ratio:4.1f}x (aim >= 3x: {verdict})")


if __name__ == "__main__":
    main()
