"""Redis down under the site: every page still answers, nothing submitted is lost, nothing stale.

On an outage day the cache may be the part that fails. pagecache.redis.RedisCache then
answers from this process's memory (rate limits keep counting), the content version cannot
be read so every page is rendered from the database, and a change saved meanwhile moves the
version as soon as Redis answers again, so the pages Redis kept from before the outage are
never served after it. These tests run the real cache backend against a Redis server that
refuses connections, one that accepts them and never answers, and a private redis-server
stopped and started again with its data.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
import redis
from django.test import Client

from bench.server import free_port
from contact.models import ContactMessage
from faq.models import Article
from pagecache import redis as redis_cache
from tests.factories import ArticleFactory
from tests.helpers import closed_port, en_url, zh_url

pytestmark = pytest.mark.django_db


def use_redis(settings, url: str) -> None:
    settings.CACHES = {
        "default": {"BACKEND": "pagecache.redis.RedisCache", "LOCATION": url, "KEY_PREFIX": "down"}
    }


@pytest.fixture
def redis_refusing(settings) -> None:
    use_redis(settings, f"redis://127.0.0.1:{closed_port()}/0")


def test_every_public_page_answers_while_redis_refuses_connections(redis_refusing, kdpay):
    article = ArticleFactory(title="账户被冻结了怎么办", brands=[kdpay])
    visitor = Client()
    pages = [
        zh_url("faq:home"),
        en_url("faq:home"),
        article.get_absolute_url(),
        zh_url("faq:category_detail", article.category.slug),
        zh_url("faq:brand_detail", "kdpay"),
        zh_url("faq:search") + "?q=账户冻结",
        "/api/v1/search?q=账户冻结",
        zh_url("contact:message_create"),
        zh_url("contact:brand_detail", "kdpay"),
    ]
    for page in pages:
        assert visitor.get(page).status_code == 200, page
    assert "账户被冻结了怎么办" in visitor.get(article.get_absolute_url()).content.decode()


def test_a_message_sent_while_redis_is_down_is_kept_and_gets_its_reference(redis_refusing, valid_data):
    visitor = Client()
    response = visitor.post(zh_url("contact:message_create"), valid_data)
    assert response.status_code == 302
    message = ContactMessage.objects.get()
    assert message.message == valid_data["message"]
    assert message.reference in visitor.get(response["Location"]).content.decode()


@pytest.mark.usefixtures("frozen_clock")
def test_rate_limits_keep_counting_while_redis_is_down(redis_refusing, settings, kdpay):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "contact-lookup": "3/15m"}
    lookup = {"reference": "KD-AAAA-BBBB", "email": "zhang@mail.example"}
    visitor = Client()
    for _ in range(3):
        assert visitor.post(en_url("contact:status_lookup"), lookup).status_code == 200
    assert visitor.post(en_url("contact:status_lookup"), lookup).status_code == 429


def test_a_redis_that_never_answers_costs_one_timeout_not_one_per_request(settings, monkeypatch):
    # Accepts connections (the kernel completes them) and never reads: a hung server.
    with socket.socket() as hung:
        hung.bind(("127.0.0.1", 0))
        hung.listen(64)
        use_redis(settings, f"redis://127.0.0.1:{hung.getsockname()[1]}/0")
        monkeypatch.setattr(redis_cache, "RETRY_SECONDS", 60.0)  # the whole test is one outage
        visitor = Client()
        started = time.monotonic()
        answers = [visitor.get(zh_url("faq:home")).status_code for _ in range(10)]
        elapsed = time.monotonic() - started
    assert answers == [200] * 10
    # One read times out (2 s) and the next ten requests skip Redis; without the breaker
    # each request would wait for its own timeouts (over 20 s for these ten).
    assert elapsed < 10, elapsed


class PrivateRedis:
    """Debian's redis-server on a port of its own, whose data survives a stop (SHUTDOWN SAVE)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.port = free_port(range(8800, 8900))
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        client = redis.Redis(port=self.port)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                client.ping()
                return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop_keeping_data(self) -> None:
        redis.Redis(port=self.port).shutdown(save=True)
        self.process.wait(timeout=10)

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()


@pytest.fixture
def private_redis(tmp_path, settings):
    if shutil.which("redis-server") is None:
        pytest.fail("needs Debian's redis-server (it runs the project's Redis)")
    server = PrivateRedis(tmp_path)
    server.start()
    use_redis(settings, server.url)
    yield server
    server.kill()


@pytest.mark.xdist_group("private-redis")
def test_a_change_saved_during_the_outage_is_shown_during_and_after_it(private_redis):
    article = ArticleFactory(title="旧标题：账户被冻结")
    visitor = Client()
    for _ in range(2):  # cached in Redis (and in this worker's copies) under the current version
        assert "旧标题" in visitor.get(article.get_absolute_url()).content.decode()

    private_redis.stop_keeping_data()
    Article.objects.filter(pk=article.pk).update(title="新标题：账户被冻结")
    article.refresh_from_db()
    article.save()  # the editor's save: the version cannot move now
    assert "新标题" in visitor.get(article.get_absolute_url()).content.decode()

    private_redis.start()  # back with the old version and the old page
    assert redis.Redis(port=private_redis.port).dbsize() > 0
    time.sleep(redis_cache.RETRY_SECONDS + 0.2)
    for _ in range(3):
        assert "新标题" in visitor.get(article.get_absolute_url()).content.decode()
