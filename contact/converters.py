"""Path converters for the contact URLs: a path argument that cannot be what it names never reaches a query.

`<str:...>` would pass anything, NUL bytes included, which PostgreSQL refuses with an error
(a 500); a path outside these shapes is simply a 404.
"""

from __future__ import annotations


class ReferenceConverter:
    """A message reference as people type it (KD-7F3K-9Q2M, any case)."""

    regex = "[A-Za-z0-9-]{1,20}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class TokenConverter(ReferenceConverter):
    """The private link's token (URL-safe base64 or hex)."""

    regex = "[A-Za-z0-9_-]{1,100}"
