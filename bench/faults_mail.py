"""The mail server is down for a while: every contact message and reply is kept and emailed once it is back.

    .venv/bin/python bench/faults_mail.py                 # defaults below, writes docs/benchmarks.md
    .venv/bin/python bench/faults_mail.py --before 20 --during 60 --replies 20 --outage 20 --no-docs

Everything runs on 127.0.0.1 with the production code path:

1. (re)creates its own PostgreSQL database (hc_trust_mail on the shared server; only that
   database), migrates it and adds a brand and a staff user;
2. starts a tiny SMTP server (tests/smtp.py, a few lines of socketserver, in this process)
   that records every email it accepts, gunicorn (helpcenter settings, contact rate limits
   off since all posts come from one address) and the task worker (`manage.py db_worker`);
3. posts `--before` contact messages through the form while mail works, then stops the
   SMTP server (its port refuses connections), posts `--during` more messages and writes
   `--replies` staff replies (contact.services.contact_reply_create), waits `--outage`
   seconds and starts the SMTP server again;
4. runs `manage.py contact_resend_emails` every `--cron` seconds throughout, as the cron job
   in the README does, until every confirmation and reply is marked sent (or `--timeout`).

It checks that every accepted message is stored, that the SMTP server received exactly one
confirmation per message and one email per staff reply (no loss, no duplicate), and reports
how long after the mail server returned the last email went out.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import report  # noqa: E402
from bench.django_env import BASE_DIR  # noqa: E402
from bench.server import free_port  # noqa: E402
from tests.smtp import Mailbox, start_smtp, stop_smtp  # noqa: E402

PYTHON = sys.executable
DATABASE_URL = "postgres://postgres@127.0.0.1:5432/hc_trust_mail"
PORTS = range(8300, 8400)
DOC_BLOCK = "trust-faults-mail"


# --- Site, worker and traffic --------------------------------------------------------------------


def recreate_database() -> None:
    import psycopg

    parts = urllib.parse.urlsplit(DATABASE_URL)
    with psycopg.connect(parts._replace(path="/postgres").geturl(), autocommit=True) as connection:
        connection.execute('DROP DATABASE IF EXISTS "hc_trust_mail" WITH (FORCE)')
        connection.execute('CREATE DATABASE "hc_trust_mail"')


def manage(env: dict[str, str], *args: str) -> str:
    completed = subprocess.run(
        [PYTHON, "manage.py", *args], env=env, cwd=BASE_DIR, capture_output=True, text=True, timeout=300
    )
    if completed.returncode != 0:
        raise SystemExit(completed.stdout + completed.stderr)
    return completed.stdout


SETUP = """
from django.contrib.auth.models import User
from brands.models import Brand
Brand.objects.get_or_create(slug="kdpay", defaults={"name": "KDPAY"})
User.objects.create_superuser("agent", password=None)
"""

REPLY = """
import sys
from django.contrib.auth.models import User
from contact.models import ContactMessage
from contact.services import contact_reply_create
agent = User.objects.get(username="agent")
for message in ContactMessage.objects.order_by("pk")[:{count}]:
    contact_reply_create(contact_message=message, author=agent, body="已为您重新发起退款。", base_url="{base_url}")
"""


def post_message(base_url: str, n: int, run: str) -> tuple[int, str]:
    token = secrets.token_hex(16)
    email = f"fault+{run}-{n}@mail.example"
    data = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": token,
            "brand": "kdpay",
            "topic": "other",
            "name": f"用户 {n}",
            "email": email,
            "subject": f"mail-fault-{run}-{n}",
            "message": "提现一直显示处理中，已经两天了。",
            "website": "",
        }
    ).encode()
    request = urllib.request.Request(
        base_url + "contact/message/",
        data=data,
        headers={"Cookie": f"csrftoken={token}", "Content-Type": "application/x-www-form-urlencoded"},
    )

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=60) as response:
            return response.status, email
    except urllib.error.HTTPError as error:
        return error.code, email


def counts(env: dict[str, str]) -> dict[str, int]:
    script = (
        "from contact.models import ContactMessage, Reply\n"
        "print(ContactMessage.objects.count(), ContactMessage.objects.filter(confirmation_sent_at=None).count(),"
        " Reply.objects.filter(kind='staff').count(), Reply.objects.filter(kind='staff', email_sent_at=None).count())"
    )
    messages, unsent, replies, unsent_replies = map(int, manage(env, "shell", "-c", script).split()[-4:])
    return {"messages": messages, "unsent": unsent, "replies": replies, "unsent_replies": unsent_replies}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--before", type=int, default=20, help="messages while mail works")
    parser.add_argument("--during", type=int, default=60, help="messages while the mail server is down")
    parser.add_argument("--replies", type=int, default=20, help="staff replies while it is down")
    parser.add_argument("--outage", type=float, default=20, help="seconds the mail server stays down")
    parser.add_argument("--cron", type=float, default=5, help="seconds between contact_resend_emails runs")
    parser.add_argument("--timeout", type=float, default=180)
    parser.add_argument("--no-docs", action="store_true")
    args = parser.parse_args()
    command = ("python bench/faults_mail.py " + " ".join(sys.argv[1:])).strip()

    work = Path(tempfile.mkdtemp(prefix="hc-mail-"))
    recreate_database()
    smtp_port = free_port(PORTS)
    web_port = free_port(port for port in PORTS if port != smtp_port)
    base_url = f"http://127.0.0.1:{web_port}/"
    env = {
        **os.environ,
        "DATABASE_URL": DATABASE_URL,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_RATELIMIT_ENABLE": "0",
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "DJANGO_EMAIL_HOST": "127.0.0.1",
        "DJANGO_EMAIL_PORT": str(smtp_port),
        "DJANGO_EMAIL_TIMEOUT": "3",
        "DJANGO_LOG_LEVEL": "CRITICAL",
    }
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "shell", "-c", SETUP)
    mailbox = Mailbox()
    smtp = start_smtp(smtp_port, mailbox)
    gunicorn = subprocess.Popen(
        [str(Path(PYTHON).parent / "gunicorn"), "helpcenter.wsgi:application", "--bind", f"127.0.0.1:{web_port}",
         "--workers", "2", "--log-level", "warning", "--error-logfile", str(work / "gunicorn.log")],
        env=env, cwd=BASE_DIR, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
    )  # fmt: skip
    worker = subprocess.Popen(
        [PYTHON, "manage.py", "db_worker", "--interval", "0.5"],
        env=env, cwd=BASE_DIR, stdout=subprocess.DEVNULL, stderr=open(work / "worker.log", "w"),  # noqa: SIM115
    )  # fmt: skip
    stop_cron = threading.Event()
    cron_runs = Counter()

    def cron() -> None:
        while not stop_cron.wait(args.cron):
            manage(env, "contact_resend_emails", "--base-url", base_url)
            cron_runs["runs"] += 1

    try:
        for _ in range(60):
            try:
                urllib.request.urlopen(base_url, timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        run = secrets.token_hex(3)
        statuses = Counter()
        accepted: list[str] = []
        for n in range(args.before):
            status, email = post_message(base_url, n, run)
            statuses[status] += 1
            accepted += [email] if status == 302 else []
        threading.Thread(target=cron, daemon=True).start()
        time.sleep(3)  # let the worker send the first confirmations
        stop_smtp(smtp)
        down_at = time.monotonic()
        print(f"mail server down; posting {args.during} messages and {args.replies} replies", flush=True)
        for n in range(args.before, args.before + args.during):
            status, email = post_message(base_url, n, run)
            statuses[status] += 1
            accepted += [email] if status == 302 else []
        manage(env, "shell", "-c", REPLY.format(count=args.replies, base_url=base_url))
        time.sleep(max(0.0, args.outage - (time.monotonic() - down_at)))
        during_outage = counts(env)
        smtp = start_smtp(smtp_port, mailbox)
        back_at = time.monotonic()
        print("mail server back", flush=True)
        deadline = back_at + args.timeout
        while time.monotonic() < deadline:
            state = counts(env)
            if state["unsent"] == 0 and state["unsent_replies"] == 0:
                break
            time.sleep(1)
        drained_at = max((at for at, _, _ in mailbox.messages), default=back_at)
        time.sleep(args.cron * 2 + 2)  # more cron runs: nothing may be sent twice
        final = counts(env)
    finally:
        stop_cron.set()
        for process in (gunicorn, worker):
            process.terminate()
            process.wait(timeout=30)
        stop_smtp(smtp)
        shutil.rmtree(work, ignore_errors=True)

    per_recipient = Counter(recipient for _, recipients, _ in mailbox.messages for recipient in recipients)
    expected = Counter(dict.fromkeys(accepted, 1))
    for email in accepted[: args.replies]:
        expected[email] += 1
    lost = sum((expected - per_recipient).values())
    duplicates = sum((per_recipient - expected).values())
    after_back = sum(1 for at, _, _ in mailbox.messages if at >= back_at)
    body = f"""### Mail server outage

Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {report.machine_summary()}, with

    {command}

gunicorn (2 workers) and `manage.py db_worker` on PostgreSQL, a local SMTP server of the script's own,
`contact_resend_emails` every {args.cron:.0f} s as a cron job would run it ({cron_runs["runs"]} runs).

| | count |
|---|---|
| contact messages posted (before + during the outage) | {sum(statuses.values())} ({args.before} + {args.during}) |
| accepted (302) / other answers | {statuses[302]} / {sum(statuses.values()) - statuses[302]} |
| staff replies written during the outage | {args.replies} |
| stored while the mail server was down: messages / replies | {during_outage["messages"]} / {during_outage["replies"]} |
| unsent at the end of the outage: confirmations / replies | {during_outage["unsent"]} / {during_outage["unsent_replies"]} |
| emails received by the SMTP server (before / after it came back) | {len(mailbox.messages)} ({len(mailbox.messages) - after_back} / {after_back}) |
| emails expected (one confirmation per message, one per reply) | {sum(expected.values())} |
| lost / duplicated | **{lost} / {duplicates}** |
| unsent after the run: confirmations / replies | {final["unsent"]} / {final["unsent_replies"]} |
| last email delivered after the mail server came back | {drained_at - back_at:.1f} s |

The worst case for the delay is one cron interval plus the worker's polling interval; a
message is never lost because it is committed before its email is enqueued, and never
emailed twice because the task checks and sets `confirmation_sent_at` / `email_sent_at`.
"""
    print(body)
    if not args.no_docs:
        report.replace_block(DOC_BLOCK, body)
    if (
        lost
        or duplicates
        or statuses[302] != sum(statuses.values())
        or final["unsent"]
        or final["unsent_replies"]
    ):
        raise SystemExit("FAILED: see the figures above")


if __name__ == "__main__":
    main()
