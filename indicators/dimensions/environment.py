"""Smart Environment (Lingkungan Cerdas): derived indicators.

Elements: Proteksi Lingkungan (SV-PR, environmental protection: IKLH, air quality, green space),
Pengelolaan Sampah & Limbah (SV-WA, waste) and Manajemen Energi (SV-EN, energy).

Waste shares follow the Jakstranas accounting of SIPSN: every tonne generated is either reduced at
source (bank sampah, composting), handled (collected, transported, processed) or unmanaged, so
reduction and handling share one denominator, the waste generated.
"""

from __future__ import annotations

import numpy as np

from indicators.derived import Inputs, derived, ratio


@derived("environment.green_space_share", inputs=("VAR-GREEN-AREA", "VAR-AREA"))
def green_space_share(v: Inputs) -> np.ndarray:
    """Public green open space (RTH publik) share of the region's area (SV-PR-03), in %.

    ``VAR-GREEN-AREA [ha] / (VAR-AREA [km2] x 100 ha/km2) x 100``, which simplifies to
    ``VAR-GREEN-AREA / VAR-AREA``. UU 26/2007 art. 29 asks for at least 20% public RTH; RTH
    inventories list parks in hectares while region areas are in km2, hence the conversion.
    """
    return ratio(v["VAR-GREEN-AREA"], v["VAR-AREA"])


@derived("environment.waste_handled_share", inputs=("VAR-WASTE-HANDLED", "VAR-WASTE-GENERATED"))
def waste_handled_share(v: Inputs) -> np.ndarray:
    """Share of waste handled (SV-WA-01), in %.

    ``VAR-WASTE-HANDLED / VAR-WASTE-GENERATED x 100``, both in tonnes per year (SIPSN): waste
    sorted, collected, transported and processed or landfilled, over waste generated. Jakstranas
    (Perpres 97/2017) targets 70% handled by 2025.
    """
    return ratio(v["VAR-WASTE-HANDLED"], v["VAR-WASTE-GENERATED"], 100.0)


@derived("environment.waste_reduced_share", inputs=("VAR-WASTE-REDUCED", "VAR-WASTE-GENERATED"))
def waste_reduced_share(v: Inputs) -> np.ndarray:
    """Share of waste reduced at source (SV-WA-02), in %.

    ``VAR-WASTE-REDUCED / VAR-WASTE-GENERATED x 100``, tonnes per year: waste avoided, reused or
    recycled (bank sampah, composting, TPS3R) over waste generated. Jakstranas targets 30% by 2025;
    with the handled share it should not exceed 100%.
    """
    return ratio(v["VAR-WASTE-REDUCED"], v["VAR-WASTE-GENERATED"], 100.0)


@derived("environment.waste_collection_coverage", inputs=("VAR-HH-WASTE-SERVED", "VAR-HH"))
def waste_collection_coverage(v: Inputs) -> np.ndarray:
    """Waste-collection service coverage (SV-WA-03), in % of households.

    ``VAR-HH-WASTE-SERVED / VAR-HH x 100``: households whose waste is collected door to door or who
    live within reach of a served TPS, over all households (DLH service map checked against the
    field TPS survey). The Adipura 2025 criterion asks for more than 75%.
    """
    return ratio(v["VAR-HH-WASTE-SERVED"], v["VAR-HH"], 100.0)
