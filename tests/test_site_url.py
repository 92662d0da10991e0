"""DJANGO_SITE_URL: every absolute link is built on the site's public origin, never on a guess."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core import mail
from django.core.checks import run_checks
from django.core.management import CommandError, call_command
from django.urls import reverse

from contact.models import ContactMessage
from tests.factories import ArticleFactory, ContactMessageFactory
from tests.helpers import IMMEDIATE_TASKS

pytestmark = pytest.mark.django_db
ORIGIN = "https://help.example.com"


@pytest.fixture
def site_url(settings):
    settings.SITE_URL = ORIGIN
    return ORIGIN


@pytest.fixture
def unsent(settings):
    settings.TASKS = IMMEDIATE_TASKS
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    return ContactMessageFactory(reference="KD-7F3K-9Q2M")


def test_the_resend_cron_job_refuses_to_guess_an_address(settings, unsent):
    settings.SITE_URL = ""
    with pytest.raises(CommandError, match="DJANGO_SITE_URL"):
        call_command("contact_resend_emails", stdout=StringIO())
    assert mail.outbox == []
    assert ContactMessage.objects.get().confirmation_sent_at is None


def test_the_resend_cron_job_links_to_the_site_url(site_url, unsent):
    call_command("contact_resend_emails", stdout=StringIO())
    [email] = mail.outbox
    links = re.findall(r"https?://\S+", email.body)
    assert links and all(link.startswith(ORIGIN + "/contact/status/KD-7F3K-9Q2M") for link in links)


def test_pages_link_to_the_site_url(client, site_url):
    article = ArticleFactory(slug="refund-timelines", title="退款多久到账")
    html = client.get(article.get_absolute_url()).content.decode()
    assert f'<link rel="canonical" href="{ORIGIN}/a/refund-timelines/">' in html
    alternates = re.findall(r'<link rel="alternate" hreflang="[^"]+" href="([^"]+)"', html)
    assert len(alternates) == 3 and all(href.startswith(ORIGIN + "/") for href in alternates)
    assert f'"@id": "{ORIGIN}/a/refund-timelines/#article"' in html  # JSON-LD
    assert "http://testserver" not in html
    assert f"Sitemap: {ORIGIN}/sitemap.xml" in client.get("/robots.txt").content.decode()
    index = client.get("/sitemap.xml").content.decode()
    assert f"<loc>{ORIGIN}/sitemap-articles.xml</loc>" in index
    assert "http://testserver" not in index
    sitemap = client.get("/sitemap-articles.xml").content.decode()
    assert f"<loc>{ORIGIN}/a/refund-timelines/</loc>" in sitemap
    assert "http://testserver" not in sitemap
    [result] = client.get(reverse("api:search"), {"q": "退款"}).json()["results"]
    assert result["url"] == f"{ORIGIN}/a/refund-timelines/"


def test_without_a_site_url_pages_use_the_requests_own_host(client):
    article = ArticleFactory(slug="refund-timelines")
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<link rel="canonical" href="http://testserver/a/refund-timelines/">' in html


def check_ids(*, deploy: bool) -> set[str]:
    return {message.id for message in run_checks(include_deployment_checks=deploy)}


def test_check_deploy_fails_without_a_site_url(settings):
    settings.SITE_URL = ""
    assert "helpcenter.E002" in check_ids(deploy=True)
    assert "helpcenter.E002" not in check_ids(deploy=False)  # development needs none


def test_check_deploy_accepts_a_site_url(site_url):
    assert not {"helpcenter.E001", "helpcenter.E002"} & check_ids(deploy=True)


@pytest.mark.parametrize(
    "value", ["help.example.com", "https://help.example.com/help", "ftp://help.example.com"]
)
def test_a_site_url_must_be_an_origin(settings, value):
    settings.SITE_URL = value
    assert "helpcenter.E001" in check_ids(deploy=False)
