"""Compressed weight of an article page: its HTML plus the CSS and JS it loads. Budget: 40 KB.

    .venv/bin/python bench/page_weight.py            # prints the figures, writes docs/benchmarks.md
    .venv/bin/python bench/page_weight.py --no-docs

The script builds its own SQLite database (/tmp/hc_bench_weight.sqlite3) with the demo
content, runs `collectstatic` into a temporary STATIC_ROOT with the production storage
(whitenoise's CompressedManifestStaticFilesStorage, which writes a .gz next to each file,
and a .br when the brotli package is installed), then renders every published demo
article with Django's test client. For each page it follows the `<link rel=stylesheet>`
and `<script src>` tags in the HTML (the site's CSS, /brands.css, htmx, site.js, and
whatever else a page adds) and adds up their sizes compressed with gzip -9, the way
whitenoise pre-compresses static files. The heaviest page must stay under the budget.

tests/faq/test_page_weight.py guards the same budget in CI.
"""

from __future__ import annotations

import argparse
import gzip
import os
import statistics
import sys
import tempfile
from html.parser import HTMLParser
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import django_env, report  # noqa: E402

BUDGET_BYTES = 40_000  # 40 KB
DATABASE_PATH = Path("/tmp/hc_bench_weight.sqlite3")
DOC_BLOCK = "page-weight"


class AssetParser(HTMLParser):
    """Collects the stylesheets and scripts a page makes the browser download."""

    def __init__(self) -> None:
        super().__init__()
        self.assets: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "link" and "stylesheet" in values.get("rel", "").split() and values.get("href"):
            self.assets.append(values["href"])
        elif tag == "script" and values.get("src"):
            self.assets.append(values["src"])


def page_assets(html: str) -> list[str]:
    parser = AssetParser()
    parser.feed(html)
    return parser.assets


def gzip_size(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=9, mtime=0))


def brotli_size(data: bytes) -> int | None:
    try:
        import brotli
    except ImportError:
        return None
    return len(brotli.compress(data))


def _precompressed(path: Path, suffix: str) -> str:
    compressed = path.with_name(path.name + suffix)
    # whitenoise skips files that compression would not make meaningfully smaller.
    return f"{compressed.stat().st_size:,}" if compressed.exists() else "– (not worth it)"


def _part(name: str, data: bytes, path: Path | None = None) -> dict:
    """Sizes of one part of the page; `path` is the collected file for static assets."""
    return {
        "name": name,
        "raw": len(data),
        "gzip": gzip_size(data),
        "brotli": brotli_size(data),
        "whitenoise_gz": _precompressed(path, ".gz") if path else "– (Django view)",
        "whitenoise_br": _precompressed(path, ".br") if path else "– (Django view)",
    }


def _asset_part(client, url: str, static_root: Path) -> dict:
    from django.conf import settings

    static_prefix = "/" + settings.STATIC_URL.lstrip("/")
    if url.startswith(static_prefix):
        path = static_root / url.removeprefix(static_prefix)
        return _part(url, path.read_bytes(), path)
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return _part(url, response.content)


def measure(static_root: Path) -> list[dict]:
    """Every published demo article page, with its assets and their sizes."""
    from django.core.cache import cache
    from django.test import Client

    from faq.models import Article

    client = Client()
    pages = []
    for article in Article.objects.published().order_by("language", "slug"):
        cache.clear()
        response = client.get(article.get_absolute_url())
        assert response.status_code == 200, (article.get_absolute_url(), response.status_code)
        parts = [_part(f"HTML {article.get_absolute_url()}", response.content)]
        parts += [_asset_part(client, url, static_root) for url in page_assets(response.content.decode())]
        pages.append(
            {"url": article.get_absolute_url(), "parts": parts, "total": sum(p["gzip"] for p in parts)}
        )
    return pages


def render_report(pages: list[dict], command: str) -> str:
    from datetime import UTC, datetime

    date = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    heaviest = max(pages, key=lambda page: page["total"])
    totals = [page["total"] for page in pages]
    has_brotli = heaviest["parts"][0]["brotli"] is not None
    rows = []
    for part in heaviest["parts"]:
        row = [f"`{part['name']}`", f"{part['raw']:,}", f"{part['gzip']:,}", part["whitenoise_gz"]]
        if has_brotli:
            row += [f"{part['brotli']:,}", part["whitenoise_br"]]
        rows.append(row)
    raw_total = sum(part["raw"] for part in heaviest["parts"])
    total_row = ["**total**", f"{raw_total:,}", f"**{heaviest['total']:,}**", ""]
    if has_brotli:
        total_row += [f"{sum(part['brotli'] for part in heaviest['parts']):,}", ""]
    rows.append(total_row)
    header = ["Part", "Bytes", "gzip -9", "whitenoise .gz"]
    if has_brotli:
        header += ["brotli", "whitenoise .br"]
    verdict = "within" if heaviest["total"] < BUDGET_BYTES else "OVER"
    lines = [
        "### Article page weight",
        "",
        f"Measured {date} with `{command}`",
        "",
        f"Budget: HTML + CSS + JS of an article page, compressed, under {BUDGET_BYTES:,} bytes (40 KB). "
        f"All {len(pages)} published demo articles measured: gzip -9 totals from {min(totals):,} to "
        f"{max(totals):,} bytes (median {statistics.median(totals):,.0f}); the heaviest, "
        f"`{heaviest['url']}`, is **{heaviest['total']:,} bytes, {verdict} budget**:",
        "",
        report.markdown_table(header, rows),
        "",
        "Static files are measured as `collectstatic` writes them (hashed names, whitenoise's own "
        "`.gz` beside them). The HTML and /brands.css are Django responses: whitenoise does not "
        "compress those, so their compressed size assumes compression in front of gunicorn "
        "(a reverse proxy or CDN). Not counted: the favicon and the feedback fragment htmx "
        "loads after the page. `tests/faq/test_page_weight.py` keeps the budget in CI.",
    ]
    if not has_brotli:
        lines.append(
            "Brotli sizes are not shown because the `brotli` package is not installed; with it, "
            "whitenoise also writes `.br` files, which are smaller still."
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--no-docs", action="store_true", help="do not write docs/benchmarks.md")
    args = parser.parse_args()
    command = ".venv/bin/python bench/page_weight.py" + "".join(f" {arg}" for arg in sys.argv[1:])

    for suffix in ("", "-wal", "-shm"):
        Path(f"{DATABASE_PATH}{suffix}").unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{DATABASE_PATH}"
    os.environ.pop("REDIS_URL", None)
    with tempfile.TemporaryDirectory(prefix="hc_bench_weight_") as static_root:
        os.environ[django_env.STATIC_ROOT_VARIABLE] = static_root
        django_env.setup()
        from django.core.management import call_command

        from brands.demo import load_demo_brands
        from faq.demo import load_demo

        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        load_demo_brands()
        load_demo()
        pages = measure(Path(static_root))
    for suffix in ("", "-wal", "-shm"):
        Path(f"{DATABASE_PATH}{suffix}").unlink(missing_ok=True)

    text = render_report(pages, command)
    print(text)
    if not args.no_docs:
        report.replace_block(DOC_BLOCK, text)
        print(f"Written to {report.BENCHMARKS_DOC.relative_to(django_env.BASE_DIR)}")
    heaviest = max(page["total"] for page in pages)
    if heaviest >= BUDGET_BYTES:
        raise SystemExit(f"over budget: {heaviest:,} >= {BUDGET_BYTES:,} bytes")


if __name__ == "__main__":
    main()
