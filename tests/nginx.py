"""Debian's nginx started by a test with one of deploy/'s site files, and stopped again.

The site file is included unchanged but for the addresses a test substitutes; around it, a
minimal main configuration keeps every path (pid, logs, temp files, cache) under the test's
own directory, so nothing outside it is read or written.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def write_config(tmp: Path, site: str, *, access_log: bool = False) -> Path:
    """nginx.conf in `tmp` that includes `site` (written beside it as site.conf)."""
    (tmp / "site.conf").write_text(site)
    temp = " ".join(
        f"{kind}_temp_path {tmp / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    (tmp / "nginx.conf").write_text(
        f"""{"user root;" if os.geteuid() == 0 else ""}
worker_processes 1;
pid {tmp / "nginx.pid"};
error_log {tmp / "error.log"} warn;
events {{ worker_connections 256; }}
http {{
    access_log {tmp / "access.log" if access_log else "off"};
    {temp}
    include {tmp / "site.conf"};
}}
"""
    )
    return tmp / "nginx.conf"


def start(tmp: Path, config: Path, port: int) -> subprocess.Popen:
    """Start nginx in the foreground and wait until it listens on 127.0.0.1:`port`."""
    process = subprocess.Popen(
        [NGINX, "-e", str(tmp / "error.log"), "-p", str(tmp), "-c", str(config), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return process
        assert process.poll() is None, (tmp / "error.log").read_text()
        time.sleep(0.1)
    process.terminate()
    raise AssertionError(f"nginx did not listen within 20 s: {(tmp / 'error.log').read_text()}")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    process.wait(timeout=10)
