"""Smart Living (Kehidupan Cerdas): derived indicators.

Elements: Harmonisasi (SL-HA, spatial harmony and basic services: water, sanitation, slums,
drainage), Kesehatan (SL-HE, health) and Mobilitas (SL-MO, mobility and road safety).

Household shares are computed from household counts and rates per 100,000 from event counts, so a
kecamatan or city value is the sum of its kelurahan counts over the sum of their denominators.
"""

from __future__ import annotations

import numpy as np

from indicators.derived import Inputs, derived, ratio


@derived("living.drinking_water_share", inputs=("VAR-HH-WATER", "VAR-HH"))
def drinking_water_share(v: Inputs) -> np.ndarray:
    """Households with improved (layak) drinking water (SL-HA-01), in %.

    ``VAR-HH-WATER / VAR-HH x 100``: households whose main drinking-water source is improved (piped,
    protected well or spring, bottled with an improved source for other uses: the BPS/SDG 6.1
    definition) over all households.
    """
    return ratio(v["VAR-HH-WATER"], v["VAR-HH"], 100.0)


@derived("living.sanitation_share", inputs=("VAR-HH-SANITATION", "VAR-HH"))
def sanitation_share(v: Inputs) -> np.ndarray:
    """Households with improved (layak) sanitation (SL-HA-02), in %.

    ``VAR-HH-SANITATION / VAR-HH x 100``: households with their own or a shared improved toilet and
    a septic tank or sewer (BPS/SDG 6.2 definition) over all households. Counts come from Dinkes
    STBM records per kelurahan, which add up to the city.
    """
    return ratio(v["VAR-HH-SANITATION"], v["VAR-HH"], 100.0)


@derived("living.slum_area_share", inputs=("VAR-SLUM-AREA", "VAR-AREA"))
def slum_area_share(v: Inputs) -> np.ndarray:
    """Slum-area share of the region's area (SL-HA-03), in %.

    ``VAR-SLUM-AREA [ha] / (VAR-AREA [km2] x 100 ha/km2) x 100``, which simplifies to
    ``VAR-SLUM-AREA / VAR-AREA``. Slum areas are listed in hectares in the mayor's slum decree (SK
    Kumuh) while region areas are in km2; the conversion is part of the formula so neither source
    has to be converted by hand.
    """
    return ratio(v["VAR-SLUM-AREA"], v["VAR-AREA"])


@derived("living.stunting_prevalence", inputs=("VAR-TODDLERS-STUNTED", "VAR-TODDLERS-MEASURED"))
def stunting_prevalence(v: Inputs) -> np.ndarray:
    """Prevalence of stunting among children under five (SL-HE-01), in %.

    ``VAR-TODDLERS-STUNTED / VAR-TODDLERS-MEASURED x 100`` from the e-PPGBM weighing records of the
    posyandu: children under five whose height-for-age is below -2 SD over all children measured.
    Using the measured children (not all children) as denominator is how e-PPGBM reports it.
    """
    return ratio(v["VAR-TODDLERS-STUNTED"], v["VAR-TODDLERS-MEASURED"], 100.0)


@derived("living.jkn_coverage", inputs=("VAR-JKN-MEMBERS", "VAR-POP"))
def jkn_coverage(v: Inputs) -> np.ndarray:
    """Health-insurance (JKN) coverage (SL-HE-02), in % of residents.

    ``VAR-JKN-MEMBERS / VAR-POP x 100``: BPJS Kesehatan members registered in the region over the
    mid-year population (the UHC measure). Registrations can exceed residents where people register
    away from home; values above 100 are kept, not cut, so the data problem stays visible.
    """
    return ratio(v["VAR-JKN-MEMBERS"], v["VAR-POP"], 100.0)


@derived("living.physicians_per_100k", inputs=("VAR-PHYSICIANS", "VAR-POP"))
def physicians_per_100k(v: Inputs) -> np.ndarray:
    """Physicians per 100,000 residents (SL-HE-03).

    ``VAR-PHYSICIANS / VAR-POP x 100,000``: general practitioners and specialists practising in the
    region (Dinas Kesehatan's register) over the mid-year population; ISO 37120 and U4SSC use the same
    rate, so a city can compare itself abroad.
    """
    return ratio(v["VAR-PHYSICIANS"], v["VAR-POP"], 100_000.0)


@derived("living.traffic_deaths_per_100k", inputs=("VAR-TRAFFIC-DEATHS", "VAR-POP"))
def traffic_deaths_per_100k(v: Inputs) -> np.ndarray:
    """Road-traffic deaths per 100,000 residents (SL-MO-02), per year.

    ``VAR-TRAFFIC-DEATHS / VAR-POP x 100,000`` from police crash records (IRSMS); the SDG 3.6.1 rate.
    A rate rather than a count so that population growth does not read as worsening safety.
    """
    return ratio(v["VAR-TRAFFIC-DEATHS"], v["VAR-POP"], 100_000.0)
