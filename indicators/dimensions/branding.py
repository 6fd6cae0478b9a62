"""Smart Branding (Branding Kota Cerdas): derived indicators.

Elements: Branding Pariwisata (SB-TO, tourism), Branding Bisnis (SB-BB, business climate) and
Branding Wajah Kota (SB-CA, city appearance: signage, clean and shaded public space, Adipura).

Tourism and investment totals grow with the city, so they are scored per resident to compare
cities and years of different size.
"""

from __future__ import annotations

import numpy as np

from indicators.derived import Inputs, derived, ratio


@derived("branding.tourist_visits_per_1000", inputs=("VAR-TOURIST-VISITS", "VAR-POP"))
def tourist_visits_per_1000(v: Inputs) -> np.ndarray:
    """Tourist visits per 1,000 residents (SB-TO-01), visits per year.

    ``VAR-TOURIST-VISITS / VAR-POP x 1,000``: domestic and foreign visits counted by the tourism
    office in a year, over the mid-year population. Per resident so that a large city does not look
    attractive merely for being large.
    """
    return ratio(v["VAR-TOURIST-VISITS"], v["VAR-POP"], 1_000.0)


@derived("branding.investment_per_capita", inputs=("VAR-INVESTMENT", "VAR-POP"))
def investment_per_capita(v: Inputs) -> np.ndarray:
    """Realised investment (PMA + PMDN) per capita (SB-BB-01), Rp per resident.

    ``VAR-INVESTMENT / VAR-POP`` with investment in Rp (foreign investment converted to Rp by the
    Ministry of Investment's reports). Per capita, like GRDP per capita, so cities of any size
    compare.
    """
    return ratio(v["VAR-INVESTMENT"], v["VAR-POP"])
