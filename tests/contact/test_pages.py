from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import chinese_calendar
import pytest
import time_machine

from contact.models import Channel
from tests.factories import (
    ArticleFactory,
    BrandFactory,
    ChannelExceptionFactory,
    ChannelFactory,
    OpeningHoursFactory,
)
from tests.helpers import en_url, zh_url

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def workday_hotline(brand, **kwargs):
    channel = ChannelFactory(
        brand=brand, kind=Channel.Kind.HOTLINE, label="客服热线", value="400 000 0101", **kwargs
    )
    for weekday in range(5):
        OpeningHoursFactory(channel=channel, weekday=weekday, opens_at="09:00", closes_at="18:00")
    return channel


def test_overview_lists_every_brand_with_open_status(client, kdpay):
    okpay = BrandFactory(name="OKPay", slug="okpay")
    workday_hotline(kdpay)
    ChannelFactory(brand=okpay, kind=Channel.Kind.EMAIL, label="OKPay 邮箱", value="help@okpay.example")
    with time_machine.travel(datetime(2026, 11, 23, 10, tzinfo=SHANGHAI), tick=False):
        response = client.get(zh_url("contact:index"))
    text = response.content.decode()
    assert response.status_code == 200
    assert "KDPAY" in text and "OKPay" in text
    assert "400 000 0101" in text  # national format
    assert 'href="tel:+864000000101"' in text
    assert "服务中，18:00 结束" in text
    assert "help@okpay.example" in text


@pytest.mark.parametrize("url_name", ["contact:index", "contact:brand_detail"])
def test_cached_contact_pages_turn_closed_at_the_closing_minute(client, kdpay, url_name):
    workday_hotline(kdpay)
    args = ["kdpay"] if url_name == "contact:brand_detail" else []
    with time_machine.travel(datetime(2026, 11, 23, 17, 59, 30, tzinfo=SHANGHAI), tick=False) as clock:
        first = client.get(en_url(url_name, *args))
        assert "Open now, closes at 18:00" in first.content.decode()
        assert "s-maxage=10" in first["Cache-Control"]
        clock.shift(25)
        again = client.get(en_url(url_name, *args))  # from the page cache, which knows it ends at 18:00
        assert "Open now" in again.content.decode() and "s-maxage=5" in again["Cache-Control"]
        assert "stale-while-revalidate" not in again["Cache-Control"]
        clock.shift(5)
        assert "Closed, opens tomorrow at 09:00" in client.get(en_url(url_name, *args)).content.decode()


def test_contact_page_max_age_runs_to_the_next_opening_or_local_midnight(client, kdpay, settings):
    settings.PAGE_CACHE_ENABLED = False  # the view's own header, before the page cache rewrites it
    workday_hotline(kdpay)
    with time_machine.travel(datetime(2026, 11, 23, 8, 0, tzinfo=SHANGHAI), tick=False):
        assert "max-age=3600" in client.get(zh_url("contact:brand_detail", "kdpay"))["Cache-Control"]
    with time_machine.travel(datetime(2026, 11, 23, 23, 0, tzinfo=SHANGHAI), tick=False):
        # Closed until 09:00, but "opens tomorrow" becomes "opens today" at midnight.
        assert "max-age=3600" in client.get(zh_url("contact:brand_detail", "kdpay"))["Cache-Control"]


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (datetime(2026, 11, 23, 10, tzinfo=SHANGHAI), "Open now, closes at 18:00"),
        (datetime(2026, 11, 23, 19, tzinfo=SHANGHAI), "Closed, opens tomorrow at 09:00"),
        (datetime(2026, 11, 28, 10, tzinfo=SHANGHAI), "Closed, opens Monday at 09:00"),
    ],
)
def test_brand_page_status_follows_the_clock(client, kdpay, moment, expected):
    workday_hotline(kdpay)
    with time_machine.travel(moment, tick=False):
        english = client.get(en_url("contact:brand_detail", "kdpay"))
    assert english.status_code == 200
    assert expected in english.content.decode()


def test_brand_page_highlights_today_and_lists_holiday_changes(client, kdpay):
    channel = workday_hotline(kdpay, follows_china_calendar=True)
    ChannelExceptionFactory(
        channel=channel, label="公司年会", start_date=date(2026, 10, 9), end_date=date(2026, 10, 9)
    )
    with time_machine.travel(datetime(2026, 9, 28, 10, tzinfo=SHANGHAI), tick=False):
        response = client.get(en_url("contact:brand_detail", "kdpay"))
    text = response.content.decode()
    assert 'class="is-today" aria-current="date"><th scope="row">Monday' in text
    assert "National Day" in text  # statutory holiday from the calendar
    assert "Make-up working day" in text  # 2026-10-10 (调休)
    assert "公司年会" in text  # staff exception
    assert "does not cover the coming year" not in text


def test_brand_page_says_when_the_holiday_calendar_runs_out(client, kdpay):
    # December of the last year the installed chinesecalendar knows: the coming weeks fall in
    # a year it does not cover, whichever release is installed.
    last_covered_year = max(chinese_calendar.holidays).year
    workday_hotline(kdpay, follows_china_calendar=True)
    with time_machine.travel(datetime(last_covered_year, 12, 1, 10, tzinfo=SHANGHAI), tick=False):
        response = client.get(en_url("contact:brand_detail", "kdpay"))
    assert "does not cover the coming year" in response.content.decode()


def test_brand_page_shows_safety_warning_preparation_and_articles(client, kdpay):
    ArticleFactory(title="退款多久到账", brands=[kdpay])
    response = client.get(zh_url("contact:brand_detail", "kdpay"))
    text = response.content.decode()
    assert "退款多久到账" in text
    assert zh_url("contact:message_create") + "?brand=kdpay" in text
    assert 'class="warning"' in text


def test_brand_page_htmx_refresh_returns_only_the_channels(client, kdpay):
    workday_hotline(kdpay)
    response = client.get(zh_url("contact:brand_detail", "kdpay"), headers={"HX-Request": "true"})
    text = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in text and 'id="channels"' in text
    assert "400 000 0101" in text


def test_unknown_or_inactive_brand_is_404(client):
    BrandFactory(slug="gone", is_active=False)
    assert client.get(zh_url("contact:brand_detail", "gone")).status_code == 404
    assert client.get(zh_url("contact:brand_detail", "nope")).status_code == 404


def test_inactive_channels_are_hidden(client, kdpay):
    ChannelFactory(brand=kdpay, label="旧邮箱", is_active=False)
    assert "旧邮箱" not in client.get(zh_url("contact:brand_detail", "kdpay")).content.decode()


def _add_channels(brand, count):
    for n in range(count):
        channel = workday_hotline(brand)
        ChannelExceptionFactory(
            channel=channel, start_date=date(2026, 12, 30 + n % 2), end_date=date(2027, 1, 2)
        )
        ChannelFactory(brand=brand, kind=Channel.Kind.CHAT, value=f"https://chat{n}.kdpay.example/")


# The budget: brand(s), channels, their hours and exceptions, articles, plus what the base
# template reads (e.g. the trust app's brand alert banner), plus the page cache's next
# scheduled instant (3, once per content version). It must not grow with channels.
QUERY_BUDGET = {"contact:index": 6 + 3, "contact:brand_detail": 8 + 3}


@pytest.mark.parametrize("url_name", ["contact:index", "contact:brand_detail"])
def test_contact_pages_query_count_does_not_grow_with_channels(client, kdpay, url_name):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    args = ["kdpay"] if url_name == "contact:brand_detail" else []
    _add_channels(kdpay, 1)
    with time_machine.travel(datetime(2026, 12, 28, 10, tzinfo=SHANGHAI), tick=False):
        with CaptureQueriesContext(connection) as few:
            client.get(zh_url(url_name, *args))
        _add_channels(kdpay, 6)
        with CaptureQueriesContext(connection) as many:
            response = client.get(zh_url(url_name, *args))
    assert len(few.captured_queries) <= QUERY_BUDGET[url_name]
    assert len(many.captured_queries) == len(few.captured_queries)
    assert response.content.decode().count('class="channel-card"') == 14


def test_channels_without_hours_show_no_open_or_closed_status(client, kdpay):
    ChannelFactory(brand=kdpay, kind=Channel.Kind.EMAIL, label="客服邮箱", value="help@kdpay.example")
    text = client.get(en_url("contact:brand_detail", "kdpay")).content.decode()
    assert "help@kdpay.example" in text
    assert "channel-status" not in text
    assert "Weekly hours" not in text
