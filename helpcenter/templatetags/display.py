"""Display filters every template may use without `{% load %}` (they are template builtins).

- `|datetime_attr`: a value for `<time datetime>`; HTML allows no microseconds there.
- `|wrap_points`: long web addresses and e-mail addresses may wrap after `/`, `.` and `@` on a
  narrow screen (a `<wbr>` after each), so that no CSS has to break words, dates or names anywhere.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from django import template
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

WRAP_AFTER = re.compile(r"(?<=[/.@])(?=[^/.@])")
# Only long tokens get break points; "3.5" or "a/b" in prose stays as written.
LONG_TOKEN = re.compile(r"\S{16,}")


@register.filter
def datetime_attr(value: datetime | date | None) -> str:
    """`2026-11-03T10:15:00+08:00` (seconds precision, in the current time zone) or `2026-11-03`."""
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return ""


@register.filter(needs_autoescape=True)
def wrap_points(value: object, autoescape: bool = True) -> SafeString:
    """The text escaped, with `<wbr>` after each / . @ inside long tokens (URLs, e-mail addresses)."""
    text = str(value if value is not None else "")

    def escape(piece: str) -> str:
        return conditional_escape(piece) if autoescape else piece

    def with_breaks(match: re.Match) -> str:
        return "<wbr>".join(escape(piece) for piece in WRAP_AFTER.split(match.group(0)))

    pieces = []
    position = 0
    for match in LONG_TOKEN.finditer(text):
        before = text[position : match.start()]
        pieces.append(escape(before))
        pieces.append(with_breaks(match))
        position = match.end()
    rest = text[position:]
    pieces.append(escape(rest))
    return mark_safe("".join(pieces))  # noqa: S308 - every piece above is escaped
