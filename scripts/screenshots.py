"""Screenshots of every page type, at a phone and a desktop width, in Chinese and English.

    .venv/bin/python scripts/screenshots.py                 # writes screenshots/*.png (git ignores it)
    .venv/bin/python scripts/screenshots.py --out /tmp/shots --only home,article

`make screenshots` runs it (after installing Debian's Chromium and fonts-noto-cjk, without
which Chromium draws Chinese as boxes). The script builds its own SQLite database with the demo
content plus one contact message with a staff reply (so the customer's status page has
something to show), collects the static files, serves the site as production does (DEBUG off,
whitenoise) with runserver on a free local port, and saves one
full-page PNG per page, width and language: `<page>-<language>-<width>.png`.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHROMIUM = "/usr/bin/chromium"
WIDTHS = {390: 844, 1280: 800}
LANGUAGES = {"zh": "", "en": "/en"}

# One address per page type (the status page is added once its message exists).
PAGES = {
    "home": "/",
    "brand": "/b/kdpay/",
    "category": "/c/security/",
    "article": "/a/forgot-password/",
    "article-missing-translation": "/a/{untranslated}/",
    "search": "/search/?q=退款",
    "search-empty": "/search/?q=qqqqzzzz",
    "contact": "/contact/",
    "contact-brand": "/contact/kdou/",
    "message-form": "/contact/message/",
    "status-lookup": "/contact/status/",
    "status": "/contact/status/{reference}/",
    "verify": "/verify/",
    "verify-result": "/verify/?value=https://help.kdpay.example/login",
    "verify-scam": "/verify/?value=https://okpay-kefu.example/login",
    "report": "/verify/report/",
    "warnings": "/warnings/",
    "not-found": "/does-not-exist/",
}


def prepare_database(env: dict[str, str]) -> dict[str, str]:
    """Migrate and load the demo; returns the values the page addresses need."""
    os.environ.update(env)
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpcenter.settings")
    django.setup()
    from django.core.management import call_command

    from contact.demo import demo_contact_message
    from faq.models import Article, Language

    call_command("migrate", verbosity=0, interactive=False)
    # Served as in production (DEBUG off, whitenoise), so error pages are the visitor's, not Django's.
    call_command("collectstatic", verbosity=0, interactive=False)
    call_command("load_demo", verbosity=0)
    message = demo_contact_message()
    english_slugs = set(Article.objects.filter(language=Language.EN).values_list("slug", flat=True))
    untranslated = (
        Article.objects.published()
        .filter(language=Language.ZH_HANS)
        .exclude(slug__in=english_slugs)
        .values_list("slug", flat=True)
        .first()
    )
    from contact.links import status_token

    return {
        "reference": message.reference,
        "token": status_token(message),
        "untranslated": untranslated or "forgot-password",
    }


def wait_until_up(url: str, server: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("runserver exited before answering")
        try:
            urllib.request.urlopen(url, timeout=5)
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"{url} did not answer within {timeout:.0f} s")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", default=str(ROOT / "screenshots"))
    parser.add_argument("--only", default="", help="comma-separated page names (default: all)")
    parser.add_argument("--widths", default="390,1280")
    parser.add_argument("--languages", default="zh,en")
    parser.add_argument("--first-screen", action="store_true", help="only what the first screen shows")
    args = parser.parse_args()

    from bench.server import free_port

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    database = Path(tempfile.gettempdir()) / "hc_screenshots.sqlite3"
    database.unlink(missing_ok=True)
    env = {
        "DATABASE_URL": f"sqlite:///{database}",
        "DJANGO_DEBUG": "0",
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    values = prepare_database(env)
    port = free_port(range(8790, 8800))
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    chosen = [name for name in args.only.split(",") if name] or list(PAGES)
    try:
        wait_until_up(base + "/", server)
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            launch_args = ["--disable-gpu", "--no-first-run"] + (
                ["--no-sandbox"] if os.geteuid() == 0 else []
            )
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=launch_args)
            for width in (int(w) for w in args.widths.split(",")):
                context = browser.new_context(viewport={"width": width, "height": WIDTHS.get(width, 900)})
                page = context.new_page()
                # The private link grants this browser the status page, as the emailed link does.
                page.goto(f"{base}/contact/status/{values['reference']}/{values['token']}/")
                for language in args.languages.split(","):
                    for name in chosen:
                        path = LANGUAGES[language] + PAGES[name].format(**values)
                        page.goto(base + path)
                        page.wait_for_load_state("networkidle")
                        target = out / f"{name}-{language}-{width}.png"
                        page.screenshot(path=str(target), full_page=not args.first_screen)
                        print(target.relative_to(ROOT) if target.is_relative_to(ROOT) else target)
                context.close()
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
