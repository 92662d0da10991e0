"""Writing a visitor's upload to the uploads storage when that storage may be down.

The object store (helpcenter/storage.py) is a separate service: it can be unreachable while
the database works. The choice made for every visitor upload (contact message, follow-up,
scam report): the text is kept and the submission is accepted; a file the store refused is
not recorded at all (no row may point at a file that does not exist), and the visitor is
told by name which files were not saved and that the rest was received. Refusing the whole
submission instead would lose more: a file input cannot be refilled, and a visitor who gives
up loses the text too. Staff see the loss (contact: an internal note; scam reports: the log).

Serving: a stored file the store cannot hand back right now is answered with a small
placeholder image and 503, so pages that show uploads (admin previews, the status page)
render and the image view never answers 500.
"""

from __future__ import annotations

import logging

from django.db.models.fields.files import FieldFile
from django.http import HttpResponse
from django.utils.html import escape
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


def _storage_errors() -> tuple[type[BaseException], ...]:
    """What a storage raises when it cannot take or give a file: a disk error (local files) or
    botocore's connection and service errors (the object store)."""
    errors: list[type[BaseException]] = [OSError]
    try:
        from botocore.exceptions import BotoCoreError, ClientError
    except ImportError:  # local files only
        return tuple(errors)
    return (*errors, BotoCoreError, ClientError)


STORAGE_ERRORS = _storage_errors()


def store_upload(field_file: FieldFile, name: str, content) -> bool:
    """Write `content` through a model's file field (not saving the model); False when the storage refused.

    On failure the field is emptied, so the row saved afterwards never names a missing file.
    """
    try:
        field_file.save(name, content, save=False)
    except STORAGE_ERRORS:
        logger.warning("upload not stored: storage unavailable", exc_info=True)
        field_file.name = ""
        return False
    return True


def open_stored(field_file: FieldFile):
    """The stored file opened for reading, or None when the storage cannot hand it back now."""
    try:
        return field_file.open("rb")
    except STORAGE_ERRORS:
        logger.warning("stored upload not readable: storage unavailable", exc_info=True)
        return None


def unavailable_image() -> HttpResponse:
    """A placeholder where an image that cannot be read now is shown (503: retry later)."""
    text = escape(_("Image temporarily unavailable"))
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="240" height="120" viewBox="0 0 240 120" '
        f'role="img" aria-label="{text}"><rect width="240" height="120" fill="#eee"/>'
        f'<text x="120" y="64" font-size="14" text-anchor="middle" fill="#333">{text}</text></svg>'
    )
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8", status=503)
    response["Retry-After"] = "60"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    return response
