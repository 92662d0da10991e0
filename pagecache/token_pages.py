"""Cached pages whose only personal part is a CSRF token (the contact form), answered per visitor.

On the hit path (pagecache/wsgi.py) each answer gets what Django's CsrfViewMiddleware gives
a page that calls `get_token`: the visitor's own secret from their CSRF cookie (a new
one when they have none or a malformed one), freshly masked into the page, and the cookie
set again. Django's own code reads the cookie (format check, unmasking) and builds the
Set-Cookie value (once, then the secret and expiry are put in); the masking is Django's
`_mask_cipher_secret` with its random characters drawn from one os.urandom call instead of
64 `secrets.choice` calls. A POST carrying the token passes CsrfViewMiddleware exactly as
after an uncached answer (tests/pagecache/test_hit_path.py).

Compressed answers are built without compressing the page again: the page's parts around
the token are compressed once (each part its own raw deflate stream, flushed to a byte
boundary, so they can be joined), and each answer joins them with the token as a stored
(uncompressed) deflate block. As Django's GZipMiddleware does against BREACH, each answer's
gzip header carries a file name of random length; the token itself is masked anew per
answer, so nothing secret repeats in the compressed bytes.
"""

from __future__ import annotations

import os
import secrets
import struct
import zlib
from http.cookies import SimpleCookie

from django.conf import settings
from django.http import HttpResponseBase
from django.middleware.csrf import (
    CSRF_ALLOWED_CHARS,
    CSRF_SECRET_LENGTH,
    CsrfViewMiddleware,
    InvalidTokenFormat,
)
from django.middleware.gzip import GZipMiddleware
from django.utils.http import http_date

_csrf = CsrfViewMiddleware(lambda request: None)
_GZIP_FNAME = 0x08
_MAX_RANDOM_BYTES = GZipMiddleware.max_random_bytes


class _Visitor:
    """What CsrfViewMiddleware._get_secret reads of a request."""

    __slots__ = ("COOKIES",)

    def __init__(self, cookies: dict) -> None:
        self.COOKIES = cookies


class _Cookie:
    """Holds what HttpResponseBase.set_cookie writes, so Django builds the Set-Cookie header."""

    def __init__(self) -> None:
        self.cookies = SimpleCookie()

    set_cookie = HttpResponseBase.set_cookie


_CHARS = CSRF_ALLOWED_CHARS
_INDEX = {char: index for index, char in enumerate(_CHARS)}
_LIMIT = 256 - 256 % len(_CHARS)  # random bytes at or above are dropped: every character equally likely


def _random_indices(count: int) -> list[int]:
    """`count` uniform indices into CSRF_ALLOWED_CHARS from one os.urandom call (Django's
    get_random_string makes one call per character: 64 of them per answer, most of its cost)."""
    indices: list[int] = []
    while len(indices) < count:
        indices.extend(byte % len(_CHARS) for byte in os.urandom(count * 2) if byte < _LIMIT)
    return indices[:count]


def new_secret() -> str:
    return "".join(_CHARS[index] for index in _random_indices(CSRF_SECRET_LENGTH))


def masked(secret: str) -> str:
    """django.middleware.csrf._mask_cipher_secret: a fresh mask, then the secret shifted by it."""
    mask = _random_indices(CSRF_SECRET_LENGTH)
    cipher = "".join(
        _CHARS[(_INDEX[char] + shift) % len(_CHARS)] for char, shift in zip(secret, mask, strict=True)
    )
    return "".join(_CHARS[index] for index in mask) + cipher


_SECRET_STANDIN = "S" * CSRF_SECRET_LENGTH
_cookie_template: list = [None]  # (Set-Cookie value with stand-ins, expires part, max age), per settings


def forget_settings() -> None:
    _cookie_template[0] = None


def _set_cookie_template() -> tuple[str, str, int]:
    """The Set-Cookie value HttpResponseBase.set_cookie makes, built by it once (per settings)."""
    holder = _Cookie()
    holder.set_cookie(
        settings.CSRF_COOKIE_NAME,
        _SECRET_STANDIN,
        max_age=settings.CSRF_COOKIE_AGE,
        domain=settings.CSRF_COOKIE_DOMAIN,
        path=settings.CSRF_COOKIE_PATH,
        secure=settings.CSRF_COOKIE_SECURE,
        httponly=settings.CSRF_COOKIE_HTTPONLY,
        samesite=settings.CSRF_COOKIE_SAMESITE,
    )
    morsel = holder.cookies[settings.CSRF_COOKIE_NAME]
    # As Django's WSGIHandler writes it.
    return morsel.output(header=""), morsel["expires"], settings.CSRF_COOKIE_AGE


def visitor_token(cookies: dict, now: float) -> tuple[str, str]:
    """(masked token for the page, Set-Cookie value) as CsrfViewMiddleware would give this visitor."""
    try:
        secret = _csrf._get_secret(_Visitor(cookies))  # Django's reading: format check, unmasking
    except InvalidTokenFormat:
        secret = None
    if secret is None:
        secret = new_secret()
    template = _cookie_template[0]
    if template is None:
        template = _cookie_template[0] = _set_cookie_template()
    value, expires, max_age = template
    cookie = value.replace(_SECRET_STANDIN, secret, 1)
    if expires:
        cookie = cookie.replace(expires, http_date(now + max_age), 1)
    return masked(secret), cookie


class GzipParts:
    """A page compressed once around its token places; each answer adds only the token."""

    def __init__(self, parts: list[bytes]) -> None:
        self.parts = parts
        compressed = []
        for index, part in enumerate(parts):
            stream = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
            last = index == len(parts) - 1
            compressed.append(
                stream.compress(part) + stream.flush(zlib.Z_FINISH if last else zlib.Z_SYNC_FLUSH)
            )
        self.compressed = compressed
        self.plain_size = sum(map(len, parts))

    def with_token(self, token: bytes) -> bytes:
        stored = b"\x00" + struct.pack("<HH", len(token), 0xFFFF ^ len(token)) + token
        crc = 0
        out = []
        for index, part in enumerate(self.parts):
            if index:
                crc = zlib.crc32(token, crc)
                out.append(stored)
            crc = zlib.crc32(part, crc)
            out.append(self.compressed[index])
        size = self.plain_size + len(token) * (len(self.parts) - 1)
        filename = b"a" * secrets.randbelow(_MAX_RANDOM_BYTES) + b"\x00"  # as django.utils.text does
        header = b"\x1f\x8b\x08" + bytes([_GZIP_FNAME]) + b"\x00\x00\x00\x00\x00\xff" + filename
        return header + b"".join(out) + struct.pack("<II", crc, size & 0xFFFFFFFF)


class TokenAnswer:
    """The per-visitor parts of a token page's answer."""

    __slots__ = ("parts", "gzip", "cache_control")

    def __init__(self, parts: list[bytes], gzip: GzipParts | None, cache_control: str) -> None:
        self.parts = parts
        self.gzip = gzip
        self.cache_control = cache_control

    @classmethod
    def for_page(cls, page, response) -> TokenAnswer | None:
        """From the stored page (the placeholder in it) and the answer the whole stack gave."""
        if settings.CSRF_USE_SESSIONS or "Cache-Control" not in response:
            return None
        parts = page.content.split(page.token_placeholder.encode())
        compressed = response.get("Content-Encoding") == "gzip"
        if response.get("Content-Encoding") not in (None, "gzip") or len(parts) < 2:
            return None
        return cls(parts, GzipParts(parts) if compressed else None, response["Cache-Control"])

    def answer(self, cookies: dict, headers: list[tuple[str, str]], now: float) -> bytes:
        """The body for one visitor; their Cache-Control, Expires and Set-Cookie added to `headers`."""
        token, set_cookie = visitor_token(cookies, now)
        token = token.encode()
        body = self.gzip.with_token(token) if self.gzip is not None else token.join(self.parts)
        headers.append(("Cache-Control", self.cache_control))
        headers.append(("Expires", http_date(now)))
        headers.append(("Set-Cookie", set_cookie))
        return body
