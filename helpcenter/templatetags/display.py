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

WRAP_AFTER = re.compile(r"([/.@])(?=[^/.@\s])")
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

    def with_breaks(match: re.Match) -> str:
        escaped = conditional_escape(match.group(0)) if autoescape else match.group(0)
        return WRAP_AFTER.sub(r"\1<wbr>", escaped)

    pieces = []
    position = 0
    for match in LONG_TOKEN.finditer(text):
        before = text[position : match.start()]
        pieces.append(conditional_escape(before) if autoescape else before)
        pieces.append(with_breaks(match))
        position = match.end()
    rest = text[position:]
    pieces.append(conditional_escape(rest) if autoescape else rest)
    return mark_safe("".join(pieces))  # noqa: S308 - every piece above is escaped
