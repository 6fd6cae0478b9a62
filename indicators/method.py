"""Method settings: every choice an expert can change without touching the catalog file.

A :class:`Method` is a value (pydantic model, JSON round-trip) so that a named scenario is just a
stored ``Method`` plus an author and a time, and so that scores can be cached by
``(data version, catalog.version, method.version)``. Empty settings mean "as the catalog says".

Precedence for an indicator's normalisation: ``normalization_by[code]`` > ``normalization`` (a
global switch, e.g. "everything as z-scores") > the catalog's ``normalization`` column > ``auto``
(goalposts where the catalog gives both, otherwise min-max over the regions in scope). The same
pattern holds for aggregation on inner nodes, and weights/goalposts override catalog cells by code.
"""

from __future__ import annotations

import hashlib
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from indicators.catalog import AGGREGATIONS, NORMALIZATIONS

Normalization = Literal["auto", "goalposts", "minmax", "zscore", "percentile", "target"]
Aggregation = Literal["arithmetic", "geometric", "harmonic"]

DEFAULT_THRESHOLD = 2 / 3


class Goalposts(BaseModel):
    """Override of an indicator's goalposts/target (``None`` keeps the catalog's value)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    lower: float | None = None
    upper: float | None = None
    target: float | None = None
    tolerance: float | None = None


class Method(BaseModel):
    """The method settings of one scoring run (a scenario is a named, stored ``Method``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    normalization: Normalization | None = Field(
        None, description="Normalisation for every indicator (None: per catalog, auto)"
    )
    aggregation: Aggregation | None = Field(None, description="Aggregation for every inner node (None: per catalog)")
    normalization_by: dict[str, Normalization] = Field(default_factory=dict)
    aggregation_by: dict[str, Aggregation] = Field(default_factory=dict)
    weights: dict[str, float] = Field(default_factory=dict, description="Weight overrides by node code")
    goalposts: dict[str, Goalposts] = Field(default_factory=dict)
    threshold: float = Field(
        DEFAULT_THRESHOLD, ge=0.0, le=1.0, description="Share of children's weight that must have data"
    )
    minmax_scope: Literal["pooled", "per_year"] = Field(
        "pooled", description="Min-max/z-score/percentile over all years of a level (pooled) or per year"
    )
    imputation: Literal["none", "locf", "linear"] = Field(
        "none", description="Fill gaps within a region's series: last value carried forward, or linear"
    )
    geo_floor: float = Field(
        0.0,
        ge=0.0,
        lt=100.0,
        description="For geometric/harmonic means, rescale scores to [floor, 100] first (A2SIT uses 1); "
        "0 keeps the exact means, where a child scored 0 makes the parent 0",
    )
    exclude: tuple[str, ...] = Field(default=(), description="Nodes removed from the tree (sensitivity checks)")
    status_bands: tuple[float, float, float] = Field(
        (80.0, 60.0, 40.0), description="Score at or above which a node is green, yellow, orange (else red)"
    )
    target_year: int = Field(2030, ge=2000, le=2100, description="Year by which green should be reached (trends)")

    @field_validator("normalization_by")
    @classmethod
    def _known_normalizations(cls, value: dict[str, str]) -> dict[str, str]:
        for code, method in value.items():
            if method not in NORMALIZATIONS:
                raise ValueError(f"unknown normalization {method!r} for {code}")
        return value

    @field_validator("aggregation_by")
    @classmethod
    def _known_aggregations(cls, value: dict[str, str]) -> dict[str, str]:
        for code, method in value.items():
            if method not in AGGREGATIONS:
                raise ValueError(f"unknown aggregation {method!r} for {code}")
        return value

    @field_validator("weights")
    @classmethod
    def _non_negative(cls, value: dict[str, float]) -> dict[str, float]:
        for code, weight in value.items():
            if not weight >= 0:
                raise ValueError(f"weight of {code} must be >= 0")
        return value

    @property
    def version(self) -> str:
        """Stable hash of the settings: part of the score cache key."""
        return hashlib.sha256(self.model_dump_json().encode()).hexdigest()[:16]

    def to_json(self) -> str:
        return self.model_dump_json(indent=2)

    @classmethod
    def from_json(cls, text: str) -> Method:
        return cls.model_validate_json(text)
