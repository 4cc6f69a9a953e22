"""`make serve WORKERS=N`: N Streamlit processes of the dashboard behind Debian's nginx, each reader kept on one."""

from __future__ import annotations

import argparse
import grp
import os
import pwd
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COOKIE = "trends_worker"
NGINX = """\
# Written by deploy/serve.py at every start; edits are lost.
{user}worker_processes 1;  # proxying is light: the cores are left to the Streamlit workers
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;

events {{
    worker_connections 4096;
}}

http {{
    log_format upstream '$remote_addr [$time_local] "$request" $status $body_bytes_sent upstream=$upstream_addr';
    access_log {dir}/access.log upstream;
    client_body_temp_path {dir}/temp/body;
    proxy_temp_path {dir}/temp/proxy;
    fastcgi_temp_path {dir}/temp/fastcgi;
    uwsgi_temp_path {dir}/temp/uwsgi;
    scgi_temp_path {dir}/temp/scgi;

    # A reader stays on one worker, which holds its session, its /media files and its reconnects. The key is a
    # cookie that nginx hands out on a reader's first request: readers behind one address (an office, a test
    # client) still spread over the workers, which hashing the client address would not do.
    map $cookie_{cookie} $worker_key {{
        "~^[0-9a-f]{{32}}$" $cookie_{cookie};
        default $request_id;
    }}
    map $cookie_{cookie} $worker_cookie {{
        "~^[0-9a-f]{{32}}$" "";
        default "{cookie}=$request_id; Path=/; HttpOnly; SameSite=Lax";
    }}
    map $http_upgrade $connection_upgrade {{
        default upgrade;
        "" "";
    }}

    upstream dashboard {{
        # Consistent hashing moves only a failed worker's readers when it is taken out.
        hash $worker_key consistent;
{servers}
        keepalive 16;
    }}

    server {{
        listen {listen};
        add_header Set-Cookie $worker_cookie always;
        proxy_http_version 1.1;
        # Streamlit accepts a websocket only when its Origin matches the Host it was sent to.
        proxy_set_header Host $http_host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_set_header Connection "";
        proxy_connect_timeout 5s;
        proxy_next_upstream error timeout;

        location /_stcore/stream {{
            proxy_pass http://dashboard;
            # Headers set here replace the server's list, so all are named again.
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            # A reader may leave the page open for hours between reruns.
            proxy_read_timeout 1d;
            proxy_send_timeout 1d;
        }}

        # Answers ok while at least one worker does: a failed worker is passed over for the next one.
        location = /healthz {{
            proxy_pass http://dashboard/_stcore/health;
        }}

        location / {{
            proxy_pass http://dashboard;
        }}
    }}
}}
"""


def nginx_config(ports: list[int], listen: str, directory: Path, user: str | None = None) -> str:
    """nginx.conf for workers on 127.0.0.1 at `ports`, listening on `listen` (`8501` or `127.0.0.1:8501`)."""
    # Three failures within 10 s take a worker out for 10 s; then nginx tries it again.
    servers = "\n".join(f"        server 127.0.0.1:{p} max_fails=3 fail_timeout=10s;" for p in ports)
    return NGINX.format(dir=directory, servers=servers, listen=listen, cookie=COOKIE,
                        user=f"user {user};\n" if user else "")


def nginx_binary() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").is_file() else None)
    if not found:
        sys.exit("serve: nginx is missing; `make serve` installs it with apt-get when run as root "
                 "(else: apt-get install nginx)")
    return found


def run_as() -> str | None:
    """The user line for nginx: as root its workers would become `nobody`, who cannot reach the temp directory."""
    if os.geteuid():
        return None  # nginx runs as whoever started it
    return f"{pwd.getpwuid(os.getuid()).pw_name} {grp.getgrgid(os.getgid()).gr_name}"


def start_worker(port: int, app: str | None, env: dict) -> subprocess.Popen:
    target = ["-m", "streamlit", "run", app] if app else ["-m", "components.serve"]
    return subprocess.Popen([sys.executable, *target, "--server.port", str(port), "--server.address", "127.0.0.1",
                             "--server.headless", "true"], cwd=ROOT, env=env, start_new_session=True)


def wait_healthy(port: int, proc: subprocess.Popen, stopping: list, seconds: float = 180) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and proc.poll() is None and not stopping:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return True
        except OSError:
            time.sleep(0.2)
    return False


def stop_all(procs: list[subprocess.Popen]) -> None:
    for p in procs:
        if p.poll() is None:
            p.terminate()
    for p in procs:
        try:
            p.wait(timeout=20)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8501, help="nginx's port; workers take the next N ports")
    parser.add_argument("--address", default="", help="nginx's address (default: every interface)")
    parser.add_argument("--dir", help="where nginx.conf, logs and temp files go (default: a new temporary folder)")
    parser.add_argument("--app", help="a Streamlit script to serve instead of the dashboard")
    args = parser.parse_args(argv)
    if args.workers < 1:
        parser.error("--workers must be at least 1")
    nginx = nginx_binary()
    directory = Path(args.dir or tempfile.mkdtemp(prefix="trends-nginx-")).resolve()
    (directory / "temp").mkdir(parents=True, exist_ok=True)
    stopping: list[int] = []
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, lambda signum, _frame: stopping.append(signum))

    # One cookie secret for every worker, so a signed cookie from one is valid at another after a failover.
    env = {**os.environ, "STREAMLIT_SERVER_COOKIE_SECRET": secrets.token_hex(32)}
    ports = [args.port + i for i in range(1, args.workers + 1)]
    workers = {port: start_worker(port, args.app, env) for port in ports}
    procs = list(workers.values())
    try:
        for port, proc in workers.items():
            if not wait_healthy(port, proc, stopping):
                if not stopping:
                    print(f"serve: the worker on port {port} did not start", file=sys.stderr)
                return 0 if stopping else 1
        conf = directory / "nginx.conf"
        listen = f"{args.address}:{args.port}" if args.address else str(args.port)
        conf.write_text(nginx_config(ports, listen, directory, run_as()))
        flags = ["-p", str(directory), "-e", str(directory / "error.log"), "-c", str(conf)]
        check = subprocess.run([nginx, *flags, "-t", "-q"], capture_output=True, text=True)
        if check.returncode:
            print(f"serve: nginx rejected {conf}:\n{check.stderr.strip()}", file=sys.stderr)
            return 1
        proxy = subprocess.Popen([nginx, *flags, "-g", "daemon off;"], start_new_session=True)
        procs.insert(0, proxy)  # stopped first, so no reader is sent to a worker that is going away
        print(f"serve: http://{args.address or 'localhost'}:{args.port}/ -> {args.workers} workers on ports "
              f"{ports[0]}-{ports[-1]}; nginx files in {directory}; Ctrl-C stops all", flush=True)
        while not stopping:
            time.sleep(0.5)
            if proxy.poll() is not None:
                print(f"serve: nginx exited with {proxy.returncode}; see {directory}/error.log", file=sys.stderr)
                return 1
            for port, proc in list(workers.items()):
                if proc.poll() is not None and not stopping:
                    # nginx passes its readers to the other workers meanwhile; the restart takes their share back.
                    print(f"serve: the worker on port {port} exited with {proc.returncode}; restarting it",
                          file=sys.stderr, flush=True)
                    workers[port] = start_worker(port, args.app, env)
                    procs[procs.index(proc)] = workers[port]
        return 0
    finally:
        stop_all(procs)
        if not args.dir:
            shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
