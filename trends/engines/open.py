"""The choice of query engine for a dataset: DuckDB over a large Parquet import, pandas over a loaded frame."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from trends.engines.duck_engine import DuckEvents
from trends.engines.pandas_engine import PandasEvents


def open_engine(frame: pd.DataFrame, parquet: Path | None):
    """DuckDB over a large Parquet import, pandas over a loaded frame."""
    return DuckEvents(parquet) if parquet else PandasEvents(frame)


def engine_of(dataset):
    """The query engine of a loaded dataset folder (trends.dataset.loading.Dataset)."""
    return open_engine(dataset.attacks, dataset.attacks_parquet)
