"""Benchmark: Monte Carlo rank robustness, 1,000 runs over the 514 kota/kabupaten of Indonesia.

Synthetic values (seeded) for the 64 indicators of the default catalog (or a synthetic 6 x 3 x
3-4 tree when ``data/catalog.csv`` is not there), one year, every kota/kabupaten of the Kemendagri
gazetteer. Uncertain: weights +/- 20 %, normalisation (nominal / min-max / z-score / percentile),
aggregation (nominal / arithmetic / geometric). Prints the seconds of each stage, runs per second,
the ratio against one full engine run measured in the same process (the baseline), and the peak
Python memory (tracemalloc) and peak RSS. Target: the 1,000 runs in under 30 s on this machine.

    /work/venv/bin/python bench/bench_sensitivity.py [--runs 1000] [--sobol 256]
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from indicators.catalog import DEFAULT_CATALOG_PATH, Catalog, catalog_from_frame, read_catalog  # noqa: E402
from indicators.engine import score  # noqa: E402
from indicators.method import Method  # noqa: E402
from indicators.sensitivity import SensitivityModel, Uncertainty, monte_carlo, sobol_analysis  # noqa: E402
from loaders.gazetteer import regions_within  # noqa: E402


def synthetic_catalog(seed: int = 0) -> Catalog:
    """6 dimensions x 3 elements x 3-4 indicators (64 leaves), random weights and directions."""
    rng = np.random.default_rng(seed)
    rows = [{"code": "IDX", "parent": "", "level": "index"}]
    sizes = [4] * 10 + [3] * 8  # 64 indicators over 18 elements
    k = 0
    for d in range(6):
        rows.append({"code": f"D{d}", "parent": "IDX", "level": "dimension", "weight": str(rng.integers(1, 4))})
        for e in range(3):
            code = f"D{d}E{e}"
            rows.append({"code": code, "parent": f"D{d}", "level": "element", "weight": "1"})
            for i in range(sizes[k]):
                rows.append(
                    {
                        "code": f"{code}I{i}",
                        "parent": code,
                        "level": "indicator",
                        "direction": "higher" if rng.random() < 0.7 else "lower",
                        "weight": str(rng.integers(1, 4)),
                    }
                )
            k += 1
    return catalog_from_frame(pd.DataFrame(rows).fillna(""))


def load_catalog() -> tuple[Catalog, str]:
    if DEFAULT_CATALOG_PATH.exists():
        try:
            return read_catalog(DEFAULT_CATALOG_PATH), "data/catalog.csv"
        except Exception as exc:  # a half-written catalog must not stop the benchmark
            print(f"(default catalog unreadable: {exc}; using a synthetic tree)")
    return synthetic_catalog(), "synthetic 6x3x(3-4) tree"


def synthetic_values(catalog: Catalog, regions: list[str], year: int, seed: int = 1) -> pd.DataFrame:
    """Uniform values around each indicator's goalposts (0-100 where none), 3 % missing."""
    rng = np.random.default_rng(seed)
    frames = []
    for code in catalog.indicators:
        row = catalog.node(code)
        lo = row["lower"] if row["lower"] == row["lower"] else 0.0
        hi = row["upper"] if row["upper"] == row["upper"] else 100.0
        values = rng.uniform(lo, hi, size=len(regions))
        keep = rng.random(len(regions)) > 0.03
        frames.append(
            pd.DataFrame({"region": np.asarray(regions)[keep], "indicator": code, "year": year, "value": values[keep]})
        )
    return pd.concat(frames, ignore_index=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1000)
    parser.add_argument("--sobol", type=int, default=256, help="Sobol base sample (0 = skip)")
    args = parser.parse_args()

    t0 = time.perf_counter()
    gaz = regions_within("")
    kota = gaz.loc[gaz["level"] == "kota", ["code", "level"]].reset_index(drop=True)
    catalog, catalog_name = load_catalog()
    values = synthetic_values(catalog, list(kota["code"]), 2024)
    t_setup = time.perf_counter() - t0
    print(f"regions: {len(kota)} kota/kabupaten; catalog: {catalog_name} ({len(catalog.indicators)} indicators)")
    print(f"setup (gazetteer + synthetic values): {t_setup:.2f} s")

    tracemalloc.start()
    t0 = time.perf_counter()
    nominal = score(values, catalog, Method(), regions=kota)
    t_engine = time.perf_counter() - t0
    print(f"baseline: one full engine run: {t_engine:.3f} s")

    uncertainty = Uncertainty(
        weight_spread=0.2,
        normalizations=("nominal", "minmax", "zscore", "percentile"),
        aggregations=("nominal", "arithmetic", "geometric"),
    )
    t0 = time.perf_counter()
    model = SensitivityModel(
        values, catalog, Method(), kota, year=2024, level="kota", uncertainty=uncertainty, nominal=nominal
    )
    t_prepare = time.perf_counter() - t0
    print(f"prepare (engine runs for {len(model.norm_options)} normalisations): {t_prepare:.2f} s")

    t0 = time.perf_counter()
    mc = monte_carlo(model, n_runs=args.runs, seed=42)
    t_mc = time.perf_counter() - t0
    summary = mc.summary()
    total = t_prepare + t_mc
    print(
        f"Monte Carlo: {args.runs} runs x {len(model.rows)} regions: {t_mc:.2f} s "
        f"({args.runs / t_mc:,.0f} runs/s); prepare + runs = {total:.2f} s "
        f"= {total / t_engine:.1f} x one engine run; target < 30 s: {'OK' if total < 30 else 'TOO SLOW'}"
    )
    print(
        f"  mean |rank shift| {mc.mean_abs_shift():.2f}; median 90 % interval width "
        f"{summary['interval'].median():.1f} ranks"
    )
    if args.sobol:
        t0 = time.perf_counter()
        sob = sobol_analysis(model, n_base=args.sobol, seed=42)
        t_sobol = time.perf_counter() - t0
        print(f"Sobol (SALib): {sob.n_runs} runs + analysis: {t_sobol:.2f} s")
        for row in sob.indices.itertuples():
            print(f"  {row.assumption:<14} S1 {row.S1:6.3f}  ST {row.ST:6.3f}")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak Python memory (tracemalloc): {peak / 2**20:.1f} MiB; peak RSS: {rss:.0f} MiB")


if __name__ == "__main__":
    main()
