from __future__ import annotations

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from PIL import Image
from stdnum import luhn

from faq.models import Category
from tests.factories import BrandFactory, CategoryFactory

IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def image_bytes(fmt: str = "PNG", size: tuple[int, int] = (40, 30), **save_kwargs) -> bytes:
    out = BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, fmt, **save_kwargs)
    return out.getvalue()


def upload(name: str, content: bytes, content_type: str = "image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def card_number(prefix: str = "622202123456789") -> str:
    """A 16-digit number that passes the Luhn check."""
    return prefix + luhn.calc_check_digit(prefix)


@pytest.fixture
def kdpay(db):
    return BrandFactory(name="KDPAY", slug="kdpay")


@pytest.fixture
def refunds(db) -> Category:
    return CategoryFactory(slug="refunds", name_zh_hans="退款", name_en="Refunds")


@pytest.fixture
def valid_data(kdpay, refunds) -> dict:
    return {
        "brand": "kdpay",
        "topic": "refunds",
        "name": "张三",
        "email": "zhang+refund@mail.example",
        "phone": "",
        "account": "138****8000",
        "subject": "退款没有到账",
        "message": "我在三天前申请了退款，还没有到账。",
        "transaction_reference": "",
        "problem_at": "",
        "website": "",
    }


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = IMMEDIATE_TASKS
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def zh_url(name: str, *args) -> str:
    """The Simplified Chinese address (no prefix), whatever language a previous request left active."""
    with translation.override("zh-hans"):
        return reverse(name, args=args)


def en_url(name: str, *args) -> str:
    with translation.override("en"):
        return reverse(name, args=args)
