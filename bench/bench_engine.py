"""Benchmark: the whole country's villages scored through the default catalog tree.

83,762 villages (every kelurahan/desa of the Kemendagri gazetteer) x 64 indicators x 5 years of
synthetic values (~26.8 million rows) go through the full engine: pivot, derivations, normalisation,
aggregation through the six-dimension tree, ranks, coverage and the tidy output frame. The baseline,
measured in the same run on the same values, is a plain numpy weighted mean of each village-year's
values with the indicators' effective weights (one pass, no tree, no normalisation).

Run: ``python bench/bench_engine.py [--villages N] [--years Y]``. Prints seconds, peak memory
(tracemalloc peak of the engine call, and the process's max RSS) and the ratio to the baseline.
Timings belong here and in notes, never in pass/fail tests.
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

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from indicators.catalog import default_catalog
from indicators.engine import score
from loaders.gazetteer import regions_within


def synthetic_values(n_villages: int, years: list[int], seed: int = 7) -> tuple[pd.DataFrame, list[str]]:
    """Tidy values for every village x indicator x year, region and indicator as categoricals."""
    catalog = default_catalog()
    villages = regions_within()
    villages = villages.loc[villages["level"] == "kelurahan", "code"].to_numpy()[:n_villages]
    indicators = catalog.indicators
    rng = np.random.default_rng(seed)
    n_v, n_i, n_y = len(villages), len(indicators), len(years)
    region_idx = np.repeat(np.arange(n_v, dtype=np.int32), n_i * n_y)
    indicator_idx = np.tile(np.repeat(np.arange(n_i, dtype=np.int16), n_y), n_v)
    year = np.tile(np.asarray(years, dtype=np.int64), n_v * n_i)
    lower = np.asarray([catalog.node(c)["lower"] for c in indicators])
    upper = np.asarray([catalog.node(c)["upper"] for c in indicators])
    lower = np.where(np.isnan(lower), 0.0, lower)
    upper = np.where(np.isnan(upper), 1000.0, upper)
    u = rng.random(len(year))
    value = lower[indicator_idx] + u * (upper - lower)[indicator_idx]
    value[catalog_log_mask(catalog)[indicator_idx]] += 1.0  # log-transformed indicators stay > 0
    frame = pd.DataFrame(
        {
            "region": pd.Categorical.from_codes(region_idx, categories=pd.Index(villages)),
            "indicator": pd.Categorical.from_codes(indicator_idx, categories=pd.Index(indicators)),
            "year": year,
            "value": value,
        }
    )
    return frame, indicators


def catalog_log_mask(catalog) -> np.ndarray:
    return np.asarray([catalog.node(c)["transform"] == "log" for c in catalog.indicators])


def baseline(frame: pd.DataFrame) -> np.ndarray:
    """Plain numpy: effective-weighted mean of each village-year's raw values."""
    catalog = default_catalog()
    eff = catalog.effective_weights()[catalog.indicators].to_numpy()
    unit = frame["region"].cat.codes.to_numpy().astype(np.int64) * 10_000 + frame["year"].to_numpy()
    _, inverse = np.unique(unit, return_inverse=True)
    w = eff[frame["indicator"].cat.codes.to_numpy()]
    return np.bincount(inverse, weights=w * frame["value"].to_numpy()) / np.bincount(inverse, weights=w)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--villages", type=int, default=83_762)
    parser.add_argument("--years", type=int, default=5)
    args = parser.parse_args()
    years = list(range(2024 - args.years + 1, 2025))
    t0 = time.perf_counter()
    frame, indicators = synthetic_values(args.villages, years)
    print(f"input: {len(frame):,} values ({frame['region'].nunique():,} villages x {len(indicators)} indicators x "
          f"{len(years)} years), generated in {time.perf_counter() - t0:.1f} s")
    catalog = default_catalog()
    print(f"catalog: {len(catalog.tree_codes)} nodes, depth {max(catalog.depth.values())}")

    t0 = time.perf_counter()
    base = baseline(frame)
    t_base = time.perf_counter() - t0
    print(f"baseline numpy weighted mean: {t_base:.2f} s ({len(base):,} village-years)")

    tracemalloc.start()
    t0 = time.perf_counter()
    result = score(frame, catalog)
    t_score = time.perf_counter() - t0
    t0 = time.perf_counter()
    tidy = result.scores
    t_tidy = time.perf_counter() - t0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    total = t_score + t_tidy
    rss_gb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    print(f"engine: score {t_score:.2f} s + tidy output with ranks {t_tidy:.2f} s = {total:.2f} s "
          f"({len(tidy):,} score rows)")
    print(f"peak memory of the engine call (tracemalloc): {peak / 1024**3:.2f} GB; process max RSS {rss_gb:.2f} GB")
    print(f"ratio engine / baseline: {total / t_base:.1f}x")
    print(f"aim: < 10 s and < 4 GB -> {'met' if total < 10 and rss_gb < 4 else 'NOT met'}")


if __name__ == "__main__":
    main()
