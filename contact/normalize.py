"""The one place contact values (phone numbers, emails, web addresses, handles) are normalised.

Pure functions with no database and no network: the contact pages store
`normalized_value` with them, and the "is this contact official?" checker
normalises what a visitor pastes the same way before comparing.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from urllib.parse import urlsplit

import phonenumbers
import tldextract

# Separators people type inside phone numbers; phonenumbers ignores most of them,
# but full-width forms and ideographic spaces need NFKC first.
_PHONE_JUNK = re.compile(r"[\s\-\.\(\)\u00a0/]")
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_HANDLE_RE = re.compile(r"^[\w.\-]{1,64}$")


@cache
def _extractor() -> tldextract.TLDExtract:
    # No network and no cache directory: the bundled public-suffix snapshot, plus the
    # reserved .example TLD used by the demo data so it acts as a public suffix.
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, extra_suffixes=("example",))


def _nfkc(value: str) -> str:
    return unicodedata.normalize("NFKC", value or "").strip()


def normalize_phone(value: str, region: str = "CN") -> str | None:
    """E.164 form of a phone number (+86 4000000101), or None when it is not a valid number.

    Accepts +86, 0086, spaces, dashes, dots, brackets, full-width digits and a leading
    trunk 0 ("010 ..."), all of which people copy from web pages and text messages.
    """
    text = _PHONE_JUNK.sub("", _nfkc(value))
    if not text or len(text) > 32:
        return None
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display_phone(e164: str) -> str:
    """The national format of a stored E.164 number (400 000 0101), or the input unchanged."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


def _idna(domain: str) -> str | None:
    try:
        return domain.encode("idna").decode("ascii").lower()
    except UnicodeError:
        return None


def normalize_email(value: str) -> str | None:
    """An address with the local part lower-cased and the domain in lower-case punycode; None if invalid."""
    text = _nfkc(value)
    if not _EMAIL_RE.match(text):
        return None
    local, _at, domain = text.rpartition("@")
    domain = _idna(domain.rstrip("."))
    if not local or not domain:
        return None
    return f"{local.lower()}@{domain}"


def normalize_url(value: str) -> str | None:
    """The registrable domain of a web address (help.kdpay.example/x -> kdpay.example), or None.

    Only the registrable domain counts, so "okpay.example.evil.com" normalises to
    "evil.com" and never matches an official okpay.example channel.
    """
    text = _nfkc(value)
    if not text or any(ch.isspace() for ch in text):
        return None
    if "://" not in text:
        text = "http://" + text.lstrip("/")
    try:
        host = urlsplit(text).hostname or ""
    except ValueError:
        return None
    host = _idna(host.rstrip("."))
    if not host:
        return None
    parts = _extractor()(host)
    if not parts.domain or not parts.suffix:
        return None
    return f"{parts.domain}.{parts.suffix}"


def normalize_handle(value: str) -> str | None:
    """A social-media handle without the leading @, lower-cased; None when it cannot be a handle."""
    text = _nfkc(value).lstrip("@").lower()
    return text if _HANDLE_RE.match(text) else None


def normalize_channel_value(kind: str, value: str) -> str:
    """Dispatch on a Channel.Kind value; "" when the value does not normalise (and for in-app)."""
    if kind == "hotline":
        result = normalize_phone(value)
    elif kind == "email":
        result = normalize_email(value)
    elif kind in {"chat", "website"}:
        result = normalize_url(value)
    elif kind in {"wechat", "weibo", "x", "facebook", "telegram"}:
        result = normalize_handle(value)
    else:
        result = None
    return result or ""
