"""Admin lockouts (django-axes) use the site's one client-address rule, behind the proxy too."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

PROXY = "127.0.0.1"


@pytest.fixture
def editor():
    return User.objects.create_user("editor", password="pw-editor-123", is_staff=True)


@pytest.fixture(autouse=True)
def behind_proxy(settings):
    settings.BEHIND_PROXY = True


def _login(forwarded_for: str, password: str):
    client = Client(REMOTE_ADDR=PROXY)
    return client.post(
        reverse("admin:login"),
        {"username": "editor", "password": password},
        headers={"X-Forwarded-For": forwarded_for},
    )


def test_client_a_is_locked_out_and_client_b_still_logs_in(editor):
    """The attack as reported: five failures with any X-Forwarded-For locked the admin for everyone."""
    with time_machine.travel(datetime(2026, 3, 4, 10, 0, tzinfo=UTC), tick=False):
        for n in range(5):
            _login(f"10.9.9.{n}, 198.51.100.7", "wrong")
        # A stays locked, whatever it puts in front of the address our proxy appended.
        assert _login("198.51.100.7", "pw-editor-123").status_code == 429
        assert _login("10.0.0.1, 198.51.100.7", "pw-editor-123").status_code == 429
        # B, behind the same proxy, is not affected.
        assert _login("203.0.113.20", "pw-editor-123").status_code == 302
    with time_machine.travel(datetime(2026, 3, 4, 10, 59, tzinfo=UTC), tick=False):
        assert _login("198.51.100.7", "pw-editor-123").status_code == 429


def test_an_ipv6_client_is_locked_out_for_its_whole_slash_64(editor):
    with time_machine.travel(datetime(2026, 3, 4, 10, 0, tzinfo=UTC), tick=False):
        for n in range(5):
            _login(f"2001:db8:1:2::{n + 1}", "wrong")
        assert _login("2001:db8:1:2::abcd", "pw-editor-123").status_code == 429
        assert _login("2001:db8:1:3::1", "pw-editor-123").status_code == 302
