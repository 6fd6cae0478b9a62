"""Every file of the generated corpus gives what an analyst must see (tests/corpus/files.py)."""

from __future__ import annotations

import pytest
from corpus.catalog import small_catalog
from corpus.files import KELURAHAN_GEOJSON, cases

from loaders.gazetteer import regions_within
from loaders.upload import read_upload

CASES = cases()
needs_boundaries = pytest.mark.skipif(not KELURAHAN_GEOJSON.exists(), reason="shared boundaries not present")


def test_corpus_is_large_enough():
    assert len(CASES) >= 30
    assert len({c.name for c in CASES}) == len(CASES)


@pytest.fixture(scope="module")
def catalog():
    return small_catalog()


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_corpus_case(case, catalog):
    if case.kind == "observations" and not KELURAHAN_GEOJSON.exists():
        pytest.skip("shared boundaries not present")
    if case.needs:
        pytest.importorskip(case.needs)
    data = case.make()
    result = read_upload(data, case.filename, catalog, regions_within(case.city), **case.kwargs)
    rules = {p.extra.get("rule") for p in result.problems}
    listing = "\n".join(str(p) for p in result.problems)
    assert result.refused is case.refused, listing
    if case.refused:
        assert not result.ok
        assert len(result.problems) == 1 and result.problems[0].severity == "error"
        assert result.problems[0].message_id and result.problems[0].message_en
        assert result.records.empty
    if case.ok is not None:
        assert result.ok is case.ok, listing
    missing = case.rules - rules
    assert not missing, f"expected rules {missing} in:\n{listing}"
    unexpected = case.absent & rules
    assert not unexpected, f"unexpected rules {unexpected} in:\n{listing}"
    if case.records is not None:
        assert len(result.records) == case.records, result.records
    if not case.refused:
        assert result.kind == case.kind
    for p in result.problems:  # every problem speaks both languages and points at a place when it can
        assert p.message_id.strip() and p.message_en.strip()
        if p.cell:
            assert p.row is not None and p.sheet
    if case.check is not None:
        case.check(result)


def test_errors_carry_excel_locations(catalog):
    """The typo is reported at the cell the analyst must fix, in both languages."""
    from corpus.files import unknown_region_typo

    result = read_upload(unknown_region_typo(), "typo.xlsx", catalog, regions_within("17.71"))
    [p] = result.errors
    assert (p.sheet, p.row, p.column, p.cell) == ("data", 2, "wilayah", "A2")
    assert "Ratu Agungg" in p.message_id and "Ratu Agungg" in p.message_en
