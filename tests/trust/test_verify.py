"""The verdict table: how pasted contacts are classified, normalised, matched and called out as lookalikes."""

from __future__ import annotations

import pytest
from django.utils import timezone

from contact.models import Channel
from tests.factories import BrandFactory, ChannelFactory
from trust.lookalikes import skeleton
from trust.models import ConfirmedScam
from trust.parse import parse_value
from trust.verify import verify_value

pytestmark = pytest.mark.django_db

OFFICIAL, SCAM, NOT_OFFICIAL = "official", "reported_scam", "not_official"


@pytest.fixture
def channels():
    okpay = BrandFactory(slug="okpay", name="OKPay")
    kdpay = BrandFactory(slug="kdpay", name="KDPAY")
    BrandFactory(slug="kdou", name="抖宝")
    rows = [
        (okpay, Channel.Kind.HOTLINE, "OKPay 客服热线（演示）", "+86 400 000 0101"),
        (okpay, Channel.Kind.WEBSITE, "OKPay 官网", "https://www.okpay.example/"),
        (okpay, Channel.Kind.EMAIL, "OKPay 客服邮箱", "support@okpay.example"),
        (okpay, Channel.Kind.WEIBO, "OKPay 微博", "@OKPay"),
        (kdpay, Channel.Kind.HOTLINE, "KDPAY 客服热线（演示）", "400-000-0202"),
        (kdpay, Channel.Kind.CHAT, "KDPAY 在线客服", "https://help.kdpay.example/chat"),
        (kdpay, Channel.Kind.TELEGRAM, "KDPAY Telegram", "kdpay_official"),
    ]
    for brand, kind, label, value in rows:
        ChannelFactory(brand=brand, kind=kind, label=label, value=value)
    ChannelFactory(
        brand=kdpay, kind=Channel.Kind.HOTLINE, label="停用的热线", value="400 000 0303", is_active=False
    )
    ConfirmedScam.objects.create(
        kind="phone",
        normalized_value="+8617000000999",
        value="170 0000 0999",
        brand=okpay,
        first_reported_at=timezone.now(),
    )
    ConfirmedScam.objects.create(
        kind="url",
        normalized_value="okpay-refund.com",
        value="okpay-refund.com",
        first_reported_at=timezone.now(),
    )


# input, kind, normalised, verdict, brand slug, lookalike_of
CASES = [
    # Official hotline written every way people copy it.
    ("+86 400 000 0101", "phone", "+864000000101", OFFICIAL, "okpay", None),
    ("+864000000101", "phone", "+864000000101", OFFICIAL, "okpay", None),
    ("0086 400 000 0101", "phone", "+864000000101", OFFICIAL, "okpay", None),
    ("400-000-0101", "phone", "+864000000101", OFFICIAL, "okpay", None),
    ("400.000.0101", "phone", "+864000000101", OFFICIAL, "okpay", None),
    ("(400) 000 0101", "phone", "+864000000101", OFFICIAL, "okpay", None),
    ("４００００００１０１", "phone", "+864000000101", OFFICIAL, "okpay", None),
    ("＋８６ ４００－０００－０１０１", "phone", "+864000000101", OFFICIAL, "okpay", None),
    ("tel:+86-400-000-0101", "phone", "+864000000101", OFFICIAL, "okpay", None),
    ("  4000000101  ", "phone", "+864000000101", OFFICIAL, "okpay", None),
    ("4000000202", "phone", "+864000000202", OFFICIAL, "kdpay", None),
    ("+86 (0)400 000 0202", "phone", "+864000000202", OFFICIAL, "kdpay", None),
    # An inactive channel is not official; other numbers are not official either.
    ("400 000 0303", "phone", "+864000000303", NOT_OFFICIAL, None, None),
    ("+86 400 000 0199", "phone", "+864000000199", NOT_OFFICIAL, None, None),
    ("010-12345678", "phone", "+861012345678", NOT_OFFICIAL, None, None),
    # A confirmed scam number, written several ways.
    ("170 0000 0999", "phone", "+8617000000999", SCAM, "okpay", None),
    ("+86-170-0000-0999", "phone", "+8617000000999", SCAM, "okpay", None),
    ("0086 17000000999", "phone", "+8617000000999", SCAM, "okpay", None),
    # Official web addresses and emails.
    ("https://www.okpay.example/login", "url", "okpay.example", OFFICIAL, "okpay", None),
    ("okpay.example", "url", "okpay.example", OFFICIAL, "okpay", None),
    ("HTTP://OKPAY.EXAMPLE", "url", "okpay.example", OFFICIAL, "okpay", None),
    ("help.kdpay.example/chat?x=1", "url", "kdpay.example", OFFICIAL, "kdpay", None),
    ("support@okpay.example", "email", "support@okpay.example", OFFICIAL, "okpay", None),
    ("Support@OKPAY.Example", "email", "support@okpay.example", OFFICIAL, "okpay", None),
    ("mailto:support@okpay.example", "email", "support@okpay.example", OFFICIAL, "okpay", None),
    ("ｓｕｐｐｏｒｔ＠ｏｋｐａｙ．ｅｘａｍｐｌｅ", "email", "support@okpay.example", OFFICIAL, "okpay", None),
    # Subdomain tricks: the official name is only a subdomain of someone else's domain.
    ("https://okpay.example.evil.com/login", "url", "evil.com", NOT_OFFICIAL, "okpay", "okpay.example"),
    ("okpay.example-secure.com", "url", "example-secure.com", NOT_OFFICIAL, "okpay", "okpay.example"),
    (
        "https://login.kdpay.example.verify-account.cn/",
        "url",
        "verify-account.cn",
        NOT_OFFICIAL,
        "kdpay",
        "kdpay.example",
    ),
    # Lookalike domains: digit/letter swaps, extra words, another TLD, a typo.
    ("https://0kpay.example", "url", "0kpay.example", NOT_OFFICIAL, "okpay", "okpay.example"),
    ("www.okpay-support.com", "url", "okpay-support.com", NOT_OFFICIAL, "okpay", "okpay.example"),
    ("kdpay-kefu.net", "url", "kdpay-kefu.net", NOT_OFFICIAL, "kdpay", "kdpay.example"),
    ("kefukdpay.com", "url", "kefukdpay.com", NOT_OFFICIAL, "kdpay", "kdpay.example"),
    ("okpay.com", "url", "okpay.com", NOT_OFFICIAL, "okpay", "okpay.example"),
    ("kdpa1.example", "url", "kdpa1.example", NOT_OFFICIAL, "kdpay", "kdpay.example"),
    ("okpaay.example", "url", "okpaay.example", NOT_OFFICIAL, "okpay", "okpay.example"),
    # Homoglyphs in internationalised domains, shown in punycode.
    ("https://оkpay.example/", "url", "xn--kpay-45d.example", NOT_OFFICIAL, "okpay", "okpay.example"),
    ("xn--kpay-45d.example", "url", "xn--kpay-45d.example", NOT_OFFICIAL, "okpay", "okpay.example"),
    ("kdpаy.example", "url", "xn--kdpy-73d.example", NOT_OFFICIAL, "kdpay", "kdpay.example"),
    # A confirmed scam domain (also a lookalike).
    ("https://okpay-refund.com/claim", "url", "okpay-refund.com", SCAM, "okpay", "okpay.example"),
    # Emails on lookalike or free-mail domains.
    ("kefu@okpay-service.com", "email", "kefu@okpay-service.com", NOT_OFFICIAL, "okpay", "okpay.example"),
    ("okpay.kefu@163.com", "email", "okpay.kefu@163.com", NOT_OFFICIAL, "okpay", "okpay.example"),
    ("refund@okpay.example", "email", "refund@okpay.example", NOT_OFFICIAL, None, None),
    # Handles with and without @, any case; lookalike handles.
    ("@okpay", "handle", "okpay", OFFICIAL, "okpay", None),
    ("OKPay", "handle", "okpay", OFFICIAL, "okpay", None),
    ("@KDPay_Official", "handle", "kdpay_official", OFFICIAL, "kdpay", None),
    ("https://t.me/kdpay_official", "handle", "kdpay_official", OFFICIAL, "kdpay", None),
    ("@okpay_kefu", "handle", "okpay_kefu", NOT_OFFICIAL, "okpay", "@okpay"),
    ("@0kpay", "handle", "0kpay", NOT_OFFICIAL, "okpay", "@okpay"),
    ("kdpay_0fficial", "handle", "kdpay_0fficial", NOT_OFFICIAL, "kdpay", "@kdpay_official"),
    ("@kdpaysupport", "handle", "kdpaysupport", NOT_OFFICIAL, "kdpay", "@kdpay_official"),
    ("@someone_else", "handle", "someone_else", NOT_OFFICIAL, None, None),
    # More ways of writing the same things.
    ("https://www.okpay.example:443/path?q=1#x", "url", "okpay.example", OFFICIAL, "okpay", None),
    ("okpay.example.", "url", "okpay.example", OFFICIAL, "okpay", None),
    ("＠ＯＫＰａｙ", "handle", "okpay", OFFICIAL, "okpay", None),
    (
        "support@оkpay.example",
        "email",
        "support@xn--kpay-45d.example",
        NOT_OFFICIAL,
        "okpay",
        "okpay.example",
    ),
    ("okpay\u200b.example", "url", "okpay.example", OFFICIAL, "okpay", None),
    ("https://okpay-example.com/", "url", "okpay-example.com", NOT_OFFICIAL, "okpay", "okpay.example"),
    # Garbage.
    ("", "unknown", None, NOT_OFFICIAL, None, None),
    ("   ", "unknown", None, NOT_OFFICIAL, None, None),
    ("!!!???", "unknown", None, NOT_OFFICIAL, None, None),
    ("<script>alert(1)</script>", "unknown", None, NOT_OFFICIAL, None, None),
    ("请问这个是官方客服吗 我该怎么办", "unknown", None, NOT_OFFICIAL, None, None),
    ("http://", "url", None, NOT_OFFICIAL, None, None),
]


@pytest.mark.parametrize(("value", "kind", "normalized", "verdict", "brand", "lookalike_of"), CASES)
def test_verdict_table(channels, value, kind, normalized, verdict, brand, lookalike_of):
    result = verify_value(value)
    assert (result.kind, result.normalized, result.verdict) == (kind, normalized, verdict)
    assert (result.brand.slug if result.brand else None) == brand
    assert result.lookalike_of == lookalike_of


def test_the_table_has_at_least_forty_inputs():
    assert len(CASES) >= 40


def test_an_official_answer_names_the_channel(channels):
    result = verify_value("400 000 0101")
    assert result.channel.label == "OKPay 客服热线（演示）"
    assert result.as_json() == {
        "input": "400 000 0101",
        "kind": "phone",
        "normalized": "+864000000101",
        "verdict": "official",
        "brand": {"slug": "okpay", "name": "OKPay"},
        "channel": {
            "kind": "hotline",
            "label": "OKPay 客服热线（演示）",
            "value": result.channel.display_value,
        },
        "lookalike_of": None,
        "first_reported": None,
    }


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("0kpay-kefu", "okpay"),
        ("OKPAY_support", "okpay"),
        ("оkpay", "okpay"),
        ("kdpay", "KDPAY"),
        ("rnkpay", "mkpay"),
    ],
)
def test_skeleton_folds_lookalikes_together(a, b):
    assert skeleton(a) == skeleton(b)


def test_phone_numbers_phonenumbers_rejects_are_still_compared_by_digits():
    assert parse_value("95 188").normalized == "95188"
