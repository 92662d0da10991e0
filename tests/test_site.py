from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def broken_home(monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("boom: secret internals")

    monkeypatch.setattr("faq.views._knowledge_base_page", explode)


@pytest.mark.parametrize(("path", "expected"), [("/", "出了点问题"), ("/en/", "Something went wrong")])
def test_server_error_page_is_styled_in_the_users_language_without_internals(broken_home, path, expected):
    response = Client(raise_request_exception=False).get(path)
    html = response.content.decode()
    assert response.status_code == 500
    assert expected in html and "site.css" in html
    assert "boom" not in html and "Traceback" not in html


def test_collectstatic_writes_hashed_and_compressed_files(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    css = list((tmp_path / "static" / "css").glob("site.*.css"))
    assert css, "site.css is stored under a hashed name"
    assert css[0].with_name(css[0].name + ".gz").exists()
    assert list((tmp_path / "static" / "django_htmx").glob("htmx-2.min.*.js")), (
        "htmx is served from our static files"
    )
