"""System checks for the project's own settings."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.compatibility)
def check_site_url(app_configs, **kwargs) -> list[Error]:
    """DJANGO_SITE_URL, when set, must be an origin: links are built as origin + path."""
    if not settings.SITE_URL:
        return []
    parts = urlsplit(settings.SITE_URL)
    if (
        parts.scheme in {"http", "https"}
        and parts.netloc
        and not (parts.path or parts.query or parts.fragment)
    ):
        return []
    return [
        Error(
            f"DJANGO_SITE_URL={settings.SITE_URL!r} is not an origin.",
            hint="Give the scheme and host only, e.g. https://help.example.com",
            id="helpcenter.E001",
        )
    ]


@register(Tags.security, deploy=True)
def check_site_url_is_set(app_configs, **kwargs) -> list[Error]:
    if settings.SITE_URL:
        return []
    return [
        Error(
            "DJANGO_SITE_URL is not set.",
            hint="Emails sent outside a request (the task worker's retries, contact_resend_emails) "
            "link to the site's public address: set DJANGO_SITE_URL=https://help.example.com",
            id="helpcenter.E002",
        )
    ]
