"""The one place contact values (phone numbers, emails, web addresses, handles) are normalised.

Pure functions with no database and no network: the contact pages store
`normalized_value` with them, and the "is this contact official?" checker
normalises what a visitor pastes the same way before comparing.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

import phonenumbers
import tldextract
from ada_url import URL

# Separators people type inside phone numbers; phonenumbers ignores most of them,
# but full-width forms and ideographic spaces need NFKC first.
_PHONE_JUNK = re.compile(r"[\s\-\.\(\)\u00a0/]")
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_HANDLE_RE = re.compile(r"^[\w.\-]{1,64}$")
# WHATWG "special" schemes: the ones whose URLs have a host a browser opens.
_WEB_SCHEMES = frozenset({"http:", "https:", "ws:", "wss:", "ftp:"})
_WEB_SCHEME_PREFIX = re.compile(r"^\s*(?:https?|wss?|ftp):", re.IGNORECASE)
# "kdpay.example:8443/x" parses as scheme "kdpay.example:"; the address bar reads it as host:port.
_HOST_AND_PORT = re.compile(r"^\s*[^:/?#\\]+:\d*(?:[/?#\\]|$)")
MAX_URL_LENGTH = 2048


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


@dataclass(frozen=True)
class BrowserUrl:
    """What a browser makes of a link: the host it connects to (ASCII, lower case) and the path."""

    host: str
    path: str


def browser_url(value: str) -> BrowserUrl | None:
    """Parse a link exactly as a browser does (WHATWG URL standard, via ada-url), or None.

    Python's urlsplit disagrees with browsers on backslashes, tabs and newlines inside the
    URL, userinfo, percent-encoded and IDN hosts and the ideographic full stops, and every
    disagreement is a way to show us one host while the browser opens another. So the raw
    text goes to the parser Node.js uses, unchanged (no NFKC first: a browser maps only
    the host, and a full-width "／" must stay a character the host refuses, not a slash).
    Input without a scheme is read as the address bar reads it, as http://. None when a
    browser would refuse the URL or it is not a web address (javascript:, mailto:).
    """
    text = value or ""
    if not text.strip() or len(text) > MAX_URL_LENGTH:
        return None
    url = _parse(text)
    if url is None or (url.protocol not in _WEB_SCHEMES and _HOST_AND_PORT.match(text)):
        if _WEB_SCHEME_PREFIX.match(text):
            return None  # a web URL the browser refuses
        url = _parse("http://" + text.strip())
    if url is None or url.protocol not in _WEB_SCHEMES or not url.hostname:
        return None  # mailto:, javascript:, data: ... open no host
    return BrowserUrl(host=url.hostname, path=url.pathname)


def _parse(text: str) -> URL | None:
    try:
        return URL(text)
    except (ValueError, UnicodeError):  # invalid URL; lone surrogates cannot be encoded
        return None


def normalize_url(value: str) -> str | None:
    """The registrable domain of the host a browser opens (help.kdpay.example/x -> kdpay.example), or None.

    Only the registrable domain counts, so "okpay.example.evil.com" normalises to
    "evil.com" and never matches an official okpay.example channel.
    """
    url = browser_url(value)
    if url is None:
        return None
    parts = _extractor()(url.host.rstrip("."))
    if not parts.domain or not parts.suffix:
        return None
    return f"{parts.domain}.{parts.suffix}"


def email_identity(value: str) -> str:
    """One mailbox however its address is written: lower case, "+tag" dropped.

    "Ana+1@Example.com" and "ana+2@example.com" reach the same inbox, so a limit per
    address counts them together.
    """
    address = normalize_email(value) or _nfkc(value).lower()
    local, _at, domain = address.rpartition("@")
    return f"{local.split('+', 1)[0]}@{domain}"


def normalize_handle(value: str) -> str | None:
    """A social-media handle without the leading @, lower-cased; None when it cannot be a handle."""
    text = _nfkc(value).lstrip("@").lower()
    return text if _HANDLE_RE.match(text) else None


# Channel kinds (Channel.Kind values) by the form their value takes: how it is normalised, and
# which channels the "is this contact official?" checker compares a pasted phone number,
# email address, link or handle with (trust's ValueKind uses the same four names).
CHANNEL_KINDS_BY_FORM: dict[str, tuple[str, ...]] = {
    "phone": ("hotline",),
    "email": ("email",),
    "url": ("website", "chat"),
    "handle": ("wechat", "weibo", "x", "facebook", "telegram"),
}
_NORMALIZERS = {
    "phone": normalize_phone,
    "email": normalize_email,
    "url": normalize_url,
    "handle": normalize_handle,
}


def channel_value_form(kind: str) -> str | None:
    """The form of a channel kind's value ("phone", "email", "url", "handle"); None for in-app steps."""
    return next((form for form, kinds in CHANNEL_KINDS_BY_FORM.items() if kind in kinds), None)


def normalize_channel_value(kind: str, value: str) -> str:
    """Dispatch on a Channel.Kind value; "" when the value does not normalise (and for in-app)."""
    form = channel_value_form(kind)
    return (_NORMALIZERS[form](value) if form else None) or ""
