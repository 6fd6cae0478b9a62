"""Smart Economy (Ekonomi Cerdas): derived indicators.

Elements: Ekosistem Industri (SE-IN, industry ecosystem: growth, output, manufacturing, MSMEs),
Kesejahteraan Masyarakat (SE-WE, welfare: poverty, jobs, inequality, HDI, inflation) and
Ekosistem Transaksi Keuangan (SE-TR, financial transactions: QRIS, inclusion, non-cash revenue).

GRDP indicators are computed from BPS's GRDP series (current and constant prices) the way BPS
computes them, so a user can upload the GRDP table once and get growth, per-capita output and the
manufacturing share consistently.
"""

from __future__ import annotations

import numpy as np

from indicators.derived import Inputs, derived, ratio


@derived("economy.grdp_growth", inputs=("VAR-GRDP-REAL",))
def grdp_growth(v: Inputs) -> np.ndarray:
    """Real GRDP growth (SE-IN-01), % per year.

    ``(VAR-GRDP-REAL / VAR-GRDP-REAL of the previous year - 1) x 100`` with GRDP at constant prices
    (ADHK), as BPS computes "laju pertumbuhan PDRB". Constant prices remove inflation, so the growth
    is real. The first year of a series has no value (no previous year to compare with).
    """
    x = v["VAR-GRDP-REAL"]
    return (ratio(x, v.lag("VAR-GRDP-REAL")) - 1.0) * 100.0


@derived("economy.grdp_per_capita", inputs=("VAR-GRDP", "VAR-POP"))
def grdp_per_capita(v: Inputs) -> np.ndarray:
    """GRDP per capita (SE-IN-02), Rp per resident per year.

    ``VAR-GRDP / VAR-POP`` with GRDP at current prices (ADHB) and the mid-year population, as BPS
    publishes "PDRB per kapita". Current prices because BPS's published per-capita figure uses them.
    """
    return ratio(v["VAR-GRDP"], v["VAR-POP"])


@derived("economy.manufacturing_share", inputs=("VAR-GRDP-MANUF", "VAR-GRDP"))
def manufacturing_share(v: Inputs) -> np.ndarray:
    """Manufacturing share of GRDP (SE-IN-03), in %.

    ``VAR-GRDP-MANUF / VAR-GRDP x 100``, both at current prices (BPS's "distribusi PDRB" uses current
    prices). It measures how much of the local economy is industry, the RPJMN's industrialisation
    benchmark (21% nationally).
    """
    return ratio(v["VAR-GRDP-MANUF"], v["VAR-GRDP"], 100.0)


@derived("economy.msme_per_1000", inputs=("VAR-MSME", "VAR-POP"))
def msme_per_1000(v: Inputs) -> np.ndarray:
    """Registered MSMEs (with an NIB business number) per 1,000 residents (SE-IN-04).

    ``VAR-MSME / VAR-POP x 1,000`` from OSS registrations by business address. Per 1,000 residents
    so kelurahan of different size compare; counts add up to kecamatan and city.
    """
    return ratio(v["VAR-MSME"], v["VAR-POP"], 1_000.0)


@derived("economy.noncash_revenue_share", inputs=("VAR-PAD-NONCASH", "VAR-PAD"))
def noncash_revenue_share(v: Inputs) -> np.ndarray:
    """Share of local taxes and levies paid electronically (SE-TR-03), in %.

    ``VAR-PAD-NONCASH / VAR-PAD x 100``: own-source revenue (pajak + retribusi daerah, Rp) received
    through non-cash channels (bank transfer, QRIS, virtual account, e-retribusi) over all of it, from
    Bapenda's ledger. Measured in rupiah rather than transactions because that is what the
    electronification programme (ETPD) reports.
    """
    return ratio(v["VAR-PAD-NONCASH"], v["VAR-PAD"], 100.0)
