"""Region cells in every spelling analysts use, against the Kemendagri gazetteer and the BPS crosswalk."""

from __future__ import annotations

import pandas as pd
import pytest

from loaders.gazetteer import regions_within
from loaders.regions import RegionMatcher, read_crosswalk


@pytest.fixture(scope="module")
def bengkulu():
    return RegionMatcher(regions_within("17.71"))


@pytest.mark.parametrize(
    ("cell", "code", "via"),
    [
        ("17.71.01", "17.71.01", "code"),
        ("177101", "17.71.01", "code"),
        (177101.0, "17.71.01", "code"),
        ("1771011001", "17.71.01.1001", "code"),
        (1771011001, "17.71.01.1001", "code"),
        ("17.71", "17.71", "code"),
        (17.71, "17.71", "code"),  # Excel turned a typed 17.71 into a number
        ("1771023", "17.71.09", "bps"),  # BPS code of Singaran Pati
        ("1771040", "17.71.04", "bps"),
        ("010. Selebar", "17.71.01", "bps_prefix"),
        ("023 Singaran Pati", "17.71.09", "bps_prefix"),
        ("Kec. Ratu Agung", "17.71.06", "name"),
        ("KELURAHAN SUMUR MELELEH", "17.71.03.1013", "name"),
        ("Kota Bengkulu", "17.71", "name"),
        ("  sungai   serut ", "17.71.08", "name"),
        ("Kel. Pasar Baru", "17.71.03.1002", "name"),
        ("Bumi Ayu", "17.71.01.1004", "alias"),
        ("17.71.01 Selebar", "17.71.01", "code"),
        ("001. Pagar Dewa", "17.71.01.1001", "name"),  # a BPS desa number in front of a kelurahan
    ],
)
def test_matches(bengkulu, cell, code, via):
    m = bengkulu.match(cell)
    assert m.ok, m.message
    assert (m.code, m.via) == (code, via)


def test_typo_is_an_error_with_a_suggestion(bengkulu):
    m = bengkulu.match("Ratu Agungg")
    assert m.status == "unknown" and m.code is None
    assert "Ratu Agung" in m.suggestion and "17.71.06" in m.suggestion
    assert "Ratu Agungg" in m.message[0] and "Ratu Agungg" in m.message[1]


def test_code_and_name_that_disagree_is_a_conflict(bengkulu):
    m = bengkulu.match("010. Ratu Agung")  # 010 is Selebar in the BPS crosswalk
    assert m.status == "conflict" and "Selebar" in m.message[1] and "Ratu Agung" in m.message[1]
    m = bengkulu.match("17.71.01 Selebarr")  # a small misspelling next to a good code: used, with a note
    assert m.ok and m.code == "17.71.01" and m.note is not None


def test_code_outside_scope(bengkulu):
    m = bengkulu.match("17.01.01")
    assert m.status == "outside"
    assert "17.01.01" in m.message[0]


def test_ambiguous_name_asks_for_the_code():
    banda_aceh = RegionMatcher(regions_within("11.71"))
    m = banda_aceh.match("Kuta Alam")  # a kecamatan and a desa share the name
    assert m.status == "ambiguous"
    assert set(m.candidates) == {"11.71.02", "11.71.02.2007"}
    assert "kode" in m.message[0] and "code" in m.message[1]
    assert banda_aceh.match("Kec. Kuta Alam").code == "11.71.02"
    assert banda_aceh.match("Kuta Alam", level_hint="kelurahan").code == "11.71.02.2007"


def test_total_row_region(bengkulu):
    assert bengkulu.common_ancestor(["17.71.01", "17.71.02", "17.71.09"]) == "17.71"
    assert bengkulu.common_ancestor(["17.71.01.1001", "17.71.01.1002"]) == "17.71.01"


def test_crosswalk_is_data_for_any_city():
    crosswalk = read_crosswalk()
    assert {"bps_code", "kemendagri_code", "name"} <= set(crosswalk.columns)
    assert crosswalk.set_index("bps_code").loc["1771023", "kemendagri_code"] == "17.71.09"
    # another city's rows are just more rows: a made-up BPS code for Kabupaten Kaur's first kecamatan
    kaur = regions_within("17.04")
    first_kec = kaur.loc[kaur["level"] == "kecamatan", "code"].iloc[0]
    extra = pd.concat(
        [crosswalk, pd.DataFrame({"bps_code": ["1704010"], "kemendagri_code": [first_kec], "name": ["x"]})]
    )
    matcher = RegionMatcher(kaur, crosswalk=extra)
    assert matcher.match("1704010").code == first_kec
    name = kaur.set_index("code").loc[first_kec, "name"]
    m = matcher.match(f"010. {name}")  # the 3-digit prefix of a BPS table, under the city's BPS code
    assert (m.code, m.via) == (first_kec, "bps_prefix")
