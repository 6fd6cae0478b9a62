"""Checks that run on an upload's raw bytes BEFORE any spreadsheet parser sees them.

Neither openpyxl nor calamine bounds what a file may expand to: a 5 KB xlsx with one cell in A1 and
one in XFD1048576 makes calamine allocate the whole rectangle, a 1.6 KB ODS whose cells say
``number-columns-repeated="1000"`` reached 1.3 GB here, and a zip entry may inflate a thousandfold.
So every upload is refused here, with a bilingual message, when:

- it is empty, larger than ``settings.MAX_UPLOAD_MB``, or its content is not what its extension says
  (magic bytes: a PDF, an HTML page or a CSV renamed ``.xls``, a password-protected workbook ...);
- its zip central directory declares too much (entries, total uncompressed size, inflate ratio
  below Apache POI's 0.01), or an entry is truncated / fails its CRC (every entry is inflated once,
  in bounded chunks, to prove the declared sizes are true);
- a worksheet declares or uses a rectangle over :data:`MAX_CELLS` cells (the ``<dimension>`` tag and
  every cell reference are scanned; for ODS the repeated rows/cells that hold content).

The same pass notes formulas (read as their cached values, never evaluated) and cells holding Excel
errors (``#DIV/0!``), which calamine would otherwise hand back as empty.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import PurePath
from xml.parsers import expat

import settings
from indicators.problems import Problem

__all__ = [
    "EXTENSIONS",
    "MAX_CELLS",
    "MAX_UNCOMPRESSED_MB",
    "MIN_INFLATE_RATIO",
    "Preflight",
    "check_xml_safety",
    "col_index",
    "preflight",
]

#: Largest rectangle of cells (rows x columns, summed over sheets) a workbook may use.
MAX_CELLS: int = settings.MAX_CELLS
#: Largest total uncompressed size of a zip-based workbook (xlsx, ods).
MAX_UNCOMPRESSED_MB: int = settings.MAX_UNCOMPRESSED_MB
#: Smallest compressed/uncompressed ratio of a zip entry (Apache POI's ZipSecureFile default).
MIN_INFLATE_RATIO: float = 0.01
#: Entries smaller than this are not ratio-checked (tiny XML parts compress very well legitimately).
RATIO_GRACE_BYTES: int = 1 << 20
MAX_ZIP_ENTRIES: int = 10_000
_CHUNK = 1 << 20

#: Extension -> format the content must have.
EXTENSIONS = {
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".xls": "xls",
    ".ods": "ods",
    ".csv": "csv",
    ".tsv": "csv",
    ".txt": "csv",
}

_FORMAT_LABEL = {
    "xlsx": "Excel (.xlsx)",
    "xlsb": "Excel biner (.xlsb)",
    "xls": "Excel 97-2003 (.xls)",
    "ods": "OpenDocument (.ods)",
    "csv": "teks/CSV",
    "pdf": "PDF",
    "html": "HTML (halaman web)",
    "xml2003": "Excel 2003 XML",
    "docx": "Word (.docx)",
    "pptx": "PowerPoint (.pptx)",
    "zip": "arsip ZIP",
    "encrypted": "buku kerja terkunci kata sandi",
    "ole": "dokumen Office lama (bukan Excel)",
    "image": "gambar",
    "binary": "berkas biner",
}
_FORMAT_LABEL_EN = {
    "xlsb": "binary Excel (.xlsb)",
    "csv": "text/CSV",
    "html": "HTML (a web page)",
    "zip": "ZIP archive",
    "encrypted": "password-protected workbook",
    "ole": "old Office document (not Excel)",
    "image": "image",
    "binary": "binary file",
}


@dataclass
class Preflight:
    """Outcome of :func:`preflight`: the detected format, a refusal or notes for the report."""

    fmt: str | None
    refusal: Problem | None = None
    problems: list[Problem] = field(default_factory=list)
    #: Per worksheet (by sheet name): cells holding Excel errors, ``{"A1": "#DIV/0!"}``.
    error_cells: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def refused(self) -> bool:
        return self.refusal is not None


def _refuse(message_id: str, message_en: str, rule: str, suggestion: str | None = None) -> Problem:
    return Problem(message_id, message_en, severity="error", suggestion=suggestion, extra={"rule": rule})


def check_xml_safety() -> None:
    """Raise ``RuntimeError`` unless openpyxl parses XML through ``defusedxml``.

    openpyxl is only protected against XML entity attacks when defusedxml is importable and the
    environment variable ``OPENPYXL_DEFUSEDXML`` is not "False"; the app calls this at start-up so
    a broken deployment fails loudly instead of parsing hostile workbooks unprotected.
    """
    try:
        import defusedxml  # noqa: F401
    except ImportError as exc:  # pragma: no cover - defusedxml is a hard requirement
        raise RuntimeError(
            "defusedxml tidak terpasang: buku kerja tidak dapat dibaca dengan aman / "
            "defusedxml is not installed: workbooks cannot be read safely"
        ) from exc
    import openpyxl.xml

    if not getattr(openpyxl.xml, "DEFUSEDXML", False):
        raise RuntimeError(
            "openpyxl tidak memakai defusedxml (periksa OPENPYXL_DEFUSEDXML) / "
            "openpyxl is not using defusedxml (check OPENPYXL_DEFUSEDXML)"
        )


# --------------------------------------------------------------------- format sniffing
def sniff(data: bytes) -> str:
    """The format the bytes really have (see :data:`_FORMAT_LABEL` for the names)."""
    head = data[:8]
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        try:
            names = set(zipfile.ZipFile(BytesIO(data)).namelist())
        except (zipfile.BadZipFile, ValueError, OSError, EOFError):
            return "zip"  # damaged; the zip checks report it
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "xl/workbook.bin" in names:
            return "xlsb"
        if "content.xml" in names and "mimetype" in names:
            return "ods"
        if "word/document.xml" in names:
            return "docx"
        if "ppt/presentation.xml" in names:
            return "pptx"
        return "zip"
    if head == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        if "EncryptedPackage".encode("utf-16-le") in data:
            return "encrypted"
        if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data:
            return "xls"
        return "ole"
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8")):
        return "image"
    text_head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text_head.startswith((b"<!doctype html", b"<html", b"<table", b"<meta")):
        return "html"
    if text_head.startswith(b"<?xml"):
        return "xml2003" if b"urn:schemas-microsoft-com:office:spreadsheet" in data[:8192] else "html"
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return "csv"  # UTF-16 text with a BOM (Excel's "Unicode text")
    if b"\x00" in data[:8192]:
        return "binary"
    return "csv"


def _label(fmt: str, lang: str) -> str:
    if lang == "en":
        return _FORMAT_LABEL_EN.get(fmt, _FORMAT_LABEL.get(fmt, fmt))
    return _FORMAT_LABEL.get(fmt, fmt)


# --------------------------------------------------------------------- entry point
def preflight(data: bytes, filename: str, *, max_mb: float | None = None, max_cells: int | None = None) -> Preflight:
    """Refuse hostile or mislabelled uploads before parsing; see the module docstring."""
    max_mb = settings.MAX_UPLOAD_MB if max_mb is None else max_mb
    max_cells = MAX_CELLS if max_cells is None else max_cells
    ext = PurePath(filename or "").suffix.lower()
    if len(data) == 0:
        return Preflight(None, _refuse("Berkas kosong (0 bita)", "The file is empty (0 bytes)", "empty_file"))
    size_mb = len(data) / (1 << 20)
    if size_mb > max_mb:
        return Preflight(
            None,
            _refuse(
                f"Berkas terlalu besar ({size_mb:.1f} MB; batas {max_mb:g} MB)",
                f"The file is too large ({size_mb:.1f} MB; limit {max_mb:g} MB)",
                "too_large",
                "Bagi data menjadi beberapa berkas / Split the data into several files",
            ),
        )
    expected = EXTENSIONS.get(ext)
    if expected is None:
        known = ", ".join(sorted(EXTENSIONS))
        return Preflight(
            None,
            _refuse(
                f"Jenis berkas '{ext or '(tanpa ekstensi)'}' tidak didukung (didukung: {known})",
                f"File type '{ext or '(no extension)'}' is not supported (supported: {known})",
                "unsupported_extension",
            ),
        )
    actual = sniff(data)
    if actual != expected:
        return Preflight(None, _mismatch(ext, expected, actual))
    if expected == "csv":
        return Preflight("csv")
    if expected == "xls":
        return _check_xls(data, max_cells)
    return _check_zip(data, expected, max_cells)


def _mismatch(ext: str, expected: str, actual: str) -> Problem:
    hint_id = hint_en = None
    if actual == "encrypted":
        hint_id, hint_en = (
            "Buka di Excel, hapus kata sandi, lalu simpan ulang",
            "Open it in Excel, remove the password, save",
        )
    elif actual in {"xlsx", "xls", "ods", "xlsb", "html", "xml2003", "csv"}:
        hint_id = "Buka berkas di Excel/LibreOffice lalu 'Simpan Sebagai' .xlsx (atau ganti ekstensinya)"
        hint_en = "Open the file in Excel/LibreOffice and 'Save As' .xlsx (or fix its extension)"
    if (actual == "zip" and expected in {"xlsx", "ods"}) or (actual == "ole" and expected == "xls"):
        msg_id = f"Berkas {ext} rusak atau terpotong (bukan buku kerja yang utuh)"
        msg_en = f"The {ext} file is damaged or truncated (not a complete workbook)"
        return _refuse(msg_id, msg_en, "damaged", "Unggah ulang berkas aslinya / Upload the original file again")
    msg_id = f"Berkas bernama {ext} tetapi isinya {_label(actual, 'id')}, bukan {_label(expected, 'id')}"
    msg_en = f"The file is named {ext} but holds {_label(actual, 'en')}, not {_label(expected, 'en')}"
    suggestion = f"{hint_id} / {hint_en}" if hint_id else None
    return _refuse(msg_id, msg_en, "wrong_content", suggestion)


# --------------------------------------------------------------------- legacy .xls
#: BIFF8 records that place a cell (row and column are their first two fields).
_BIFF_CELLS = {0x0006, 0x0201, 0x0203, 0x0204, 0x0205, 0x027E, 0x00FD, 0x00D6, 0x00BD, 0x00BE}
_BIFF_MULTI = {0x00BD, 0x00BE}  # MULRK / MULBLANK: the last column is in the record's last two bytes


def _check_xls(data: bytes, max_cells: int) -> Preflight:
    """Walk the BIFF records of the Workbook stream: the extent of the cells each sheet places.

    calamine allocates an .xls sheet's whole rectangle as well (one cell at IV65536 cost 1 GB here).
    """
    import io
    import struct

    from xlrd.compdoc import CompDoc, CompDocError

    damaged = _refuse(
        "Berkas .xls rusak atau terpotong",
        "The .xls file is damaged or truncated",
        "damaged",
        "Buka dan simpan ulang sebagai .xlsx / Open it and save it again as .xlsx",
    )
    try:
        doc = CompDoc(data, logfile=io.StringIO())
        stream = doc.get_named_stream("Workbook") or doc.get_named_stream("Book")
    except (CompDocError, IndexError, ValueError, struct.error, MemoryError):
        return Preflight("xls", damaged)
    if not stream:
        return Preflight("xls", damaged)
    unpack = struct.unpack_from
    n = len(stream)
    pos = 0
    extents: list[list[int]] = []
    names: list[str] = []
    current: list[int] | None = None
    while pos + 4 <= n:
        rtype, length = unpack("<HH", stream, pos)
        body = pos + 4
        if rtype == 0x0085 and length >= 8 and body + length <= n:  # BOUNDSHEET: a sheet's name
            cch, high = stream[body + 6], stream[body + 7] & 1
            raw = stream[body + 8 : body + 8 + cch * (2 if high else 1)]
            names.append(raw.decode("utf-16-le" if high else "latin-1", "replace"))
        elif rtype == 0x0809:  # BOF: a new substream (the globals, then one per sheet)
            current = [0, 0]
            extents.append(current)
        elif rtype in _BIFF_CELLS and current is not None and length >= 4 and body + length <= n:
            row, col = unpack("<HH", stream, body)
            if rtype in _BIFF_MULTI:
                col = unpack("<H", stream, body + length - 2)[0]
            if row >= current[0]:
                current[0] = row + 1
            if col >= current[1]:
                current[1] = col + 1
        pos = body + length
    total = 0
    for index, (rows, cols) in enumerate(extents):
        if rows * cols > max_cells:
            name = names[index - 1] if 0 < index <= len(names) else f"#{index}"
            return Preflight("xls", _too_many(name, rows, cols, max_cells, False))
        total += rows * cols
    if total > max_cells:
        return Preflight(
            "xls",
            _refuse(
                f"Buku kerja memakai {total:,} sel (batas {max_cells:,})",
                f"The workbook uses {total:,} cells (limit {max_cells:,})",
                "too_many_cells",
            ),
        )
    return Preflight("xls")


# --------------------------------------------------------------------- zip containers
_DIMENSION = re.compile(rb'<dimension[^>]*\sref="([A-Z]{1,3})?(\d+)?(?::([A-Z]{1,3})(\d+))?"')
# A literal prefix lets the regex engine skip ahead (a leading \s made the scan 6x slower); other
# attributes ending in "r" (paper="9") can only raise the estimate a little.
_REF_ROW = re.compile(rb'r="[A-Z]{0,3}(\d+)"')
_REF_LONG_COL = re.compile(rb'r="([A-Z]{2,3})\d')
_ERROR_CELL = re.compile(rb'<c\s[^>]*?r="([A-Z]{1,3}\d+)"[^>]*?\bt="e"[^>]*>(?:(?!</c>).)*?<v>([^<]*)</v>', re.S)
_FORMULA = re.compile(rb"<f[\s>/]")


def col_index(letters: str | bytes) -> int:
    """0-based column index of Excel letters (``A`` -> 0, ``XFD`` -> 16383)."""
    if isinstance(letters, bytes):
        letters = letters.decode("ascii")
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - 64)
    return n - 1


def _sheet_names_xlsx(zf: zipfile.ZipFile) -> dict[str, str]:
    """``xl/worksheets/sheetN.xml`` -> the sheet's name, for messages."""
    try:
        book = zf.read("xl/workbook.xml") if zf.getinfo("xl/workbook.xml").file_size < (8 << 20) else b""
        rels = zf.read("xl/_rels/workbook.xml.rels")
    except (KeyError, zipfile.BadZipFile, zlib.error, EOFError):
        return {}
    targets = {}
    for tag in re.findall(rb"<Relationship\b[^>]*>", rels):
        rid = re.search(rb'\bId="([^"]+)"', tag)
        target = re.search(rb'\bTarget="([^"]+)"', tag)
        if rid and target:
            path = target.group(1).decode("utf-8", "replace").lstrip("/")
            targets[rid.group(1)] = path if path.startswith("xl/") else "xl/" + path
    out = {}
    for tag in re.findall(rb"<(?:\w+:)?sheet\b[^>]*>", book):
        name = re.search(rb'\bname="([^"]*)"', tag)
        rid = re.search(rb'\br:id="([^"]+)"', tag) or re.search(rb'\b\w+:id="([^"]+)"', tag)
        if name and rid and rid.group(1) in targets:
            out[targets[rid.group(1)]] = _xml_unescape(name.group(1).decode("utf-8", "replace"))
    return out


def _xml_unescape(text: str) -> str:
    return (
        text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", '"')
        .replace("&apos;", "'")
        .replace("&amp;", "&")
    )


def _check_zip(data: bytes, fmt: str, max_cells: int) -> Preflight:
    damaged = _refuse(
        "Berkas rusak atau terpotong (arsip zip tidak utuh)",
        "The file is damaged or truncated (incomplete zip archive)",
        "damaged",
        "Unggah ulang berkas aslinya / Upload the original file again",
    )
    try:
        zf = zipfile.ZipFile(BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return Preflight(fmt, damaged)
    if len(infos) > MAX_ZIP_ENTRIES:
        return Preflight(
            fmt,
            _refuse(
                f"Berkas berisi {len(infos):,} bagian (batas {MAX_ZIP_ENTRIES:,})",
                f"The file holds {len(infos):,} parts (limit {MAX_ZIP_ENTRIES:,})",
                "zip_bomb",
            ),
        )
    total = sum(i.file_size for i in infos)
    cap = MAX_UNCOMPRESSED_MB << 20
    if total > cap:
        return Preflight(
            fmt,
            _refuse(
                f"Isi berkas mengembang menjadi {total / (1 << 20):,.0f} MB (batas {MAX_UNCOMPRESSED_MB} MB): "
                "kemungkinan bom zip",
                f"The file inflates to {total / (1 << 20):,.0f} MB (limit {MAX_UNCOMPRESSED_MB} MB): likely a zip bomb",
                "zip_bomb",
            ),
        )
    for info in infos:
        if info.flag_bits & 0x1:
            return Preflight(
                fmt,
                _refuse("Bagian berkas terenkripsi", "Part of the file is encrypted", "encrypted"),
            )
        if info.file_size > RATIO_GRACE_BYTES and info.compress_size < MIN_INFLATE_RATIO * info.file_size:
            ratio = info.file_size / max(info.compress_size, 1)
            return Preflight(
                fmt,
                _refuse(
                    f"Bagian '{info.filename}' mengembang {ratio:,.0f} kali (batas {1 / MIN_INFLATE_RATIO:.0f}): "
                    "kemungkinan bom zip",
                    f"Part '{info.filename}' inflates {ratio:,.0f} times (limit {1 / MIN_INFLATE_RATIO:.0f}): "
                    "likely a zip bomb",
                    "zip_bomb",
                ),
            )
    names = _sheet_names_xlsx(zf) if fmt == "xlsx" else {}
    out = Preflight(fmt)
    cells_total = 0
    formulas = 0
    for info in infos:
        is_sheet = fmt == "xlsx" and info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")
        is_ods_content = fmt == "ods" and info.filename == "content.xml"
        try:
            if is_sheet:
                sheet = names.get(info.filename, info.filename)
                scan = _scan_xlsx_sheet(zf, info)
                formulas += scan.formulas
                if scan.errors:
                    out.error_cells[sheet] = scan.errors
                extent = scan.rows * scan.cols
                declared = scan.declared_rows * scan.declared_cols
                if declared > max_cells:
                    return Preflight(fmt, _too_many(sheet, scan.declared_rows, scan.declared_cols, max_cells, True))
                if extent > max_cells or scan.elements > max_cells:
                    return Preflight(fmt, _too_many(sheet, scan.rows, scan.cols, max_cells, False))
                cells_total += extent
            elif is_ods_content:
                _rows, _cols, tables = _scan_ods_content(zf, info)
                for name, (r, c) in tables.items():
                    if r * c > max_cells:
                        return Preflight(fmt, _too_many(name, r, c, max_cells, False))
                    cells_total += r * c
            else:
                with zf.open(info) as handle:
                    while handle.read(_CHUNK):
                        pass
        except _Unsafe as exc:
            return Preflight(fmt, exc.problem)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError):
            return Preflight(fmt, damaged)
        if cells_total > max_cells:
            return Preflight(
                fmt,
                _refuse(
                    f"Buku kerja memakai {cells_total:,} sel (batas {max_cells:,})",
                    f"The workbook uses {cells_total:,} cells (limit {max_cells:,})",
                    "too_many_cells",
                    "Bagi data menjadi beberapa berkas / Split the data into several files",
                ),
            )
    if formulas:
        out.problems.append(
            Problem(
                f"{formulas:,} rumus dibaca sebagai nilai tersimpannya (tidak dihitung ulang)",
                f"{formulas:,} formula(s) read as their stored values (never recalculated)",
                severity="info",
                extra={"rule": "formulas_cached"},
            )
        )
    return out


def _too_many(sheet: str, rows: int, cols: int, cap: int, declared: bool) -> Problem:
    verb_id, verb_en = ("menyatakan", "declares") if declared else ("memakai", "uses")
    return Problem(
        f"Sheet '{sheet}' {verb_id} {rows:,} baris x {cols:,} kolom = {rows * cols:,} sel (batas {cap:,})",
        f"Sheet '{sheet}' {verb_en} {rows:,} rows x {cols:,} columns = {rows * cols:,} cells (limit {cap:,})",
        severity="error",
        sheet=sheet,
        suggestion="Hapus baris/kolom kosong di ujung sheet lalu simpan ulang / "
        "Delete the empty rows/columns at the sheet's end and save again",
        extra={"rule": "absurd_dimension"},
    )


class _Unsafe(Exception):
    def __init__(self, problem: Problem):
        super().__init__(problem.message_en)
        self.problem = problem


@dataclass
class _SheetScan:
    rows: int = 0
    cols: int = 0
    declared_rows: int = 0
    declared_cols: int = 0
    formulas: int = 0
    elements: int = 0
    errors: dict[str, str] = field(default_factory=dict)


def _scan_xlsx_sheet(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> _SheetScan:
    """Inflate one worksheet in chunks: extent of every cell reference, dimension tag, formulas.

    Cell references are found by attribute (``r="XFD1048576"``, in any attribute order) rather
    than by parsing, which keeps the scan at about a tenth of calamine's own reading time.
    """
    scan = _SheetScan()
    tail = b""
    first = True
    max_letters = b""
    max_digits = b""
    elements = 0
    with zf.open(info) as handle:
        while True:
            chunk = handle.read(_CHUNK)
            if not chunk:
                break
            buf = tail + chunk
            if first:
                dim = _DIMENSION.search(buf[:65536])
                if dim:
                    end_col = dim.group(3) or dim.group(1) or b"A"
                    end_row = dim.group(4) or dim.group(2) or b"1"
                    scan.declared_rows = int(end_row)
                    scan.declared_cols = col_index(end_col) + 1
                first = False
            digits = set(_REF_ROW.findall(buf))
            if digits:
                top = max(digits, key=lambda d: (len(d), d))
                if (len(top), top) > (len(max_digits), max_digits):
                    max_digits = top
            for letters in set(_REF_LONG_COL.findall(buf)):
                if (len(letters), letters) > (len(max_letters), max_letters):
                    max_letters = letters
            elements += chunk.count(b"<c")
            scan.formulas += len(_FORMULA.findall(chunk))
            if b't="e"' in buf:
                for ref, value in _ERROR_CELL.findall(buf):
                    if len(scan.errors) < 10_000:
                        scan.errors[ref.decode()] = value.decode("utf-8", "replace")
            tail = buf[-256:]
    scan.rows = int(max_digits or b"0")
    scan.cols = col_index(max_letters) + 1 if max_letters else (26 if scan.rows else 0)
    # cells without a reference are placed one after another: their count bounds the extent too
    scan.rows = max(scan.rows, 1) if elements else scan.rows
    scan.cols = max(scan.cols, min(elements, 16384) if not scan.rows else scan.cols)
    scan.elements = elements
    return scan


_ODS_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_ODS_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"


def _scan_ods_content(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> tuple[int, int, dict[str, tuple[int, int]]]:
    """Stream ``content.xml`` through expat: per table, the extent of the cells that hold content.

    Repeated rows/cells are what calamine expands; empty repeated blocks (LibreOffice writes a
    million empty rows at the end of every sheet) cost nothing and are not counted.
    """
    tables: dict[str, tuple[int, int]] = {}
    state = {"name": "", "row": 0, "row_rep": 1, "col": 0, "max_row": 0, "max_col": 0, "cell": None}

    def start(name, attrs):
        if name == f"{_ODS_TABLE} table":
            state.update(name=attrs.get(f"{_ODS_TABLE} name", "?"), row=0, max_row=0, max_col=0)
        elif name == f"{_ODS_TABLE} table-row":
            state["row_rep"] = int(attrs.get(f"{_ODS_TABLE} number-rows-repeated", "1") or 1)
            state["col"] = 0
        elif name in (f"{_ODS_TABLE} table-cell", f"{_ODS_TABLE} covered-table-cell"):
            rep = int(attrs.get(f"{_ODS_TABLE} number-columns-repeated", "1") or 1)
            has_value = f"{_ODS_OFFICE} value-type" in attrs
            state["cell"] = [rep, has_value]
        elif name.endswith(" p") and state["cell"] is not None:
            state["cell"][1] = True

    def end(name):
        if name in (f"{_ODS_TABLE} table-cell", f"{_ODS_TABLE} covered-table-cell"):
            rep, has_value = state["cell"]
            state["col"] += rep
            if has_value:
                state["max_col"] = max(state["max_col"], state["col"])
                state["max_row"] = max(state["max_row"], state["row"] + state["row_rep"])
            state["cell"] = None
        elif name == f"{_ODS_TABLE} table-row":
            state["row"] += state["row_rep"]
        elif name == f"{_ODS_TABLE} table":
            tables[state["name"]] = (state["max_row"], state["max_col"])
        if state["max_row"] * state["max_col"] > MAX_CELLS * 4:
            raise _Unsafe(_too_many(state["name"], state["max_row"], state["max_col"], MAX_CELLS, False))

    def doctype(*_args):
        raise _Unsafe(_refuse("XML dengan DOCTYPE ditolak", "XML with a DOCTYPE is refused", "xml_doctype"))

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype
    try:
        with zf.open(info) as handle:
            while True:
                chunk = handle.read(_CHUNK)
                if not chunk:
                    break
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except expat.ExpatError as exc:
        raise _Unsafe(_refuse(f"Isi berkas ODS rusak: {exc}", f"The ODS content is damaged: {exc}", "damaged")) from exc
    rows = max((r for r, _ in tables.values()), default=0)
    cols = max((c for _, c in tables.values()), default=0)
    return rows, cols, tables
