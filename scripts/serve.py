"""Serve the site for development: the task worker in the background, runserver in front.

Both stop together (Ctrl+C). Used by `make run`.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", default=os.environ.get("PORT", "8000"))
    parser.add_argument("--host", default="127.0.0.1")
    args = parser.parse_args()
    manage = [sys.executable, str(ROOT / "manage.py")]
    # The worker sends the emails that contact messages and replies enqueue.
    worker = subprocess.Popen([*manage, "db_worker", "--interval", "1"], cwd=ROOT)
    try:
        print(f"Serving the help center at http://{args.host}:{args.port}/ (Ctrl+C stops it)", flush=True)
        return subprocess.call([*manage, "runserver", f"{args.host}:{args.port}"], cwd=ROOT)
    except KeyboardInterrupt:
        return 0
    finally:
        worker.terminate()
        worker.wait(timeout=10)


if __name__ == "__main__":
    sys.exit(main())
