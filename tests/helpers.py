"""Plain helpers the tests of every app import (fixtures live in the conftest.py files).

pytest discourages importing from conftest.py modules: a helper a test imports belongs here.
"""

from __future__ import annotations

from html.parser import HTMLParser
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from PIL import Image
from stdnum import luhn

IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def zh_url(name: str, *args, **kwargs) -> str:
    """The Simplified Chinese address (no prefix), whatever language a previous request left active."""
    with translation.override("zh-hans"):
        return reverse(name, args=args or None, kwargs=kwargs or None)


def en_url(name: str, *args, **kwargs) -> str:
    with translation.override("en"):
        return reverse(name, args=args or None, kwargs=kwargs or None)


def image_bytes(fmt: str = "PNG", size: tuple[int, int] = (40, 30), **save_kwargs) -> bytes:
    out = BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, fmt, **save_kwargs)
    return out.getvalue()


def upload(name: str, content: bytes, content_type: str = "image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def card_number(prefix: str = "622202123456789") -> str:
    """A 16-digit number that passes the Luhn check."""
    return prefix + luhn.calc_check_digit(prefix)


def article_form_data(category, **fields) -> dict:
    """What the admin's article form posts for a new Chinese draft in `category`; `fields` override."""
    return {
        "title": "如何修改登录密码",
        "slug": "",
        "language": "zh-hans",
        "original": "",
        "category": category.pk,
        "summary": "",
        "body": "## 步骤\n\n打开设置。",
        "status": "draft",
        "published_at_0": "2026-12-01",
        "published_at_1": "10:00:00",
        "featured_order": "0",
        "feedback-TOTAL_FORMS": "0",
        "feedback-INITIAL_FORMS": "0",
        "feedback-MIN_NUM_FORMS": "0",
        "feedback-MAX_NUM_FORMS": "1000",
        "alternative_questions-TOTAL_FORMS": "0",
        "alternative_questions-INITIAL_FORMS": "0",
        "alternative_questions-MIN_NUM_FORMS": "0",
        "alternative_questions-MAX_NUM_FORMS": "1000",
        **fields,
    }


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on: a dependency that is really down."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _FormFields(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.fields: list[tuple[str, str]] = []
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = dict(attrs)
        name = attributes.get("name")
        if tag == "input" and name and attributes.get("type") not in {"submit", "button", "file"}:
            if attributes.get("type") not in {"checkbox", "radio"} or "checked" in attributes:
                self.fields.append((name, attributes.get("value") or ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields.append((name, ""))
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attributes:
            self.fields.append((self._select, attributes.get("value") or ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea" and self._textarea is not None:
            name, value = self.fields[-1]
            self.fields[-1] = (name, value.removeprefix("\n"))  # as browsers read <textarea>
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            name, value = self.fields[-1]
            self.fields[-1] = (name, value + data)


def form_fields(html: str) -> dict[str, list[str]]:
    """What a browser would post from the page's form fields as they are (name → values)."""
    parser = _FormFields()
    parser.feed(html)
    fields: dict[str, list[str]] = {}
    for name, value in parser.fields:
        fields.setdefault(name, []).append(value)
    return fields
