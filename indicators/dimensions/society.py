"""Smart Society (Masyarakat Cerdas): derived indicators.

Elements: Komunitas (SS-CO, community: internet use, public wifi, gender, information groups),
Ekosistem Belajar (SS-LE, learning ecosystem) and Keamanan (SS-SE, security and emergencies).

Public wifi is counted in the field (points with lat/lon) and crimes in police records; both are
scored per resident so dense and sparse kelurahan compare fairly.
"""

from __future__ import annotations

import numpy as np

from indicators.derived import Inputs, derived, ratio


@derived("society.wifi_per_10k", inputs=("VAR-WIFI-ACTIVE", "VAR-POP"))
def wifi_per_10k(v: Inputs) -> np.ndarray:
    """Active public wifi points per 10,000 residents (SS-CO-02).

    ``VAR-WIFI-ACTIVE / VAR-POP x 10,000``: wifi points found working in the field survey (asset
    type WIFI, status berfungsi) over the mid-year population. The count comes from observation
    points joined to kelurahan, so it adds up to kecamatan and city.
    """
    return ratio(v["VAR-WIFI-ACTIVE"], v["VAR-POP"], 10_000.0)


@derived("society.crime_rate_per_100k", inputs=("VAR-CRIMES", "VAR-POP"))
def crime_rate_per_100k(v: Inputs) -> np.ndarray:
    """Reported crimes per 100,000 residents (SS-SE-01), per year.

    ``VAR-CRIMES / VAR-POP x 100,000`` with all crimes reported to the Polresta/Polsek in the year
    ("crime total" in BPS tables). A rate, as BPS publishes it ("angka kejahatan per 100.000
    penduduk"), so population growth does not read as rising crime.
    """
    return ratio(v["VAR-CRIMES"], v["VAR-POP"], 100_000.0)
