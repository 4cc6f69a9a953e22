"""What both query engines share: the columns they aggregate and the Summary they answer with."""

from __future__ import annotations

from dataclasses import dataclass

from trends.contract.fields import COLUMNS
from trends.engines.queries import Totals

FACT_COLUMNS = ("event_id", "date", *COLUMNS, "killed", "wounded", "latitude", "longitude")


@dataclass(frozen=True)
class Summary:
    """Everything the overview draws for one view: totals, trends by each split, breakdowns."""

    totals: Totals
    trend: dict
    breakdown: dict
    located: int = 0

