"""The one pattern for staff-entered text that visitors read in both languages.

A model keeps the Chinese text in `<field>` and the English text in `<field>_en` (blank
allowed), and exposes `localized_<field> = LocalizedText("<field>")`. Templates, the API and
code that shows the text to a visitor read `localized_<field>`: English on English pages when
staff filled it in, Chinese otherwise (the site's first language, always required). The admin
shows both fields side by side on one row: `fields = [..., ("label", "label_en"), ...]`.
"""

from __future__ import annotations

from django.utils.translation import get_language


def english_is_active() -> bool:
    return (get_language() or "").lower().startswith("en")


class LocalizedText:
    """`localized_label = LocalizedText("label")`: `label_en` on English pages if filled, else `label`."""

    def __init__(self, field: str) -> None:
        self.field = field

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, instance: object, owner: type | None = None) -> str | LocalizedText:
        if instance is None:
            return self
        if english_is_active():
            english = getattr(instance, f"{self.field}_en", "")
            if english:
                return english
        return getattr(instance, self.field)
