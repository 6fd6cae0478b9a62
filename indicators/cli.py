"""Command line of the domain core (batch jobs, automation, reproducing published indices).

``python -m indicators score --catalog CAT --data DATA --out OUT.csv`` scores a long-layout data file
through a catalog tree. Every user error (bad option, unreadable file, invalid catalog) prints one
line on stderr and exits with code 2; a traceback is never shown.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
from pathlib import Path

import pandas as pd

from indicators.catalog import AGGREGATIONS, NORMALIZATIONS, default_catalog, read_catalog
from indicators.problems import ProblemsError

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


class CliError(Exception):
    """A user error: printed as one line, exit code 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one clear line, exit 2 (argparse prints usage too)
        sys.stderr.write(f"{self.prog}: error: {message} (see --help)\n")
        raise SystemExit(EXIT_USAGE)


def _read_table(path: Path) -> pd.DataFrame:
    """A long-layout data file: CSV (`,` or `;`) or the first (or `data`) sheet of a workbook."""
    if not path.exists():
        raise CliError(f"file not found: {path}")
    suffix = path.suffix.lower()
    try:
        if suffix in {".xlsx", ".xlsm", ".xls", ".ods"}:
            book = pd.read_excel(path, sheet_name=None, engine="calamine")
            sheet = next((s for s in book if s.strip().lower() in {"data", "nilai", "values"}), next(iter(book)))
            return book[sheet]
        raw = path.read_bytes()
        text = raw.decode("utf-8-sig", errors="replace")
        first = text.splitlines()[0] if text else ""
        sep = ";" if first.count(";") > first.count(",") else ","
        return pd.read_csv(io.StringIO(text), sep=sep)
    except CliError:
        raise
    except Exception as exc:  # any parser error is a user error here
        raise CliError(f"cannot read {path}: {exc}") from exc


def _load_catalog(path: str | None):
    if not path:
        return default_catalog()
    try:
        return read_catalog(Path(path))
    except FileNotFoundError as exc:
        raise CliError(f"catalog not found: {path}") from exc
    except ProblemsError as exc:
        first = exc.errors[0] if exc.errors else exc.problems[0]
        more = f" (+{len(exc.errors) - 1} more)" if len(exc.errors) > 1 else ""
        raise CliError(f"invalid catalog {path}: {first.location()}: {first.message_en}{more}") from exc


def _method(args: argparse.Namespace):
    from indicators.method import Method

    settings: dict = {}
    if args.method:
        try:
            settings = json.loads(Path(args.method).read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise CliError(f"cannot read method file {args.method}: {exc}") from exc
    for key in ("normalization", "aggregation", "threshold", "imputation", "geo_floor", "minmax_scope"):
        value = getattr(args, key, None)
        if value is not None:
            settings[key] = value
    try:
        return Method.model_validate(settings)
    except Exception as exc:
        raise CliError(f"invalid method settings: {exc}".splitlines()[0]) from exc


def cmd_score(args: argparse.Namespace) -> int:
    from indicators.engine import EngineError, score

    catalog = _load_catalog(args.catalog)
    method = _method(args)
    data = _read_table(Path(args.data))
    regions = None
    if args.regions:
        regions = _read_table(Path(args.regions))
        regions.columns = [str(c).strip().lower() for c in regions.columns]
        if "level" not in regions.columns or not {"code", "region"} & set(regions.columns):
            raise CliError("--regions needs columns code (or region) and level")
    try:
        result = score(data, catalog, method, regions=regions)
    except EngineError as exc:
        raise CliError(str(exc)) from exc
    out = result.scores_plain()
    if args.year is not None:
        out = out.loc[out["year"] == args.year]
        if out.empty:
            raise CliError(f"no data for year {args.year}")
    try:
        out.to_csv(args.out, index=False)
    except OSError as exc:
        raise CliError(f"cannot write {args.out}: {exc}") from exc
    for line in result.log:
        print(f"note: {line}", file=sys.stderr)
    print(f"{len(out)} scores written to {args.out}", file=sys.stderr)
    return EXIT_OK


def cmd_ahp(args: argparse.Namespace) -> int:
    from indicators import ahp

    return ahp.cli(args)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="python -m indicators",
        description="Dasbor Kota Cerdas scoring core: score a data file through a catalog tree, compute AHP weights.",
    )
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser(
        "score",
        help="score a long-layout data file through a catalog",
        description="Score every node of the catalog tree for every region and year of DATA. Output columns: "
        "region, year, code, level, score (0-100), rank (1 = best among regions of the same level and year), "
        "coverage (share of the node's indicator weight with data), at full precision.",
    )
    p.add_argument(
        "--catalog",
        metavar="CAT",
        help="catalog table (CSV, or xlsx with a 'catalog' sheet); default: the Kominfo catalog in data/catalog.csv",
    )
    p.add_argument(
        "--data",
        metavar="DATA",
        required=True,
        help="values in the long layout (CSV or xlsx): region, indicator, year, value "
        "(or wilayah, indikator, tahun, nilai); region labels are opaque ids",
    )
    p.add_argument("--out", metavar="OUT.csv", required=True, help="where to write the scores (CSV)")
    p.add_argument(
        "--normalization",
        choices=NORMALIZATIONS,
        help="normalisation for every indicator (default: per catalog; auto = goalposts where the "
        "catalog gives lower and upper, otherwise min-max over the regions in scope)",
    )
    p.add_argument(
        "--aggregation", choices=AGGREGATIONS, help="aggregation for every inner node (default: per catalog node)"
    )
    p.add_argument(
        "--year", type=int, metavar="Y", help="write only year Y (all years are still used for pooled min-max)"
    )
    p.add_argument(
        "--threshold",
        type=float,
        metavar="S",
        help="share (0-1) of a node's children's weight that must have data for it to be scored (default 2/3)",
    )
    p.add_argument(
        "--imputation",
        choices=["none", "locf", "linear"],
        help="fill gaps in a region's series: last value carried forward or linear between years",
    )
    p.add_argument(
        "--minmax-scope",
        dest="minmax_scope",
        choices=["pooled", "per_year"],
        help="min-max/z-score/percentile over all years of a level (pooled, default) or per year",
    )
    p.add_argument(
        "--geo-floor",
        dest="geo_floor",
        type=float,
        metavar="F",
        help="rescale scores to [F, 100] before geometric/harmonic means (A2SIT uses 1; default 0)",
    )
    p.add_argument(
        "--regions",
        metavar="FILE",
        help="optional region levels (columns code, level): regions of one level are compared "
        "with each other and the catalog's 'levels' column applies",
    )
    p.add_argument(
        "--method",
        metavar="JSON",
        help="method settings (a saved scenario) as JSON; options given on the command line override it",
    )
    p.set_defaults(func=cmd_score)

    a = sub.add_parser(
        "ahp",
        help="AHP weights from a pairwise comparison matrix",
        description="Weights from a square pairwise comparison matrix (Saaty 1-9 scale; labels in the header "
        "row and first column; cells as numbers or fractions like 1/5; an empty lower triangle is filled with "
        "reciprocals). Prints weights, lambda_max, CI and CR; CR > 0.1 is flagged.",
    )
    a.add_argument(
        "--matrix",
        metavar="M.csv",
        required=True,
        action="append",
        help="matrix file (CSV or xlsx); repeat for group AHP (element-wise geometric mean)",
    )
    a.add_argument("--json", action="store_true", help='print {"weights": {label: w}, "lambda_max", "ci", "cr"}')
    a.set_defaults(func=cmd_ahp)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except CliError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # never a traceback for a user; say what happened in one line
        sys.stderr.write(f"error: {type(exc).__name__}: {exc}\n".replace("\n", " ").rstrip() + "\n")
        return EXIT_USAGE
