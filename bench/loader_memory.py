"""Peak memory and time of validating a large attacks.csv (default 200 MB, SYNTHETIC rows).

python bench/loader_memory.py [--mb 200]"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mb", type=int, default=200)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from trends.dataset.synth import write_synthetic

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "ds"
        rows = 10_000
        write_synthetic(folder, rows, parquet=False)
        per_row = (folder / "attacks.csv").stat().st_size / rows
        rows = int(args.mb * 1e6 / per_row)
        shutil.rmtree(folder)
        write_synthetic(folder, rows, parquet=False)
        size = (folder / "attacks.csv").stat().st_size / 1e6
        t = time.perf_counter()
        pid = os.fork() if hasattr(os, "fork") else None
        if pid == 0:
            os.execv(sys.executable, [sys.executable, "-m", "trends", "validate", str(folder)])
        _, status, usage = os.wait4(pid, 0)
        wall = time.perf_counter() - t
        print("| file MB | rows | exit | wall s | peak RSS MB |\n|---|---|---|---|---|")
        print(f"| {size:.0f} | {rows:,} | {os.waitstatus_to_exitcode(status)} | {wall:.1f} | {usage.ru_maxrss / 1024:.0f} |")


if __name__ == "__main__":
    os.chdir(ROOT)
    main()
