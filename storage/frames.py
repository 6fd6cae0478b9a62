"""Conversions between the tidy frames the loaders produce and rows of the store's tables.

Kept apart from the queries so the rules (what is required, how types are coerced, what goes into
``attributes``) are in one readable place.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import numpy as np
import pandas as pd

VALUE_REQUIRED = ("region", "indicator", "year", "value")
VALUE_OPTIONAL = ("unit", "source", "note", "sheet", "row", "n_observed")
KEY = ["region", "indicator", "year"]

#: Observation columns with a column of their own; any other column goes into ``attributes``.
OBS_COLUMNS = (
    "obs_id",
    "asset_type",
    "lat",
    "lon",
    "region",
    "kecamatan",
    "status",
    "condition",
    "obs_datetime",
    "surveyor",
    "notes",
    "photo_url",
    "sheet",
    "row",
)
#: Columns the store adds or that must not be copied from an input frame.
_OBS_SKIP = {"dataset_id", "id", "attributes", "geometry"}


def _missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def _text(value: Any) -> str | None:
    if _missing(value):
        return None
    text = str(value).strip()
    return text or None


def _int(value: Any) -> int | None:
    if _missing(value):
        return None
    return int(value)


def _float(value: Any) -> float | None:
    if _missing(value):
        return None
    number = float(value)
    return None if math.isnan(number) else number


def jsonable(value: Any) -> Any:
    """A JSON-safe copy of a cell (numpy scalars, timestamps, NaN -> plain Python / None)."""
    if _missing(value):
        return None
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating, float)):
        number = float(value)
        return None if math.isnan(number) or math.isinf(number) else number
    if isinstance(value, (np.bool_, bool)):
        return bool(value)
    if isinstance(value, (pd.Timestamp, dt.datetime, dt.date)):
        return value.isoformat()
    if isinstance(value, (int, str)):
        return value
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    return str(value)


def value_rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows for the ``values`` table from a tidy values frame.

    Rows without a value ("-", "...", empty in the file) are not stored: no data is the absence of
    a row, so it can never hide an older dataset's number. The same key twice with the same value
    is kept once; twice with different values is an error (the loaders report it with cells).
    """
    missing = [c for c in VALUE_REQUIRED if c not in frame.columns]
    if missing:
        raise ValueError(f"values frame lacks column(s) {missing}")
    data = frame.loc[:, [c for c in (*VALUE_REQUIRED, *VALUE_OPTIONAL) if c in frame.columns]].copy()
    data["value"] = pd.to_numeric(data["value"], errors="raise").astype("float64")
    data = data.loc[np.isfinite(data["value"].to_numpy())]
    if data[["region", "indicator", "year"]].isna().any().any():
        raise ValueError("values frame has rows without region, indicator or year")
    years = pd.to_numeric(data["year"], errors="raise")
    if (years != years.round()).any():
        raise ValueError("values frame has a year that is not a whole number")
    data["year"] = years.astype("int64")
    data["region"] = data["region"].astype(str).str.strip()
    data["indicator"] = data["indicator"].astype(str).str.strip()
    data = data.drop_duplicates(subset=[*KEY, "value"], keep="last")
    clash = data.duplicated(subset=KEY, keep=False)
    if clash.any():
        first = data.loc[clash, KEY].iloc[0].tolist()
        raise ValueError(f"values frame gives {int(clash.sum())} conflicting values for the same key, e.g. {first}")
    rows = []
    optional = [c for c in VALUE_OPTIONAL if c in data.columns]
    for record in data.to_dict("records"):
        row = {
            "region": record["region"],
            "indicator": record["indicator"],
            "year": int(record["year"]),
            "value": float(record["value"]),
        }
        for col in optional:
            row[col] = _int(record[col]) if col in {"row", "n_observed"} else _text(record[col])
        rows.append(row)
    return rows


def observation_rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows for the ``observations`` table: known columns as such, every other column in ``attributes``."""
    data = frame.copy()
    if "region" not in data.columns and "kelurahan" in data.columns:
        data = data.rename(columns={"kelurahan": "region"})
    extra = [c for c in data.columns if c not in OBS_COLUMNS and c not in _OBS_SKIP]
    rows = []
    for record in data.to_dict("records"):
        row: dict[str, Any] = {}
        for col in OBS_COLUMNS:
            value = record.get(col)
            if col in {"lat", "lon"}:
                row[col] = _float(value)
            elif col == "row":
                row[col] = _int(value)
            elif col == "obs_datetime":
                row[col] = None if _missing(value) else jsonable(value) if not isinstance(value, str) else _text(value)
            else:
                row[col] = _text(value)
        attrs = {str(c): jsonable(record[c]) for c in extra}
        if isinstance(record.get("attributes"), dict):
            attrs.update({str(k): jsonable(v) for k, v in record["attributes"].items()})
        row["attributes"] = attrs
        rows.append(row)
    return rows
