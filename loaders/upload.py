"""The one entry point for the upload page and the CLI: bytes in, a validated result out.

``read_upload`` never raises for a user's mistake: a hostile or unreadable file comes back
``refused`` with its reason, every problem in a readable file comes back in ``problems`` (with
sheet, Excel row, column and cell), and ``ok`` says whether the file may be stored. Storing is the
caller's business (one transaction, all or nothing).
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from typing import Any, Literal

import pandas as pd

from indicators.catalog import Catalog
from indicators.problems import Problem
from loaders.grid import ReadError, Sheet, read_sheets
from loaders.headers import ROLE_SYNONYMS
from loaders.preview import change_preview
from loaders.problemlog import ProblemLog
from loaders.regions import RegionMatcher, norm_name
from loaders.safety import preflight
from loaders.tables import Table, detect_table
from loaders.values import RECORD_COLUMNS, ValueContext, records_from_tables

__all__ = ["REFERENCE_SHEETS", "UploadResult", "matcher_for", "read_upload"]

logger = logging.getLogger(__name__)

#: Sheets that explain or list things (the template's own), never data.
REFERENCE_SHEETS = {
    "catalog",
    "katalog",
    "petunjuk",
    "instructions",
    "instruksi",
    "panduan",
    "daftar wilayah",
    "wilayah ref",
    "daftar",
    "lists",
    "referensi",
    "reference",
    "readme",
    "baca saya",
    "masalah",
    "problems",
}


@dataclass
class UploadResult:
    """Outcome of :func:`read_upload`.

    ``records``: tidy values (``region, indicator, year, value``, plus ``unit, source, note`` and the
    provenance ``sheet, row, column, cell``; for observations also ``n_observed``).
    ``observations``: one row per observed point (kind ``observations`` only).
    ``preview``: :func:`loaders.preview.change_preview` against ``stored`` (``None`` without it).
    """

    filename: str
    sha256: str
    kind: Literal["values", "observations"] = "values"
    records: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=RECORD_COLUMNS))
    observations: pd.DataFrame | None = None
    problems: list[Problem] = field(default_factory=list)
    preview: pd.DataFrame | None = None
    refused: bool = False
    sheets: list[Sheet] = field(default_factory=list)
    layouts: dict[str, str] = field(default_factory=dict)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def ok(self) -> bool:
        """Whether the upload may be stored: readable and without errors (warnings are fine)."""
        return not self.refused and not self.errors

    def summary(self, lang: str = "id") -> str:
        n_err, n_warn = len(self.errors), len(self.warnings)
        if self.refused:
            return ("Berkas ditolak: " if lang != "en" else "File refused: ") + self.errors[0].message(lang)
        if lang == "en":
            return f"{len(self.records):,} values, {n_err} error(s), {n_warn} warning(s)"
        return f"{len(self.records):,} nilai, {n_err} kesalahan, {n_warn} peringatan"


def _refused(filename: str, digest: str, problem: Problem) -> UploadResult:
    return UploadResult(filename, digest, refused=True, problems=[problem])


def matcher_for(regions: pd.DataFrame) -> RegionMatcher:
    """A region matcher for ``regions``, reused while the same regions come back (keyed on content)."""
    codes = tuple(regions["code"])
    key = (len(codes), hash(codes), hash(tuple(regions["name"])))
    hit = _MATCHERS.get(key)
    if hit is None:
        if len(_MATCHERS) > 16:
            _MATCHERS.clear()
        hit = _MATCHERS[key] = RegionMatcher(regions)
    return hit


_MATCHERS: dict[tuple, RegionMatcher] = {}

_ROLE_WORDS = {
    "wilayah": "region",
    "region": "region",
    "indikator": "indicator",
    "indicator": "indicator",
    "tahun": "year",
    "year": "year",
    "nilai": "value",
    "value": "value",
    "satuan": "unit",
    "unit": "unit",
    "sumber": "source",
    "source": "source",
    "catatan": "note",
    "note": "note",
    "lat": "lat",
    "lon": "lon",
    "koordinat": "coords",
    "asset_type": "asset_type",
    "status": "status",
}


def _split_mapping(columns: dict[str, str] | None) -> tuple[dict[str, str], dict[str, str]]:
    """User mapping -> (header -> role, for layout words like 'wilayah'; header -> indicator code)."""
    roles: dict[str, str] = {}
    codes: dict[str, str] = {}
    for header, target in (columns or {}).items():
        word = str(target).strip().lower()
        if word in _ROLE_WORDS or word in ROLE_SYNONYMS:
            roles[norm_name(header)] = _ROLE_WORDS.get(word, word)
        else:
            codes[str(header)] = str(target).strip()
    return roles, codes


def read_upload(
    data: bytes,
    filename: str,
    catalog: Catalog,
    regions: pd.DataFrame,
    *,
    year: int | None = None,
    columns: dict[str, str] | None = None,
    stored: pd.DataFrame | None = None,
    boundaries: Any = None,
    values: pd.DataFrame | None = None,
    rules: pd.DataFrame | None = None,
    max_mb: float | None = None,
) -> UploadResult:
    """Read, check and validate an uploaded spreadsheet.

    ``regions``: the scope (``gazetteer.regions_within(city)``). ``year``: for sheets without a year
    column. ``columns``: HEADER -> catalog code (or a layout word: ``wilayah``, ``tahun`` ...).
    ``stored``: active stored values (``region, indicator, year, value, dataset_id``) for the change
    preview. For field observations: ``boundaries`` (GeoDataFrame ``code, level, geometry``; the
    configured default when ``None``), ``values`` (population/area variables for densities) and
    ``rules`` (default ``data/observation_rules.csv``).
    """
    digest = hashlib.sha256(data).hexdigest()
    try:
        return _read_upload(
            data, filename, digest, catalog, regions, year=year, columns=columns, stored=stored,
            boundaries=boundaries, values=values, rules=rules, max_mb=max_mb,
        )  # fmt: skip
    except Exception as exc:  # a bug must not become a traceback on the upload page
        logger.exception("read_upload failed on %s", filename)
        detail = f"{type(exc).__name__}: {str(exc).splitlines()[0][:200] if str(exc) else ''}"
        return _refused(
            filename,
            digest,
            Problem(
                f"Berkas tidak dapat diproses karena kesalahan internal ({detail}); laporkan ke admin",
                f"The file could not be processed because of an internal error ({detail}); tell the admin",
                extra={"rule": "internal_error"},
            ),
        )


def _read_upload(
    data: bytes,
    filename: str,
    digest: str,
    catalog: Catalog,
    regions: pd.DataFrame,
    *,
    year: int | None,
    columns: dict[str, str] | None,
    stored: pd.DataFrame | None,
    boundaries: Any,
    values: pd.DataFrame | None,
    rules: pd.DataFrame | None,
    max_mb: float | None,
) -> UploadResult:
    check = preflight(data, filename, max_mb=max_mb)
    if check.refused:
        return _refused(filename, digest, check.refusal)
    try:
        sheets, notes = read_sheets(data, check.fmt, filename)
    except ReadError as exc:
        return _refused(filename, digest, exc.problem)
    log = ProblemLog()
    log.extend(check.problems)
    log.extend(notes)
    matcher = matcher_for(regions)
    role_map, code_map = _split_mapping(columns)

    tables: list[Table] = []
    layouts: dict[str, str] = {}
    for sheet in sheets:
        if sheet.hidden or norm_name(sheet.name) in REFERENCE_SHEETS or sheet.name.startswith("_"):
            layouts[sheet.name] = "skipped"
            continue
        table = detect_table(sheet, matcher, role_map)
        if table is None:
            layouts[sheet.name] = "none"
            if sheet.n_rows:
                log.add(
                    f"Sheet '{sheet.name}' dilewati: tidak ada tabel yang dikenali",
                    f"Sheet '{sheet.name}' skipped: no table recognised",
                    rule="sheet_skipped",
                    severity="info",
                    sheet=sheet.name,
                )
            continue
        layouts[sheet.name] = table.layout
        tables.append(table)

    result = UploadResult(filename, digest, sheets=sheets, layouts=layouts)
    if not tables:
        log.add(
            "Tidak ada tabel data di berkas ini. Format yang dikenali: kolom wilayah, indikator, tahun, nilai "
            "(format panjang); kolom wilayah lalu satu kolom per indikator (format lebar/tabel BPS); atau "
            "lembar observasi dengan lat, lon, asset_type",
            "No data table in this file. Recognised layouts: columns region, indicator, year, value (long); a "
            "region column then one column per indicator (wide/BPS table); or an observation sheet with lat, "
            "lon, asset_type",
            rule="no_table",
        )
        result.problems = log.finish()
        return result

    obs_tables = [t for t in tables if t.layout == "observations"]
    value_tables = [t for t in tables if t.layout != "observations"]
    if obs_tables and value_tables:
        log.add(
            "Berkas mencampur lembar observasi lapangan ("
            + ", ".join(t.sheet.name for t in obs_tables)
            + ") dan lembar nilai ("
            + ", ".join(t.sheet.name for t in value_tables)
            + "); unggah sebagai dua berkas",
            "The file mixes field-observation sheets and value sheets; upload them as two files",
            rule="mixed_kinds",
        )
        result.problems = log.finish()
        return result

    if obs_tables:
        from loaders.observations import observations_from_tables

        result.kind = "observations"
        obs, records = observations_from_tables(
            obs_tables,
            catalog,
            matcher,
            log,
            year=year,
            boundaries=boundaries,
            values=values,
            rules=rules,
            filename=filename,
        )
        result.observations = obs
        result.records = records
    else:
        ctx = ValueContext(catalog, matcher, log, year=year, mapping=code_map, error_cells=check.error_cells)
        result.records = records_from_tables(value_tables, ctx)
    if not log.has_errors and result.records.empty and (result.observations is None or result.observations.empty):
        log.add(
            "Tidak ada nilai untuk diimpor (semua sel nilai kosong atau '-')",
            "Nothing to import (every value cell is empty or '-')",
            rule="no_values",
        )
    if stored is not None and len(result.records):
        result.preview = change_preview(result.records, stored)
    result.problems = log.finish()
    return result
