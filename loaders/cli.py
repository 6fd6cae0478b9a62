"""``python -m loaders``: check, convert and template uploads from the command line.

Exit codes: 0 success / valid; 1 the file has errors (nothing written); 2 the file is unreadable or
refused, or the command line is wrong (one line on stderr, never a traceback).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd

import settings
from indicators.problems import Problem, ProblemsError

__all__ = ["main"]

EXIT_OK, EXIT_INVALID, EXIT_UNREADABLE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    """argparse with a one-line bilingual error and exit code 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_UNREADABLE, f"{self.prog}: kesalahan / error: {message} (lihat / see --help)\n")


class _Fail(Exception):
    """A user-facing failure: one stderr line and an exit code."""

    def __init__(self, message: str, code: int = EXIT_UNREADABLE):
        super().__init__(message)
        self.code = code


def _parser() -> _Parser:
    parser = _Parser(
        prog="python -m loaders",
        description="Periksa, ubah dan buat templat berkas unggahan / Check, convert and template upload files.",
    )
    sub = parser.add_subparsers(dest="command", metavar="PERINTAH/COMMAND", parser_class=_Parser)
    sub.required = True

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--catalog", metavar="CAT", help="katalog CSV/xlsx (bawaan: data/catalog.csv) / catalog file")
        p.add_argument(
            "--city", metavar="CODE", default=settings.CITY_CODE,
            help=f"kode Kemendagri kota/kabupaten (bawaan {settings.CITY_CODE}) / city code",
        )  # fmt: skip

    def year(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--year", type=int, metavar="Y", help="tahun untuk sheet tanpa kolom tahun / year if none in file"
        )

    def columns(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--column", action="append", default=[], metavar="HEADER=CODE",
            help="petakan kolom ke kode indikator (boleh berulang) / map a column to an indicator code (repeatable)",
        )  # fmt: skip

    p = sub.add_parser(
        "check",
        help="periksa berkas / validate a file",
        description="Periksa berkas unggahan; keluar 0 valid, 1 tidak valid, 2 tidak terbaca/ditolak. "
        "/ Validate an upload; exit 0 valid, 1 invalid, 2 unreadable or refused.",
    )
    p.add_argument("file", metavar="FILE")
    common(p)
    year(p)
    columns(p)
    p.add_argument("--json", action="store_true", help="keluaran JSON / JSON output")
    p.add_argument("--lang", choices=["id", "en"], default="id", help="bahasa pesan / message language")

    p = sub.add_parser(
        "convert",
        help="ubah ke CSV rapi / convert to a tidy CSV",
        description="Ubah berkas (format panjang, lebar atau tabel BPS) ke CSV region,indicator,year,value; bila "
        "ada kesalahan tidak ada yang ditulis (keluar 1). / Convert a file to a tidy CSV; with errors nothing is "
        "written (exit 1).",
    )
    p.add_argument("file", metavar="FILE")
    common(p)
    year(p)
    columns(p)
    p.add_argument("--out", required=True, metavar="TIDY.csv", help="berkas keluaran / output file")

    p = sub.add_parser(
        "observations",
        help="observasi lapangan ke nilai indikator / field observations to indicator values",
        description="Hitung nilai indikator per kelurahan/kecamatan/kota dari lembar observasi. / Compute "
        "indicator values per kelurahan/kecamatan/city from an observation sheet.",
    )
    p.add_argument("file", metavar="FILE")
    common(p)
    year(p)
    p.add_argument("--boundaries", required=True, metavar="B", help="batas wilayah (GeoJSON ...) / boundaries")
    p.add_argument("--values", metavar="V.csv", help="nilai rapi berisi VAR-POP/VAR-AREA / tidy values with VAR-POP")
    p.add_argument("--rules", metavar="R.csv", help="aturan observasi (bawaan data/observation_rules.csv) / rules")
    p.add_argument("--out", required=True, metavar="VALUES.csv", help="berkas keluaran / output file")

    p = sub.add_parser(
        "template",
        help="buat templat unggah / write the upload template",
        description="Tulis templat xlsx (format panjang, daftar pilihan, katalog). / Write the xlsx upload template.",
    )
    common(p)
    p.add_argument("--out", required=True, metavar="T.xlsx", help="berkas keluaran / output file")

    p = sub.add_parser(
        "report",
        help="laporan validasi xlsx / xlsx validation report",
        description="Tulis laporan validasi (sel bermasalah ditandai). / Write the validation report "
        "(bad cells highlighted).",
    )
    p.add_argument("file", metavar="FILE")
    common(p)
    year(p)
    columns(p)
    p.add_argument("--out", required=True, metavar="REPORT.xlsx", help="berkas keluaran / output file")
    p.add_argument("--lang", choices=["id", "en"], default="id", help="bahasa pesan / message language")
    return parser


# --------------------------------------------------------------------- helpers
def _catalog(path: str | None):
    from indicators.catalog import DEFAULT_CATALOG_PATH, default_catalog, read_catalog

    try:
        if path:
            if not Path(path).exists():
                raise _Fail(f"katalog tidak ditemukan / catalog not found: {path}")
            return read_catalog(path)
        if not DEFAULT_CATALOG_PATH.exists():
            raise _Fail("katalog bawaan tidak ada; beri --catalog / default catalog missing; pass --catalog")
        return default_catalog()
    except ProblemsError as exc:
        first = exc.errors[0] if exc.errors else None
        raise _Fail(f"katalog tidak valid / invalid catalog: {first}") from exc


def _regions(city: str) -> pd.DataFrame:
    from loaders.gazetteer import regions_within

    try:
        regions = regions_within(city)
    except (KeyError, ValueError) as exc:
        raise _Fail(f"kode kota tidak dikenal / unknown city code: {city}") from exc
    if regions.empty:
        raise _Fail(f"kode kota tidak dikenal / unknown city code: {city}")
    return regions


def _mapping(items: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in items:
        if "=" not in item:
            raise _Fail(f"--column perlu HEADER=CODE / --column needs HEADER=CODE: {item!r}")
        header, _, code = item.rpartition("=")
        if not header.strip():
            raise _Fail(f"--column: judul kosong / empty header: {item!r}")
        out[header.strip()] = code.strip()
    return out


def _read_file(path: str) -> bytes:
    p = Path(path)
    if not p.is_file():
        raise _Fail(f"berkas tidak ditemukan / file not found: {path}")
    limit = settings.MAX_UPLOAD_MB * (1 << 20)
    with p.open("rb") as handle:
        # never more than the limit plus one byte in memory: read_upload refuses it by its size
        return handle.read(limit + 1)


def _problem_dict(p: Problem) -> dict[str, Any]:
    return {
        "sheet": p.sheet,
        "row": p.row,
        "column": p.column,
        "cell": p.cell,
        "severity": p.severity,
        "message": f"{p.message_id} / {p.message_en}",
    }


def _print_problems(problems: list[Problem], lang: str, stream) -> None:
    label = {"error": "KESALAHAN", "warning": "PERINGATAN", "info": "INFO"}
    if lang == "en":
        label = {"error": "ERROR", "warning": "WARNING", "info": "INFO"}
    for p in problems:
        where = p.location()
        line = f"{label.get(p.severity, p.severity)}: {where + ': ' if where else ''}{p.message(lang)}"
        if p.suggestion:
            line += f" [{p.suggestion}]"
        print(line, file=stream)


def _write_atomic(path: str, writer) -> None:
    """Write through a temporary file in the target folder, renamed at the end: never half a file."""
    target = Path(path)
    if target.parent and not target.parent.exists():
        raise _Fail(f"folder keluaran tidak ada / output folder missing: {target.parent}")
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=target.suffix, dir=str(target.parent or "."))
    os.close(fd)
    try:
        writer(tmp)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _upload(args, **extra):
    from loaders.upload import read_upload

    data = _read_file(args.file)
    catalog = _catalog(args.catalog)
    regions = _regions(args.city)
    mapping = _mapping(getattr(args, "column", []) or [])
    return read_upload(
        data, Path(args.file).name, catalog, regions, year=getattr(args, "year", None), columns=mapping, **extra
    )


# --------------------------------------------------------------------- commands
def _check(args) -> int:
    result = _upload(args)
    if args.json:
        payload = {
            "ok": result.ok,
            "errors": [_problem_dict(p) for p in result.errors],
            "warnings": [_problem_dict(p) for p in result.problems if p.severity != "error"],
            "records": len(result.records),
        }
        print(json.dumps(payload, ensure_ascii=False))
    else:
        _print_problems(result.problems, args.lang, sys.stdout)
        print(result.summary(args.lang))
    if result.refused:
        return EXIT_UNREADABLE
    return EXIT_OK if result.ok else EXIT_INVALID


def _convert(args) -> int:
    result = _upload(args)
    _print_problems([p for p in result.problems if p.severity != "info"], "id", sys.stderr)
    if result.refused:
        return EXIT_UNREADABLE
    if not result.ok:
        print(
            f"{len(result.errors)} kesalahan; tidak ada yang ditulis / {len(result.errors)} error(s); nothing written",
            file=sys.stderr,
        )
        return EXIT_INVALID
    tidy = result.records[["region", "indicator", "year", "value"]]
    _write_atomic(args.out, lambda tmp: tidy.to_csv(tmp, index=False, lineterminator="\n"))
    print(f"{len(tidy):,} nilai ditulis ke / values written to {args.out}")
    return EXIT_OK


def _observations(args) -> int:
    from loaders.boundaries import read_boundaries
    from loaders.rules import read_rules

    regions = _regions(args.city)
    bpath = Path(args.boundaries)
    if not bpath.is_file():
        raise _Fail(f"berkas batas tidak ditemukan / boundaries not found: {args.boundaries}")
    gdf, bproblems = read_boundaries(bpath.read_bytes(), bpath.name, regions=regions)
    berrors = [p for p in bproblems if p.severity == "error"]
    if gdf is None or len(gdf) == 0:
        first = berrors[0] if berrors else "-"
        raise _Fail(f"batas wilayah tidak terbaca / boundaries unreadable: {first}")
    values = None
    if args.values:
        vpath = Path(args.values)
        if not vpath.is_file():
            raise _Fail(f"berkas nilai tidak ditemukan / values file not found: {args.values}")
        values = pd.read_csv(vpath, dtype={"region": str, "indicator": str})
        missing = {"region", "indicator", "year", "value"} - set(values.columns)
        if missing:
            raise _Fail(f"--values perlu kolom / needs columns: {', '.join(sorted(missing))}")
    rules = None
    if args.rules:
        if not Path(args.rules).is_file():
            raise _Fail(f"berkas aturan tidak ditemukan / rules file not found: {args.rules}")
        rules = read_rules(args.rules)
    result = _upload(args, boundaries=gdf, values=values, rules=rules)
    _print_problems([p for p in result.problems if p.severity != "info"], "id", sys.stderr)
    if result.refused:
        return EXIT_UNREADABLE
    if result.kind != "observations":
        print("bukan lembar observasi / not an observation sheet (lat, lon, asset_type)", file=sys.stderr)
        return EXIT_INVALID
    if not result.ok:
        print(f"{len(result.errors)} kesalahan; tidak ada yang ditulis / error(s); nothing written", file=sys.stderr)
        return EXIT_INVALID
    out = result.records[["region", "indicator", "year", "value", "n_observed"]]
    _write_atomic(args.out, lambda tmp: out.to_csv(tmp, index=False, lineterminator="\n"))
    print(f"{len(out):,} nilai ditulis ke / values written to {args.out}")
    return EXIT_OK


def _template(args) -> int:
    from loaders.template import write_template

    catalog = _catalog(args.catalog)
    regions = _regions(args.city)
    _write_atomic(args.out, lambda tmp: write_template(catalog, regions, tmp))
    print(f"templat ditulis ke / template written to {args.out}")
    return EXIT_OK


def _report(args) -> int:
    from loaders.report import write_report

    result = _upload(args)
    _write_atomic(args.out, lambda tmp: write_report(result, tmp, lang=args.lang))
    print(result.summary(args.lang))
    if result.refused:
        return EXIT_UNREADABLE
    return EXIT_OK if result.ok else EXIT_INVALID


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    handler = {
        "check": _check,
        "convert": _convert,
        "observations": _observations,
        "template": _template,
        "report": _report,
    }[args.command]
    try:
        return handler(args)
    except _Fail as exc:
        print(f"python -m loaders {args.command}: {exc}", file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # never a traceback for a user
        detail = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        print(
            f"python -m loaders {args.command}: kesalahan internal / internal error: {type(exc).__name__}: {detail}",
            file=sys.stderr,
        )
        return EXIT_UNREADABLE
