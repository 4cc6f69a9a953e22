"""Concurrent real sessions against one server: each changes filters in Chromium for a fixed time.

python bench/load_test.py [--sessions 10 25] [--seconds 120] [--events 0]
(--events 0 serves the bundled data; N > 0 a SYNTHETIC Parquet dataset of N events). Only 127.0.0.1 is used."""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from scale_bench import start_server  # noqa: E402  (a sibling script, not a package)
IDLE = "[data-testid=stApp][data-test-script-state=notRunning]"


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def session(browser, url: str, until: float, seed: int, latencies: list, errors: list) -> None:
    rng = random.Random(seed)
    context = await browser.new_context(viewport={"width": 1300, "height": 900})
    page = await context.new_page()
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        try:
            await page.goto(url, wait_until="domcontentloaded", timeout=120_000)
            await page.wait_for_selector("[data-testid=stMetric]", timeout=120_000)
        except Exception as err:  # a session that never loads is an error of the run, not a crash of it
            errors.append(f"first load: {err}"[:120])
            return
        while time.monotonic() < until:
            year = str(rng.randint(2015, 2021))
            box = page.get_by_test_id("stSidebar").get_by_test_id("stSelectbox").filter(
                has=page.get_by_text("Period", exact=True))
            try:
                await box.click(timeout=60_000)
                started = time.monotonic()
                await page.get_by_role("option", name=year, exact=True).click(timeout=60_000)
            except Exception as err:
                errors.append(f"click: {err}"[:120])
                continue
            try:
                await page.wait_for_function(
                    "y => document.body.innerText.includes('1 January ' + y) && document.querySelector("
                    "'[data-testid=stApp]').dataset.testScriptState === 'notRunning'", arg=year, timeout=60_000)
                latencies.append(time.monotonic() - started)
            except Exception as err:  # a timeout is a failed change, counted and reported
                errors.append(f"timeout: {err}"[:120])
            if await page.get_by_test_id("stException").count():
                errors.append("exception box on page")
    finally:
        await context.close()


async def run(url: str, sessions: int, seconds: int) -> tuple[list, list]:
    from playwright.async_api import async_playwright

    latencies: list[float] = []
    errors: list[str] = []
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path="/usr/bin/chromium", args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        until = time.monotonic() + seconds
        await asyncio.gather(*(session(browser, url, until, i, latencies, errors) for i in range(sessions)))
        await browser.close()
    return latencies, errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sessions", type=int, nargs="+", default=[10, 25])
    parser.add_argument("--seconds", type=int, default=120)
    parser.add_argument("--events", type=int, default=0)
    args = parser.parse_args()
    env = dict(os.environ)
    if args.events:
        folder = Path(os.environ.get("TRENDS_BENCH_DIR", "/tmp/trends-bench")) / f"syn-{args.events}"
        if not (folder / "attacks.parquet").is_file():
            subprocess.run([sys.executable, "-m", "trends", "synth", "--events", str(args.events), "--out",
                            str(folder), "--parquet"], cwd=ROOT, check=True)
        env["TRENDS_DATA_DIR"] = str(folder)
    print("| sessions | seconds | changes | p50 s | p95 s | errors | server RSS before MB | after MB |")
    print("|---|---|---|---|---|---|---|---|")
    for n in args.sessions:
        server, port = start_server(ROOT / "app.py", env)
        try:
            before = rss_mb(server.pid)
            latencies, errors = asyncio.run(run(f"http://127.0.0.1:{port}/", n, args.seconds))
            after = rss_mb(server.pid)
            q = statistics.quantiles(latencies, n=20) if len(latencies) >= 2 else [float("nan")] * 19
            p50 = statistics.median(latencies) if latencies else float("nan")
            print(f"| {n} | {args.seconds} | {len(latencies)} | {p50:.2f} | {q[18]:.2f} | "
                  f"{len(errors)} | {before:.0f} | {after:.0f} |", flush=True)
            for e in errors[:5]:
                print(f"  error: {e}")
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
