"""Admin brute-force lockout (django-axes), configurable admin URL and rate-limited POST endpoints."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.urls import clear_url_caches, reverse

from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return User.objects.create_user("editor", password="pw-editor-123", is_staff=True)


def _login(client, password: str):
    return client.post(reverse("admin:login"), {"username": "editor", "password": password})


@pytest.mark.usefixtures("frozen_clock")
def test_admin_login_locks_out_after_five_failures(client, editor):
    for _ in range(4):
        assert _login(client, "wrong").status_code == 200  # the form again, with an error
    locked = _login(client, "wrong")
    assert locked.status_code == 429
    assert "登录已锁定" in locked.content.decode()
    # Even the right password is refused while the lockout lasts.
    assert _login(client, "pw-editor-123").status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.usefixtures("frozen_clock")
def test_a_successful_login_resets_the_failure_count(client, editor):
    for _ in range(4):
        _login(client, "wrong")
    assert _login(client, "pw-editor-123").status_code == 302
    client.logout()
    for _ in range(4):
        assert _login(client, "wrong").status_code == 200


@pytest.mark.usefixtures("frozen_clock")
def test_lockout_is_per_address(client, editor):
    for _ in range(5):
        _login(client, "wrong")
    other = client.__class__(REMOTE_ADDR="203.0.113.9")
    assert (
        other.post(reverse("admin:login"), {"username": "editor", "password": "pw-editor-123"}).status_code
        == 302
    )


def test_admin_url_comes_from_the_environment(client, settings, monkeypatch):
    import importlib

    import helpcenter.urls

    settings.ADMIN_URL = "staff-7f3a/"
    try:
        importlib.reload(helpcenter.urls)
        clear_url_caches()
        assert client.get("/staff-7f3a/login/").status_code == 200
        assert client.get("/admin/login/").status_code == 404
    finally:
        settings.ADMIN_URL = "admin/"
        importlib.reload(helpcenter.urls)
        clear_url_caches()


@pytest.mark.usefixtures("frozen_clock")
def test_feedback_votes_are_rate_limited(client):
    article = ArticleFactory()
    url = reverse("faq:article_feedback", args=[article.slug])
    statuses = [client.post(url, {}).status_code for _ in range(21)]
    assert statuses[:20] == [400] * 20  # an empty vote is refused, but counted
    assert statuses[20] == 429
    assert "请求过于频繁" in client.post(url, {}).content.decode()
    assert client.get(url).status_code == 200  # reading is never limited


def test_the_vote_limit_lifts_when_its_minute_is_over(client, frozen_clock):
    article = ArticleFactory()
    url = reverse("faq:article_feedback", args=[article.slug])
    for _ in range(21):
        client.post(url, {})
    assert client.post(url, {}).status_code == 429
    frozen_clock.shift(60)
    assert client.post(url, {}).status_code == 400  # counted afresh: refused as empty, not limited


def test_staff_sessions_expire_after_eight_hours(client, editor):
    import time_machine
    from django.utils import timezone

    start = timezone.now()
    with time_machine.travel(start, tick=False):
        assert _login(client, "pw-editor-123").status_code == 302
        assert client.get(reverse("admin:index")).status_code == 200
    with time_machine.travel(start + timezone.timedelta(hours=7, minutes=59), tick=False):
        assert client.get(reverse("admin:index")).status_code == 200
    with time_machine.travel(start + timezone.timedelta(hours=8, minutes=1), tick=False):
        response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and reverse("admin:login") in response["Location"]


@pytest.mark.usefixtures("frozen_clock")
def test_behind_the_proxy_limits_count_the_address_the_proxy_saw(client, settings):
    """With DJANGO_BEHIND_PROXY the last X-Forwarded-For entry (added by our proxy) is the client;
    whatever a client puts before it cannot move it out of its bucket."""
    settings.BEHIND_PROXY = True
    article = ArticleFactory()
    url = reverse("faq:article_feedback", args=[article.slug])
    spoofed = [
        client.post(url, {}, headers={"X-Forwarded-For": f"10.0.0.{n}, 198.51.100.7"}).status_code
        for n in range(21)
    ]
    assert spoofed[-1] == 429
    other = client.post(url, {}, headers={"X-Forwarded-For": "198.51.100.8"})
    assert other.status_code == 400  # another visitor has a budget of their own


@pytest.mark.usefixtures("frozen_clock")
def test_without_a_proxy_a_forged_forwarded_for_header_does_not_reset_the_limit(client):
    article = ArticleFactory()
    url = reverse("faq:article_feedback", args=[article.slug])
    statuses = [
        client.post(url, {}, headers={"X-Forwarded-For": f"203.0.113.{n}"}).status_code for n in range(21)
    ]
    assert statuses[-1] == 429
