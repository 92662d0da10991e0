"""Finding sensitive data users paste into messages: card numbers, ID numbers, SMS codes, passwords.

Card numbers are recognised by their Luhn check digit, mainland resident ID numbers
by their ISO 7064 checksum (python-stdnum), SMS codes and passwords by the words
around them. Card and ID numbers are masked to their last four digits before a
message is stored; codes and passwords cannot be delimited reliably, so the form
only warns about them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from stdnum import luhn
from stdnum.cn import ric

CARD = "card"
ID_NUMBER = "id"
CODE = "code"
PASSWORD = "password"

# 13-19 digits, optionally grouped by spaces or dashes, not inside a longer number.
_CARD_RE = re.compile(r"(?<![\d])(?:\d[ -]?){12,18}\d(?![\d])")
_ID_RE = re.compile(r"(?<![\dXx])\d{17}[\dXx](?![\dXx])")
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
    kind: str
    start: int
    end: int


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def find_sensitive(text: str) -> list[Finding]:
    """Every sensitive value in `text`, in order; ID numbers win over card numbers they overlap."""
    findings: list[Finding] = []
    for match in _ID_RE.finditer(text):
        if ric.is_valid(match.group()):
            findings.append(Finding(ID_NUMBER, match.start(), match.end()))
    for match in _CARD_RE.finditer(text):
        digits = _digits(match.group())
        overlaps = any(f.start < match.end() and match.start() < f.end for f in findings)
        if not overlaps and 13 <= len(digits) <= 19 and luhn.is_valid(digits):
            findings.append(Finding(CARD, match.start(), match.end()))
    findings += [Finding(CODE, m.start(), m.end()) for m in _CODE_RE.finditer(text)]
    findings += [Finding(PASSWORD, m.start(), m.end()) for m in _PASSWORD_RE.finditer(text)]
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
        value = re.sub(r"[\s-]", "", text[finding.start : finding.end])
        parts += [text[position : finding.start], "*" * (len(value) - 4) + value[-4:]]
        position = finding.end
        if finding.kind not in masked_kinds:
            masked_kinds.append(finding.kind)
    parts.append(text[position:])
    return "".join(parts), masked_kinds
