"""Attachment checks: an upload is an image only if Pillow decodes it as PNG, JPEG or WebP.

The declared content type and the file name are never trusted. The decoded image
is re-encoded, which drops EXIF (GPS position, device), comments and any bytes
appended to the file, and it is stored under a random name chosen here.
"""

from __future__ import annotations

import os
import secrets
import warnings
from dataclasses import dataclass
from io import BytesIO

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.text import get_valid_filename
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_FILES = 5
MAX_BYTES = 5 * 1024 * 1024
# A screenshot of a 4K screen is 8.3 Mpx; anything above this is refused before decoding.
MAX_PIXELS = 40_000_000
FORMATS = {"PNG": ("image/png", "png"), "JPEG": ("image/jpeg", "jpg"), "WEBP": ("image/webp", "webp")}


@dataclass(frozen=True)
class CleanImage:
    content: bytes
    content_type: str
    extension: str
    width: int
    height: int
    original_name: str

    def storage_name(self) -> str:
        """A random file name; the user's name is kept only as a label."""
        return f"{secrets.token_hex(16)}.{self.extension}"


def _original_name(name: str) -> str:
    base = os.path.basename((name or "").replace("\\", "/"))
    try:
        return get_valid_filename(base)[:100]
    except Exception:  # get_valid_filename raises SuspiciousFileOperation for "", ".", ".."
        return "image"


def _reencode(image: Image.Image, image_format: str) -> tuple[bytes, tuple[int, int]]:
    image = ImageOps.exif_transpose(image)  # keep the orientation the EXIF tag asked for
    out = BytesIO()
    if image_format == "JPEG":
        image.convert("RGB").save(out, "JPEG", quality=85)
    elif image_format == "PNG":
        if image.mode not in {"1", "L", "LA", "P", "RGB", "RGBA", "I;16"}:
            image = image.convert("RGBA")
        image.save(out, "PNG")
    else:
        image.convert("RGBA" if "A" in image.getbands() else "RGB").save(out, "WEBP", quality=85)
    return out.getvalue(), image.size


def clean_image(upload: UploadedFile) -> CleanImage:
    """Decode, check and re-encode one upload; ValidationError with a user-facing message otherwise."""
    name = _original_name(upload.name)
    if upload.size is not None and upload.size > MAX_BYTES:
        raise ValidationError(_("“%(name)s” is larger than 5 MB."), params={"name": name}, code="too_large")
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ValidationError(_("“%(name)s” is larger than 5 MB."), params={"name": name}, code="too_large")
    not_an_image = ValidationError(
        _("“%(name)s” is not a PNG, JPEG or WebP image."), params={"name": name}, code="not_image"
    )
    too_many_pixels = ValidationError(
        _("“%(name)s” has too many pixels; send a smaller screenshot."), params={"name": name}, code="too_big"
    )
    with warnings.catch_warnings():
        # Pillow warns (rather than fails) between MAX_IMAGE_PIXELS and twice that; refuse both.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(BytesIO(data)) as probe:
                image_format = probe.format
                if image_format not in FORMATS:
                    raise not_an_image
                if probe.width * probe.height > MAX_PIXELS:
                    raise too_many_pixels
                probe.verify()
            with Image.open(BytesIO(data)) as image:
                image.load()
                content, (width, height) = _reencode(image, image_format)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise too_many_pixels from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
            raise not_an_image from None
    content_type, extension = FORMATS[image_format]
    return CleanImage(content, content_type, extension, width, height, name)
