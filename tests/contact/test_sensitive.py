from __future__ import annotations

import pytest
from stdnum import luhn

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


def _full_width(text: str) -> str:
    """What a Chinese IME types in full-width mode: digits U+FF10..U+FF19, X as U+FF38."""
    return text.translate({ord(c): 0xFF10 + int(c) for c in "0123456789"} | {ord("X"): "Ｘ"})


def _groups(number: str, sizes: tuple[int, ...]) -> list[str]:
    parts, start = [], 0
    for size in sizes:
        parts.append(number[start : start + size])
        start += size
    return parts


C = _groups(CARD, (4, 4, 4, 4))
UNIONPAY_19 = "6212261202011584" + "349"  # the 19-digit form some debit cards use
UNIONPAY_19 = UNIONPAY_19[:-1] + luhn.calc_check_digit(UNIONPAY_19[:-1])
ID_GROUPS = _groups(ID, (6, 8, 4))

# Ways people actually type a card or ID number into a message: each is masked, and the
# text around it is left exactly as typed.
TYPED_NUMBERS = [
    ("ascii-plain", CARD, CARD),
    ("spaces", " ".join(C), CARD),
    ("dashes", "-".join(C), CARD),
    ("double-spaces", "  ".join(C), CARD),
    ("ideographic-space", "\u3000".join(C), CARD),
    ("no-break-space", "\u00a0".join(C), CARD),
    ("narrow-no-break-space", "\u202f".join(C), CARD),
    ("dots", ".".join(C), CARD),
    ("slashes", "/".join(C), CARD),
    ("full-width-digits", _full_width(CARD), CARD),
    ("full-width-with-ideographic-spaces", "\u3000".join(_full_width(g) for g in C), CARD),
    ("full-width-hyphens", "－".join(_full_width(g) for g in C), CARD),
    ("en-dashes", " – ".join(C), CARD),
    ("middle-dots", "·".join(C), CARD),
    ("19-digit-card-in-4-4-4-4-3", " ".join(_groups(UNIONPAY_19, (4, 4, 4, 4, 3))), UNIONPAY_19),
    ("id-plain", ID, ID),
    ("id-lower-x", ID.lower(), ID),
    ("id-spaced-6-8-4", " ".join(ID_GROUPS), ID),
    ("id-full-width", _full_width(ID), ID),
    ("id-full-width-ideographic-spaces", "\u3000".join(_full_width(g) for g in ID_GROUPS), ID),
    ("id-dashes", "-".join(ID_GROUPS), ID),
]


@pytest.mark.parametrize(
    ("typed", "number"), [(t, n) for _, t, n in TYPED_NUMBERS], ids=[name for name, _, _ in TYPED_NUMBERS]
)
def test_numbers_typed_every_way_are_masked_in_the_original_text(typed, number):
    kind = "id" if number == ID else "card"
    text = f"您好，我的卡号是：{typed}，昨天扣款两次。"
    masked, kinds = mask_sensitive(text)
    assert kinds == [kind]
    assert masked == f"您好，我的卡号是：{'*' * (len(number) - 4)}{number[-4:]}，昨天扣款两次。"
    assert sensitive_kinds(text) == [kind]


@pytest.mark.parametrize(
    "text",
    [
        "订单号 2026 1122 0930 12，金额 300 元",  # 14 digits in groups, fails Luhn
        f"订单 {'.'.join(_groups(NOT_A_CARD, (4, 4, 4, 4)))}",  # one digit off: not a card
        "日期 2026/11/22 12:30，电话 138 0013 8000",
        "金额 1,000,000 元",
        f"身份证 {' '.join(_groups(BAD_ID, (6, 8, 4)))}",
        "第一行 6222\n第二行 0202 1234",  # numbers on separate lines are not joined
    ],
)
def test_numbers_that_are_not_cards_or_ids_are_kept(text):
    assert mask_sensitive(text) == (text, [])


def test_a_card_after_an_unrelated_number_in_the_same_run_is_still_masked():
    text = f"订单 12 {' '.join(C)} 谢谢"
    assert mask_sensitive(text) == (f"订单 12 {'*' * 12}{CARD[-4:]} 谢谢", ["card"])


def test_codes_typed_with_full_width_digits_are_found():
    assert sensitive_kinds("验证码：４８２９１３") == ["code"]
