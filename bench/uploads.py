"""The cost of image uploads: the worst request the sanitiser accepts, and the issue's attack.

    .venv/bin/python bench/uploads.py              # 5 rounds, writes docs/benchmarks.md
    .venv/bin/python bench/uploads.py --rounds 9 --no-docs

1. Migrates a fresh SQLite database in a temporary folder (one brand, one topic) and serves
   the site with gunicorn, ONE sync worker (so every request lands in the process whose
   memory is read), production settings, rate limits off (every post comes from 127.0.0.1),
   Redis cache on DB 7, uploads into the temporary folder.
2. Builds the requests (all within contact/images.py's limits unless marked):
   - worst accepted: the contact form with a 4,000 × 9,000 RGBA PNG (36 Mpx, the per-image
     cap, decoded whole: PNG has no reduced-scale decoding) and a 3,500 × 4,000 RGBA PNG
     (14 Mpx), together 50 Mpx, the per-request cap; both are downscaled to 12 Mpx and
     re-encoded;
   - attack: the issue's five 39.7-Mpx PNGs in one request of 0.66 MB (refused from the
     headers, nothing decoded);
   - a phone screenshot: one 1,440 × 3,200 PNG (the everyday case);
   - reference: GET /robots.txt, a constant response through the same stack.
3. Sends each --rounds times in turn and reports the median and maximum time per request
   type, the ratio to the reference, and the worker's peak resident memory (VmHWM from
   /proc) before the first upload and after the worst accepted requests.
"""

from __future__ import annotations

import argparse
import datetime
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from io import BytesIO
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from bench.server import free_port, start_gunicorn, stop  # noqa: E402

PORTS = range(8300, 8400)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def screenshot_like_png(size: tuple[int, int]) -> bytes:
    """An RGBA PNG that compresses like a screenshot (flat areas, repeated detail), not like noise."""
    from PIL import Image, ImageDraw

    width, height = size
    image = Image.new("RGBA", size, (246, 247, 249, 255))
    draw = ImageDraw.Draw(image)
    for top in range(0, height, 120):
        draw.rectangle(
            (40, top + 20, width - 40, top + 100), fill=(255, 255, 255, 255), outline=(220, 224, 230)
        )
        for left in range(80, width - 200, 37):
            draw.rectangle((left, top + 50, left + 22, top + 66), fill=(40 + left % 120, 60, 90, 255))
    out = BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def multipart(fields: dict[str, str], files: list[tuple[str, str, bytes]]) -> tuple[bytes, str]:
    boundary = secrets.token_hex(16)
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    for name, filename, content in files:
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            "Content-Type: image/png\r\n\r\n"
        )
        parts.append(head.encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def post_contact(opener, base: str, files: list[tuple[str, str, bytes]]) -> tuple[int, float, int]:
    token = secrets.token_hex(16)
    fields = {
        "csrfmiddlewaretoken": token,
        "brand": "kdpay",
        "topic": "other",
        "name": "压测用户",
        "email": f"bench+{secrets.token_hex(4)}@mail.example",
        "subject": "截图",
        "message": "提现一直显示处理中，截图见附件。",
        "website": "",
    }
    body, content_type = multipart(fields, files)
    request = urllib.request.Request(
        f"{base}/contact/message/",
        data=body,
        headers={"Cookie": f"csrftoken={token}", "Content-Type": content_type},
    )
    started = time.perf_counter()
    try:
        with opener.open(request, timeout=120) as response:
            status = response.status
            response.read()
    except urllib.error.HTTPError as error:
        status = error.code
    return status, time.perf_counter() - started, len(body)


def _tail(folder: str) -> str:
    log = Path(folder) / "gunicorn.log"
    return log.read_text()[-3000:] if log.exists() else ""


def get(opener, url: str) -> tuple[int, float]:
    started = time.perf_counter()
    with opener.open(url, timeout=30) as response:
        response.read()
        return response.status, time.perf_counter() - started


def worker_pid(master: int) -> int:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    if len(children) != 1:
        raise SystemExit(f"expected one gunicorn worker, found {children}")
    return int(children[0])


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise SystemExit("no VmHWM")


# manage.py through bench/django_env.py, so collectstatic writes into BENCH_STATIC_ROOT.
_MANAGE = (
    "import sys; from bench import django_env; django_env.setup(); "
    "from django.core.management import execute_from_command_line; "
    "execute_from_command_line(['manage.py', *sys.argv[1:]])"
)


def prepare(env: dict) -> None:
    """Migrate, add the one brand, collect the static files (the refused form is a rendered page)."""
    script = "from brands.models import Brand\nBrand.objects.get_or_create(slug='kdpay', defaults={'name': 'KDPAY'})\n"
    for command in (
        ["migrate", "--noinput", "-v0"],
        ["shell", "-c", script],
        ["collectstatic", "--noinput", "-v0"],
    ):
        subprocess.run([sys.executable, "-c", _MANAGE, *command], env=env, check=True, cwd=BASE_DIR)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--no-docs", action="store_true", help="do not write docs/benchmarks.md")
    args = parser.parse_args()

    from contact.images import MAX_PIXELS, MAX_REQUEST_PIXELS

    print("building the images ...", flush=True)
    tall = screenshot_like_png((4000, 9000))
    second = screenshot_like_png((3500, 4000))
    assert MAX_PIXELS >= 4000 * 9000 and MAX_REQUEST_PIXELS >= 4000 * 9000 + 3500 * 4000
    phone = screenshot_like_png((1440, 3200))
    from PIL import Image

    bomb_out = BytesIO()
    Image.new("RGB", (6300, 6300), "white").save(bomb_out, "PNG")
    bomb = bomb_out.getvalue()
    requests = {
        "worst accepted (36 + 14 Mpx PNG)": [
            ("attachments", "tall.png", tall),
            ("attachments", "second.png", second),
        ],
        "attack (5 × 39.7 Mpx PNG)": [("attachments", f"bomb{i}.png", bomb) for i in range(5)],
        "phone screenshot (4.6 Mpx PNG)": [("attachments", "phone.png", phone)],
    }
    expected = {
        "worst accepted (36 + 14 Mpx PNG)": 302,
        "attack (5 × 39.7 Mpx PNG)": 200,
        "phone screenshot (4.6 Mpx PNG)": 302,
    }

    with tempfile.TemporaryDirectory(prefix="hc_upload_bench_") as folder:
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{folder}/db.sqlite3",
            "DJANGO_MEDIA_ROOT": f"{folder}/media",
            "DJANGO_RATELIMIT_ENABLE": "0",
            "DJANGO_DEBUG": "0",
            "REDIS_URL": os.environ.get("UPLOAD_BENCH_REDIS_URL", "redis://127.0.0.1:6379/7"),
            "BENCH_STATIC_ROOT": f"{folder}/static",
        }
        prepare(env)
        port = free_port(PORTS)
        server = start_gunicorn(
            "bench.wsgi:application",
            port=port,
            workers=1,
            env=env,
            log=Path(folder) / "gunicorn.log",
            ready_path="/robots.txt",
            extra_args=["--timeout", "120"],
        )
        base = f"http://127.0.0.1:{port}"
        opener = urllib.request.build_opener(NoRedirect)
        times: dict[str, list[float]] = {name: [] for name in ["reference (GET /robots.txt)", *requests]}
        sizes: dict[str, int] = {}
        try:
            pid = worker_pid(server.pid)
            for _ in range(20):
                get(opener, f"{base}/robots.txt")
            post_contact(opener, base, requests["phone screenshot (4.6 Mpx PNG)"])  # warm the form path
            rss_before = peak_rss_mb(pid)
            for _round in range(args.rounds):
                for _ in range(5):
                    times["reference (GET /robots.txt)"].append(get(opener, f"{base}/robots.txt")[1])
                for name, files in requests.items():
                    status, seconds, size = post_contact(opener, base, files)
                    if status != expected[name]:
                        raise SystemExit(f"{name}: HTTP {status}, expected {expected[name]}: {_tail(folder)}")
                    times[name].append(seconds)
                    sizes[name] = size
            rss_after = peak_rss_mb(pid)
        finally:
            stop(server)

    reference = statistics.median(times["reference (GET /robots.txt)"])
    rows = []
    for name, values in times.items():
        median = statistics.median(values)
        rows.append(
            [
                name,
                f"{sizes[name] / 1e6:.2f} MB" if name in sizes else "–",
                len(values),
                f"{median * 1000:.1f}",
                f"{max(values) * 1000:.1f}",
                f"{median / reference:.0f}×",
            ]
        )
    for row in rows:
        print(row)
    print(f"worker peak RSS: {rss_before:.0f} MB before the first upload, {rss_after:.0f} MB after")
    if not args.no_docs:
        write_docs(args, rows, rss_before, rss_after)
    return 0


def write_docs(args, rows: list[list[object]], rss_before: float, rss_after: float) -> None:
    from bench.report import machine_summary, markdown_table, replace_block

    command = ".venv/bin/python bench/uploads.py" + (f" --rounds {args.rounds}" if args.rounds != 5 else "")
    table = markdown_table(
        ["request", "request size", "n", "median ms", "max ms", "median / reference"], rows
    )
    body = (
        f"Measured {datetime.datetime.now(datetime.UTC).date().isoformat()} on {machine_summary()}, gunicorn with one "
        "sync worker on 127.0.0.1, production settings, SQLite, rate limits off.\n\n"
        f"```\n{command}\n```\n\n{table}\n\n"
        f"Worker peak resident memory (VmHWM): **{rss_before:.0f} MB** after warm-up, "
        f"**{rss_after:.0f} MB** after the worst accepted requests. The attack request is refused from "
        "the image headers, so it costs about as much as a small form post."
    )
    replace_block("uploads", body)


if __name__ == "__main__":
    sys.exit(main())
