"""The one writer of attacks.parquet, for imports and synthetic datasets: typed columns in shareable row groups."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from trends.contract import vocab
from trends.dataset.loading import PARQUET_ROW_GROUP

_TYPES = {"date": pa.date32(), "end_date": pa.date32(), "toll_date": pa.date32(), "latitude": pa.float64(),
          "longitude": pa.float64(), "killed": pa.int64(), "wounded": pa.int64(), "killed_low": pa.int64(),
          "killed_high": pa.int64(), "attackers_killed": pa.int64()}
SCHEMA = pa.schema([(c, _TYPES.get(c, pa.string())) for c in vocab.ATTACK_COLUMNS])


def arrow_table(attacks: pd.DataFrame) -> pa.Table:
    """The dataset's attack columns as Arrow, in the contract's order and types (dates without a time)."""
    columns = []
    for name in vocab.ATTACK_COLUMNS:
        # A column the frame lacks (a synthetic set has no reports) is written blank.
        values = attacks[name] if name in attacks else pd.Series(None, index=attacks.index, dtype=object)
        if SCHEMA.field(name).type == pa.date32():
            columns.append(pa.array(pd.to_datetime(values), type=pa.timestamp("ns")).cast(pa.date32()))
        elif SCHEMA.field(name).type == pa.int64():
            columns.append(pa.array(values.astype("Int64"), type=pa.int64()))
        elif SCHEMA.field(name).type == pa.float64():
            columns.append(pa.array(values.astype("float64"), type=pa.float64()))
        else:
            columns.append(pa.array(values.astype("object").where(values.notna(), None), type=pa.string()))
    return pa.Table.from_arrays(columns, schema=SCHEMA)


class AttacksParquet:
    """attacks.parquet written a frame at a time, so ten million events never sit in memory at once. Row groups
    of PARQUET_ROW_GROUP rows: DuckDB reads one group per thread."""

    def __init__(self, path: Path):
        self._writer = pq.ParquetWriter(path, SCHEMA, compression="zstd")

    def write(self, attacks: pd.DataFrame) -> None:
        self._writer.write_table(arrow_table(attacks), row_group_size=PARQUET_ROW_GROUP)

    def close(self) -> None:
        self._writer.close()

    def __enter__(self) -> AttacksParquet:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def write_attacks_parquet(attacks: pd.DataFrame, path: Path) -> None:
    with AttacksParquet(path) as out:
        out.write(attacks)
