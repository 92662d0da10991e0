from __future__ import annotations

import pytest

from contact.sensitive import mask_sensitive, sensitive_kinds
from tests.helpers import card_number

CARD = card_number()  # 16 digits, valid Luhn
NOT_A_CARD = CARD[:-1] + str((int(CARD[-1]) + 1) % 10)  # same digits, wrong check digit
ID = "11010519491231002X"  # valid checksum
BAD_ID = "110105194912310021"


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        (f"卡号 {CARD}", ["card"]),
        (f"card {CARD[:4]} {CARD[4:8]} {CARD[8:12]} {CARD[12:]}", ["card"]),
        (f"卡号{CARD[:4]}-{CARD[4:8]}-{CARD[8:12]}-{CARD[12:]}谢谢", ["card"]),
        (f"订单号 {NOT_A_CARD}", []),
        ("订单号 20261122093012", []),  # 14 digits, fails Luhn
        (f"身份证 {ID}", ["id"]),
        (f"身份证 {ID.lower()}", ["id"]),
        (f"身份证 {BAD_ID}", []),
        ("验证码 482913", ["code"]),
        ("短信验证码是：4829", ["code"]),
        ("my verification code is 482913", ["code"]),
        ("OTP: 123456", ["code"]),
        ("退款 300 元，订单 482913", []),  # digits without a code word
        ("密码是 hunter2", ["password"]),
        ("支付密码：123456", ["password"]),
        ("password: Secr3t!", ["password"]),
        ("我忘记了密码", []),  # the word alone is not a password
        (f"卡 {CARD} 验证码 1234 密码=abc 身份证 {ID}", ["card", "id", "code", "password"]),
    ],
)
def test_sensitive_kinds(text, kinds):
    assert sensitive_kinds(text) == kinds


def test_card_and_id_numbers_are_masked_to_the_last_four_digits():
    text = f"卡号 {CARD[:4]} {CARD[4:8]} {CARD[8:12]} {CARD[12:]}，身份证{ID}。验证码 1234"
    masked, kinds = mask_sensitive(text)
    assert masked == f"卡号 {'*' * 12}{CARD[-4:]}，身份证{'*' * 14}002X。验证码 1234"
    assert kinds == ["card", "id"]


def test_an_id_number_is_not_also_masked_as_a_card():
    masked, kinds = mask_sensitive(ID)
    assert (masked, kinds) == ("*" * 14 + "002X", ["id"])


def test_text_without_sensitive_data_is_unchanged():
    text = "退款三天没到账，订单 20261122093012。"
    assert mask_sensitive(text) == (text, [])
