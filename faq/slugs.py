"""Article addresses made from titles: pinyin for Chinese (如何退款 → ru-he-tui-kuan), so an
editor who writes only a Chinese title still gets a readable, unique, ASCII slug."""

from __future__ import annotations

from django.utils.text import slugify
from pypinyin import Style, lazy_pinyin

SLUG_MAX_LENGTH = 100
FALLBACK_SLUG = "article"


def pinyin_slug(title: str, *, max_length: int = SLUG_MAX_LENGTH) -> str:
    """The title as a slug: Chinese characters in toneless pinyin, one word each, other
    text kept (KDPAY 退款 → kdpay-tui-kuan); cut at a word boundary to fit `max_length`."""
    # errors="default" keeps non-Chinese runs (Latin words, digits) as they are.
    words = lazy_pinyin(title, style=Style.NORMAL, errors="default")
    slug = slugify(" ".join(words))
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0] or slug[:max_length]
    return slug or FALLBACK_SLUG


def unique_slug(base: str, taken: set[str], *, max_length: int = SLUG_MAX_LENGTH) -> str:
    """`base`, or `base-2`, `base-3`, ... : the first one not in `taken`."""
    if base not in taken:
        return base
    number = 2
    while True:
        suffix = f"-{number}"
        candidate = base[: max_length - len(suffix)] + suffix
        if candidate not in taken:
            return candidate
        number += 1
