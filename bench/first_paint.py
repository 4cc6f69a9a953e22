"""First paint of the default Overview against a bare Streamlit page drawing as many Plotly charts, alternating.

A third page draws the Overview's own charts and nothing else: how close the Overview could come to the bare page
with its figures as they are and no filters, numbers or text (the floor of the ratio)."""

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
FIGURES = '''"""The default Overview's own charts, built as the page builds them, with nothing else on the page."""
import sys
sys.path.insert(0, {root!r})
import streamlit as st
from components.common import plotly_config
from trends.filters import FilterSpec
from trends.dataset.loading import data_dir, load_dataset
from trends.pages.view_charts import build_view
from trends.engines.open import engine_of


@st.cache_resource
def charts():
    dataset = load_dataset(data_dir())
    engine = engine_of(dataset)
    view = build_view(dataset, FilterSpec.from_params({{}}, dataset.view_domain(engine)), engine)
    return {{c.key: c for c in view.charts}}


built = charts()
for name in {names!r}:
    st.plotly_chart(built[name].figure, config=plotly_config(name), key=f"chart_{{name}}", width="stretch")
'''
# The Overview keys each chart "chart_<name>", and Streamlit puts the key in the element's classes.
CHART_NAMES = """() => [...document.querySelectorAll('[data-testid=stPlotlyChart]')].map(e =>
    [...e.closest('[data-testid=stElementContainer]').classList].find(c => c.startsWith('st-key-chart_')).slice(13))"""
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
            names = page.evaluate(CHART_NAMES)
            charts = len(names)
            page.close()
            folder = Path(tempfile.mkdtemp())
            (folder / "bare.py").write_text(BARE.format(n=charts))
            (folder / "figures.py").write_text(FIGURES.format(root=str(ROOT), names=names))
            others = {name: start_server(folder / f"{name}.py", env) for name in ("figures", "bare")}
            urls = {"overview": ours, **{name: f"http://127.0.0.1:{port}/" for name, (_, port) in others.items()}}
            try:
                for url in urls.values():  # warm each once
                    paint(browser, url, charts)
                times = {name: [] for name in urls}
                for _ in range(args.runs):
                    for name, url in urls.items():
                        times[name].append(paint(browser, url, charts))
            finally:
                for server, _ in others.values():
                    server.terminate()
        finally:
            app.terminate()
        browser.close()
    bare = statistics.median(times["bare"])
    print(f"charts: {charts} ({', '.join(names)})")
    for name, values in times.items():
        print(f"{name}: " + ", ".join(f"{v:.2f}" for v in values) + f" (median {statistics.median(values):.2f} s)")
    for name in ("overview", "figures"):
        print(f"{name} / bare, ratio of medians: {statistics.median(times[name]) / bare:.2f}")


if __name__ == "__main__":
    main()
