"""Province surge alerts on SYNTHETIC counts: false-alarm rate on null data and power on planted 2x, 3x, 4x surges."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.test_alerts import simulate  # noqa: E402  (the same generator the tests use)
from trends.analysis.alerts import surge_test  # noqa: E402

RUNS, PROVINCES = 1000, 34


def main() -> None:
    rng = np.random.default_rng(1)
    print("| data | daily rate per province | runs | provinces tested | flagged | rate |")
    print("|---|---:|---:|---:|---:|---:|")
    for rate in (0.1, 0.5, 1.0):
        flagged = tested = 0
        for _ in range(RUNS):
            recent, before = simulate(rng, PROVINCES, rate)
            table = surge_test(recent, before, 28, 364)
            tested += len(table)
            flagged += int(table["flagged"].sum())
        print(f"| null | {rate} | {RUNS} | {tested:,} | {flagged} | {flagged / tested:.4%} |")
    for rate in (0.1, 0.5, 1.0):
        for surge in (2.0, 3.0, 4.0):
            found = 0
            for _ in range(RUNS):
                recent, before = simulate(rng, PROVINCES, rate, surge=surge)
                found += bool(surge_test(recent, before, 28, 364).set_index("province").loc["P00", "flagged"])
            print(f"| {surge:g}x surge in one province | {rate} | {RUNS} | {RUNS:,} | {found} | {found / RUNS:.1%} |")


if __name__ == "__main__":
    main()
