"""One rate limiter for the site: IPv6 clients count per /64, one switch, emails per normalised address."""

from __future__ import annotations

import pytest
from django.test import Client

from contact.models import ContactMessage
from tests.factories import ContactMessageFactory
from tests.helpers import en_url

# Limits count in fixed windows: a window closing mid-test must not reset a count.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_clock")]


def _in_one_slash_64(n: int) -> str:
    return f"2001:db8:1:2::{n:x}"


def submit(data: dict, remote_addr: str, **headers):
    return Client(REMOTE_ADDR=remote_addr).post(en_url("contact:message_create"), data, headers=headers)


def test_25_messages_from_one_ipv6_slash_64_stop_at_the_ipv4_limit(valid_data):
    """The attack as reported: 25 messages from 25 addresses of one /64 all passed."""
    statuses = [
        submit({**valid_data, "email": f"u{n}@mail.example"}, _in_one_slash_64(n)).status_code
        for n in range(25)
    ]
    assert statuses == [302] * 20 + [429] * 5
    assert ContactMessage.objects.count() == 20


def test_another_slash_64_has_its_own_budget(valid_data):
    for n in range(20):
        submit({**valid_data, "email": f"u{n}@mail.example"}, _in_one_slash_64(n))
    assert submit({**valid_data, "email": "x@mail.example"}, "2001:db8:1:3::1").status_code == 302


def test_a_refused_message_is_shown_again_with_everything_typed(valid_data, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "contact-submit": "1/h"}
    submit(valid_data, "2001:db8::1")
    refused = submit({**valid_data, "message": "第二条消息，内容不能丢。"}, "2001:db8::2")
    assert refused.status_code == 429
    assert "第二条消息，内容不能丢。" in refused.content.decode()


def test_status_lookups_count_ipv6_clients_per_slash_64():
    ContactMessageFactory(reference="KD-7F3K-9Q2M", email="zhang@mail.example")
    url = en_url("contact:status_lookup")
    statuses = [
        Client(REMOTE_ADDR=_in_one_slash_64(n))
        .post(url, {"reference": f"KD-AAAA-BB{n:02d}", "email": "zhang@mail.example"})
        .status_code
        for n in range(11)
    ]
    assert statuses == [200] * 10 + [429]
    other = Client(REMOTE_ADDR="2001:db8:9:9::1").post(
        url, {"reference": "KD-7F3K-9Q2M", "email": "zhang@mail.example"}
    )
    assert other.status_code == 302


def test_behind_the_proxy_ipv6_clients_count_per_slash_64(valid_data, settings):
    settings.BEHIND_PROXY = True
    statuses = [
        submit(
            {**valid_data, "email": f"u{n}@mail.example"},
            "127.0.0.1",
            x_forwarded_for=f"2001:db8:{n}::1, {_in_one_slash_64(n)}",
        ).status_code
        for n in range(21)
    ]
    assert statuses == [302] * 20 + [429]


def test_confirmations_are_limited_per_normalised_address(valid_data):
    """5 an hour per mailbox, however the address is written (case, +tags)."""
    addresses = ["ana@mail.example", "Ana+1@mail.example", "ANA+x@MAIL.example", "ana+2@mail.example"]
    addresses += ["ana+3@mail.example", "ana+bank@mail.example"]
    statuses = [
        submit({**valid_data, "email": address}, f"198.51.100.{n}").status_code
        for n, address in enumerate(addresses)
    ]
    assert statuses == [302] * 5 + [429]


def test_one_switch_turns_every_limit_off(valid_data, settings):
    settings.RATELIMIT_ENABLE = False
    settings.RATE_LIMITS = dict.fromkeys(settings.RATE_LIMITS, "1/h")
    for _ in range(3):
        assert submit({**valid_data, "email": "same@mail.example"}, "2001:db8::1").status_code == 302
    report = en_url("trust:report_create")
    statuses = {Client().post(report, {"value": f"400 000 00{n}"}).status_code for n in range(3)}
    assert 429 not in statuses


def test_a_refused_follow_up_is_shown_again_with_what_was_written(kdpay, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "contact-followup": "1/h"}
    message = ContactMessageFactory(brand=kdpay, reference="KD-7F3K-9Q2M", email="zhang@mail.example")
    client = Client(REMOTE_ADDR="2001:db8::1")
    client.post(en_url("contact:status_lookup"), {"reference": message.reference, "email": message.email})
    url = en_url("contact:status_followup", message.reference)
    assert client.post(url, {"body": "第一条补充"}).status_code == 302
    refused = client.post(url, {"body": "第二条补充，不能丢。"})
    assert refused.status_code == 429
    html = refused.content.decode()
    assert "第二条补充，不能丢。" in html
    assert "Too many messages were sent from your connection" in html
    assert message.replies.count() == 1
