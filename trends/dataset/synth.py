"""Synthetic dataset folders for benchmarks and tests; every generated attack row says SYNTHETIC."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd

from trends.contract import vocab
from trends.dataset.loading import DEFAULT_DATA_DIR
from trends.dataset.parquet_out import AttacksParquet

PERPETRATORS = ("Taliban", "Islamic State Khorasan Province", "Haqqani Network", "Unknown",
                "Afghan government forces", "US forces")
PERPETRATOR_WEIGHTS = (0.45, 0.15, 0.05, 0.25, 0.07, 0.03)
FIRST, LAST = pd.Timestamp("2012-01-01"), pd.Timestamp("2021-12-31")
CHUNK = 1_000_000


def synthetic_attacks(n: int, provinces: pd.DataFrame, seed: int = 0, first_id: int = 0) -> pd.DataFrame:
    """n SYNTHETIC events scattered around the gazetteer's capitals, with realistic gaps in the counts."""
    rng = np.random.default_rng(seed)
    located = provinces.dropna(subset=["latitude", "longitude"]).reset_index(drop=True)
    pick = rng.integers(0, len(located), n)
    days = (LAST - FIRST).days + 1
    killed = rng.geometric(0.25, n).astype("float64") - 1
    killed[rng.random(n) < 0.10] = np.nan  # unreported tolls, never 0 for unknown
    wounded = rng.geometric(0.15, n).astype("float64") - 1
    wounded[rng.random(n) < 0.25] = np.nan
    lat = located["latitude"].to_numpy()[pick] + rng.normal(0, 0.25, n)
    lon = located["longitude"].to_numpy()[pick] + rng.normal(0, 0.25, n)
    no_point = rng.random(n) < 0.15
    lat[no_point] = np.nan
    lon[no_point] = np.nan
    return pd.DataFrame({
        "event_id": pd.Series(np.arange(first_id, first_id + n)).map("syn-{}".format),
        "date": FIRST + pd.to_timedelta(rng.integers(0, days, n), unit="D"),
        "end_date": pd.NaT,
        "date_precision": "day",
        "province": located["province"].to_numpy()[pick],
        "district": None,
        "location": None,
        "latitude": lat.round(4),
        "longitude": lon.round(4),
        "geo_precision": np.where(no_point, "province", "district"),
        "perpetrator": rng.choice(PERPETRATORS, n, p=PERPETRATOR_WEIGHTS),
        "perpetrator_basis": rng.choice(vocab.PERPETRATOR_BASES, n),
        "attack_type": rng.choice(vocab.ATTACK_TYPES, n),
        "target": rng.choice(vocab.TARGETS, n),
        "killed": pd.array(killed, dtype="Int64"),
        "wounded": pd.array(wounded, dtype="Int64"),
        "killed_low": pd.array([None] * n, dtype="Int64"),
        "killed_high": pd.array([None] * n, dtype="Int64"),
        "source": "SYNTHETIC",
        "source_url": "https://example.org/synthetic",
        "notes": "SYNTHETIC row for benchmarks and tests; not a real event.",
    })


def write_synthetic(out: Path, n: int, parquet: bool, seed: int = 0) -> Path:
    """A complete SYNTHETIC dataset folder: synthetic attacks, the bundled gazetteer and meetings."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    provinces = pd.read_csv(DEFAULT_DATA_DIR / "provinces.csv")
    shutil.copy(DEFAULT_DATA_DIR / "provinces.csv", out / "provinces.csv")
    shutil.copy(DEFAULT_DATA_DIR / "meetings.csv", out / "meetings.csv")
    (out / "casualties.csv").write_text(",".join(vocab.CASUALTY_COLUMNS) + "\n", encoding="utf-8")
    for stale in ("attacks.csv", "attacks.parquet"):
        (out / stale).unlink(missing_ok=True)
    # Made a million rows at a time, so ten million never sit in memory at once.
    writer = AttacksParquet(out / "attacks.parquet") if parquet else None
    for i, first in enumerate(range(0, n, CHUNK)):
        chunk = synthetic_attacks(min(CHUNK, n - first), provinces, seed + i, first_id=first)
        if writer:
            writer.write(chunk)
        else:
            chunk.to_csv(out / "attacks.csv", index=False, date_format="%Y-%m-%d", mode="a", header=first == 0)
    if writer:
        writer.close()
    (out / "datapackage.json").write_text(json.dumps({
        "name": "synthetic", "title": f"SYNTHETIC benchmark dataset ({n:,} events)", "version": "0",
        "description": "SYNTHETIC attacks for benchmarks and tests only: not real events. Gazetteer and "
                       "meetings are copied from the curated dataset.",
        "licenses": [{"name": "CC0-1.0", "title": "CC0 (synthetic)"}],
    }, indent=2), encoding="utf-8")
    return out
