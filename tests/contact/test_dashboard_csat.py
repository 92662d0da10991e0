"""CSAT over time: ratings per day (per week over 90 days) and per brand, their average and the
share of 4 and 5, the same on SQLite and PostgreSQL, in a fixed number of queries."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from contact.dashboard_csat import csat_summary
from contact.models import ContactMessage
from helpcenter.dashboards import Period
from tests.factories import BrandFactory, ContactMessageFactory

pytestmark = pytest.mark.django_db

URL = reverse("admin:dashboard_csat")
# 2026-12-01 10:00 in Shanghai (a Tuesday); the dashboard's days are Shanghai days.
NOW = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
TODAY = date(2026, 12, 1)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def agent(django_user_model) -> Client:
    user = django_user_model.objects.create_user("agent", is_staff=True)
    user.groups.add(Group.objects.get(name="Support agents"))
    client = Client()
    client.force_login(user)
    return client


def rated(brand, rating, at=NOW):
    return ContactMessageFactory(brand=brand, rating=rating, rated_at=at, created_at=at - timedelta(days=1))


def test_ratings_per_local_day(kdpay):
    for rating in (5, 4, 2):
        rated(kdpay, rating)
    rated(kdpay, 1, datetime(2026, 11, 30, 15, 0, tzinfo=UTC))  # 23:00 in Shanghai, the day before
    ContactMessageFactory(brand=kdpay)  # not rated: not counted
    summary = csat_summary(Period(TODAY - timedelta(days=1), TODAY))
    (yesterday, before), (today, ratings) = summary.buckets
    assert (yesterday, before.count, before.average, before.satisfied_share) == (date(2026, 11, 30), 1, 1, 0)
    assert (today, ratings.count, ratings.average, ratings.satisfied_share) == (TODAY, 3, 3.67, 66.7)


def test_ninety_days_are_shown_per_week_from_monday(kdpay):
    rated(kdpay, 5)  # Tuesday 1 December: the week of Monday 30 November
    rated(kdpay, 3, NOW - timedelta(days=1))  # Monday 30 November, same week
    rated(kdpay, 4, NOW - timedelta(days=2))  # Sunday 29 November: the week before
    summary = csat_summary(Period(TODAY - timedelta(days=89), TODAY))
    assert summary.weekly
    weeks = dict(summary.buckets)
    assert weeks[date(2026, 11, 30)].count == 2 and weeks[date(2026, 11, 30)].average == 4
    assert weeks[date(2026, 11, 23)].count == 1
    assert all(start.weekday() == 0 for start in weeks)


def test_per_brand_and_one_brand(kdpay):
    other = BrandFactory(name="OKPAY", slug="okpay")
    rated(kdpay, 5)
    rated(other, 1)
    rated(other, 2)
    everyone = csat_summary(Period(TODAY, TODAY))
    assert [(name, r.count, r.satisfied_share) for name, r in everyone.brands] == [
        ("KDPAY", 1, 100),
        ("OKPAY", 2, 0),
    ]
    assert csat_summary(Period(TODAY, TODAY, other)).overall.count == 2


def test_the_page_and_the_csv_show_the_same_figures(kdpay, agent):
    rated(kdpay, 5)
    rated(kdpay, 2)
    page = agent.get(URL, {"days": 7}).content.decode()
    assert '<td class="number">3.5</td><td class="number">50.0%</td>' in page
    assert "<svg" in page and "polyline" not in page  # one point has no line to draw
    response = agent.get(URL, {"days": 7, "download": "csat"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["day", "ratings", "average", "satisfied_percent"]
    assert rows[-1] == ["2026-12-01", "2", "3.5", "50.0"]


def _rate_many(brand, n):
    ContactMessage.objects.bulk_create(
        ContactMessageFactory.build(
            brand=brand, rating=1 + i % 5, rated_at=NOW - timedelta(hours=7 * i), reference=f"CS-{n}-{i}"
        )
        for i in range(n)
    )


def test_the_query_count_does_not_grow_with_the_ratings(kdpay, agent, django_assert_max_num_queries):
    _rate_many(kdpay, 10)
    with django_assert_max_num_queries(20) as few:
        agent.get(URL, {"days": 90})
    _rate_many(BrandFactory(), 200)
    with django_assert_max_num_queries(20) as many:
        agent.get(URL, {"days": 90})
    assert len(many.captured_queries) == len(few.captured_queries)


def test_editors_cannot_see_it(django_user_model):
    user = django_user_model.objects.create_user("editor", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    client = Client()
    client.force_login(user)
    assert client.get(URL).status_code == 403
