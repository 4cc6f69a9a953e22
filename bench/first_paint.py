"""First paint of the default Overview against a bare Streamlit page drawing as many Plotly charts, alternating."""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.scale_bench import APPS, start_server  # noqa: E402  (the servers the other benchmarks start)

BARE = '''"""SYNTHETIC baseline: a bare Streamlit page with {n} Plotly charts of 200 points each."""
import numpy as np
import plotly.graph_objects as go
import streamlit as st

st.title("Bare page")
x = np.arange(200)
for i in range({n}):
    st.plotly_chart(go.Figure(go.Scatter(x=x, y=np.sin(x / (i + 3)))), key=f"c{{i}}")
'''
READY = """n => document.querySelector('[data-testid=stApp]')?.dataset.testScriptState === 'notRunning'
    && [...document.querySelectorAll('.js-plotly-plot')].filter(p => p._fullLayout).length >= n"""


def paint(browser, url: str, charts: int) -> float:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    start = time.perf_counter()
    page.goto(url, wait_until="commit")
    page.wait_for_function(READY, arg=charts, timeout=120_000, polling=50)
    took = time.perf_counter() - start
    context.close()
    return took


def main() -> None:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"])
        env = {k: v for k, v in os.environ.items() if not k.startswith("TRENDS_")}
        app, app_port = start_server(APPS["ours"], env)
        ours = f"http://127.0.0.1:{app_port}/"
        try:
            # How many charts the default Overview draws: the bare page draws as many.
            page = browser.new_page()
            page.goto(ours)
            page.wait_for_function(READY, arg=1, timeout=120_000)
            page.wait_for_timeout(3000)
            charts = page.evaluate("() => document.querySelectorAll('[data-testid=stPlotlyChart]').length")
            page.close()
            folder = Path(tempfile.mkdtemp())
            (folder / "bare.py").write_text(BARE.format(n=charts))
            bare, bare_port = start_server(folder / "bare.py", env)
            theirs = f"http://127.0.0.1:{bare_port}/"
            try:
                paint(browser, theirs, charts)  # warm both once
                times = {"overview": [], "bare": []}
                for _ in range(args.runs):
                    times["overview"].append(paint(browser, ours, charts))
                    times["bare"].append(paint(browser, theirs, charts))
            finally:
                bare.terminate()
        finally:
            app.terminate()
        browser.close()
    o, b = statistics.median(times["overview"]), statistics.median(times["bare"])
    print(f"charts: {charts}")
    for name, values in times.items():
        print(f"{name}: " + ", ".join(f"{v:.2f}" for v in values) + f" (median {statistics.median(values):.2f} s)")
    print(f"ratio of medians: {o / b:.2f}")


if __name__ == "__main__":
    main()
