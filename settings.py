"""Deployment settings, read from environment variables with safe defaults.

One place for paths and limits so the CLI, the app and the tests agree. Every value can be set
with an environment variable (shown in the README's configuration table).
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent

#: SQLAlchemy URL of the store. Default: a SQLite file under ``var/`` created on first start.
DB_URL: str = os.environ.get("DASBOR_DB_URL", f"sqlite:///{ROOT / 'var' / 'dasbor.sqlite'}")

#: The region (Kemendagri code) the dashboard is about; any kota/kabupaten works.
CITY_CODE: str = os.environ.get("DASBOR_CITY", "17.71")

#: Kelurahan boundaries for the demo/map (read in place, never copied into the repository).
BOUNDARIES_PATH: Path = Path(
    os.environ.get(
        "DASBOR_BOUNDARIES", ROOT.parent / "shared" / "data" / "boundaries" / "kota_bengkulu_kelurahan.geojson"
    )
)

#: Load the synthetic demo data set into an empty store at start ("0" to start empty).
LOAD_DEMO: bool = os.environ.get("DASBOR_DEMO", "1") not in {"0", "false", "no"}

#: Largest upload accepted, in megabytes (the app also sets Streamlit's per-widget limit).
MAX_UPLOAD_MB: int = int(os.environ.get("DASBOR_MAX_UPLOAD_MB", "50"))


#: Hostile-file limits checked before any spreadsheet parser runs (see loaders/safety.py).
MAX_CELLS: int = int(os.environ.get("DASBOR_MAX_CELLS", "5000000"))
MAX_UNCOMPRESSED_MB: int = int(os.environ.get("DASBOR_MAX_UNCOMPRESSED_MB", "300"))


def db_url() -> str:
    """The store URL now (tests change the environment after import)."""
    return os.environ.get("DASBOR_DB_URL", DB_URL)
