"""Finding sensitive data users paste into messages: card numbers, ID numbers, SMS codes, passwords.

Card numbers are recognised by their Luhn check digit, mainland resident ID numbers
by their ISO 7064 checksum (python-stdnum), SMS codes and passwords by the words
around them. Detection runs on the NFKC form of the text, so full-width digits, ideographic
and no-break spaces and the usual group separators are found however they were typed; the
masking is applied to the text as typed, so nothing else in the message changes. Card and ID numbers are masked to their last four digits before a
message is stored; codes and passwords cannot be delimited reliably, so the form
only warns about them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from stdnum.cn import ric

CARD = "card"
ID_NUMBER = "id"
CODE = "code"
PASSWORD = "password"

# What people put between the groups of a card or ID number once the text is NFKC-normalised
# (full-width digits, U+3000 and no-break spaces already folded to ASCII): spaces, dashes of
# every width, dots, middle dots, slashes. Up to three of them, so "6222  0202" and
# "6222 - 0202" join too; line breaks never do, so numbers on separate lines stay apart.
_SEPARATOR = r"[ \t\-\u2010-\u2015\u2212.·・/\\_]"
# A run of digit groups joined by separators; an ID number's check character X may end it.
_NUMBER_RUN_RE = re.compile(rf"(?<![\d])\d+(?:{_SEPARATOR}{{1,3}}\d+)*(?:{_SEPARATOR}{{0,3}}[Xx])?(?![\dXx])")
_GROUP_RE = re.compile(r"\d+(?:[Xx](?![\dXx]))?|[Xx]")
_CODE_RE = re.compile(
    r"(验证码|校验码|动态码|短信码|动态密码|verification code|security code|sms code|\bcode\b|\botp\b)"
    r"[^\d\n]{0,12}\d{4,8}(?!\d)",
    re.IGNORECASE,
)
_PASSWORD_RE = re.compile(
    r"(支付密码|登录密码|密码|口令|password|passwd|\bpwd\b|\bpin\b)\s*(?:是|为|:|：|=|is)\s*\S+",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Finding:
    """A sensitive value at text[start:end] (positions in the text as typed); `value` is its
    normalised form (ASCII digits, upper-case X) for card and ID numbers, empty otherwise."""

    kind: str
    start: int
    end: int
    value: str = ""


def _normalise_with_positions(text: str) -> tuple[str, list[int]]:
    """`text` in NFKC, character by character, with the index in `text` of every output character.

    NFKC folds what IMEs and word processors type (full-width digits and X, U+3000, no-break
    and thin spaces, full-width dashes and slashes) into ASCII, so one set of patterns finds
    them; the positions let the masking happen in the text as the visitor typed it.
    """
    normalised: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        folded = unicodedata.normalize("NFKC", char) if not char.isascii() else char
        normalised.append(folded)
        origin.extend([index] * len(folded))
    return "".join(normalised), origin


_LUHN_DOUBLED = (0, 2, 4, 6, 8, 1, 3, 5, 7, 9)


def _passes_luhn(digits: str) -> bool:
    """The Luhn check (as stdnum.luhn.is_valid) without its per-call validation overhead:
    a run of digit groups has many windows to try, and this keeps a 5,000-character
    message of digits well under a tenth of a second."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        digit = ord(char) - 48
        total += _LUHN_DOUBLED[digit] if position % 2 else digit
    return total % 10 == 0


def _numbers_in_run(run: str, offset: int) -> list[tuple[str, int, int, str]]:
    """Card and ID numbers made of consecutive digit groups of one run, longest first.

    Windows of whole groups are tried so an unrelated number typed just before a card
    ("订单 12 6222 0202 …") does not hide it.
    """
    groups = [(m.start() + offset, m.end() + offset, m.group().upper()) for m in _GROUP_RE.finditer(run)]
    candidates: list[tuple[str, int, int, str]] = []  # kind, first group, last group, value
    for first in range(len(groups)):
        value = ""
        for last in range(first, len(groups)):
            value += groups[last][2]
            if len(value) > 19:
                break
            if len(value) == 18 and ric.is_valid(value):
                candidates.append((ID_NUMBER, first, last, value))
            elif 13 <= len(value) <= 19 and value.isdigit() and _passes_luhn(value):
                candidates.append((CARD, first, last, value))
    candidates.sort(key=lambda item: (item[0] != ID_NUMBER, item[1] - item[2]))
    taken: set[int] = set()
    chosen: list[tuple[str, int, int, str]] = []
    for kind, first, last, value in candidates:
        if taken.isdisjoint(range(first, last + 1)):
            taken.update(range(first, last + 1))
            chosen.append((kind, groups[first][0], groups[last][1], value))
    return chosen


def find_sensitive(text: str) -> list[Finding]:
    """Every sensitive value in `text`, in order; ID numbers win over card numbers they overlap.

    Detection runs on the NFKC form of the text; the findings' positions are in `text`.
    """
    normalised, origin = _normalise_with_positions(text)

    def finding(kind: str, start: int, end: int, value: str = "") -> Finding:
        return Finding(kind, origin[start], origin[end - 1] + 1, value)

    findings: list[Finding] = []
    for run in _NUMBER_RUN_RE.finditer(normalised):
        for kind, start, end, value in _numbers_in_run(run.group(), run.start()):
            findings.append(finding(kind, start, end, value))
    findings += [finding(CODE, m.start(), m.end()) for m in _CODE_RE.finditer(normalised)]
    findings += [finding(PASSWORD, m.start(), m.end()) for m in _PASSWORD_RE.finditer(normalised)]
    return sorted(findings, key=lambda f: f.start)


def sensitive_kinds(text: str) -> list[str]:
    """The kinds found in `text` (card, id, code, password), each once, in a stable order."""
    found = {finding.kind for finding in find_sensitive(text)}
    return [kind for kind in (CARD, ID_NUMBER, CODE, PASSWORD) if kind in found]


def mask_sensitive(text: str) -> tuple[str, list[str]]:
    """`text` with card and ID numbers masked to their last four digits, and the kinds masked."""
    masked_kinds: list[str] = []
    parts: list[str] = []
    position = 0
    for finding in find_sensitive(text):
        if finding.kind not in (CARD, ID_NUMBER) or finding.start < position:
            continue
        value = finding.value
        parts += [text[position : finding.start], "*" * (len(value) - 4) + value[-4:]]
        position = finding.end
        if finding.kind not in masked_kinds:
            masked_kinds.append(finding.kind)
    parts.append(text[position:])
    return "".join(parts), masked_kinds
