"""Hostile uploads are refused before any parser runs, with a clear bilingual reason."""

from __future__ import annotations

import pytest
from corpus.files import absurd_dimension, ods_repeat_bomb, sparse_far_cell, valid_xlsx, zip_bomb

from loaders import safety
from loaders.safety import check_xml_safety, preflight, sniff


def _rule(check) -> str | None:
    return check.refusal.extra.get("rule") if check.refusal else None


def test_valid_workbook_passes():
    check = preflight(valid_xlsx(), "data.xlsx")
    assert not check.refused and check.fmt == "xlsx"


def test_zip_bomb_refused_by_ratio():
    check = preflight(zip_bomb(), "bom.xlsx")
    assert _rule(check) == "zip_bomb"
    assert "bom zip" in check.refusal.message_id and "zip bomb" in check.refusal.message_en


def test_declared_total_size_cap(monkeypatch):
    monkeypatch.setattr(safety, "MAX_UNCOMPRESSED_MB", 0)
    check = preflight(valid_xlsx(), "data.xlsx")
    assert _rule(check) == "zip_bomb"


def test_lying_central_directory_is_caught():
    """A central directory declaring less than an entry really inflates to is refused, not trusted."""
    data = bytearray(valid_xlsx())
    name = b"xl/worksheets/sheet1.xml"
    pos = -1
    while True:  # the central directory record of the sheet: signature, then the name at offset 46
        pos = bytes(data).find(b"PK\x01\x02", pos + 1)
        assert pos >= 0
        if bytes(data[pos + 46 : pos + 46 + len(name)]) == name:
            break
    assert int.from_bytes(data[pos + 24 : pos + 28], "little") > 10
    data[pos + 24 : pos + 28] = (10).to_bytes(4, "little")  # declared uncompressed size: 10 bytes
    check = preflight(bytes(data), "data.xlsx")
    assert check.refused and _rule(check) == "damaged"


@pytest.mark.parametrize(
    ("make", "name"), [(absurd_dimension, "dim.xlsx"), (sparse_far_cell, "far.xlsx"), (ods_repeat_bomb, "x.ods")]
)
def test_absurd_extents_refused(make, name):
    check = preflight(make(), name)
    assert _rule(check) == "absurd_dimension"
    assert "sel" in check.refusal.message_id and "cells" in check.refusal.message_en


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"%PDF-1.7 ...", "pdf"),
        (b"<html><table></table></html>", "html"),
        (b"\x89PNG\r\n\x1a\n....", "image"),
        (b"wilayah,nilai\n17.71.01,5\n", "csv"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "Workbook".encode("utf-16-le"), "xls"),
        (b"\x00\x01\x02\x03binary\x00", "binary"),
    ],
)
def test_sniff(data, expected):
    assert sniff(data) == expected


def test_wrong_content_message_names_both():
    check = preflight(b"%PDF-1.4 whatever", "laporan.xlsx")
    assert _rule(check) == "wrong_content"
    assert "PDF" in check.refusal.message_id and ".xlsx" in check.refusal.message_en


def test_truncated_and_empty():
    data = valid_xlsx()
    assert _rule(preflight(data[: len(data) // 2], "a.xlsx")) == "damaged"
    assert _rule(preflight(data[:-30], "a.xlsx")) == "damaged"
    assert _rule(preflight(b"", "a.csv")) == "empty_file"


def test_size_limit_uses_settings(monkeypatch):
    import settings

    monkeypatch.setattr(settings, "MAX_UPLOAD_MB", 1)
    check = preflight(b"a,b\n" * 400_000, "big.csv")
    assert _rule(check) == "too_large"
    assert "1 MB" in check.refusal.message_id


def test_xml_safety_check_passes_here_and_fails_without_defusedxml(monkeypatch):
    check_xml_safety()  # defusedxml installed, openpyxl uses it
    import openpyxl.xml

    monkeypatch.setattr(openpyxl.xml, "DEFUSEDXML", False)
    with pytest.raises(RuntimeError, match="defusedxml"):
        check_xml_safety()


def test_formula_cells_noted():
    from corpus.files import formulas_cached

    check = preflight(formulas_cached(), "f.xlsx")
    assert not check.refused
    assert any(p.extra.get("rule") == "formulas_cached" for p in check.problems)
    assert check.error_cells["data"] == {"D3": "#DIV/0!"}
