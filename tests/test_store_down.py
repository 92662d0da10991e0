"""Visitor uploads while the object store is down: the submission is kept, the files the store
refused are not recorded, the visitor is told which, and no page answers 500.

The store here is a real moto server that was started, given a bucket and then stopped, so
the site's own django-storages/boto3 code meets a store that no longer answers
(helpcenter/uploads.py says why the text is kept rather than refused).
"""

from __future__ import annotations

import html

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from contact.models import Attachment, ContactMessage, Reply
from helpcenter.storage import uploads_storage
from tests.factories import ContactMessageFactory
from tests.helpers import en_url, image_bytes, upload, zh_url
from tests.objectstore import start_object_store, stop_object_store
from trust.models import ScamReport

pytestmark = pytest.mark.django_db

NOT_SAVED = {"zh-hans": "因临时故障未能保存", "en": "could not be saved because of a temporary fault"}
URL = {"zh-hans": zh_url, "en": en_url}


@pytest.fixture(scope="module")
def stopped_store_env(tmp_path_factory) -> dict[str, str]:
    """The settings of a bucket on an S3 server that has since stopped (its port now refuses)."""
    store = start_object_store(tmp_path_factory.mktemp("moto-stopped") / "moto.log")
    env = store.env(store.new_bucket())
    stop_object_store(store)
    return env


@pytest.fixture
def store_down(settings, stopped_store_env) -> None:
    settings.STORAGES = {**settings.STORAGES, "default": uploads_storage(stopped_store_env)}


def _page(client, response) -> str:
    return html.unescape(client.get(response["Location"]).content.decode())


@pytest.mark.usefixtures("store_down")
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_message_is_kept_and_the_visitor_told_which_files_were_not_saved(client, valid_data, language):
    files = [upload("收据.png", image_bytes()), upload("screen.png", image_bytes())]
    response = client.post(URL[language]("contact:message_create"), {**valid_data, "attachments": files})
    assert response.status_code == 302
    page = _page(client, response)
    assert NOT_SAVED[language] in page
    assert "收据.png, screen.png" in page
    message = ContactMessage.objects.get()
    assert message.message == valid_data["message"]
    assert Attachment.objects.count() == 0  # no row names a file the store does not hold
    note = message.replies.get(kind=Reply.Kind.NOTE)
    assert "收据.png, screen.png" in note.body


@pytest.mark.usefixtures("store_down")
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_follow_up_is_kept_and_the_visitor_told_which_files_were_not_saved(client, kdpay, language):
    message = ContactMessageFactory(brand=kdpay, email="zhang@mail.example")
    client.post(
        URL[language]("contact:status_lookup"), {"reference": message.reference, "email": message.email}
    )
    response = client.post(
        URL[language]("contact:status_followup", message.reference),
        {"body": "补充：交易时间是昨天 21:10", "attachments": [upload("more.png", image_bytes())]},
    )
    assert response.status_code == 302
    page = _page(client, response)
    assert NOT_SAVED[language] in page
    assert "more.png" in page
    assert "补充：交易时间是昨天 21:10" in page
    assert message.replies.get(kind=Reply.Kind.CUSTOMER).attachments.count() == 0
    assert "more.png" in message.replies.get(kind=Reply.Kind.NOTE).body


def _report(client, language, **headers):
    data = {
        "value": "+86 170 0000 0999",
        "brand": "",
        "seen_where": "call",
        "description": "自称客服要验证码",
    }
    screenshot = upload("截图.png", image_bytes())
    return client.post(URL[language]("trust:report_create"), {**data, "screenshot": screenshot}, **headers)


@pytest.mark.usefixtures("store_down")
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_scam_report_is_kept_without_its_screenshot_and_the_visitor_told(client, language):
    response = _report(client, language)
    assert response.status_code == 302
    assert NOT_SAVED[language] in _page(client, response)
    report = ScamReport.objects.get()
    assert (report.value, report.description, report.screenshot.name) == (
        "+86 170 0000 0999",
        "自称客服要验证码",
        "",
    )


@pytest.mark.usefixtures("store_down")
def test_a_scam_report_sent_with_htmx_says_so_in_the_answer(client):
    response = _report(client, "zh-hans", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert NOT_SAVED["zh-hans"] in response.content.decode()
    assert ScamReport.objects.get().screenshot.name == ""


def test_with_the_store_up_the_thank_you_pages_say_nothing_is_missing(client, valid_data):
    response = client.post(
        zh_url("contact:message_create"), {**valid_data, "attachments": [upload("a.png", image_bytes())]}
    )
    assert NOT_SAVED["zh-hans"] not in _page(client, response)
    assert NOT_SAVED["zh-hans"] not in _page(client, _report(client, "zh-hans"))


@pytest.fixture
def staff_client() -> Client:
    client = Client()
    client.force_login(User.objects.create_superuser("agent", password="pw-agent-1234"))
    return client


def test_stored_uploads_show_a_placeholder_while_the_store_is_down(
    client, valid_data, object_store, settings, stopped_store_env, staff_client
):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": uploads_storage(object_store.env(object_store.new_bucket())),
    }
    client.post(
        en_url("contact:message_create"), {**valid_data, "attachments": [upload("a.png", image_bytes())]}
    )
    _report(client, "en")
    attachment, report = Attachment.objects.get(), ScamReport.objects.get()
    assert report.screenshot.name
    settings.STORAGES = {**settings.STORAGES, "default": uploads_storage(stopped_store_env)}

    for url in (
        en_url("contact:attachment", attachment.pk),
        reverse("trust:report_screenshot", args=[report.pk]),
    ):
        served = staff_client.get(url)
        assert (served.status_code, served["Content-Type"]) == (503, "image/svg+xml; charset=utf-8")
        assert "Image temporarily unavailable" in served.content.decode()
    message_admin = reverse("admin:contact_contactmessage_change", args=[attachment.contact_message_id])
    assert staff_client.get(message_admin).status_code == 200
    assert staff_client.get(reverse("admin:trust_scamreport_change", args=[report.pk])).status_code == 200
    assert client.get(zh_url("contact:attachment", attachment.pk)).status_code == 503  # the sender


@pytest.mark.usefixtures("store_down")
def test_an_article_image_shows_a_placeholder_while_the_store_is_down(client):
    response = client.get("/media/articles/0123456789abcdef0123456789abcdef.png")
    assert response.status_code == 503
    assert "图片暂时无法显示" in response.content.decode()
