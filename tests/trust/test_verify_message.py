"""The verify page and API read what the user pasted: one contact echoed as typed, a number one digit
off an official one named as a lookalike, and every contact in a whole pasted message."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from trust.extract import contacts_in
from trust.models import ConfirmedScam
from trust.verify import Verdict, verify_text, verify_value

pytestmark = pytest.mark.django_db

VERIFY = "/verify/"
API = "/api/v1/verify"
MESSAGE = "【OKPay】客服电话：400-000-0101，您的账户异常，请登录 okpay-kefu.example/login 处理，或加微信号：okpay_kefu88"


@pytest.mark.parametrize(
    ("text", "found"),
    [
        (MESSAGE, ["400-000-0101", "okpay-kefu.example/login", "okpay_kefu88"]),
        ("退款请发邮件 refund@okpay-help.example，或访问 https://www.okpay.example/help?x=1。",
         ["refund@okpay-help.example", "https://www.okpay.example/help?x=1"]),
        ("联系 @OKPay_support 或拨打 +86 400 000 0102，验证码 482913，被骗请打 96110",
         ["@OKPay_support", "+86 400 000 0102", "96110"]),
        # Dates, amounts and SMS codes are not phone numbers.
        ("2026-11-03 到账 100.50 元，验证码 482913", []),
        # A link runs to the next space: cut at the comma it would look official, but a browser opens evil.example.
        ("点击 https://okpay.example，x@evil.example 领取", ["https://okpay.example，x@evil.example"]),
        # A bare domain right after Chinese text.
        ("请登录okpay-kefu.example/login", ["okpay-kefu.example/login"]),
    ],
)  # fmt: skip
def test_contacts_are_found_in_a_message_as_written(text, found):
    assert contacts_in(text) == found


@pytest.mark.parametrize(
    ("typed", "verdict", "lookalike_of"),
    [
        ("400 000 0101", Verdict.OFFICIAL, None),
        ("400-000-0102", Verdict.NOT_OFFICIAL, "400 000 0101"),  # one digit changed
        ("400 000 01011", Verdict.NOT_OFFICIAL, "400 000 0101"),  # one digit added
        ("400 000 0110", Verdict.NOT_OFFICIAL, "400 000 0101"),  # two neighbours swapped
        ("400 000 0222", Verdict.NOT_OFFICIAL, None),  # two digits away: just another number
    ],
)
def test_a_number_one_digit_off_an_official_number_is_a_lookalike(okpay, typed, verdict, lookalike_of):
    result = verify_value(typed)
    assert (result.verdict, result.lookalike_of) == (verdict, lookalike_of)


def test_the_page_echoes_what_was_typed_not_the_international_form(client, okpay):
    html = client.get(VERIFY, {"value": "400-000-0101"}).content.decode()
    assert "<code>400-000-0101</code>" in html
    assert "<code>+864000000101</code>" not in html


def test_a_lookalike_number_is_shown_in_red_with_what_it_imitates(client, okpay):
    html = client.get(VERIFY, {"value": "400 000 0102"}).content.decode()
    assert 'class="verdict verdict--lookalike"' in html
    assert "仿冒的非官方渠道" in html
    assert "它看起来像 <strong>400 000 0101</strong>，但并不是。" in html


@pytest.mark.parametrize(
    ("value", "advice", "not_said"),
    [
        ("400 000 0101", "请挂断电话，自己拨打这个号码", "邮件"),
        ("help@okpay.example", "自己新建一封邮件发到这个地址", "挂断"),
    ],
)
def test_advice_fits_the_kind_of_contact(client, okpay, value, advice, not_said):
    from tests.factories import ChannelFactory

    ChannelFactory(brand=okpay, kind="email", label="OKPay 客服邮箱", value="help@okpay.example")
    html = client.get(VERIFY, {"value": value}).content.decode()
    verdict = re.search(r'<div class="verdict.*?</div>', html, re.S).group(0)
    assert advice in verdict
    assert not_said not in verdict


def test_a_known_scam_email_is_not_told_to_hang_up(client, okpay):
    ConfirmedScam.objects.create(
        kind="email", normalized_value="refund@okpay-help.example", value="refund@okpay-help.example",
        brand=okpay, first_reported_at=timezone.now(),
    )  # fmt: skip
    html = client.get(VERIFY, {"value": "refund@okpay-help.example"}).content.decode()
    assert "不要回复这封邮件" in html
    assert "挂断" not in re.search(r'<div class="verdict.*?</div>', html, re.S).group(0)


def test_a_pasted_message_gets_the_verdict_of_its_most_dangerous_contact(client, okpay):
    report = verify_text(MESSAGE)
    assert report.is_message
    assert [(item.shown, item.verdict, item.lookalike_of) for item in report.items] == [
        ("400-000-0101", Verdict.OFFICIAL, None),
        ("okpay-kefu.example/login", Verdict.NOT_OFFICIAL, "okpay.example"),
        ("okpay_kefu88", Verdict.NOT_OFFICIAL, None),
    ]
    assert report.worst.shown == "okpay-kefu.example/login"

    html = client.get(VERIFY, {"value": MESSAGE}).content.decode()
    assert "在您的消息中找到 3 个联系方式" in html
    assert html.count('data-testid="verdict-item"') == 3
    assert 'class="verdict verdict--lookalike"' in html


def test_the_api_reads_a_pasted_message_and_lists_every_item(client, okpay):
    ConfirmedScam.objects.create(
        kind="handle", normalized_value="okpay_kefu88", value="okpay_kefu88", brand=okpay,
        first_reported_at=timezone.now(),
    )  # fmt: skip
    data = client.get(API, {"value": MESSAGE}).json()
    assert data["input"] == MESSAGE
    assert data["verdict"] == "reported_scam"
    assert data["normalized"] == "okpay_kefu88"
    assert [(item["input"], item["verdict"]) for item in data["items"]] == [
        ("400-000-0101", "official"),
        ("okpay-kefu.example/login", "not_official"),
        ("okpay_kefu88", "reported_scam"),
    ]


def test_one_value_is_not_read_as_a_message(client, okpay):
    data = client.get(API, {"value": "  400 000 0101 "}).json()
    assert data["verdict"] == "official"
    assert len(data["items"]) == 1
