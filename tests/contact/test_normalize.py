from __future__ import annotations

import pytest

from contact.normalize import (
    display_phone,
    normalize_channel_value,
    normalize_email,
    normalize_handle,
    normalize_phone,
    normalize_url,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("+86 400 000 0101", "+864000000101"),
        ("0086-400-000-0101", "+864000000101"),
        ("400.000.0101", "+864000000101"),
        ("(400) 000 0101", "+864000000101"),
        ("４００ ０００ ０１０１", "+864000000101"),  # full-width digits and ideographic space
        ("010-1234 5678", "+861012345678"),  # leading trunk 0
        ("+1 202 555 0123", "+12025550123"),
        ("12345", None),
        ("not a phone", None),
        ("", None),
    ],
)
def test_normalize_phone(raw, expected):
    assert normalize_phone(raw) == expected


def test_display_phone_uses_the_national_format():
    assert display_phone("+864000000101") == "400 000 0101"
    assert display_phone("+861012345678") == "010 1234 5678"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  Help+Refunds@KDPay.Example ", "help+refunds@kdpay.example"),
        ("用户@例子.中国", "用户@xn--fsqu00a.xn--fiqs8s"),
        ("ｈｅｌｐ＠ｋｄｐａｙ．ｅｘａｍｐｌｅ", "help@kdpay.example"),
        ("no-at-sign.example", None),
        ("a@b", None),
    ],
)
def test_normalize_email(raw, expected):
    assert normalize_email(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("https://help.kdpay.example/x", "kdpay.example"),
        ("HELP.KDPAY.EXAMPLE", "kdpay.example"),
        ("https://okpay.example.evil.com/login", "evil.com"),
        ("kdou.example/chat?x=1", "kdou.example"),
        ("https://www.bücher.de/", "xn--bcher-kva.de"),
        ("https://a.b.co.uk/", "b.co.uk"),
        ("not a url", None),
        ("", None),
    ],
)
def test_normalize_url(raw, expected):
    assert normalize_url(raw) == expected


def test_normalize_handle():
    assert normalize_handle(" @KDPay_Official ") == "kdpay_official"
    assert normalize_handle("has space") is None


@pytest.mark.parametrize(
    ("kind", "value", "expected"),
    [
        ("hotline", "400 000 0101", "+864000000101"),
        ("email", "Help@KDPay.example", "help@kdpay.example"),
        ("chat", "https://chat.kdpay.example/", "kdpay.example"),
        ("website", "kdpay.example", "kdpay.example"),
        ("wechat", "@KDPay", "kdpay"),
        ("app", "我的 → 客服", ""),
        ("hotline", "nonsense", ""),
    ],
)
def test_normalize_channel_value_dispatches_on_kind(kind, value, expected):
    assert normalize_channel_value(kind, value) == expected
