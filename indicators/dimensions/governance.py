"""Smart Governance (Tata Kelola Cerdas): derived indicators.

Elements: Pelayanan Publik (SG-PS, public service), Birokrasi (SG-BR, bureaucracy / e-government)
and Kebijakan Publik (SG-PP, public policy: open data, participation, planning).

The shares below are computed from the counts agencies actually keep (service inventories, Satu
Data listings, KPU tallies, Musrenbang records) rather than typed in as percentages, so kecamatan
and city values stay consistent with their kelurahan (sums of counts, not means of shares).
"""

from __future__ import annotations

import numpy as np

from indicators.derived import Inputs, derived, ratio


@derived("governance.online_service_share", inputs=("VAR-SERVICES-ONLINE", "VAR-SERVICES"))
def online_service_share(v: Inputs) -> np.ndarray:
    """Share of public services requestable online (SG-PS-02), in %.

    ``VAR-SERVICES-ONLINE / VAR-SERVICES x 100``: services in the SPBE service inventory that can be
    requested end-to-end online, over all services the city offers. Computed from the inventory
    counts so that a growing catalogue of services does not hide a stagnating online share.
    """
    return ratio(v["VAR-SERVICES-ONLINE"], v["VAR-SERVICES"], 100.0)


@derived("governance.open_data_share", inputs=("VAR-DATASETS-OPEN", "VAR-DATASETS"))
def open_data_share(v: Inputs) -> np.ndarray:
    """Share of Satu Data datasets that are open (SG-PP-01), in %.

    ``VAR-DATASETS-OPEN / VAR-DATASETS x 100``: datasets published openly on the Satu Data portal
    over all datasets in the city's data list (Perpres 39/2019). The count of listed datasets is kept
    as its own variable because it grows too, and the ratio is what an expert compares.
    """
    return ratio(v["VAR-DATASETS-OPEN"], v["VAR-DATASETS"], 100.0)


@derived("governance.voter_turnout", inputs=("VAR-VOTES-CAST", "VAR-VOTERS"))
def voter_turnout(v: Inputs) -> np.ndarray:
    """Voter turnout (SG-PP-02), in %.

    ``VAR-VOTES-CAST / VAR-VOTERS x 100``: voters who cast a ballot over the final voter list (DPT)
    of the election held that year. KPU publishes both counts per TPS, so the turnout of a kecamatan
    or the city is the sum of votes over the sum of registered voters, never a mean of kelurahan
    percentages. Years without an election have no value.
    """
    return ratio(v["VAR-VOTES-CAST"], v["VAR-VOTERS"], 100.0)


@derived("governance.musrenbang_adoption", inputs=("VAR-MUSRENBANG-ADOPTED", "VAR-MUSRENBANG-PROPOSED"))
def musrenbang_adoption(v: Inputs) -> np.ndarray:
    """Share of kelurahan Musrenbang proposals adopted in the RKPD (SG-PP-03), in %.

    ``VAR-MUSRENBANG-ADOPTED / VAR-MUSRENBANG-PROPOSED x 100`` from the SIPD records of one planning
    cycle. It measures whether citizens' bottom-up proposals reach the budget, the point of the
    participatory planning process.
    """
    return ratio(v["VAR-MUSRENBANG-ADOPTED"], v["VAR-MUSRENBANG-PROPOSED"], 100.0)
