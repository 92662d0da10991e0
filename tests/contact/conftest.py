from __future__ import annotations

import pytest

from faq.models import Category
from tests.factories import BrandFactory, CategoryFactory
from tests.helpers import IMMEDIATE_TASKS


@pytest.fixture
def kdpay(db):
    return BrandFactory(name="KDPAY", slug="kdpay")


@pytest.fixture
def refunds(db) -> Category:
    return CategoryFactory(slug="refunds", name="退款", name_en="Refunds")


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
