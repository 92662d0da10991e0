"""The site's two languages, and the one pattern for staff-entered text visitors read in both.

`current_language()` is the page's language as a `Language` value, for every app (articles,
messages, cache keys). A model keeps the Chinese text in `<field>` and the English text in `<field>_en` (blank
allowed), and exposes `localized_<field> = LocalizedText("<field>")`. Templates, the API and
code that shows the text to a visitor read `localized_<field>`: English on English pages when
staff filled it in, Chinese otherwise (the site's first language, always required). The admin
shows both fields side by side on one row: `fields = [..., ("label", "label_en"), ...]`.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language


class Language(models.TextChoices):
    """settings.LANGUAGES as choices: what an article is written in, what a message was sent in."""

    ZH_HANS = "zh-hans", "简体中文"
    EN = "en", "English"


def current_language() -> str:
    """The active language as one of Language's values (zh-hans when unknown)."""
    language = (get_language() or Language.ZH_HANS).lower()
    return Language.EN if language.startswith("en") else Language.ZH_HANS


class LocalizedText:
    """`localized_label = LocalizedText("label")`: `label_en` on English pages if filled, else `label`."""

    def __init__(self, field: str) -> None:
        self.field = field

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, instance: object, owner: type | None = None) -> str | LocalizedText:
        if instance is None:
            return self
        if current_language() == Language.EN:
            english = getattr(instance, f"{self.field}_en", "")
            if english:
                return english
        return getattr(instance, self.field)
