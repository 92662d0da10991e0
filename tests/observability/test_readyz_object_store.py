"""/readyz with uploads in the S3 object store: moto's real server up, down, and without the bucket."""

from __future__ import annotations

import pytest
from django.test import override_settings

from helpcenter.storage import uploads_storage
from tests.helpers import closed_port
from tests.observability.test_health import failing, readyz

pytestmark = pytest.mark.django_db


def s3_storages(settings, env: dict[str, str]) -> dict:
    return {**settings.STORAGES, "default": uploads_storage(env)}


def test_readyz_reaches_the_object_store(client, settings, object_store):
    with override_settings(STORAGES=s3_storages(settings, object_store.env(object_store.new_bucket()))):
        status, body = readyz(client)
    assert (status, failing(body)) == (200, set())


def test_readyz_is_not_ready_while_the_object_store_is_down(client, settings, object_store):
    env = {
        **object_store.env("helpcenter-uploads"),
        "DJANGO_S3_ENDPOINT_URL": f"http://127.0.0.1:{closed_port()}",
    }
    with override_settings(STORAGES=s3_storages(settings, env)):
        status, body = readyz(client)
    assert (status, failing(body)) == (503, {"storage"})
    assert body["checks"]["storage"]["error"] == "EndpointConnectionError"


def test_readyz_is_not_ready_without_the_bucket(client, settings, object_store):
    with override_settings(STORAGES=s3_storages(settings, object_store.env("no-such-bucket-here"))):
        status, body = readyz(client)
    assert (status, failing(body)) == (503, {"storage"})
