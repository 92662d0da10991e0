"""Prometheus metrics at /metrics: behind a token, counted per view, summed over gunicorn workers."""

from __future__ import annotations

import os
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from contact.tasks import send_message_confirmation
from tests.factories import ContactMessageFactory
from tests.helpers import en_url
from tests.pagecache.live import get, manage, start_site, stop

pytestmark = pytest.mark.django_db
TOKEN = "a-scrape-token-for-the-tests"


def scrape(client) -> dict[tuple[str, frozenset], float]:
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    return parse(response.content.decode())


def parse(text: str) -> dict[tuple[str, frozenset], float]:
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(samples: dict, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


@pytest.fixture
def metrics_token(settings):
    settings.METRICS_TOKEN = TOKEN


def test_no_metrics_without_a_configured_token(client, settings):
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 404


def test_metrics_need_the_token(client, metrics_token):
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong-token").status_code == 401
    assert client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 200


def test_requests_and_latency_are_counted_per_view(client, metrics_token):
    before = scrape(client)
    for _ in range(3):
        client.get("/robots.txt")
    client.get("/en/no-such-page/")
    after = scrape(client)
    counted = {"view": "robots_txt", "method": "GET", "status": "200"}
    assert (
        value(after, "helpcenter_requests_total", **counted)
        - value(before, "helpcenter_requests_total", **counted)
        == 3
    )
    latency = "helpcenter_request_duration_seconds_count"
    assert value(after, latency, view="robots_txt") - value(before, latency, view="robots_txt") == 3
    not_found = {"view": "<unresolved>", "method": "GET", "status": "404"}
    assert (
        value(after, "helpcenter_requests_total", **not_found)
        - value(before, "helpcenter_requests_total", **not_found)
        == 1
    )


def test_page_cache_hits_and_misses_are_counted(client, metrics_token):
    before = scrape(client)
    for _ in range(3):
        client.get("/robots.txt")
    after = scrape(client)
    lookups = "helpcenter_page_cache_lookups_total"
    assert value(after, lookups, result="miss") - value(before, lookups, result="miss") == 1
    assert value(after, lookups, result="hit") - value(before, lookups, result="hit") == 2


def test_rate_limit_refusals_are_counted_per_scope(client, settings, metrics_token):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "scam-report": "1/h"}
    before = scrape(client)
    for _ in range(3):
        client.post(en_url("trust:report_create"), {})
    after = scrape(client)
    refusals = "helpcenter_rate_limit_refusals_total"
    assert value(after, refusals, scope="scam-report") - value(before, refusals, scope="scam-report") == 2


def test_queue_depth_and_the_oldest_unsent_email_are_read_from_the_database(client, settings, metrics_token):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    assert value(scrape(client), "helpcenter_unsent_email_oldest_age_seconds") == 0
    waiting = ContactMessageFactory(created_at=timezone.now() - timedelta(minutes=10))
    ContactMessageFactory(confirmation_sent_at=timezone.now())
    send_message_confirmation.enqueue(waiting.pk, "https://help.example")
    samples = scrape(client)
    assert value(samples, "helpcenter_task_queue_depth", queue="default") == 1
    assert value(samples, "helpcenter_unsent_emails") == 1
    assert 600 <= value(samples, "helpcenter_unsent_email_oldest_age_seconds") < 660


@pytest.mark.e2e
def test_several_gunicorn_workers_report_every_request(tmp_path):
    """Each worker counts in its own file (PROMETHEUS_MULTIPROC_DIR); any worker's scrape sums them all."""
    multiproc = tmp_path / "prometheus"
    multiproc.mkdir()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "helpcenter.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'site.sqlite3'}",
        "DJANGO_METRICS_TOKEN": TOKEN,
        "PROMETHEUS_MULTIPROC_DIR": str(multiproc),
        "DJANGO_PAGE_CACHE_VERSION_FILE": str(tmp_path / "version"),
        "DJANGO_MEDIA_ROOT": str(tmp_path / "media"),
    }
    env.pop("REDIS_URL", None)
    env.pop("DATABASE_REPLICA_URL", None)
    manage(env, "migrate", "--noinput", "-v", "0")
    server, base = start_site(env, tmp_path / "gunicorn.log", workers=3)
    try:
        # Batches until more than one worker has answered (the others may still be loading).
        answers = []
        deadline = time.monotonic() + 120
        with ThreadPoolExecutor(max_workers=8) as pool:
            while len(list(multiproc.glob("counter_*.db"))) < 2 and time.monotonic() < deadline:
                answers += pool.map(lambda _: get(base + "/healthz"), range(40))
        assert [answer.body for answer in answers if answer.status != 200] == []
        scrapes = [parse(get(base + "/metrics", {"Authorization": f"Bearer {TOKEN}"}).body) for _ in range(3)]
    finally:
        stop(server)
    for samples in scrapes:
        assert value(samples, "helpcenter_requests_total", view="healthz", method="GET", status="200") == len(
            answers
        )
    # More than one worker answered, and every one's count is in the sum.
    assert len(list(multiproc.glob("counter_*.db"))) >= 2
