"""The synthetic demo data set: reproducible, labelled, complete for the catalog, believable."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from indicators.catalog import default_catalog
from indicators.derived import Inputs, get_derivation
from loaders.demo import (
    OBSERVATION_COLUMNS,
    OBSERVATION_RULES,
    SYNTHETIC_SOURCE,
    generate_demo,
    observation_values,
    write_demo,
)
from tests.conftest import KELURAHAN_GEOJSON

LATEST = 2024
LEVELS = ("kota", "kecamatan", "kelurahan")
needs_boundaries = pytest.mark.skipif(
    not KELURAHAN_GEOJSON.exists(), reason=f"shared kelurahan boundaries not found at {KELURAHAN_GEOJSON}"
)


@pytest.fixture(scope="module")
def demo():
    return generate_demo("17.71", boundaries=KELURAHAN_GEOJSON if KELURAHAN_GEOJSON.exists() else None)


@pytest.fixture(scope="module")
def catalog():
    return default_catalog()


def level_of(demo) -> dict[str, str]:
    return dict(zip(demo.regions["code"], demo.regions["level"], strict=True))


def wanted_levels(catalog, code: str) -> set[str]:
    tokens = set(catalog.node(code)["levels"].split(","))
    if "point" in tokens:
        tokens |= set(LEVELS)
    if "provinsi" in tokens:
        tokens.add("kota")  # the province figure stands in for the kota
    return tokens & set(LEVELS)


def derive(values: pd.DataFrame, catalog, code: str) -> pd.DataFrame:
    """Run ``code``'s registered derivation on the generated variables: region, year, value."""
    derivation = get_derivation(catalog.node(code)["derivation"])
    sub = values.loc[values["indicator"].isin(derivation.inputs)]
    wide = sub.pivot_table(index=["region", "year"], columns="indicator", values="value").reindex(
        columns=list(derivation.inputs)
    )
    keys = list(wide.index)
    row = {k: i for i, k in enumerate(keys)}
    lag = np.asarray([row.get((r, y - 1), -1) for r, y in keys], dtype=np.int64)
    out = derivation.compute(Inputs({c: wide[c].to_numpy(dtype=float) for c in derivation.inputs}, lag))
    frame = pd.DataFrame(keys, columns=["region", "year"]).assign(value=out)
    return frame.dropna(subset=["value"])


def indicator_values(demo, catalog, code: str) -> pd.DataFrame:
    """Values of ``code`` as the engine would see them: reported, else derived from variables."""
    direct = demo.values.loc[demo.values["indicator"] == code, ["region", "year", "value"]]
    if catalog.node(code)["derivation"]:
        return pd.concat([direct, derive(demo.values, catalog, code)], ignore_index=True)
    return direct


# ---------------------------------------------------------------------------- reproducible, labelled
def test_same_seed_same_data_other_seed_other_data(demo):
    again = generate_demo("17.71", boundaries=KELURAHAN_GEOJSON if KELURAHAN_GEOJSON.exists() else None)
    pd.testing.assert_frame_equal(demo.values, again.values)
    pd.testing.assert_frame_equal(demo.observations, again.observations)
    other = generate_demo("17.71", seed=7, boundaries=None)
    merged = demo.values.merge(other.values, on=["region", "indicator", "year"], suffixes=("", "_other"))
    assert len(merged) > 1000
    assert (merged["value"] != merged["value_other"]).mean() > 0.5


def test_every_value_and_point_is_marked_synthetic(demo):
    assert demo.meta["synthetic"] is True
    assert demo.meta["seed"] == 20241127
    assert "sintetis" in demo.meta["generated"]
    assert list(demo.values.columns) == ["region", "indicator", "year", "value", "source", "note"]
    assert (demo.values["source"] == SYNTHETIC_SOURCE).all()
    if len(demo.observations):
        assert demo.observations["notes"].str.contains("sintetis").all()
        assert demo.observations["surveyor"].str.contains("sintetis").all()


# ---------------------------------------------------------------------------- complete for the catalog
def test_every_indicator_at_its_levels_in_the_latest_year(demo, catalog):
    levels = level_of(demo)
    gaps = []
    for code in catalog.indicators:
        got = indicator_values(demo, catalog, code)
        got = got.loc[got["year"] == LATEST]
        have = {levels[r] for r in got["region"]}
        missing = wanted_levels(catalog, code) - have
        if missing:
            gaps.append(f"{code}: {sorted(missing)}")
    assert not gaps, "no value in the latest year at: " + "; ".join(gaps)


def test_derived_indicators_come_from_variables_at_every_wanted_level(demo, catalog):
    levels = level_of(demo)
    for code in catalog.indicators:
        if not catalog.node(code)["derivation"]:
            continue
        assert not (demo.values["indicator"] == code).any(), f"{code} is supplied as variables, not directly"
        got = derive(demo.values, catalog, code)
        got = got.loc[got["year"] == LATEST]
        for level in wanted_levels(catalog, code):
            regions = [c for c, lv in levels.items() if lv == level]
            share = got["region"].isin(regions).sum() / len(regions)
            assert share >= 0.8, f"{code} derived for only {share:.0%} of the {level} regions in {LATEST}"


def test_city_has_its_indicators_in_the_last_two_years(demo, catalog):
    kota = demo.values.loc[demo.values["region"] == "17.71"]
    for code in catalog.indicators:
        if "kota" not in wanted_levels(catalog, code) or code == "SG-PP-02":  # turnout: election years only
            continue
        vals = indicator_values(demo, catalog, code)
        years = set(vals.loc[vals["region"] == "17.71", "year"])
        assert LATEST in years and LATEST - 1 in years, code
    assert set(kota["year"]) == set(range(2019, 2025))


def test_values_stay_within_natural_bounds(demo, catalog):
    for code in catalog.indicators:
        row = catalog.node(code)
        vals = indicator_values(demo, catalog, code)["value"]
        assert len(vals), code
        if not np.isnan(row["lower"]):
            assert vals.min() >= row["lower"], f"{code} below {row['lower']}"
            assert vals.max() <= row["upper"], f"{code} above {row['upper']}"
        if row["unit"] in {"%", "0-100"} and code not in {"SE-IN-01", "SE-WE-05"}:
            assert vals.between(0, 100).all(), code
    variables = demo.values.loc[demo.values["indicator"].str.startswith("VAR-")]
    assert (variables["value"] >= 0).all()


@pytest.mark.parametrize("seed", [1, 99])
def test_other_seeds_also_stay_in_bounds(seed, catalog):
    other = generate_demo("17.71", seed=seed, boundaries=None)
    for code in catalog.indicators:
        row = catalog.node(code)
        if np.isnan(row["lower"]):
            continue
        vals = indicator_values(other, catalog, code)["value"]
        assert vals.between(row["lower"], row["upper"]).all(), (seed, code)


def test_waste_reduced_and_handled_never_exceed_what_was_generated(demo):
    kota = demo.values.loc[demo.values["region"] == "17.71"].pivot_table(
        index="year", columns="indicator", values="value"
    )
    total = kota["VAR-WASTE-HANDLED"] + kota["VAR-WASTE-REDUCED"]
    assert (total.dropna() <= kota["VAR-WASTE-GENERATED"].reindex(total.dropna().index)).all()


# ---------------------------------------------------------------------------- believable structure
def test_population_adds_up_from_kelurahan_to_city(demo):
    pop = demo.values.loc[demo.values["indicator"] == "VAR-POP"]
    parent = dict(zip(demo.regions["code"], demo.regions["parent"], strict=True))
    levels = level_of(demo)
    by = pop.assign(level=pop["region"].map(levels), parent=pop["region"].map(parent))
    kel = by.loc[by["level"] == "kelurahan"].groupby(["parent", "year"])["value"].sum()
    kec = by.loc[by["level"] == "kecamatan"].set_index(["region", "year"])["value"]
    pd.testing.assert_series_equal(kel.sort_index(), kec.sort_index(), check_names=False)
    city = by.loc[by["level"] == "kota"].set_index("year")["value"]
    assert (by.loc[by["level"] == "kecamatan"].groupby("year")["value"].sum() == city).all()
    assert city[LATEST] == 394_192  # BPS mid-2024 estimate
    assert (city.diff().dropna() > 0).all()  # growing
    assert by.loc[by["level"] == "kelurahan", "region"].nunique() == 67


def test_kecamatan_share_is_the_population_weighted_mean_of_its_kelurahan(demo):
    # SL-HE-01 from counts: kecamatan/city prevalence = summed stunted / summed measured
    vals = demo.values.set_index(["region", "indicator", "year"])["value"]
    levels = level_of(demo)
    kel = [c for c, lv in levels.items() if lv == "kelurahan"]
    stunted = vals.xs("VAR-TODDLERS-STUNTED", level="indicator")
    measured = vals.xs("VAR-TODDLERS-MEASURED", level="indicator")
    for year in range(2019, 2025):
        s = stunted.loc[[(k, year) for k in kel if (k, year) in stunted.index]]
        m = measured.loc[[(k, year) for k in kel if (k, year) in measured.index]]
        if len(s) == len(kel) and len(m) == len(kel):  # no gap this year
            assert s.sum() == stunted[("17.71", year)]
            assert m.sum() == measured[("17.71", year)]


def test_central_kecamatan_score_better_than_the_periphery(demo, catalog):
    from indicators.engine import score

    result = score(demo.values, catalog, regions=demo.regions)
    ikc = result.scores.loc[(result.scores["code"] == "IKC") & (result.scores["year"] == LATEST)]
    ikc = ikc.set_index("region")["score"]
    central = ikc[["17.71.03", "17.71.07"]]  # Teluk Segara, Ratu Samban
    periphery = ikc[["17.71.01", "17.71.05"]]  # Selebar, Kampung Melayu
    assert central.min() > periphery.max()
    assert ikc["17.71.04"] < central.min()  # Muara Bangka Hulu


def test_things_improve_over_the_years(demo, catalog):
    for code in ("SL-HA-02", "SV-WA-02", "SE-IN-04", "SL-HE-01", "SS-SE-02"):
        city = indicator_values(demo, catalog, code)
        city = city.loc[city["region"] == "17.71"].set_index("year")["value"]
        first = city[city.index.min()]
        better = city[LATEST] > first if catalog.node(code)["direction"] == "higher" else city[LATEST] < first
        assert better, code
    growth = indicator_values(demo, catalog, "SE-IN-01").set_index("year")["value"]
    assert growth[2020] < 0 < growth[2022]  # the COVID-19 dip
    assert 2019 not in growth.index  # no year before the first to compare with


def test_a_few_gaps_and_late_starts(demo, catalog):
    vals = demo.values
    levels = level_of(demo)
    observed = set(OBSERVATION_RULES) | {"SL-MO-01", "VAR-WIFI-ACTIVE"}
    expected = present = 0
    for (code, level), sub in vals.assign(level=vals["region"].map(levels)).groupby(["indicator", "level"]):
        if code in observed or code.startswith("VAR-VOTE"):
            continue
        n_regions = sum(1 for lv in levels.values() if lv == level)
        expected += n_regions * sub["year"].nunique()
        present += len(sub)
    missing = 1 - present / expected
    assert 0.01 < missing < 0.06
    for code in ("SS-SE-02", "VAR-DATASETS", "VAR-WIFI-ACTIVE"):
        assert vals.loc[vals["indicator"] == code, "year"].min() == 2021, code
    assert set(vals.loc[vals["indicator"] == "VAR-VOTES-CAST", "year"]) <= {2019, 2020, 2024}  # elections


# ---------------------------------------------------------------------------- field observations
@needs_boundaries
def test_points_lie_inside_their_kelurahan(demo):
    import geopandas as gpd
    import shapely

    obs = demo.observations
    assert 300 <= len(obs) <= 2500
    assert list(obs.columns) == OBSERVATION_COLUMNS
    polygons = gpd.read_file(KELURAHAN_GEOJSON).set_index("kode").geometry
    shapes = polygons.reindex(obs["kelurahan"]).to_numpy()
    inside = shapely.contains_xy(shapes, obs["lon"].to_numpy(), obs["lat"].to_numpy())
    assert inside.all(), obs.loc[~inside, ["obs_id", "kelurahan", "lat", "lon"]].head()
    assert (obs["kecamatan"] == obs["kelurahan"].str[:8]).all()
    assert set(obs["asset_type"]) >= {r.asset_type for r in OBSERVATION_RULES.values()} | {"WIFI", "HALTE"}
    assert (pd.to_datetime(obs["obs_datetime"]).dt.year == LATEST).all()
    assert obs["obs_id"].is_unique


@needs_boundaries
def test_observation_values_agree_with_the_points(demo):
    obs = demo.observations
    # by hand: street lights working and lit at night, whole city
    pju = obs.loc[obs["asset_type"] == "PJU"]
    by_hand = ((pju["status"] == "berfungsi") & (pju["menyala_malam"] == "Y")).mean() * 100
    vals = demo.values.set_index(["region", "indicator", "year"])["value"]
    assert vals[("17.71", "SS-SE-02", LATEST)] == pytest.approx(by_hand, abs=0.006)
    wifi = ((obs["asset_type"] == "WIFI") & (obs["status"] == "berfungsi")).sum()
    assert vals[("17.71", "VAR-WIFI-ACTIVE", LATEST)] == wifi
    # every observation value of the latest year equals the rule applied to the points
    recomputed = observation_values(obs, demo.regions).set_index(["region", "indicator", "year"])["value"]
    shared = recomputed.index.intersection(vals.index)
    assert len(shared) > 500
    np.testing.assert_allclose(vals[shared].to_numpy(), recomputed[shared].to_numpy(), atol=0.006)


@needs_boundaries
def test_point_statuses_follow_development(demo):
    obs = demo.observations
    ok = OBSERVATION_RULES["SS-SE-02"].measure(obs.loc[obs["asset_type"] == "PJU"]) > 0
    kec = obs.loc[obs["asset_type"] == "PJU", "kecamatan"].to_numpy()
    share = pd.Series(ok).groupby(kec).mean()
    assert share[["17.71.03", "17.71.07"]].mean() > share[["17.71.01", "17.71.05"]].mean()


# ---------------------------------------------------------------------------- other cities, files
def test_works_for_another_city_without_boundaries(catalog):
    depok = generate_demo("32.76", boundaries=KELURAHAN_GEOJSON)  # Bengkulu's polygons do not fit Depok
    assert depok.meta["points_placed"] is False
    assert depok.observations.empty
    assert list(depok.observations.columns) == OBSERVATION_COLUMNS
    assert depok.values["region"].str.startswith("32.76").all()
    assert set(depok.values["region"]) <= set(depok.regions["code"])
    assert depok.regions.loc[depok.regions["code"] == "32.76", "name"].item() == "Kota Depok"
    levels = level_of(depok)
    for code in catalog.indicators:
        vals = indicator_values(depok, catalog, code)
        have = {levels[r] for r in vals.loc[vals["year"] == LATEST, "region"]}
        assert wanted_levels(catalog, code) <= have, code
    kel_obs = depok.values.loc[(depok.values["indicator"] == "SS-SE-02") & (depok.values["region"].str.len() > 8)]
    assert kel_obs["region"].nunique() > 50  # observation indicators exist even without points


def test_refuses_a_code_that_is_not_a_kota():
    with pytest.raises(ValueError, match="kota/kabupaten"):
        generate_demo("17", boundaries=None)


def test_write_demo_files_read_back(tmp_path, demo):
    paths = write_demo(tmp_path / "demo", demo)
    values = pd.read_csv(paths["values"], dtype={"region": str})
    assert len(values) == len(demo.values)
    np.testing.assert_allclose(values["value"].to_numpy(), demo.values["value"].to_numpy())
    header = paths["observations"].read_text(encoding="utf-8").splitlines()[0]
    assert header.split(",") == OBSERVATION_COLUMNS
    text = paths["values"].read_text(encoding="utf-8")
    assert "data contoh (sintetis)" in text and "394192.0" in text  # ISO numbers, no thousands separator
    if len(demo.observations):
        assert f"{LATEST}-" in paths["observations"].read_text(encoding="utf-8").splitlines()[1]
