from __future__ import annotations

from datetime import time

import pytest
from django.db import IntegrityError

from contact.models import Channel, OpeningHours
from tests.factories import BrandFactory, ChannelFactory

pytestmark = pytest.mark.django_db


def test_channel_save_derives_the_normalized_value():
    channel = ChannelFactory(kind=Channel.Kind.HOTLINE, value="400-000-0101")
    assert channel.normalized_value == "+864000000101"
    assert channel.display_value == "400 000 0101"
    channel.value = "+86 400 000 0102"
    channel.save(update_fields=["value"])
    channel.refresh_from_db()
    assert channel.normalized_value == "+864000000102"


def test_official_matches_finds_only_active_channels_of_active_brands():
    official = ChannelFactory(kind=Channel.Kind.EMAIL, value="Help@KDPay.example")
    ChannelFactory(kind=Channel.Kind.EMAIL, value="help@kdpay.example", is_active=False)
    ChannelFactory(kind=Channel.Kind.EMAIL, value="help@kdpay.example", brand=BrandFactory(is_active=False))
    assert list(Channel.objects.official_matches("email", "help@kdpay.example")) == [official]
    assert not Channel.objects.official_matches("phone", "help@kdpay.example").exists()
    assert not Channel.objects.official_matches("email", "").exists()


def test_opening_hours_must_open_before_they_close_except_until_midnight():
    channel = ChannelFactory()
    OpeningHours.objects.create(channel=channel, weekday=0, opens_at=time(22), closes_at=time(0))
    with pytest.raises(IntegrityError):
        OpeningHours.objects.create(channel=channel, weekday=0, opens_at=time(18), closes_at=time(9))
