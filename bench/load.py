"""Many readers at once, at the protocol level: N websocket sessions open together and each runs the page once."""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
USAGE = """examples:
  python bench/load.py --sessions 1 10 25 50 100 --pages default filtered
  python bench/load.py --sessions 1 10 25 50 100 --pages default --workers 0 2
  python bench/load.py --url http://127.0.0.1:8501/ --pid PID

Without --url a server is started on a free port for each --workers value, as `make run` (0) or
`make serve WORKERS=N` starts it; several values are started together and measured in turn. With --url,
--pid names the server process whose memory (with its children's) is polled."""
PAGES = {"default": "", "filtered": "start=2018-08-01&end=2018-09-30"}
SUCCESS = 0  # ForwardMsg.FINISHED_SUCCESSFULLY
EARLY_FOR_RERUN = 2  # the script asked for a rerun; the reader waits for the run that follows


@dataclass
class Session:
    seconds: float
    error: str | None = None


def stream_url(url: str) -> tuple[str, str]:
    """The websocket address of a server's page URL, and the Origin a browser on that page would send."""
    parts = urlsplit(url)
    scheme = "wss" if parts.scheme == "https" else "ws"
    base = parts.path.rstrip("/")
    return f"{scheme}://{parts.netloc}{base}/_stcore/stream", f"{parts.scheme}://{parts.netloc}"


async def _read_until_finished(ws) -> str | None:
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    exception = False
    while True:
        msg = ForwardMsg()
        msg.ParseFromString(await ws.recv())
        kind = msg.WhichOneof("type")
        if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            exception = exception or msg.delta.new_element.WhichOneof("type") == "exception"
        elif kind == "script_finished" and msg.script_finished != EARLY_FOR_RERUN:
            if msg.script_finished != SUCCESS:
                return f"finished with status {msg.script_finished}"
            return "exception on page" if exception else None
        # A ref_hash message stands for an element the browser said it had cached; this reader names no cached
        # message, so every element comes whole, and a ref_hash would be read past like any other message.


async def session(url: str, query: str, timeout: float) -> Session:
    """One reader: connect, ask for a run of the page with `query`, read until the run finishes."""
    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg

    address, origin = stream_url(url)
    started = time.monotonic()
    try:
        async with asyncio.timeout(timeout):
            # Like a browser: the Origin of the page, no protocol pings (Streamlit's client sends heartbeats on
            # its own schedule), and no limit on a message's size (the server caps them).
            async with websockets.connect(address, subprotocols=["streamlit"], origin=origin, max_size=None,
                                          ping_interval=None, open_timeout=None) as ws:
                msg = BackMsg()
                msg.rerun_script.query_string = query
                msg.rerun_script.page_script_hash = ""  # the default page, as a first visit asks for it
                await ws.send(msg.SerializeToString())
                error = await _read_until_finished(ws)
    except TimeoutError:
        error = f"timeout after {timeout:g} s"
    except (OSError, websockets.exceptions.WebSocketException) as err:
        error = f"{type(err).__name__}: {err}"[:160]
    return Session(time.monotonic() - started, error)


async def _burst(url: str, queries: list[str], timeout: float) -> list[Session]:
    return list(await asyncio.gather(*(session(url, query, timeout) for query in queries)))


def burst(url: str, queries: list[str], timeout: float = 300) -> list[Session]:
    """One reader per query string, all arriving at the same moment; each one's time runs from its connect to its
    script's end."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(_burst(url, queries, timeout))
    # The caller's thread already runs an event loop (Playwright's sync API keeps one), so the burst gets its own.
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, _burst(url, queries, timeout)).result()


def summary(sessions: list[Session]) -> dict:
    """p50, p95 and max over every session's time (a failed one counts with the time it took to fail)."""
    times = sorted(s.seconds for s in sessions)
    p95 = statistics.quantiles(times, n=20, method="inclusive")[18] if len(times) > 1 else times[0]
    failed = Counter(s.error for s in sessions if s.error is not None)
    return {"p50": statistics.median(times), "p95": p95, "max": times[-1], "errors": sum(failed.values()),
            "why": failed}


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            children.setdefault(int(stat.rsplit(")", 1)[1].split()[1]), []).append(int(entry.name))
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        todo.extend(children.get(p, []))
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


class RssPeak:
    """The largest tree RSS seen while the block runs, polled every 0.1 s on a thread."""

    def __init__(self, pid: int | None):
        self.pid, self.peak = pid, float("nan")
        self._stop = threading.Event()

    def _poll(self) -> None:
        while not self._stop.wait(0.1):
            self.peak = max(self.peak, tree_rss_mb(self.pid))

    def __enter__(self) -> RssPeak:
        if self.pid:
            self.peak = tree_rss_mb(self.pid)
            self._thread = threading.Thread(target=self._poll, daemon=True)
            self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        if self.pid:
            self._stop.set()
            self._thread.join()
            self.peak = max(self.peak, tree_rss_mb(self.pid))


def free_base(count: int) -> int:
    """A port such that it and the `count` ports after it are free on the loopback."""
    for base in range(20000 + os.getpid() % 20000, 60000, 97):
        try:
            for port in range(base, base + count + 1):
                with socket.socket() as s:
                    s.bind(("127.0.0.1", port))
            return base
        except OSError:
            continue
    raise RuntimeError("no free ports")


def start(workers: int, env: dict) -> tuple[subprocess.Popen, str, list[str]]:
    """The dashboard as `make run` (workers 0) or `make serve WORKERS=N` starts it, once it answers its health check;
    returns the process, the readers' URL and each Streamlit process's own URL."""
    port = free_base(workers)
    if workers:
        cmd = [sys.executable, "deploy/serve.py", "--workers", str(workers), "--port", str(port),
               "--address", "127.0.0.1"]
    else:
        cmd = [sys.executable, "-m", "components.serve", "--server.port", str(port), "--server.address", "127.0.0.1",
               "--server.headless", "true"]
    server = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline and server.poll() is None:
        try:
            urllib.request.urlopen(url + "_stcore/health", timeout=1)
            return server, url, [f"http://127.0.0.1:{port + i}/" for i in range(1, workers + 1)] or [url]
        except OSError:
            time.sleep(0.2)
    stop(server)
    raise RuntimeError(f"the server did not answer at {url} (exit {server.returncode})")


def stop(server: subprocess.Popen) -> None:
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


@dataclass
class Target:
    build: str
    url: str
    pid: int | None
    warm: list[str]


def measure(targets: list[Target], sessions: list[int], pages: list[str], repeats: int,
            timeout: float) -> list[dict]:
    """Every (build, N, page) `repeats` times, interleaved so that a slow spell of the machine hits every row alike.
    Peak RSS is from the first repeat: memory taken by a burst is kept, so later repeats start from the largest."""
    for target in targets:  # an untimed reader per page and process: the numbers are for a server that served it once
        for address in target.warm:
            for page in pages:
                burst(address, [PAGES[page]], timeout)
    runs: dict[tuple[str, int, str], list[tuple[dict, float]]] = {}
    for _ in range(repeats):
        for n in sessions:
            for page in pages:
                for target in targets:
                    with RssPeak(target.pid) as rss:
                        result = summary(burst(target.url, [PAGES[page]] * n, timeout))
                    runs.setdefault((target.build, n, page), []).append((result, rss.peak))
                    for why, count in result["why"].items():
                        print(f"{target.build}, N={n}, {page}: {count} x {why}", file=sys.stderr)
    rows = []
    for (build, n, page), got in runs.items():
        rows.append({"build": build, "n": n, "page": page, "errors": sum(r["errors"] for r, _ in got),
                     "sessions": n * len(got), "rss": got[0][1],
                     **{k: statistics.median(r[k] for r, _ in got) for k in ("p50", "p95", "max")}})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, epilog=USAGE,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, nargs="+", default=[1, 10, 25, 50, 100])
    parser.add_argument("--pages", nargs="+", choices=sorted(PAGES), default=["default", "filtered"])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=300, help="seconds a session may take before it fails")
    parser.add_argument("--url", help="an already running server; otherwise one is started per --workers value")
    parser.add_argument("--pid", type=int, help="with --url: the server process whose memory is polled")
    parser.add_argument("--workers", type=int, nargs="+", default=[0],
                        help="0: one process as make run starts it; N: make serve's nginx and N processes; "
                             "several values: all started at once and measured in turn")
    parser.add_argument("--build", help="with --url: the name in the table's first column")
    args = parser.parse_args()
    servers: list[subprocess.Popen] = []
    try:
        if args.url:
            targets = [Target(args.build or "given server", args.url, args.pid, [args.url])]
        else:
            targets = []
            for workers in args.workers:
                server, url, warm = start(workers, dict(os.environ))
                servers.append(server)
                build = f"{workers} processes behind nginx" if workers else "one process"
                targets.append(Target(build, url, server.pid, warm))
        rows = measure(targets, args.sessions, args.pages, args.repeats, args.timeout)
    finally:
        for server in servers:
            stop(server)
    print(f"repeats: {args.repeats}; times in seconds, the median over repeats; errors over all sessions; peak RSS "
          "of the server's processes in the first repeat")
    print("| build | N | page | p50 | p95 | max | errors | peak RSS MB |")
    print("|---|---:|---|---:|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['build']} | {r['n']} | {r['page']} | {r['p50']:.2f} | {r['p95']:.2f} | {r['max']:.2f} | "
              f"{r['errors']} of {r['sessions']} | {r['rss']:.0f} |")


if __name__ == "__main__":
    main()
