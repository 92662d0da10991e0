from __future__ import annotations

import pytest

from tests.helpers import IMMEDIATE_TASKS


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = IMMEDIATE_TASKS
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def agent(django_user_model):
    """A Django test client logged in as a member of the Support agents group."""
    from django.contrib.auth.models import Group
    from django.test import Client

    user = django_user_model.objects.create_user("agent", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name="Support agents"))
    client = Client()
    client.force_login(user)
    return client
