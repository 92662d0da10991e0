"""Uploads in an S3-compatible object store (issue 14 item 1), against moto's real S3 server.

The store is chosen by environment variables (helpcenter/storage.py); the files in it stay
private: the bucket refuses anonymous reads, the site serves them through its
permission-checked views, and the storage's own URLs are signed and short-lived. The upload
tests of contact/, trust/ and tests/test_uploads.py run on both storages through the
`uploads_storage_kind` fixture.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse

from contact.models import Attachment
from helpcenter.storage import LOCAL_FILES, uploads_storage
from tests.factories import ArticleFactory
from tests.helpers import en_url, image_bytes, upload, zh_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def bucket(object_store, settings) -> str:
    """Uploads go to a fresh bucket of moto's server, configured as production configures it."""
    name = object_store.new_bucket()
    settings.STORAGES = {**settings.STORAGES, "default": uploads_storage(object_store.env(name))}
    return name


def _keys(object_store, bucket: str) -> list[str]:
    listing = object_store.client().list_objects_v2(Bucket=bucket)
    return [entry["Key"] for entry in listing.get("Contents", [])]


def _anonymous_get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_without_a_bucket_uploads_stay_on_local_files():
    assert uploads_storage({}) == LOCAL_FILES
    assert uploads_storage({"DJANGO_S3_BUCKET": "  "}) == LOCAL_FILES


def test_a_bucket_selects_the_object_store_with_private_objects_and_signed_urls():
    storage = uploads_storage({"DJANGO_S3_BUCKET": "help-uploads", "DJANGO_S3_SIGNED_URL_SECONDS": "120"})
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert storage["OPTIONS"]["bucket_name"] == "help-uploads"
    assert storage["OPTIONS"]["default_acl"] is None
    assert storage["OPTIONS"]["querystring_auth"] is True
    assert storage["OPTIONS"]["querystring_expire"] == 120
    timeouts = storage["OPTIONS"]["client_config"]
    assert (timeouts.connect_timeout, timeouts.read_timeout) == (3, 10)


def test_a_contact_attachment_is_stored_in_the_bucket_and_served_to_its_owner_only(
    client, valid_data, object_store, bucket
):
    response = client.post(
        en_url("contact:message_create"), {**valid_data, "attachments": [upload("screen.png", image_bytes())]}
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert _keys(object_store, bucket) == [attachment.file.name]
    in_bucket = object_store.client().get_object(Bucket=bucket, Key=attachment.file.name)["Body"].read()
    url = zh_url("contact:attachment", attachment.pk)
    served = client.get(url)
    assert served["Cache-Control"] == "private, no-store"
    assert b"".join(served.streaming_content) == in_bucket
    assert Client().get(url).status_code == 404


def test_the_bucket_refuses_anonymous_reads_of_an_upload(client, valid_data, object_store, bucket):
    client.post(
        en_url("contact:message_create"), {**valid_data, "attachments": [upload("screen.png", image_bytes())]}
    )
    name = Attachment.objects.get().file.name
    assert _anonymous_get(f"{object_store.endpoint}/{bucket}/{name}") == 403


def test_the_storages_own_urls_are_signed_and_expire_after_five_minutes(client, valid_data, bucket):
    """What the admin's "currently" link of a file field gets. (moto checks neither signatures
    nor expiry, so the URL's own terms are what can be asserted here.)"""
    client.post(
        en_url("contact:message_create"), {**valid_data, "attachments": [upload("screen.png", image_bytes())]}
    )
    query = parse_qs(urlsplit(Attachment.objects.get().file.url).query)
    assert query["X-Amz-Expires"] == ["300"]
    assert query["X-Amz-Algorithm"] == ["AWS4-HMAC-SHA256"]


def _editor_client() -> Client:
    editor = User.objects.create_user("editor", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    client = Client()
    client.force_login(editor)
    return client


@pytest.mark.usefixtures("uploads_storage_kind")
def test_an_article_image_is_for_editors_until_a_published_article_shows_it():
    editor = _editor_client()
    answer = json.loads(
        editor.post(reverse("markdownx_upload"), {"image": upload("x.png", image_bytes())}).content
    )
    url = answer["image_code"].removeprefix("![](").removesuffix(")")
    assert url.startswith("/media/articles/")
    assert b"".join(editor.get(url).streaming_content).startswith(b"\x89PNG")
    assert Client().get(url).status_code == 404
    ArticleFactory(body=f"如图所示：\n\n![]({url})")
    public = Client().get(url)
    assert public.status_code == 200
    assert public["Cache-Control"] == "public, max-age=3600"
    assert (
        b"".join(public.streaming_content)
        == default_storage.open(settings.MARKDOWNX_MEDIA_PATH + url.rsplit("/", 1)[1]).read()
    )


@pytest.mark.usefixtures("uploads_storage_kind")
@pytest.mark.parametrize("name", ["missing0123456789abcdef0123456789.png", "notes.txt", "..%2Fcontact.png"])
def test_an_article_image_that_is_not_there_is_404_even_for_editors(name):
    assert _editor_client().get(f"/media/articles/{name}").status_code == 404
