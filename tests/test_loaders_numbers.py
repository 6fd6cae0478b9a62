"""Numbers as analysts type them, and how ambiguous "1.234" is decided per column."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loaders.numbers import AMBIGUOUS, BAD, EMPTY, OK, NumberColumn, parse_number


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1.234,5", 1234.5),
        ("1,234.5", 1234.5),
        ("87%", 87.0),
        ("91,25 %", 91.25),
        ("Rp 1.234", 1234.0),
        ("Rp 1.500,-", 1500.0),
        ("Rp 1,500", 1500.0),
        ("1.234.567", 1234567.0),
        ("1,234,567", 1234567.0),
        ("12,5", 12.5),
        ("0,234", 0.234),
        ("0.234", 0.234),
        ("1234.567", 1234.567),
        ("(1.234,5)", -1234.5),
        ("-5", -5.0),
        ("\u22123,5", -3.5),
        ("1 234 567", 1234567.0),
        ("12,5*", 12.5),
        ("12,5 r)", 12.5),
        ("1.2E+03", 1200.0),
        (" 42 ", 42.0),
        (42.0, 42.0),
    ],
)
def test_unambiguous_numbers(text, value):
    parsed = parse_number(text)
    assert parsed.status == OK
    assert parsed.value == pytest.approx(value)
    assert parsed.value_en == pytest.approx(value)


@pytest.mark.parametrize("text", ["", "-", "...", "\u2026", "n.a.", "N/A", "na", "\u2013", None, math.nan])
def test_no_data_symbols(text):
    assert parse_number(text).status == EMPTY


@pytest.mark.parametrize("text", ["abc", "lima", "12-13", "1.2.3,4,5", True])
def test_not_numbers(text):
    assert parse_number(text).status == BAD


def test_lone_three_digit_group_is_ambiguous():
    dot = parse_number("1.234")
    assert (dot.status, dot.value, dot.value_en) == (AMBIGUOUS, 1234.0, 1.234)
    comma = parse_number("1,234")
    assert (comma.status, comma.value, comma.value_en) == (AMBIGUOUS, 1.234, 1234.0)


def test_column_decides_from_its_own_evidence():
    col = NumberColumn(["1.234", "5,5", "2.000"])
    assert col.decide() == ("id", "column")
    assert list(col.values("id")) == [1234.0, 5.5, 2000.0]
    col = NumberColumn(["1,234", "5.5"])
    assert col.decide() == ("en", "column")
    assert list(col.values("en")) == [1234.0, 5.5]


def test_file_evidence_then_unit_then_default():
    col = NumberColumn(["1.234"])
    assert col.decide(file_id=3) == ("id", "file")
    assert col.decide(file_en=2) == ("en", "file")
    pct = NumberColumn(["12.345", "87.125"])  # as percentages, 12345 is impossible

    def over_100(values):
        return int((values > 100).sum())

    assert pct.decide(impossible=over_100) == ("en", "unit")
    assert NumberColumn(["1.234"]).decide() == ("id", "default")


@given(st.integers(min_value=0, max_value=10**12))
def test_indonesian_thousands_round_trip(n):
    text = f"{n:,}".replace(",", ".")
    parsed = parse_number(text)
    assert parsed.value == n  # ambiguous or not, the Indonesian reading is the integer


@given(st.integers(min_value=1000, max_value=10**12), st.integers(min_value=0, max_value=99))
def test_both_styles_with_decimals_agree(whole, cents):
    indonesian = f"{whole:,}".replace(",", ".") + f",{cents:02d}"
    english = f"{whole:,}.{cents:02d}"
    expected = whole + cents / 100
    assert parse_number(indonesian).value == pytest.approx(expected)
    assert parse_number(english).value == pytest.approx(expected)
    assert parse_number(indonesian).style == "id" and parse_number(english).style == "en"


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e9, max_value=1e9))
def test_numeric_cells_pass_through(value):
    assert parse_number(value).value == value
