"""Scale benchmark: the dashboard against the naive build, side by side, on synthetic Parquet datasets.

python bench/scale_bench.py [--sizes 10000 100000 1000000 10000000] [--browser] [--naive-max 1000000]
Prints a Markdown table; paste it into BENCHMARKS.md with the machine and the date."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = {"ours": ROOT / "app.py", "naive": ROOT / "bench" / "naive_app.py"}
EXPECTED_TEXT = {"ours": "1 January {year} to 31 December {year}", "naive": "{year}-01-01 to {year}-12-31"}
CACHE = Path(os.environ.get("TRENDS_BENCH_DIR", "/tmp/trends-bench"))


def dataset(n: int) -> Path:
    folder = CACHE / f"syn-{n}"
    if not (folder / "attacks.parquet").is_file():
        subprocess.run([sys.executable, "-m", "trends", "synth", "--events", str(n), "--out", str(folder),
                        "--parquet"], cwd=ROOT, check=True)
    return folder


def spans(k: int) -> list[tuple[dt.date, dt.date]]:
    """k distinct date ranges, so every rerun is a cache miss."""
    return [(dt.date(2012, 3, 1) + dt.timedelta(days=41 * i), dt.date(2020, 6, 30) - dt.timedelta(days=17 * i))
            for i in range(k)]


def worker(app: str, folder: str, reruns: int) -> dict:
    """One app, one dataset, in this fresh process: first run, then reruns after date changes."""
    os.environ["TRENDS_DATA_DIR"] = folder
    sys.path.insert(0, str(ROOT))
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(APPS[app]), default_timeout=900)
    t = time.perf_counter()
    at.run()
    first = time.perf_counter() - t
    times, sizes = [], []
    for start, end in spans(reruns):
        at.sidebar.date_input[0].set_value((start, end))
        t = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - t)
        sizes.append(sum(len(c.proto.SerializeToString()) for c in at.get("plotly_chart")))
    errors = [e.value for e in at.exception]
    return {"first_s": first, "rerun_ms": [x * 1000 for x in times], "bytes": sizes, "errors": errors,
            "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def headless(app: str, folder: Path, reruns: int) -> dict:
    out = subprocess.run([sys.executable, __file__, "--worker", app, "--folder", str(folder), "--reruns",
                          str(reruns)], capture_output=True, text=True, cwd=ROOT)
    if out.returncode:
        return {"error": out.stderr.strip().splitlines()[-1] if out.stderr.strip() else "failed"}
    return json.loads(out.stdout.strip().splitlines()[-1])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(script: Path, env: dict, root: Path = ROOT) -> tuple[subprocess.Popen, int]:
    """The app's server on a free loopback port, returned once its health check answers (or 60 s pass).
    The dashboard (`app.py` of the checkout at `root`) starts as `make run` starts it (components/serve.py); other
    scripts with `streamlit run`."""
    import urllib.request

    port = free_port()
    start = ["-m", "components.serve"] if script == root / "app.py" else ["-m", "streamlit", "run", str(script)]
    server = subprocess.Popen([sys.executable, *start, "--server.port", str(port), "--server.address", "127.0.0.1",
                               "--server.headless", "true"], cwd=root, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(300):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1)
            break
        except OSError:
            time.sleep(0.2)
    return server, port


def browser(app: str, folder: Path, changes: int, first_year: int = 2013) -> dict:
    """Real Chromium: first paint, then time from a period change to repainted charts."""
    from playwright.sync_api import sync_playwright

    server, port = start_server(APPS[app], {**os.environ, "TRENDS_DATA_DIR": str(folder)})
    try:
        with sync_playwright() as p:
            b = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
            page = b.new_page(viewport={"width": 1400, "height": 1000})
            idle = "[data-testid=stApp][data-test-script-state=notRunning]"
            t = time.perf_counter()
            page.goto(f"http://127.0.0.1:{port}/", timeout=900_000, wait_until="domcontentloaded")
            page.wait_for_selector(idle, timeout=900_000)
            page.wait_for_selector(".js-plotly-plot .main-svg", state="attached", timeout=900_000)
            first = time.perf_counter() - t
            years = [str(y) for y in range(first_year, first_year + changes)]
            times = []
            for year in years:
                page.get_by_test_id("stSidebar").get_by_test_id("stSelectbox").filter(
                    has=page.get_by_text("Period", exact=True)).click()
                t = time.perf_counter()
                page.get_by_role("option", name=year, exact=True).click()
                # Done when the page names the new range, the script is idle and every plot is laid out.
                shown = EXPECTED_TEXT[app].format(year=year)
                page.wait_for_function(
                    "t => document.body.innerText.includes(t) && document.querySelector('[data-testid=stApp]')"
                    ".dataset.testScriptState === 'notRunning'", arg=shown, timeout=900_000)
                page.wait_for_function("() => [...document.querySelectorAll('.js-plotly-plot')]"
                                       ".every(p => p._fullLayout)", timeout=900_000)
                times.append(time.perf_counter() - t)
            b.close()
        rss = _rss_mb(server.pid)
        return {"first_paint_s": first, "repaint_s": times, "server_rss_mb": rss}
    finally:
        server.terminate()
        server.wait(timeout=30)


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000, 10_000_000])
    parser.add_argument("--reruns", type=int, default=9)
    parser.add_argument("--naive-max", type=int, default=1_000_000, help="largest size the naive build runs at")
    parser.add_argument("--browser", action="store_true", help="also measure in Chromium")
    parser.add_argument("--browser-max", type=int, default=1_000_000)
    parser.add_argument("--worker"), parser.add_argument("--folder")
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.folder, args.reruns)))
        return
    print("| events | build | first run s | rerun ms (median) | chart bytes per rerun | peak RSS MB | "
          "first paint s | repaint s (median) | rerun vs naive | bytes vs naive |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for n in args.sizes:
        folder = dataset(n)
        results = {}
        for app in ("naive", "ours"):
            if app == "naive" and n > args.naive_max:
                continue
            r = headless(app, folder, args.reruns)
            if args.browser and n <= args.browser_max:
                r.update(browser(app, folder, 5))
            results[app] = r
        naive = results.get("naive", {})
        for app, r in results.items():
            if "error" in r:
                print(f"| {n:,} | {app} | failed: {r['error']} |||||||")
                continue
            rerun = statistics.median(r["rerun_ms"])
            size = statistics.median(r["bytes"])
            ratio = bytes_ratio = ""
            if app == "ours" and naive and "rerun_ms" in naive:
                ratio = f"{statistics.median(naive['rerun_ms']) / rerun:.0f}x faster"
                bytes_ratio = f"{statistics.median(naive['bytes']) / size:.0f}x smaller"
            paint = f"{r['first_paint_s']:.1f}" if "first_paint_s" in r else ""
            repaint = f"{statistics.median(r['repaint_s']):.2f}" if "repaint_s" in r else ""
            print(f"| {n:,} | {app} | {r['first_s']:.1f} | {rerun:.0f} | {size / 1e6:.2f} MB | "
                  f"{r['maxrss_mb']:.0f} | {paint} | {repaint} | {ratio} | {bytes_ratio} |", flush=True)


if __name__ == "__main__":
    main()
