"""Running the site under gunicorn on 127.0.0.1 for a benchmark, and stopping it again."""

from __future__ import annotations

import os
import random
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
    """A port of `ports` nothing listens on (each bench keeps to its own range), tried in a
    random order: test processes running side by side (pytest-xdist) pick from the same
    range, and the first free one would be everyone's first choice."""
    ports = list(ports)
    for port in random.sample(ports, len(ports)):
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
                pass
        except urllib.error.HTTPError:
            pass  # it answered: a server is up, whatever the page said
        except OSError:
            time.sleep(0.5)
            continue
        # Whoever answered must be this gunicorn: if another process took the port between
        # free_port() and the bind, gunicorn retries its bind while the other one answers.
        if _listens_on(server.pid, port):
            return server
        time.sleep(0.5)
    stop(server)
    raise SystemExit(f"gunicorn did not answer within {timeout:.0f} s: {_tail(log)}")


def _listens_on(pid: int, port: int) -> bool:
    """Whether process `pid` holds the socket listening on 127.0.0.1:`port` (Linux /proc)."""
    wanted = f"0100007F:{port:04X}"
    inodes = set()
    with open("/proc/net/tcp") as table:
        for line in table.readlines()[1:]:
            fields = line.split()
            if fields[1] == wanted and fields[3] == "0A":  # 0A: LISTEN
                inodes.add(f"socket:[{fields[9]}]")
    fd_dir = Path(f"/proc/{pid}/fd")
    try:
        return any(os.readlink(fd) in inodes for fd in fd_dir.iterdir())
    except OSError:
        return False


def stop(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def _tail(log: Path) -> str:
    return log.read_text()[-2000:] if log.exists() else "(no log)"
