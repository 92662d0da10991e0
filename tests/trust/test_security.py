"""Security hardening: headers on every page type, no inline code, check --deploy, error pages."""

from __future__ import annotations

import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from tests.factories import ArticleFactory, BrandFactory, CategoryFactory

pytestmark = pytest.mark.django_db

BASE_DIR = Path(__file__).resolve().parents[2]


@pytest.fixture
def pages():
    brand = BrandFactory(slug="kdpay", name="KDPAY")
    category = CategoryFactory(slug="security")
    article = ArticleFactory(slug="sms-code", category=category, brands=[brand])
    return {
        "home": "/",
        "english home": "/en/",
        "brand": brand.get_absolute_url(),
        "category": category.get_absolute_url(),
        "article": article.get_absolute_url(),
        "feedback": reverse("faq:article_feedback", args=[article.slug]),
        "search": "/search/",
        "contact": reverse("contact:index"),
        "contact brand": reverse("contact:brand_detail", args=[brand.slug]),
        "contact form": reverse("contact:message_create"),
        "contact status": reverse("contact:status_lookup"),
        "verify": reverse("trust:verify") + "?value=okpay.example.evil.com",
        "report": reverse("trust:report_create"),
        "warnings": reverse("trust:warnings"),
        "api": reverse("trust_api:verify") + "?value=95188",
        "not found": "/no-such-page/",
        "robots": "/robots.txt",
        "sitemap": "/sitemap.xml",
        "admin login": reverse("admin:login"),
    }


def test_security_headers_on_every_page_type(client, pages):
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == (404 if name == "not found" else 200), name
        csp = response["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp, name
        assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp, name
        assert response["X-Content-Type-Options"] == "nosniff", name
        assert response["Referrer-Policy"] == "strict-origin-when-cross-origin", name
        assert response["X-Frame-Options"] == "DENY", name
        assert "camera=()" in response["Permissions-Policy"], name
        assert "microphone=()" in response["Permissions-Policy"], name
        assert response["Cross-Origin-Opener-Policy"] == "same-origin", name


class _InlineCodeFinder(HTMLParser):
    """Collects what a CSP without 'unsafe-inline' would block."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "script" and not attributes.get("src") and attributes.get("type") != "application/ld+json":
            self.problems.append("inline <script>")
        if tag == "style":
            self.problems.append("<style> element")
        if "style" in attributes:
            self.problems.append(f"style= on <{tag}>")
        self.problems += [f"{name}= on <{tag}>" for name in attributes if name.startswith("on")]


def test_pages_carry_no_inline_script_or_style(client, pages):
    staff = User.objects.create_superuser("root", password="pw-root-123")
    admin_client = Client()
    admin_client.force_login(staff)
    responses = [client.get(url) for url in pages.values()]
    responses += [admin_client.get(reverse("admin:faq_article_add"))]
    for response in responses:
        if not response["Content-Type"].startswith("text/html"):
            continue
        finder = _InlineCodeFinder()
        finder.feed(response.content.decode())
        assert finder.problems == [], response.request["PATH_INFO"]


def test_nonce_is_only_sent_when_a_page_uses_one(client):
    assert "nonce-" not in client.get("/")["Content-Security-Policy"]


# What production sets (README "Production"); each test changes one thing.
PRODUCTION_ENV = {
    "DJANGO_SECRET_KEY": "check-deploy-" + "x7Hq2" * 12,
    "DJANGO_HTTPS": "1",
    "DJANGO_ALLOWED_HOSTS": "help.example.com",
    "REDIS_URL": "redis://127.0.0.1:6379/3",
    "DJANGO_SITE_URL": "https://help.example.com",
}


def check_deploy(**changes: str | None) -> subprocess.CompletedProcess:
    """`manage.py check --deploy --fail-level WARNING` in a fresh process; None unsets a variable."""
    env = {**os.environ, **PRODUCTION_ENV}
    for name in ["DJANGO_DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"]:  # the latter from the browser conftest
        env.pop(name, None)
    for name, value in changes.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_reports_nothing_with_the_production_environment():
    result = check_deploy()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_fails_on_the_development_key():
    result = check_deploy(DJANGO_SECRET_KEY=None)
    assert result.returncode != 0 and "security.W009" in result.stdout + result.stderr


def test_check_deploy_fails_without_the_site_url():
    result = check_deploy(DJANGO_SITE_URL=None)
    assert result.returncode != 0 and "helpcenter.E002" in result.stdout + result.stderr


def test_https_production_headers(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    response = client.get("/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_staff_session_and_csrf_cookies_are_http_only_and_expire(client, pages):
    User.objects.create_user("editor", password="pw-editor-123", is_staff=True)
    login = client.get(reverse("admin:login"))
    assert login.cookies["csrftoken"]["httponly"]
    response = client.post(reverse("admin:login"), {"username": "editor", "password": "pw-editor-123"})
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["httponly"] and session["samesite"] == "Lax"
    # Eight hours at most (SESSION_COOKIE_AGE) and gone when the browser closes.
    assert client.session.get_expiry_age() == 8 * 60 * 60
    assert client.session.get_expire_at_browser_close()


def test_server_error_page_has_no_stack_trace(client, monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr("faq.views._knowledge_base_page", explode)
    client.raise_request_exception = False
    response = client.get("/")
    body = response.content.decode()
    assert response.status_code == 500
    assert 'class="container narrow error-page"' in body
    assert "Traceback" not in body and "secret internal detail" not in body
    assert "Content-Security-Policy" in response


def test_not_found_page_is_in_the_site_style_without_details(client):
    response = client.get("/a/no-such-article/")
    body = response.content.decode()
    assert response.status_code == 404
    assert 'class="site-header"' in body and "Http404" not in body and "No such article" not in body
