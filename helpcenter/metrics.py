"""Prometheus metrics (prometheus-client), served at /metrics to whoever holds DJANGO_METRICS_TOKEN.

Two kinds, because gunicorn runs several worker processes and any one of them answers a scrape:

- Counted as they happen (requests and latency per view, page-cache hits and misses,
  rate-limit refusals): each process counts its own. With PROMETHEUS_MULTIPROC_DIR set
  (production, several workers) prometheus-client keeps each process's values in a
  memory-mapped file in that directory and the scrape sums the files of every process,
  live or gone, so no count is lost when a worker restarts. The directory must be emptied
  when the server starts (deploy/ does). Without it (one process: `make run`, tests)
  the values live in the process.
- Read at scrape time from the database (task queue depth, the oldest unsent email): one
  shared truth that no worker holds, so it is computed when asked, never kept per process.
"""

from __future__ import annotations

import hmac
import logging
import os

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError
from django.db.models import Count, Min
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily

logger = logging.getLogger(__name__)

REQUESTS = Counter(
    "helpcenter_requests", "HTTP requests answered, by view, method and status.", ["view", "method", "status"]
)
LATENCY = Histogram(
    "helpcenter_request_duration_seconds",
    "Time from the first middleware to the response, by view.",
    ["view"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
PAGE_CACHE = Counter(
    "helpcenter_page_cache_lookups", "Page-cache lookups of cacheable requests, by result.", ["result"]
)
RATE_LIMIT_REFUSALS = Counter(
    "helpcenter_rate_limit_refusals", "Requests refused by a rate limit, by scope.", ["scope"]
)


_children: dict[tuple[str, str, int], tuple] = {}


# Any other method a client makes up is counted as "other": each label value is a new series.
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def request_observed(view: str, method: str, status: int, seconds: float) -> None:
    method = method if method in METHODS else "other"
    # labels() takes a lock and builds a key on every call; the few combinations are kept here.
    children = _children.get((view, method, status))
    if children is None:
        children = _children[view, method, status] = (
            REQUESTS.labels(view, method, str(status)),
            LATENCY.labels(view),
        )
    children[0].inc()
    children[1].observe(seconds)


_HIT, _MISS = PAGE_CACHE.labels("hit"), PAGE_CACHE.labels("miss")


def page_cache_hit() -> None:
    _HIT.inc()


def page_cache_miss() -> None:
    _MISS.inc()


def rate_limit_refused(scope: str) -> None:
    RATE_LIMIT_REFUSALS.labels(scope).inc()


class DatabaseCollector:
    """Queue depth and unsent email, read from the primary database at each scrape."""

    def collect(self):
        from django_tasks_db.models import DBTaskResult

        from contact.models import ContactMessage, Reply

        now = timezone.now()
        try:
            queues = (
                DBTaskResult.objects.using(DEFAULT_DB_ALIAS)
                .ready()
                .values("queue_name")
                .annotate(depth=Count("pk"), oldest=Min("enqueued_at"))
                .order_by()
            )
            queues = list(queues)
            oldest_message = (
                ContactMessage.objects.using(DEFAULT_DB_ALIAS)
                .unsent_confirmations()
                .aggregate(oldest=Min("created_at"), count=Count("pk"))
            )
            oldest_reply = (
                Reply.objects.using(DEFAULT_DB_ALIAS)
                .filter(kind=Reply.Kind.STAFF, email_sent_at__isnull=True)
                .aggregate(oldest=Min("created_at"), count=Count("pk"))
            )
        except DatabaseError:
            logger.warning("Metrics: the database did not answer; queue and email figures left out")
            return
        depth = GaugeMetricFamily(
            "helpcenter_task_queue_depth",
            "Tasks waiting to run (due or deferred), by queue.",
            labels=["queue"],
        )
        for queue in queues:
            depth.add_metric([queue["queue_name"]], queue["depth"])
        yield depth
        unsent = [row["oldest"] for row in (oldest_message, oldest_reply) if row["oldest"] is not None]
        yield GaugeMetricFamily(
            "helpcenter_unsent_email_oldest_age_seconds",
            "Age of the oldest email (confirmation or staff reply) not sent yet; 0 when none is waiting.",
            value=(now - min(unsent)).total_seconds() if unsent else 0,
        )
        yield GaugeMetricFamily(
            "helpcenter_unsent_emails",
            "Emails (confirmations and staff replies) not sent yet.",
            value=oldest_message["count"] + oldest_reply["count"],
        )


def exposition() -> bytes:
    """Every metric in Prometheus' text format: all processes' counters, then the database figures."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        counted = CollectorRegistry()
        multiprocess.MultiProcessCollector(counted)
    else:
        counted = REGISTRY
    from_database = CollectorRegistry()
    from_database.register(DatabaseCollector())
    return generate_latest(counted) + generate_latest(from_database)


def token_matches(request: HttpRequest) -> bool:
    scheme, _, token = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(token.encode(), settings.METRICS_TOKEN.encode())


def metrics_view(request: HttpRequest) -> HttpResponse:
    """GET /metrics with `Authorization: Bearer <DJANGO_METRICS_TOKEN>`."""
    if not token_matches(request):
        response = HttpResponse("Unauthorized\n", status=401, content_type="text/plain")
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    response = HttpResponse(exposition(), content_type=CONTENT_TYPE_LATEST)
    response["Cache-Control"] = "no-store"
    return response
