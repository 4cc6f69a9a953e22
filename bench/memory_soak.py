"""Resident memory over 1,000 distinct filter changes (AppTest, one session): caches must keep it flat.

python bench/memory_soak.py [--events 1000000] [--changes 1000]"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--changes", type=int, default=1000)
    args = parser.parse_args()
    folder = Path(os.environ.get("TRENDS_BENCH_DIR", "/tmp/trends-bench")) / f"syn-{args.events}"
    if not (folder / "attacks.parquet").is_file():
        subprocess.run([sys.executable, "-m", "trends", "synth", "--events", str(args.events), "--out", str(folder),
                        "--parquet"], cwd=ROOT, check=True)
    os.environ["TRENDS_DATA_DIR"] = str(folder)
    sys.path.insert(0, str(ROOT))
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300).run()
    provinces = at.session_state["f_domain"].provinces
    print("| changes | RSS MB | seconds |\n|---|---|---|")
    print(f"| 0 | {rss_mb():.0f} | 0 |", flush=True)
    start = time.perf_counter()
    for i in range(1, args.changes + 1):
        # Every change is a new view: a sliding date range, and a province every other time.
        first = dt.date(2012, 1, 1) + dt.timedelta(days=3 * i)
        at.sidebar.date_input(key="f_dates").set_value((first, first + dt.timedelta(days=400 + i % 97)))
        at.sidebar.multiselect(key="f_provinces").set_value([provinces[i % len(provinces)]] if i % 2 else [])
        at.run()
        assert not at.exception, at.exception
        if i % 100 == 0:
            print(f"| {i} | {rss_mb():.0f} | {time.perf_counter() - start:.0f} |", flush=True)


if __name__ == "__main__":
    main()
