"""What a visitor pasted: a phone number, an email address, a web address or a handle.

Classified here, normalised by contact/normalize.py (the one place contact values are
normalised, shared with the Channel rows they are compared to).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from contact.normalize import browser_url, normalize_email, normalize_handle, normalize_phone, normalize_url

from .models import ValueKind

# Profile links on these sites are read as the handle in their first path segment.
SOCIAL_SITES = {"weibo.com", "x.com", "twitter.com", "facebook.com", "t.me", "telegram.me"}

_PHONE_SHAPE = re.compile(r"\+?[\d\s\-.()/\u00a0]+")
_URLISH = re.compile(r"^[a-z][a-z0-9+.\-]*://|^www\.|\.[^\W\d_]{2,}\.?(?:[/:?#]|$)", re.IGNORECASE)
_WEB_SCHEME = re.compile(r"^(?:https?|wss?|ftp):", re.IGNORECASE)
# Dots a browser accepts in host names (the ideographic full stops); NFKC keeps 。 as it is.
_DOTS = str.maketrans({"。": ".", "．": ".", "｡": "."})
_WRAPPING = "\"'“”‘’<>《》「」()（）[]【】 "


@dataclass(frozen=True)
class ParsedValue:
    """What kind of contact an input is, its normalised form, and (for links) the full host."""

    kind: ValueKind
    normalized: str | None
    host: str = ""


def _clean(value: str) -> str:
    text = unicodedata.normalize("NFKC", value or "")
    # Control and invisible format characters (NUL, zero-width joiners, bidi marks) carry no
    # meaning in a contact and are a classic way to hide a lookalike; PostgreSQL refuses NUL.
    text = "".join(ch for ch in text if unicodedata.category(ch) not in {"Cc", "Cf"} or ch in " ").strip()
    return text.strip(_WRAPPING)


def parse_value(value: str) -> ParsedValue:
    """Classify a pasted contact and normalise it through contact.normalize."""
    text = _clean(value)
    if not text:
        return ParsedValue(ValueKind.UNKNOWN, None)
    lowered = text.lower()
    for prefix in ("mailto:", "tel:"):
        if lowered.startswith(prefix):
            text = text[len(prefix) :]
            break
    if _WEB_SCHEME.match(text):
        # "https://kdpay.example@evil.example/" is a link to evil.example, not an email address.
        return _parse_url(value)
    if "@" in text.lstrip("@") and (email := normalize_email(text)):
        return ParsedValue(ValueKind.EMAIL, email)
    if _PHONE_SHAPE.fullmatch(text) and sum(ch.isdigit() for ch in text) >= 5:
        # Numbers phonenumbers does not know (short codes, invented ranges) are still
        # compared by their digits, so a confirmed scam number matches however it is written.
        digits = re.sub(r"\D", "", text)
        return ParsedValue(ValueKind.PHONE, normalize_phone(text) or digits)
    if not text.startswith("@") and _URLISH.search(text.translate(_DOTS)):
        return _parse_url(value)
    handle = normalize_handle(text)
    if handle:
        return ParsedValue(ValueKind.HANDLE, handle)
    return ParsedValue(ValueKind.UNKNOWN, None)


def _parse_url(value: str) -> ParsedValue:
    # The pasted text as it is (only wrapping quotes and spaces removed), not the NFKC form:
    # the verdict must be about the host a browser opens for exactly these characters.
    text = value.strip().strip(_WRAPPING)
    url = browser_url(text)
    domain = normalize_url(text)
    if url is not None and domain in SOCIAL_SITES:
        segment = url.path.strip("/").split("/", 1)[0]
        if handle := normalize_handle(segment):
            return ParsedValue(ValueKind.HANDLE, handle)
    return ParsedValue(ValueKind.URL, domain, host=url.host.rstrip(".") if url else "")
