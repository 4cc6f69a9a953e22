"""The bundled data before and after a change, side by side: first paint and repaint in Chromium.

python bench/span_bench.py --baseline /path/to/old/checkout [--rounds 5]
Each round starts a fresh server of each checkout on its own bundled data (alternating, so a slow spell hits
both), loads the Overview until its charts are laid out, then picks five years in the sidebar's Period menu and
times each repaint. Prints a Markdown table of medians and the ratio of this checkout to the baseline."""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scale_bench import start_server  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
YEARS = ("2016", "2017", "2018", "2019", "2020")  # inside both spans


def serve(tree: Path) -> tuple[subprocess.Popen, int]:
    """A checkout's server as `make run` starts it, on its own data/, once its health check answers."""
    env = {k: v for k, v in os.environ.items() if k != "TRENDS_DATA_DIR"}
    return start_server(tree / "app.py", env, root=tree)


def _pick(page, year: str) -> float:
    """Seconds from picking `year` in the Period menu to the repainted page. The menu is redrawn once more after a
    pick (its choice follows the dates), so a click can land on the menu being replaced: then it is picked again,
    and only the pick that took is timed."""
    shown = f"1 January {year} to 31 December {year}"
    for _ in range(3):
        page.get_by_test_id("stSidebar").get_by_test_id("stSelectbox").filter(
            has=page.get_by_text("Period", exact=True)).click()
        t = time.perf_counter()
        page.get_by_role("option", name=year, exact=True).click()
        try:
            page.wait_for_function(
                "t => document.body.innerText.includes(t) && document.querySelector('[data-testid=stApp]')"
                ".dataset.testScriptState === 'notRunning'", arg=shown, timeout=15_000)
        except Exception:  # the pick did not take
            continue
        page.wait_for_function("() => [...document.querySelectorAll('.js-plotly-plot')].every(p => p._fullLayout)",
                               timeout=300_000)
        return time.perf_counter() - t
    raise RuntimeError(f"picking {year} did not take three times")


def measure(browser, tree: Path) -> tuple[float, list[float]]:
    server, port = serve(tree)
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        idle = "() => document.querySelector('[data-testid=stApp]')?.dataset.testScriptState === 'notRunning'"
        laid = "() => [...document.querySelectorAll('.js-plotly-plot')].filter(p => p._fullLayout).length >= 3"
        t = time.perf_counter()
        page.goto(f"http://127.0.0.1:{port}/", timeout=300_000, wait_until="domcontentloaded")
        page.wait_for_function(idle, timeout=300_000)
        page.wait_for_function(laid, timeout=300_000)
        first = time.perf_counter() - t
        repaints = []
        for year in YEARS:
            repaints.append(_pick(page, year))
        page.close()
        return first, repaints
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", required=True, type=Path, help="a checkout of the build to compare with")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    builds = {"baseline": args.baseline.resolve(), "this": ROOT}
    found = {name: {"first": [], "repaint": []} for name in builds}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
        for _ in range(args.rounds):
            for name, tree in builds.items():
                first, repaints = measure(browser, tree)
                found[name]["first"].append(first)
                found[name]["repaint"].append(statistics.median(repaints))
                print(name, f"first {first:.2f} s, repaint median {statistics.median(repaints):.2f} s", flush=True)
        browser.close()
    print("\n| build | first paint s (runs) | median | repaint s (median of each run's 5) | median |")
    print("|---|---|---:|---|---:|")
    for name, r in found.items():
        print(f"| {name} | {', '.join(f'{x:.2f}' for x in r['first'])} | {statistics.median(r['first']):.2f} | "
              f"{', '.join(f'{x:.2f}' for x in r['repaint'])} | {statistics.median(r['repaint']):.2f} |")
    ratio = {k: statistics.median(found["this"][k]) / statistics.median(found["baseline"][k]) for k in ("first", "repaint")}
    print(f"\nthis / baseline: first paint {ratio['first']:.2f}x, repaint {ratio['repaint']:.2f}x")


if __name__ == "__main__":
    main()
