"""Contact messages counted per finished day (contact/message_days.py): the support and deflection
dashboards show the same numbers whether the days are counted or read from the messages, today's
messages included; a late first response still moves the percentiles, and deleting messages in
the admin counts their days again."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from contact.dashboard import support_summary
from contact.dashboard_deflection import deflection_summary
from contact.deflection_models import SuggestionCheck
from contact.message_day_models import MessageDay
from contact.models import ContactMessage
from faq.models import SearchDay
from helpcenter.dashboards import Period
from tests.factories import BrandFactory, ContactMessageFactory

pytestmark = pytest.mark.django_db

# 2026-12-01 10:00 in Shanghai; the days are Shanghai days.
NOW = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
TODAY = date(2026, 12, 1)
SUPPORT_URL = reverse("admin:dashboard_support")
DEFLECTION_URL = reverse("admin:dashboard_deflection")


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def message(brand, at, topic="refunds", suggested: int | None = None, first=None) -> ContactMessage:
    sent = ContactMessageFactory(
        brand=brand, topic=topic, created_at=at, first_response_at=at + first if first else None
    )
    if suggested is not None:
        SuggestionCheck.objects.create(contact_message=sent, article_count=suggested)
    return sent


@pytest.fixture
def week_of_messages(kdpay):
    """Messages over the last 9 days (two before a 7-day period), two brands, three topics, some
    checked, some with an article suggested; two on either side of a local midnight."""
    other = BrandFactory(slug="other")
    for n in range(40):
        message(
            [kdpay, other][n % 2],
            NOW - timedelta(hours=5.3 * n),
            topic=["refunds", "security", "account"][n % 3],
            suggested=[None, 0, 2][n % 3] if n % 4 else 1,
        )
    # 2026-11-29 16:00 UTC is 30 November 00:00 in Shanghai; 15:59 is still the 29th.
    message(kdpay, datetime(2026, 11, 29, 16, 0, tzinfo=UTC), suggested=1)
    message(kdpay, datetime(2026, 11, 29, 15, 59, tzinfo=UTC), suggested=0)
    return kdpay


def period(**brand) -> Period:
    return Period(first_day=TODAY - timedelta(days=6), last_day=TODAY, **brand)


def figures(**brand) -> tuple:
    support = support_summary(period(**brand))
    deflection = deflection_summary(period(**brand))
    return (
        support.rows(),
        support.first_response,
        [(d.day, d.sent, d.checked, d.matched) for d in deflection.days],
    )


def test_counted_days_show_the_same_numbers_as_the_messages(week_of_messages):
    kdpay = week_of_messages
    from_messages = [figures(), figures(brand=kdpay)]
    call_command("count_message_days", verbosity=0)
    assert MessageDay.objects.count() == 90 and not MessageDay.objects.filter(day=TODAY).exists()
    assert [figures(), figures(brand=kdpay)] == from_messages
    assert from_messages[0][0][-1]["total"] > 0  # today's messages, read from the messages


def test_the_counts_are_what_the_pages_read_for_finished_days(week_of_messages, agent):
    call_command("count_message_days", verbosity=0)
    support = agent.get(SUPPORT_URL, {"days": "7"}).context["rows"]
    deflection = agent.get(DEFLECTION_URL, {"days": "7"}).context["summary"].days
    # Gone without the admin: only the counts still know them.
    ContactMessage.objects.filter(created_at__lt=NOW - timedelta(days=1)).delete()
    assert agent.get(SUPPORT_URL, {"days": "7"}).context["rows"][:-2] == support[:-2]
    assert agent.get(DEFLECTION_URL, {"days": "7"}).context["summary"].days[:-2] == deflection[:-2]
    assert sum(row["total"] for row in support[:-2]) > 0


def test_a_late_first_response_moves_the_percentiles_of_a_counted_day(kdpay, agent):
    yesterday = message(kdpay, NOW - timedelta(days=1))
    message(kdpay, NOW - timedelta(days=1), first=timedelta(minutes=10))
    call_command("count_message_days", verbosity=0)
    ContactMessage.objects.filter(pk=yesterday.pk).update(
        first_response_at=yesterday.created_at + timedelta(minutes=30)
    )
    page = agent.get(SUPPORT_URL, {"days": "7"}).content.decode()
    assert '<td class="p90-first">30\xa0分钟</td>' in page


def test_deleting_messages_in_the_admin_recounts_their_days(kdpay, admin_client):
    gone = message(kdpay, NOW - timedelta(days=3), suggested=1)
    message(kdpay, NOW - timedelta(days=3), suggested=0)
    call_command("count_message_days", verbosity=0)
    changelist = reverse("admin:contact_contactmessage_changelist")
    admin_client.post(changelist, {"action": "delete_selected", "_selected_action": [gone.pk], "post": "yes"})
    assert not ContactMessage.objects.filter(pk=gone.pk).exists()
    day = deflection_summary(period()).days[-4]
    assert (day.day, day.sent, day.checked, day.matched) == (TODAY - timedelta(days=3), 1, 1, 0)


def test_a_staff_member_in_another_zone_gets_that_zones_days(week_of_messages):
    with timezone.override("America/New_York"):
        from_messages = figures()
    call_command("count_message_days", verbosity=0)
    with timezone.override("America/New_York"):
        assert figures() == from_messages


@pytest.mark.parametrize("url", [SUPPORT_URL, DEFLECTION_URL])
def test_the_query_count_is_the_same_with_days_counted(
    week_of_messages, agent, url, django_assert_max_num_queries
):
    with django_assert_max_num_queries(20) as from_messages:
        agent.get(url, {"days": "30"})
    call_command("count_message_days", verbosity=0)
    with django_assert_max_num_queries(20) as counted:
        agent.get(url, {"days": "30"})
    assert len(counted.captured_queries) == len(from_messages.captured_queries)


@pytest.mark.parametrize(
    ("local_time", "counted"), [("00:04", False), ("00:05", True)], ids=["just-after-midnight", "settled"]
)
def test_a_day_is_counted_once_it_has_settled(kdpay, local_time, counted):
    """A row stamped 23:59:59 may commit a moment after midnight: a day is counted only 5 minutes
    after it ended."""
    hours, minutes = map(int, local_time.split(":"))
    with time_machine.travel(datetime(2026, 11, 30, 16 + hours, minutes, tzinfo=UTC), tick=False):
        call_command("count_message_days", verbosity=0)
        call_command("count_search_days", verbosity=0)
    assert MessageDay.objects.filter(day=TODAY - timedelta(days=1)).exists() is counted
    assert SearchDay.objects.filter(day=TODAY - timedelta(days=1)).exists() is counted
