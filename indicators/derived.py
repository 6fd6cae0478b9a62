"""Registry of derived indicators: indicators computed from raw variables.

A derived indicator (physicians per 100,000 residents, GRDP growth ...) is a small named function in
the module of its dimension (``indicators/dimensions/*.py``). The catalog refers to it by name in
its ``derivation`` column; the function declares which variable codes it needs, and the catalog
validator checks that those variables exist as ``level = variable`` rows. The engine computes every
derived indicator on the region x year matrix before normalisation, so derivations are vectorised
numpy expressions, never row loops.

A directly reported value always wins over a derived one (a published figure is the better source);
derived values only fill the gaps, and are marked ``origin = derived``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

__all__ = ["REGISTRY", "Derivation", "Inputs", "derived", "get_derivation", "ratio"]


class Inputs:
    """Variable values aligned with the engine's region-year rows, plus panel helpers.

    ``inputs["VAR-POP"]`` is a float array (NaN where missing); ``inputs.lag("VAR-X")`` is the same
    region's value one year earlier (NaN when that year is absent), for growth rates.
    """

    def __init__(self, columns: dict[str, np.ndarray], lag_index: np.ndarray | None):
        self._columns = columns
        self._lag_index = lag_index

    def __getitem__(self, code: str) -> np.ndarray:
        return self._columns[code]

    def __contains__(self, code: str) -> bool:
        return code in self._columns

    def lag(self, code: str) -> np.ndarray:
        """Value of ``code`` for the same region in the previous year (NaN when not available)."""
        values = self._columns[code]
        if self._lag_index is None:
            return np.full_like(values, np.nan)
        out = np.full_like(values, np.nan)
        has = self._lag_index >= 0
        out[has] = values[self._lag_index[has]]
        return out


@dataclass(frozen=True)
class Derivation:
    """A registered derived indicator."""

    name: str
    inputs: tuple[str, ...]
    func: Callable[[Inputs], np.ndarray]
    doc: str
    dimension: str

    def compute(self, inputs: Inputs) -> np.ndarray:
        with np.errstate(divide="ignore", invalid="ignore"):
            out = np.asarray(self.func(inputs), dtype=float)
        out[~np.isfinite(out)] = np.nan
        return out


REGISTRY: dict[str, Derivation] = {}


def derived(name: str, inputs: tuple[str, ...] | list[str]) -> Callable:
    """Register ``func`` as the derivation ``name`` needing variable codes ``inputs``.

    The function's docstring is the documentation shown in the Metodologi page.
    """

    def decorator(func: Callable[[Inputs], np.ndarray]) -> Callable[[Inputs], np.ndarray]:
        if name in REGISTRY:
            raise ValueError(f"derivation {name!r} registered twice")
        module = func.__module__.rsplit(".", 1)[-1]
        REGISTRY[name] = Derivation(
            name=name,
            inputs=tuple(inputs),
            func=func,
            doc=(func.__doc__ or "").strip(),
            dimension=module,
        )
        return func

    return decorator


def ratio(numerator: np.ndarray, denominator: np.ndarray, scale: float = 1.0) -> np.ndarray:
    """``numerator / denominator * scale``; NaN where the denominator is missing or not positive."""
    num = np.asarray(numerator, dtype=float)
    den = np.asarray(denominator, dtype=float)
    out = np.full(np.broadcast(num, den).shape, np.nan)
    ok = np.isfinite(num) & np.isfinite(den) & (den > 0)
    out[ok] = num[ok] / den[ok] * scale
    return out


def get_derivation(name: str) -> Derivation | None:
    """Look up a derivation, importing the dimension modules that register them."""
    from indicators import dimensions  # noqa: F401  (registers on import)

    return REGISTRY.get(name)
