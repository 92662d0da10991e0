"""Running the site under gunicorn on 127.0.0.1 for a benchmark, and stopping it again."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterable, Sequence
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))


def free_port(ports: Iterable[int]) -> int:
    """The first port of `ports` nothing listens on (each bench keeps to its own range)."""
    ports = list(ports)
    for port in ports:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise SystemExit(f"no free port in {ports[0]}-{ports[-1]}")


def start_gunicorn(
    app: str,
    *,
    port: int,
    workers: int,
    env: dict[str, str],
    log: Path,
    ready_path: str = "/",
    timeout: float = 60,
    extra_args: Sequence[str] = (),
) -> subprocess.Popen:
    """Start gunicorn with `workers` sync workers and wait until `ready_path` answers."""
    command = [
        GUNICORN, app,
        "--bind", f"127.0.0.1:{port}",
        "--workers", str(workers),
        "--log-level", "warning",
        "--error-logfile", str(log),
        "--chdir", str(BASE_DIR),
        *extra_args,
    ]  # fmt: skip
    server = subprocess.Popen(
        command, env=env, cwd=BASE_DIR, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT
    )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited: {_tail(log)}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{ready_path}", timeout=5):
                return server
        except urllib.error.HTTPError:
            return server  # it answered: the server is up, whatever the page said
        except OSError:
            time.sleep(0.5)
    stop(server)
    raise SystemExit(f"gunicorn did not answer within {timeout:.0f} s: {_tail(log)}")


def stop(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def _tail(log: Path) -> str:
    return log.read_text()[-2000:] if log.exists() else "(no log)"
