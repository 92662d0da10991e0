"""Lighthouse scores (mobile) of the main pages, served as production serves them.

    .venv/bin/python bench/lighthouse.py              # prints the table
    .venv/bin/python bench/lighthouse.py --write      # and writes it into docs/benchmarks.md
    .venv/bin/python bench/lighthouse.py --only /,/verify/ --details

`make lighthouse` runs it with --write. The script:

1. installs Google's Lighthouse CLI with npm (Node 20) into a cache folder outside the
   repository (~/.cache/helpcenter/lighthouse, or --lighthouse-dir) when it is missing;
   Lighthouse drives Debian's Chromium (CHROME_PATH=/usr/bin/chromium), never a
   downloaded browser;
2. builds a fresh SQLite database in a temporary folder, migrates it, loads the demo
   content and collects the static files with the production storage (whitenoise);
3. serves the site with gunicorn on 127.0.0.1 (a free port in 8600-8699), DEBUG off;
4. audits each page once with Lighthouse's default settings (the mobile form factor, with
   its simulated slow-4G and CPU throttling) for performance, accessibility, best
   practices and SEO, and prints one row of scores per page.

Performance scores move by a few points from run to run on a busy machine; the other three
categories are deterministic. --details lists every audit that did not pass, per page.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import urllib.parse
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import django_env, report  # noqa: E402
from bench.server import free_port, start_gunicorn, stop  # noqa: E402

BASE_DIR = django_env.BASE_DIR
DOC_BLOCK = "lighthouse"
LIGHTHOUSE_PACKAGE = "lighthouse@12"
CHROMIUM = "/usr/bin/chromium"
ATTEMPTS = 3
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-background-networking"
CATEGORIES = {
    "performance": "Performance",
    "accessibility": "Accessibility",
    "best-practices": "Best practices",
    "seo": "SEO",
}
PAGES = [
    "/",
    "/b/kdpay/",
    "/c/security/",
    "/a/forgot-password/",
    "/search/?q=退款",
    "/contact/",
    "/contact/kdou/",
    "/contact/message/",
    "/verify/",
    "/en/",
]


def default_lighthouse_dir() -> Path:
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "helpcenter" / "lighthouse"


def lighthouse_binary(folder: Path) -> Path:
    """The Lighthouse CLI in `folder`, installed there with npm first if it is missing."""
    binary = folder / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        if shutil.which("npm") is None:
            raise SystemExit(
                "npm is missing: apt-get install nodejs npm (Lighthouse 12 needs Node 18.16 or newer)"
            )
        folder.mkdir(parents=True, exist_ok=True)
        print(f"Installing {LIGHTHOUSE_PACKAGE} into {folder}", file=sys.stderr)
        subprocess.run(
            ["npm", "install", "--prefix", str(folder), "--no-audit", "--no-fund", LIGHTHOUSE_PACKAGE],
            check=True,
        )
    return binary


def lighthouse_version(binary: Path) -> str:
    return subprocess.run([str(binary), "--version"], capture_output=True, text=True).stdout.strip()


# --- Child process: the database and the static files (Django configured by env) ---------------


def child_prepare() -> None:
    django_env.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_demo", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)


# --- Parent process ------------------------------------------------------------------------------


def audit(binary: Path, url: str, out: Path) -> dict:
    """Run Lighthouse on one address; returns its JSON report."""
    command = [
        str(binary),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={out}",
        "--only-categories=" + ",".join(CATEGORIES),
        f"--chrome-flags={CHROME_FLAGS}",
    ]
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    # On a busy machine Chromium now and then loses the trace (NO_NAVSTART): run that page again.
    for _attempt in range(ATTEMPTS):
        out.unlink(missing_ok=True)
        completed = subprocess.run(command, env=env, capture_output=True, text=True)
        if completed.returncode == 0 and out.exists():
            result = json.loads(out.read_text())
            if not result.get("runtimeError"):
                return result
    raise SystemExit(f"lighthouse failed on {url} {ATTEMPTS} times:\n{completed.stderr[-3000:]}")


def scores(result: dict) -> dict[str, int | None]:
    return {
        key: None
        if result["categories"][key]["score"] is None
        else round(result["categories"][key]["score"] * 100)
        for key in CATEGORIES
    }


def failed_audits(result: dict) -> list[str]:
    """Audits of the categories that did not pass (performance metrics left out: they are timings)."""
    lines = []
    for key in CATEGORIES:
        for ref in result["categories"][key]["auditRefs"]:
            if ref.get("group") == "metrics":
                continue
            found = result["audits"][ref["id"]]
            if found["scoreDisplayMode"] in {"informative", "notApplicable", "manual"}:
                continue
            if found["score"] is not None and found["score"] < 1:
                lines.append(f"  [{key}] {ref['id']}: {found['title']} ({found.get('displayValue', '')})")
                items = (found.get("details") or {}).get("items") or []
                lines += [
                    f"      {item['url']}" for item in items[:5] if isinstance(item, dict) and "url" in item
                ]
    return lines


def render(rows: list[tuple[str, dict[str, int | None]]], command: str, version: str) -> str:
    def cell(value: int | None) -> str:
        return "–" if value is None else str(value)

    table = report.markdown_table(
        ["Page", *CATEGORIES.values()],
        [[f"`{page}`", *(cell(values[key]) for key in CATEGORIES)] for page, values in rows],
    )
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return f"""Measured {when} with `{command}` (`make lighthouse` runs the same): Lighthouse
{version} on Debian's Chromium (headless), its default mobile preset (a phone-sized screen,
simulated slow 4G and 4x CPU slowdown), one run per page; the site served by gunicorn with
DEBUG off and whitenoise, on a fresh SQLite database with the demo content.
{report.machine_summary()}.

{table}
"""


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--write", action="store_true", help="write the table into docs/benchmarks.md")
    parser.add_argument("--only", default="", help="comma-separated paths (default: every page)")
    parser.add_argument("--details", action="store_true", help="list the audits that did not pass")
    parser.add_argument("--lighthouse-dir", type=Path, default=default_lighthouse_dir())
    parser.add_argument("--child-prepare", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_prepare:
        return child_prepare()

    if not Path(CHROMIUM).exists():
        raise SystemExit(f"{CHROMIUM} is missing: apt-get install chromium (make browser)")
    binary = lighthouse_binary(args.lighthouse_dir)
    version = lighthouse_version(binary)
    pages = [page for page in args.only.split(",") if page] or PAGES
    command = ".venv/bin/python bench/lighthouse.py" + "".join(f" {shlex.quote(a)}" for a in sys.argv[1:])

    rows = []
    with tempfile.TemporaryDirectory(prefix="hc_lighthouse_") as tmp:
        work = Path(tmp)
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{work / 'db.sqlite3'}",
            "DJANGO_DEBUG": "0",
            "DJANGO_LOG_LEVEL": "WARNING",
            "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "DJANGO_MEDIA_ROOT": str(work / "media"),
            django_env.STATIC_ROOT_VARIABLE: str(work / "static"),
        }
        env.pop("REDIS_URL", None)
        subprocess.run([sys.executable, __file__, "--child-prepare"], env=env, cwd=BASE_DIR, check=True)
        port = free_port(range(8600, 8700))
        server = start_gunicorn(
            "bench.wsgi:application", port=port, workers=2, env=env, log=work / "gunicorn.log"
        )
        try:
            for page in pages:
                url = f"http://127.0.0.1:{port}{urllib.parse.quote(page, safe='/?=&')}"
                result = audit(binary, url, work / "report.json")
                rows.append((page, scores(result)))
                line = "  ".join(f"{CATEGORIES[k]} {v}" for k, v in rows[-1][1].items())
                print(f"{page:24} {line}", flush=True)
                if args.details:
                    print("\n".join(failed_audits(result)) or "  (every audit passed)", flush=True)
        finally:
            stop(server)

    text = render(rows, command, version)
    print()
    print(text)
    if args.write:
        report.replace_block(DOC_BLOCK, text)
        print(f"Written to {report.BENCHMARKS_DOC.relative_to(BASE_DIR)}")


if __name__ == "__main__":
    main()
