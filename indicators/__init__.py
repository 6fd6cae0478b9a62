"""Domain core of Dasbor Kota Cerdas: catalog tree, derived indicators, scoring engine and the
tools that read scores (status, trends, strengths). Never imports Streamlit."""

from indicators.catalog import Catalog, catalog_from_frame, default_catalog, read_catalog
from indicators.problems import Problem, ProblemsError

__all__ = ["Catalog", "Problem", "ProblemsError", "catalog_from_frame", "default_catalog", "read_catalog"]
