"""Which channel a user in trouble reaches first, and how long pages showing its status stay true."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from contact.hours import channel_hours
from contact.models import Channel
from contact.urgency import MAX_VALID_SECONDS, by_urgency, seconds_until_change, urgent_help
from tests.factories import BrandFactory, ChannelFactory, OpeningHoursFactory
from tests.helpers import zh_url

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
# Tuesday 1 December 2026.
TUESDAY_10 = datetime(2026, 12, 1, 10, 0, tzinfo=SHANGHAI)
TUESDAY_20 = datetime(2026, 12, 1, 20, 0, tzinfo=SHANGHAI)


def channel(brand, kind, value, *, good_for=Channel.GoodFor.GENERAL, hours=None, order=0, label=None):
    made = ChannelFactory(
        brand=brand, kind=kind, value=value, good_for=good_for, order=order, label=label or f"{kind} {value}"
    )
    for weekday, opens, closes in hours or []:
        OpeningHoursFactory(channel=made, weekday=weekday, opens_at=opens, closes_at=closes)
    return made


def workdays(opens: str, closes: str) -> list[tuple[int, str, str]]:
    return [(day, opens, closes) for day in range(5)]


def every_day(opens: str, closes: str) -> list[tuple[int, str, str]]:
    return [(day, opens, closes) for day in range(7)]


@pytest.fixture
def okpay():
    """OKPay as in the demo: the 48-hour email entered first, the urgent chat second."""
    brand = BrandFactory(name="OKPay", slug="okpay", time_zone="Asia/Shanghai")
    email = channel(brand, "email", "support@okpay.example", good_for=Channel.GoodFor.REFUNDS, order=0)
    chat = channel(
        brand,
        "chat",
        "https://help.okpay.example/chat",
        good_for=Channel.GoodFor.URGENT,
        hours=every_day("08:00", "23:00"),
        order=1,
    )
    handle = channel(brand, "x", "@OKPay_demo", order=2)
    return brand, email, chat, handle


def _cards(brand, at):
    return channel_hours(Channel.objects.for_contact_page().filter(brand=brand), at, upcoming_days=0)


def test_urgent_channel_comes_before_channels_entered_earlier(okpay):
    brand, email, chat, handle = okpay
    ordered = [card.channel for card in by_urgency(_cards(brand, TUESDAY_10))]
    assert ordered == [chat, email, handle]


def test_open_channels_come_before_closed_ones_of_the_same_urgency():
    brand = BrandFactory(slug="kdou", time_zone="Asia/Shanghai")
    hotline = channel(brand, "hotline", "400 000 0202", good_for="urgent", hours=workdays("09:00", "18:00"))
    app = channel(brand, "app", "打开 App", good_for="urgent", hours=every_day("00:00", "00:00"), order=5)
    email = channel(brand, "email", "service@kdou.example", order=1)
    chat = channel(brand, "chat", "https://chat.kdou.example/", hours=every_day("09:00", "22:00"), order=2)
    # Daytime: the urgent hotline (with a tel: link) before the urgent in-app support (no link).
    assert [c.channel for c in by_urgency(_cards(brand, TUESDAY_10))] == [hotline, app, chat, email]
    # Evening: the hotline is closed, so the urgent channel open now leads; then the chat, open
    # until 22:00, before the email, which keeps no hours.
    assert [c.channel for c in by_urgency(_cards(brand, TUESDAY_20))] == [app, hotline, chat, email]


def test_shortcut_offers_a_channel_open_now_when_the_urgent_one_is_closed():
    brand = BrandFactory(slug="kdou", time_zone="Asia/Shanghai")
    hotline = channel(brand, "hotline", "400 000 0202", good_for="urgent", hours=workdays("09:00", "18:00"))
    chat = channel(brand, "chat", "https://chat.kdou.example/", hours=every_day("09:00", "22:00"))
    (day,) = urgent_help(brand=brand, at=TUESDAY_10).shortcuts
    assert (day.card.channel, day.open_instead) == (hotline, None)
    (evening,) = urgent_help(brand=brand, at=TUESDAY_20).shortcuts
    assert evening.card.channel == hotline
    assert evening.open_instead.channel == chat


def test_brand_without_an_urgent_channel_has_no_shortcut():
    brand = BrandFactory(slug="plain")
    channel(brand, "email", "help@plain.example")
    assert urgent_help(brand=brand, at=TUESDAY_10).shortcuts == []


@pytest.mark.parametrize(
    ("at", "seconds"),
    [
        # Open: true until it closes at 18:00.
        (TUESDAY_10, 8 * 3600),
        # Closed, "opens tomorrow at 09:00": the words change at midnight, before it opens.
        (TUESDAY_20, 4 * 3600),
        # Closed after midnight, "opens today at 09:00": true until it opens.
        (datetime(2026, 12, 2, 1, 0, tzinfo=SHANGHAI), 8 * 3600),
    ],
)
def test_status_stays_true_until_the_next_opening_closing_or_change_of_day(at, seconds):
    brand = BrandFactory(slug="kdou", time_zone="Asia/Shanghai")
    channel(brand, "hotline", "400 000 0202", good_for="urgent", hours=workdays("09:00", "18:00"))
    assert seconds_until_change(_cards(brand, at), at) == seconds


def test_channels_open_around_the_clock_never_expire_the_page_before_a_day():
    brand = BrandFactory(slug="kdpay", time_zone="Asia/Shanghai")
    channel(brand, "hotline", "400 000 0101", good_for="urgent", hours=every_day("00:00", "00:00"))
    channel(brand, "email", "help@kdpay.example")
    assert seconds_until_change(_cards(brand, TUESDAY_10), TUESDAY_10) == MAX_VALID_SECONDS


def test_brand_page_max_age_ends_when_the_urgent_channel_closes(client, okpay, settings):
    # The view's own max-age, which the page cache (on by default) turns into its deadline.
    settings.PAGE_CACHE_ENABLED = False
    with time_machine.travel(TUESDAY_20, tick=False):
        response = client.get(zh_url("faq:brand_detail", "okpay"))
    assert response.status_code == 200
    # The chat closes at 23:00, three hours later.
    assert "max-age=10800" in response["Cache-Control"]
    text = response.content.decode()
    assert 'href="https://help.okpay.example/chat"' in text
    assert "服务中，23:00 结束" in text
    assert 'href="tel:96110"' in text


def test_home_page_max_age_is_the_earliest_change_of_any_brand(client, okpay, settings):
    # The view's own max-age, which the page cache (on by default) turns into its deadline.
    settings.PAGE_CACHE_ENABLED = False
    kdou = BrandFactory(name="K豆钱包", slug="kdou", time_zone="Asia/Shanghai")
    channel(kdou, "hotline", "400 000 0202", good_for="urgent", hours=workdays("09:00", "18:00"))
    with time_machine.travel(TUESDAY_10, tick=False):
        response = client.get(zh_url("faq:home"))
    # K豆's hotline closes at 18:00 (8 h), before OKPay's chat at 23:00.
    assert "max-age=28800" in response["Cache-Control"]
    text = response.content.decode()
    assert 'href="tel:+864000000202"' in text
    assert 'href="https://help.okpay.example/chat"' in text
