"""What both query engines share: the columns they aggregate, the Summary they answer with, and their choice."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .fields import COLUMNS
from .queries import Totals

FACT_COLUMNS = ("event_id", "date", *COLUMNS, "killed", "wounded", "latitude", "longitude")


@dataclass(frozen=True)
class Summary:
    """Everything the overview draws for one view: totals, trends by each split, breakdowns."""

    totals: Totals
    trend: dict
    breakdown: dict
    located: int = 0


def open_engine(frame: pd.DataFrame, parquet: Path | None):
    """DuckDB over a large Parquet import, pandas over a loaded frame."""
    if parquet:
        from .duck_engine import DuckEvents

        return DuckEvents(parquet)
    from .pandas_engine import PandasEvents

    return PandasEvents(frame)
