"""What an upload would change in the store: new, changed (old -> new) or unchanged values."""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["PREVIEW_COLUMNS", "change_preview"]

PREVIEW_COLUMNS = ["region", "indicator", "year", "value", "old_value", "old_dataset_id", "status"]
_KEYS = ["region", "indicator", "year"]


def change_preview(records: pd.DataFrame, stored: pd.DataFrame) -> pd.DataFrame:
    """Compare uploaded ``records`` with the ``stored`` active values.

    ``records`` needs ``region, indicator, year, value``; ``stored`` needs the same plus
    ``dataset_id``. Returns one row per uploaded value with ``old_value``, ``old_dataset_id`` and
    ``status`` = ``new`` | ``changed`` | ``unchanged`` (equal within 1e-9 relative), in upload order.
    Stored values the upload does not mention are not listed: an upload never deletes.
    """
    new = records[[*_KEYS, "value"]].copy()
    new["year"] = new["year"].astype("int64")
    if stored is None or len(stored) == 0:
        old = pd.DataFrame({"region": [], "indicator": [], "year": [], "old_value": [], "old_dataset_id": []})
        old = old.astype({"region": "str", "indicator": "str", "year": "int64", "old_value": "float64"})
    else:
        old = stored[_KEYS + ["value"] + (["dataset_id"] if "dataset_id" in stored else [])].copy()
        old = old.rename(columns={"value": "old_value", "dataset_id": "old_dataset_id"})
        if "old_dataset_id" not in old:
            old["old_dataset_id"] = None
        old["year"] = old["year"].astype("int64")
        old = old.drop_duplicates(_KEYS, keep="last")
    out = new.merge(old, on=_KEYS, how="left", sort=False)
    has_old = out["old_value"].notna().to_numpy()
    same = np.isclose(out["value"].to_numpy(dtype=float), out["old_value"].to_numpy(dtype=float), rtol=1e-9, atol=0.0)
    out["status"] = np.where(~has_old, "new", np.where(same, "unchanged", "changed"))
    return out[PREVIEW_COLUMNS].reset_index(drop=True)
