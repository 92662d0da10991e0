from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from brands.demo import load_demo_brands
from contact.demo import load_demo
from contact.hours import schedule_for, status_at
from contact.models import Channel, ChannelException, OpeningHours

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def channels():
    return Channel.objects.for_contact_page()


def test_load_demo_is_idempotent():
    load_demo_brands()
    assert load_demo() > 0
    counts = (Channel.objects.count(), OpeningHours.objects.count(), ChannelException.objects.count())
    assert load_demo() == 0
    assert (Channel.objects.count(), OpeningHours.objects.count(), ChannelException.objects.count()) == counts


def test_demo_contacts_are_fictional():
    load_demo_brands()
    load_demo()
    for channel in Channel.objects.all():
        if channel.kind != Channel.Kind.APP:  # in-app support has no address to normalise
            assert channel.normalized_value, channel
        if channel.kind == Channel.Kind.HOTLINE:
            assert "(demo)" in channel.label
            assert channel.normalized_value.startswith("+864000000")
        if channel.kind in {Channel.Kind.EMAIL, Channel.Kind.CHAT, Channel.Kind.WEBSITE}:
            assert channel.normalized_value.endswith(".example")


@pytest.mark.parametrize(
    ("brand", "kind", "moment", "is_open"),
    [
        ("kdpay", "hotline", datetime(2026, 10, 1, 3, tzinfo=SHANGHAI), True),  # 24/7, even on National Day
        ("kdou", "hotline", datetime(2026, 11, 23, 10, tzinfo=SHANGHAI), True),
        ("kdou", "hotline", datetime(2026, 11, 23, 19, tzinfo=SHANGHAI), False),
        ("kdou", "chat", datetime(2026, 11, 23, 21, tzinfo=SHANGHAI), True),
        ("kdou", "hotline", datetime(2026, 10, 1, 10, tzinfo=SHANGHAI), False),  # statutory holiday
        ("kdou", "hotline", datetime(2026, 10, 10, 10, tzinfo=SHANGHAI), True),  # 调休 Saturday
        ("kdou", "hotline", datetime(2027, 2, 8, 10, tzinfo=SHANGHAI), False),  # staff exception 春节
        ("okpay", "chat", datetime(2026, 11, 28, 0, 30, tzinfo=SHANGHAI), True),  # Friday night past midnight
        ("okpay", "chat", datetime(2026, 11, 24, 23, 30, tzinfo=SHANGHAI), False),
    ],
)
def test_demo_hours(brand, kind, moment, is_open):
    load_demo_brands()
    load_demo()
    channel = channels().get(brand__slug=brand, kind=kind)
    assert status_at(schedule_for(channel), moment).is_open is is_open
