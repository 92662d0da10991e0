from __future__ import annotations

import pytest

from tests.helpers import IMMEDIATE_TASKS


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = IMMEDIATE_TASKS
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
