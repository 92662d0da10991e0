"""The support dashboard: messages per day by topic and response-time percentiles, for a period and
a brand, in a constant number of queries, with a CSV download."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from contact.dashboard import percentile, support_summary
from contact.models import ContactMessage
from helpcenter.dashboards import Period
from tests.factories import BrandFactory, ContactMessageFactory

pytestmark = pytest.mark.django_db

URL = reverse("admin:dashboard_support")
# 2026-12-01 10:00 in Shanghai; the dashboard's days are Shanghai days.
NOW = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def message(brand, topic="refunds", at=NOW, first=None, resolved=None):
    return ContactMessageFactory(
        brand=brand,
        topic=topic,
        created_at=at,
        first_response_at=at + first if first else None,
        resolved_at=at + resolved if resolved else None,
    )


def test_percentiles_take_the_nearest_rank():
    values = [timedelta(minutes=m) for m in (10, 20, 30, 40, 50, 60, 70, 80, 90, 100)]
    assert (percentile(values, 50), percentile(values, 90)) == (timedelta(minutes=50), timedelta(minutes=90))


def test_messages_are_counted_per_local_day_and_topic(kdpay):
    message(kdpay, "refunds", NOW)
    message(kdpay, "refunds", NOW)
    message(kdpay, "security", NOW)
    # 2026-11-30 17:00 UTC is already 1 December in Shanghai.
    message(kdpay, "security", datetime(2026, 11, 30, 17, 0, tzinfo=UTC))
    summary = support_summary(Period(NOW.date(), NOW.date()))
    assert summary.counts[NOW.date()] == {"refunds": 2, "security": 2}


def test_another_brands_messages_are_left_out(kdpay):
    message(kdpay)
    message(BrandFactory(slug="other"))
    summary = support_summary(Period(NOW.date(), NOW.date(), kdpay))
    assert summary.counts[NOW.date()] == {"refunds": 1}


def test_first_response_percentiles(kdpay):
    for minutes in (10, 20, 30, 40):
        message(kdpay, first=timedelta(minutes=minutes))
    message(kdpay)  # not answered yet: not counted
    summary = support_summary(Period(NOW.date(), NOW.date()))
    assert summary.first_response == {50: timedelta(minutes=20), 90: timedelta(minutes=40)}


def _many(brand, n):
    ContactMessage.objects.bulk_create(
        ContactMessageFactory.build(
            brand=brand,
            topic=ContactMessage.Topic.values[i % 6],
            created_at=NOW - timedelta(hours=9 * i),
            first_response_at=NOW - timedelta(hours=9 * i) + timedelta(minutes=i),
            resolved_at=NOW - timedelta(hours=9 * i) + timedelta(hours=i) if i % 3 else None,
            reference=f"QC-{n}-{i}",
        )
        for i in range(n)
    )


def test_the_query_count_does_not_grow_with_the_messages(kdpay, agent, django_assert_max_num_queries):
    _many(kdpay, 10)
    with django_assert_max_num_queries(20) as few:
        agent.get(URL, {"days": 90})
    _many(BrandFactory(), 200)
    with django_assert_max_num_queries(20) as many:
        agent.get(URL, {"days": 90})
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_page_shows_the_numbers(kdpay, agent):
    for minutes in (10, 20):
        message(kdpay, first=timedelta(minutes=minutes))
    page = agent.get(URL).content.decode()
    assert '<td class="p50-first">10\xa0分钟</td>' in page


def test_the_table_downloads_as_csv(kdpay, agent):
    message(kdpay, "refunds")
    response = agent.get(URL, {"days": "7", "download": "per-day"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[-1] == ["2026-12-01", "0", "0", "1", "0", "0", "0", "1"]


def test_a_bad_period_is_a_clear_400(agent):
    response = agent.get(URL, {"days": "abc"})
    assert response.status_code == 400


def test_staff_without_the_inbox_cannot_see_it(django_user_model):
    user = django_user_model.objects.create_user("editor", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    client = Client()
    client.force_login(user)
    assert client.get(URL).status_code == 403


def test_sql_percentiles_match_the_nearest_rank_in_python(kdpay):
    """Waits with ties and odd counts: the database's pick is the Python nearest rank, on both databases."""
    waits = [
        timedelta(minutes=m, seconds=s)
        for m, s in zip([7, 3, 3, 90, 12, 45, 3, 600, 8], range(9), strict=True)
    ]
    for wait in waits:
        message(kdpay, first=wait, resolved=wait * 2)
    summary = support_summary(Period(NOW.date(), NOW.date()))
    assert summary.first_response == {p: percentile(waits, p) for p in (50, 90)}
    assert summary.resolution == {p: percentile([w * 2 for w in waits], p) for p in (50, 90)}


def test_percentiles_leave_out_messages_without_the_time(kdpay):
    """Both waits come from one query: unanswered and unresolved messages (ranked after the others)
    never shift a percentile, on both databases."""
    answered = [timedelta(minutes=m) for m in (40, 5, 20, 30, 10)]
    resolved = [timedelta(hours=h) for h in (9, 2)]
    for index, wait in enumerate(answered):
        message(kdpay, first=wait, resolved=resolved[index] if index < len(resolved) else None)
    for _ in range(6):
        message(kdpay)  # neither answered nor resolved
    summary = support_summary(Period(NOW.date(), NOW.date()))
    assert summary.first_response == {50: timedelta(minutes=20), 90: timedelta(minutes=40)}
    assert summary.resolution == {50: timedelta(hours=2), 90: timedelta(hours=9)}


@pytest.mark.parametrize("count", [1, 2, 3, 9, 10, 11, 20])
def test_percentiles_are_the_nearest_rank_for_any_count(kdpay, count):
    """PostgreSQL's percentile_disc and SQLite's ranks pick the same message as the Python nearest
    rank, at the counts where ceil(p x count) lands exactly on a rank and just past it."""
    waits = [timedelta(minutes=(7 * n) % count + n + 1) for n in range(count)]  # ties, never 0
    for wait in waits:
        message(kdpay, first=wait, resolved=wait * 3)
    summary = support_summary(Period(NOW.date(), NOW.date()))
    assert summary.first_response == {p: percentile(waits, p) for p in (50, 90)}
    assert summary.resolution == {p: percentile([w * 3 for w in waits], p) for p in (50, 90)}
