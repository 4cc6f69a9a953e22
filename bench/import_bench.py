"""Time `python -m trends import ucdp` on a synthetic GED-layout file: wall time and the child's peak memory."""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from trends.importers.ucdp import COLUMNS  # noqa: E402

PROVINCES = ("Kabul province", "Hilmand province", "Kandahar province", "Nangarhar province", "Ghazni province",
             "Kunduz province", "Faryab province", "Hirat province", "Balkh province", "Uruzgan province", "")
SIDES = (("Government of Afghanistan", "Taleban", "1"), ("Taleban", "Civilians", "3"), ("IS", "Civilians", "3"),
         ("IS", "Taleban", "2"), ("Government of Afghanistan", "IS", "1"))


def write_synthetic(path: Path, rows: int, faults: bool = False, seed: int = 7) -> None:
    """Rows in GED's 49-column layout; every source_article says SYNTHETIC, so none can pass for real data.

    With `faults`, every 1000th row has a non-numeric best and every 10000th lacks a field, so the run takes
    the slower path that leaves misshapen records out before pandas parses the file.
    """
    rng = np.random.default_rng(seed)
    days = np.datetime64("2015-01-01") + rng.integers(0, 2400, rows)
    span = rng.integers(0, 3, rows)
    province = rng.integers(0, len(PROVINCES), rows)
    side = rng.integers(0, len(SIDES), rows)
    best = rng.integers(0, 40, rows)
    lat = np.round(rng.uniform(30.5, 37.5, rows), 4)
    lon = np.round(rng.uniform(61.0, 71.0, rows), 4)
    where = rng.integers(1, 8, rows)
    date_prec = rng.integers(1, 6, rows)
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh, lineterminator="\n")
        out.writerow(COLUMNS)
        position = {c: i for i, c in enumerate(COLUMNS)}
        for i in range(rows):
            a, b, violence = SIDES[side[i]]
            row = [""] * len(COLUMNS)
            values = {
                "id": str(100000 + i), "relid": f"SYN-{i}", "year": str(days[i])[:4], "active_year": "1",
                "code_status": "Clear", "type_of_violence": violence, "conflict_name": "SYNTHETIC conflict",
                "dyad_name": f"{a} - {b}", "side_a": a, "side_b": b, "number_of_sources": "1",
                "source_article": f'SYNTHETIC benchmark row {i}, not a real event; "Wire, {days[i]}"',
                "where_prec": str(where[i]), "where_coordinates": "SYNTHETIC place", "adm_1": PROVINCES[province[i]],
                "latitude": str(lat[i]), "longitude": str(lon[i]), "geom_wkt": f"POINT ({lon[i]} {lat[i]})",
                "country": "Afghanistan", "country_id": "700", "region": "Asia", "event_clarity": "1",
                "date_prec": str(date_prec[i]), "date_start": f"{days[i]} 00:00:00.000",
                "date_end": f"{days[i] + span[i]} 00:00:00.000", "best": str(best[i]), "low": str(best[i]),
                "high": str(best[i] + span[i]), "gwnoa": "700",
            }
            for key, value in values.items():
                row[position[key]] = value
            if faults and i % 1000 == 999:
                row[position["best"]] = "unknown"
            if faults and i % 10000 == 9999:
                row.pop()
            out.writerow(row)


def run_import(source: Path, out: Path) -> tuple[float, float, str]:
    """Wall seconds, the child's own peak resident MiB (os.wait4 gives its rusage alone), and its summary line."""
    log = out.with_suffix(".log")
    with log.open("w") as err, tempfile.TemporaryFile("w+") as summary:
        start = time.perf_counter()
        child = subprocess.Popen([sys.executable, "-m", "trends", "import", "ucdp", str(source), "--out", str(out)],
                                 cwd=ROOT, stdout=summary, stderr=err)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        summary.seek(0)
        last = summary.read().strip().splitlines()[-1:]
    if child.returncode != 0:
        raise SystemExit(f"import failed ({child.returncode}): {log.read_text()[-800:]}")
    return wall, usage.ru_maxrss / 1024, last[0] if last else ""  # ru_maxrss is KiB on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, nargs="+", default=[300_000])
    parser.add_argument("--faults", action="store_true", help="add rows the importer must reject")
    args = parser.parse_args()
    print(f"{'rows':>9} | {'file MB':>7} | {'wall s':>6} | {'peak RSS MiB':>12} | summary")
    print(f"{'-' * 9}-+-{'-' * 7}-+-{'-' * 6}-+-{'-' * 12}-+--------")
    with tempfile.TemporaryDirectory(prefix="import-bench-") as tmp:
        for rows in sorted(args.rows):
            source = Path(tmp) / f"ged_synthetic_{rows}.csv"
            write_synthetic(source, rows, args.faults)
            wall, peak, summary = run_import(source, Path(tmp) / f"out_{rows}")
            size = source.stat().st_size / 1e6
            print(f"{rows:>9} | {size:>7.1f} | {wall:>6.1f} | {peak:>12.0f} | {summary}", flush=True)


if __name__ == "__main__":
    main()
