"""Where uploads are stored: the STORAGES["default"] entry, chosen from environment variables.

A function of the environment (not inline in settings.py) so the tests build the object-store
configuration from the very variables production sets, pointed at their own S3 server.
"""

from __future__ import annotations

from collections.abc import Mapping

LOCAL_FILES = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
SIGNED_URL_SECONDS = 300
# botocore waits 60 s to connect and 60 s per read by default, retried: a store that stops
# answering would hold a web worker for minutes per upload. Fail within seconds instead.
CONNECT_SECONDS, READ_SECONDS, ATTEMPTS = 3, 10, 3


def uploads_storage(environ: Mapping[str, str]) -> dict[str, object]:
    """An S3-compatible object store (django-storages) when DJANGO_S3_BUCKET is set, local files otherwise."""
    bucket = environ.get("DJANGO_S3_BUCKET", "").strip()
    if not bucket:
        return LOCAL_FILES
    from botocore.config import Config

    expire = environ.get("DJANGO_S3_SIGNED_URL_SECONDS", "").strip()
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            # Unset: AWS itself. Set for any other S3-compatible store (http://minio:9000).
            "endpoint_url": environ.get("DJANGO_S3_ENDPOINT_URL") or None,
            "region_name": environ.get("DJANGO_S3_REGION") or None,
            # Unset: boto3's own chain (AWS_ACCESS_KEY_ID..., an instance or pod role).
            "access_key": environ.get("DJANGO_S3_ACCESS_KEY_ID") or None,
            "secret_key": environ.get("DJANGO_S3_SECRET_ACCESS_KEY") or None,
            # No ACL header: objects get the bucket's own private default, never public-read.
            "default_acl": None,
            # Whatever asks the storage for a URL (the admin's "currently" link) gets a signed
            # one that expires; the site's own pages link to the permission-checked views.
            "querystring_auth": True,
            "querystring_expire": int(expire) if expire else SIGNED_URL_SECONDS,
            # Upload names are random already; never replace a stored file of the same name.
            "file_overwrite": False,
            # django-storages takes the signature version from here once a config is given.
            "client_config": Config(
                signature_version="s3v4",
                connect_timeout=CONNECT_SECONDS,
                read_timeout=READ_SECONDS,
                retries={"max_attempts": ATTEMPTS, "mode": "standard"},
            ),
        },
    }
