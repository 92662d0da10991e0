"""Issue 14 item 6: the site on two app servers behind nginx, sharing PostgreSQL, Redis and S3.

Each promise is checked by sending one request to one server and the next to the other
(directly, as if nginx had chosen each), or through nginx itself where its choice matters.
The fixture starts everything it needs (tests/deploy/cluster.py); `make test` installs nginx.
"""

from __future__ import annotations

import re
import threading
import uuid
from io import BytesIO

import pytest
import requests
from PIL import Image

from .cluster import (
    ADMIN_PASSWORD,
    ADMIN_USER,
    LOCKOUT_AFTER,
    LOOKUP_LIMIT,
    browser,
    drain,
    post_form,
    undrain,
)
from .forms import form_values

# A layer above the ORM (servers, a proxy), on a PostgreSQL database of its own whatever the
# suite's database: `make test` runs e2e tests once, on its SQLite run. One xdist worker
# starts one cluster for all of them.
pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("multi-server")]

MESSAGE = {
    "brand": "kdpay",
    "topic": "refunds",
    "name": "张三",
    "phone": "",
    "account": "",
    "transaction_reference": "",
    "problem_at": "",
    "website": "",
    "message": "我在三天前申请了退款，还没有到账。",
}
STATUS_LINK = re.compile(r'href="(/en/contact/status/[A-Z0-9-]+/)"')
ATTACHMENT_LINK = re.compile(r'"(/en/contact/attachments/\d+/)"')


def _png(size: tuple[int, int]) -> bytes:
    out = BytesIO()
    Image.new("RGB", size, (30, 120, 200)).save(out, "PNG")
    return out.getvalue()


def _send_message(session: requests.Session, base: str, email: str, subject: str, files=None):
    return post_form(
        session, f"{base}/en/contact/message/", {**MESSAGE, "email": email, "subject": subject}, files=files
    )


def test_a_message_sent_through_one_server_is_seen_with_its_attachment_through_the_other(cluster):
    a, b = cluster.servers
    visitor = browser("198.51.100.10")
    files = {"attachments": ("screen.png", _png((120, 80)), "image/png")}
    sent = _send_message(visitor, a.base, "attach@mail.example", "退款截图", files)
    assert sent.status_code == 302
    status_path = STATUS_LINK.search(visitor.get(f"{b.base}{sent.headers['Location']}", timeout=30).text)[1]
    status_page = visitor.get(f"{b.base}{status_path}", timeout=30)
    assert "退款截图" in status_page.text
    attachment = visitor.get(f"{b.base}{ATTACHMENT_LINK.search(status_page.text)[1]}", timeout=30)
    assert attachment.status_code == 200
    assert Image.open(BytesIO(attachment.content)).size == (120, 80)
    keys = cluster.store.client().list_objects_v2(Bucket=cluster.bucket, Prefix="contact/")["Contents"]
    assert len(keys) == 1


def test_a_rate_limit_counted_on_one_server_holds_on_the_other(cluster):
    a, b = cluster.servers
    visitor = browser("198.51.100.20")
    lookup = {"reference": "KD-AAAA-BBBB", "email": "nobody@mail.example"}
    answers = [
        post_form(visitor, f"{a.base}/en/contact/status/", lookup).status_code for _ in range(LOOKUP_LIMIT)
    ]
    assert answers == [200] * LOOKUP_LIMIT
    assert post_form(visitor, f"{b.base}/en/contact/status/", lookup).status_code == 429


def _admin_login(session: requests.Session, base: str, password: str) -> requests.Response:
    return post_form(
        session,
        f"{base}/admin/login/",
        {"username": ADMIN_USER, "password": password, "next": "/admin/"},
    )


def test_an_admin_lockout_counted_on_one_server_holds_on_the_other(cluster):
    a, b = cluster.servers
    intruder = browser("198.51.100.30")
    failures = [
        _admin_login(intruder, a.base, "wrong-password").status_code for _ in range(LOCKOUT_AFTER - 1)
    ]
    assert failures == [200] * (LOCKOUT_AFTER - 1)
    assert _admin_login(intruder, b.base, "wrong-password").status_code == 429
    # Locked out on both now, even with the right password.
    assert _admin_login(intruder, a.base, ADMIN_PASSWORD).status_code == 429


def test_an_article_edit_through_one_server_shows_through_both_at_once(cluster):
    a, b = cluster.servers
    article_id = cluster.database.value(
        "SELECT id FROM faq_article WHERE slug = %s AND language = %s", "account-locked-frozen", "en"
    )
    url = "/en/a/account-locked-frozen/"
    for server in (a, b):  # both have the page in the shared page cache before the edit
        assert requests.get(f"{server.base}{url}", timeout=30).status_code == 200
    editor = browser("198.51.100.40")
    assert _admin_login(editor, a.base, ADMIN_PASSWORD).status_code == 302
    change_url = f"{a.base}/admin/faq/article/{article_id}/change/"
    values = form_values(editor.get(change_url, timeout=30).text, "article_form")
    new_title = f"Account frozen: what to do now ({uuid.uuid4().hex[:6]})"
    values["title"] = [new_title]
    values["_save"] = ["Save"]
    saved = editor.post(
        change_url, data=values, headers={"Referer": change_url}, allow_redirects=False, timeout=60
    )
    assert saved.status_code == 302, saved.text[-2000:]
    seen = [new_title in requests.get(f"{server.base}{url}", timeout=30).text for server in (a, b)]
    assert seen == [True, True]


def test_a_customers_status_page_session_works_whichever_server_answers(cluster):
    a, b = cluster.servers
    sent = _send_message(browser("198.51.100.50"), a.base, "session@mail.example", "会话测试")
    assert sent.status_code == 302
    reference = cluster.database.value(
        "SELECT reference FROM contact_contactmessage WHERE email = %s", "session@mail.example"
    )
    customer = browser("198.51.100.51")  # on another device, with the reference from the email
    lookup = {"reference": reference, "email": "session@mail.example"}
    found = post_form(customer, f"{b.base}/en/contact/status/", lookup)
    assert found.status_code == 302
    bases = [a.base, b.base, cluster.front, cluster.front]
    pages = [customer.get(f"{base}{found.headers['Location']}", timeout=30) for base in bases]
    assert [(page.status_code, "会话测试" in page.text) for page in pages] == [(200, True)] * 4


LOAD_CLIENTS, MESSAGES_PER_CLIENT = 4, 15
SENT = LOAD_CLIENTS * MESSAGES_PER_CLIENT


def _under_load(cluster, stop_one_server) -> tuple[list[int], int, int]:
    """Four visitors each send messages through nginx (a form, then its post, on a fresh
    connection each, as after a think time); `stop_one_server` runs when half are answered.
    Answers the post statuses, how many were answered before the stop, and how many are stored."""
    run = uuid.uuid4().hex[:8]
    answers: list[int] = []
    half_answered = threading.Event()

    def visitor(number: int) -> None:
        session = requests.Session()
        session.headers["Connection"] = "close"
        for n in range(MESSAGES_PER_CLIENT):
            try:
                response = _send_message(
                    session, cluster.front, f"load{number}-{n}@mail.example", f"load-{run}"
                )
                answers.append(response.status_code)
            except (AssertionError, requests.RequestException) as error:  # the form page failed
                answers.append(type(error).__name__)
            if len(answers) >= SENT // 2:
                half_answered.set()

    threads = [threading.Thread(target=visitor, args=(number,)) for number in range(LOAD_CLIENTS)]
    b = cluster.servers[1]
    for thread in threads:
        thread.start()
    try:
        assert half_answered.wait(timeout=300)
        answered_before_stop = len(answers)
        stop_one_server()
        for thread in threads:
            thread.join(timeout=300)
    finally:
        if b.process is None:
            b.start(cluster.env)
            undrain(cluster.nginx, cluster.tmp, f"127.0.0.1:{b.port}")
    stored = cluster.database.value(
        "SELECT count(*) FROM contact_contactmessage WHERE subject = %s", f"load-{run}"
    )
    return answers, answered_before_stop, stored


def test_stopping_one_server_under_load_loses_no_submitted_message(cluster):
    """README's procedure: take the server out of nginx (`down`, reload), then stop gunicorn."""
    b = cluster.servers[1]

    def drain_then_stop() -> None:
        drain(cluster.nginx, cluster.tmp, f"127.0.0.1:{b.port}")
        b.stop()

    answers, answered_before_stop, stored = _under_load(cluster, drain_then_stop)
    assert answered_before_stop < SENT
    assert answers == [302] * SENT
    assert stored == SENT


def test_a_server_stopped_without_draining_loses_no_acknowledged_message_and_stores_none_twice(cluster):
    """gunicorn's own graceful stop answers what it accepted, but resets connections still
    queued for it; nginx sends a POST to no other server once one may have received it (no
    `non_idempotent`), so such a visitor gets a 502 and their message is not stored, never
    stored twice. Every message a visitor was told was sent is stored."""
    answers, answered_before_stop, stored = _under_load(cluster, cluster.servers[1].stop)
    assert answered_before_stop < SENT
    assert set(answers) <= {302, 502}
    assert stored == answers.count(302)
