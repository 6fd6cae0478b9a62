"""Header words analysts use, in Bahasa Indonesia and English, and the column role each names.

Kept as data in one place so a new spelling is a one-line change. Headers are compared after
:func:`loaders.regions.norm_name` (case, punctuation and spacing ignored), with a unit in brackets
dropped ("Tahun (YYYY)" -> "tahun") and bilingual BPS headers split ("Kecamatan/Subdistrict").
"""

from __future__ import annotations

import re
from typing import Any

from loaders.regions import norm_name

__all__ = ["ROLE_SYNONYMS", "clean_header", "header_parts", "role_of"]

ROLE_SYNONYMS: dict[str, tuple[str, ...]] = {
    "region": (
        "wilayah",
        "kode wilayah",
        "nama wilayah",
        "kode nama wilayah",
        "region",
        "region code",
        "region name",
        "kode kemendagri",
        "kode bps",
        "kode wilayah bps",
        "kecamatan",
        "kelurahan",
        "desa",
        "kelurahan desa",
        "desa kelurahan",
        "kabupaten kota",
        "kab kota",
        "kota kabupaten",
        "subdistrict",
        "district",
        "village",
        "daerah",
        "nama kecamatan",
        "nama kelurahan",
        "nama desa",
        "kode kecamatan",
        "kode kelurahan",
        "kode desa",
    ),
    "indicator": (
        "indikator",
        "kode indikator",
        "indicator",
        "indicator code",
        "variabel",
        "variable",
        "kode variabel",
        "indicator id",
        "id indikator",
    ),
    "year": ("tahun", "year", "thn", "th", "periode", "period", "tahun data"),
    "value": ("nilai", "value", "angka", "nilai indikator", "capaian", "realisasi"),
    "unit": ("satuan", "unit", "units"),
    "source": ("sumber", "source", "sumber data", "data source"),
    "note": ("catatan", "note", "notes", "keterangan", "ket", "remarks", "comment", "komentar"),
    "seq": ("no", "nomor", "no urut", "nr", "number", "urut"),
    # field observations
    "obs_id": ("obs id", "id observasi", "id", "kode aset", "asset id", "no aset", "id aset", "kode titik"),
    "asset_type": ("asset type", "jenis aset", "tipe aset", "jenis", "aset", "asset", "kategori aset", "jenis objek"),
    "lat": ("lat", "latitude", "lintang", "y"),
    "lon": ("lon", "lng", "long", "longitude", "bujur", "x"),
    "coords": (
        "koordinat",
        "coordinates",
        "coordinate",
        "lokasi gps",
        "titik koordinat",
        "lat long",
        "lat lon",
        "latlong",
    ),
    "status": ("status", "status aset", "status fungsi"),
    "condition": ("condition", "kondisi", "kondisi fisik"),
    "obs_date": (
        "obs datetime",
        "obs date",
        "tanggal",
        "waktu",
        "date",
        "datetime",
        "tanggal observasi",
        "tgl",
        "tanggal survei",
        "tanggal survey",
        "waktu observasi",
    ),
}
_ROLE_OF = {syn: role for role, syns in ROLE_SYNONYMS.items() for syn in syns}
#: Observation sheets name their kecamatan/kelurahan columns like region columns; the observation
#: reader tells them apart by the header word.
OBS_ONLY = {"obs_id", "asset_type", "lat", "lon", "coords", "status", "condition", "obs_date"}

_BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]")


def clean_header(value: Any) -> str:
    """Header text as shown to users: one line, single spaces."""
    if value is None:
        return ""
    if type(value) is str and "  " not in value and "\n" not in value and "\t" not in value and "\r" not in value:
        return value.strip()  # the common case, without the regular expressions below
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    lines = [re.sub(r"\s+", " ", line).strip() for line in str(value).splitlines()]
    return " / ".join(line for line in lines if line)


def header_parts(text: str) -> list[str]:
    """The header and its bilingual parts ("Kecamatan/Subdistrict" -> [..., "Kecamatan", "Subdistrict"])."""
    parts = [text]
    joined = re.sub(r"\s*/\s*", " ", text)
    if joined != text:
        parts.append(joined)  # a header broken over two lines: "Jumlah / Penduduk"
    no_unit = re.sub(r"\s+", " ", _BRACKETS.sub(" ", text)).strip()
    if no_unit and no_unit != text:
        parts.append(no_unit)
    for piece in re.split(r"/|\n|\|", no_unit or text):
        piece = piece.strip()
        if piece and piece not in parts:
            parts.append(piece)
    return parts


def role_of(text: str, extra: dict[str, str] | None = None) -> str | None:
    """The role a header names, or ``None``. ``extra`` maps normalised header -> role (user mapping)."""
    if not text:
        return None
    for part in header_parts(text):
        key = norm_name(part)
        if extra and key in extra:
            return extra[key]
        if key in _ROLE_OF:
            return _ROLE_OF[key]
    return None
