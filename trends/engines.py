"""The choice of query engine for a dataset: DuckDB over a large Parquet import, pandas over a loaded frame."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .duck_engine import DuckEvents
from .pandas_engine import PandasEvents


def open_engine(frame: pd.DataFrame, parquet: Path | None):
    """DuckDB over a large Parquet import, pandas over a loaded frame."""
    return DuckEvents(parquet) if parquet else PandasEvents(frame)
