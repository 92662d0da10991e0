"""Every contact in a pasted message: "【KDPAY】客服电话：400-000-0101，您的账户异常，请登录 kdpay-kefu.example".

Scam messages rarely arrive as one clean value: the user pastes the whole SMS or chat.
`contacts_in(text)` finds the links, email addresses, phone numbers and handles in it, in
the order they appear, each as the user typed it; trust/verify.py checks each one.

Found in this order so that no part is read twice: links with a scheme (an "@" in one is a
link's userinfo, not an email address), email addresses (their domain is not a link), bare
domains, phone numbers (not the digits in a link), then handles (an "@name" or a name after
a label such as 微信号：).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A link runs to the next whitespace, whatever it holds: a browser reads "kdpay.example，@evil.example"
# or "kdpay.example中.evil.example" as a link to evil.example, so cutting it at the first
# Chinese character or full-width sign could show an official domain the browser never opens.
_SCHEME_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+")
# A bare domain may follow Chinese text directly ("请登录kdpay-kefu.example"), so only Latin
# letters, digits and address punctuation before it count as part of it.
_DOMAIN = re.compile(
    r"(?<![A-Za-z0-9@._\-])[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}\S*"
)
# A run of digits with the separators people write numbers with, starting with + or a digit.
_PHONE = re.compile(r"(?<![\w+.])\+?\d[\d\s\-()\u00a0]{3,}\d(?![\w.])")
# Five-digit service numbers (95xxx banks and payment companies, 96110, 10086); any other
# number needs seven digits, so an SMS code (482913) or an amount is not read as a phone.
_SERVICE_NUMBER = re.compile(r"^(?:95|96|10)\d{3}$")
MIN_PHONE_DIGITS = 7
_DATE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$")
_HANDLE = re.compile(
    r"(?<![\w@])@[A-Za-z][\w\-]{2,}"
    r"|(?:微信号?|WeChat|QQ|Telegram|TG|电报)\s*(?:号)?\s*[:：]?\s*(?P<name>[A-Za-z][\w\-]{4,})",
    re.IGNORECASE,
)
# Characters that end a sentence, not a link: "kdpay-kefu.example。" or "…/login)".
_TRAILING = ".,;:!?)]}'\"。，；：！？）】」』"


@dataclass(frozen=True)
class Found:
    start: int
    end: int
    text: str


def _take(pattern: re.Pattern, text: str, taken: list[tuple[int, int]]) -> list[Found]:
    """Matches of `pattern` that overlap nothing taken before, trailing punctuation dropped."""
    found = []
    for match in pattern.finditer(text):
        start, end = match.span()
        value = text[start:end]
        stripped = value.rstrip(_TRAILING)
        end -= len(value) - len(stripped)
        if not stripped or any(start < b and a < end for a, b in taken):
            continue
        taken.append((start, end))
        found.append(Found(start, end, stripped))
    return found


def contacts_in(text: str) -> list[str]:
    """The contacts in a message, in reading order, each as written (duplicates once)."""
    taken: list[tuple[int, int]] = []
    found = _take(_SCHEME_URL, text, taken) + _take(_EMAIL, text, taken) + _take(_DOMAIN, text, taken)
    phones = [f for f in _take(_PHONE, text, taken) if _is_phone(f.text)]
    ordered = sorted([*found, *phones, *_take_handles(text, taken)], key=lambda f: f.start)
    return list(dict.fromkeys(f.text.strip() for f in ordered))


def _is_phone(text: str) -> bool:
    digits = re.sub(r"\D", "", text)
    if _DATE.match(text.strip()):
        return False
    return len(digits) >= MIN_PHONE_DIGITS or bool(_SERVICE_NUMBER.match(digits))


def _take_handles(text: str, taken: list[tuple[int, int]]) -> list[Found]:
    found = []
    for match in _HANDLE.finditer(text):
        group = "name" if match.group("name") else 0
        start, end = match.span(group)
        if any(start < b and a < end for a, b in taken):
            continue
        taken.append((start, end))
        found.append(Found(start, end, text[start:end]))
    return found
