"""The one upload sanitiser: every image a visitor or an editor uploads goes through `clean_images`.

Used by the contact form and its follow-ups (contact/forms.py), the scam report
(trust/forms.py) and the article editor's image upload (faq/editor_views.py).

An upload is an image only if Pillow decodes it as PNG, JPEG or WebP; the declared
content type and the file name are never trusted. What it may cost is bounded before any
pixel is decoded, from the image headers alone:

- MAX_BYTES per file (5 MB), MAX_FILES per request;
- MAX_PIXELS per image: 4,000 × 9,000 (36 Mpx). The tallest phone screenshots are about
  1,440 × 3,200 (4.6 Mpx) for one screen; scrolling ("long") screenshots of a chat or a
  transaction list reach 1,080-1,440 × 20,000-25,000 (22-36 Mpx), and 4,000 × 9,000 is the
  largest such image we expect from a phone or a 4K screen. Above that it is a bomb, not
  a screenshot;
- MAX_REQUEST_PIXELS for all images of one request together (50 Mpx): one long screenshot
  and a few ordinary ones pass; five 39.7-Mpx PNGs in 0.77 MB (the attack in issue #8) do
  not, and nothing is decoded.

Then each image is decoded on its own (so at most one is in memory), JPEGs of 24 Mpx and
more at a reduced scale (Pillow's draft(), which makes libjpeg decode at 1/2, 1/4 or 1/8
size, never below half of MAX_STORED_PIXELS); PNG and WebP have no such decoder option, so
a 36-Mpx PNG is decoded whole (144 MB as RGBA: the worst accepted case, measured by
bench/uploads.py) and downscaled strip by strip, so no second full-size copy is made. Each
image is oriented as its EXIF tag asks and re-encoded in its own format with no metadata at all: no EXIF (GPS position, device), no ICC profile, no JPEG comment, no
XMP, no PNG text, and no bytes appended after the image. What is stored is bounded too:
images above MAX_STORED_PIXELS (12 Mpx, more than a 4K screen) are downscaled to it, and an
encoding larger than MAX_STORED_BYTES is downscaled again rather than stored bigger than
any upload we accept. The stored name is random.
"""

from __future__ import annotations

import math
import os
import secrets
import warnings
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass
from io import BytesIO

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.text import get_valid_filename
from django.utils.translation import gettext_lazy as _
from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError

MAX_FILES = 5
MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 4_000 * 9_000
MAX_REQUEST_PIXELS = 50_000_000
MAX_STORED_PIXELS = 12_000_000
MAX_STORED_BYTES = MAX_BYTES
FORMATS = {"PNG": ("image/png", "png"), "JPEG": ("image/jpeg", "jpg"), "WEBP": ("image/webp", "webp")}
# Each further try at fitting MAX_STORED_BYTES keeps this share of the pixels.
_SHRINK_STEP = 0.6
_MAX_SHRINK_STEPS = 6
# Downscaling produces strips of about this many pixels at a time (see _downscaled).
_STRIP_PIXELS = 2_000_000
# Metadata Pillow would otherwise write back from image.info; transparency is image data.
_KEPT_INFO = ("transparency",)


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


@dataclass(frozen=True)
class _Probe:
    """An upload whose header has been read and checked, not yet decoded."""

    data: bytes
    name: str
    image_format: str
    pixels: int


def _original_name(name: str) -> str:
    base = os.path.basename((name or "").replace("\\", "/"))
    try:
        return get_valid_filename(base)[:100]
    except Exception:  # get_valid_filename raises SuspiciousFileOperation for "", ".", ".."
        return "image"


def _not_an_image(name: str) -> ValidationError:
    return ValidationError(
        _("“%(name)s” is not a PNG, JPEG or WebP image."), params={"name": name}, code="not_image"
    )


def _too_many_pixels(name: str) -> ValidationError:
    return ValidationError(
        _("“%(name)s” has too many pixels; send a smaller screenshot."), params={"name": name}, code="too_big"
    )


def _probe(upload: UploadedFile) -> _Probe:
    """Read at most MAX_BYTES + 1 bytes and the image header; nothing is decoded here."""
    name = _original_name(upload.name)
    too_large = ValidationError(_("“%(name)s” is larger than 5 MB."), params={"name": name}, code="too_large")
    if upload.size is not None and upload.size > MAX_BYTES:
        raise too_large
    upload.seek(0)
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise too_large
    try:
        with _bomb_warnings_are_errors(), Image.open(BytesIO(data)) as probe:
            image_format, (width, height) = probe.format, probe.size
            if image_format not in FORMATS:
                raise _not_an_image(name)
            if width * height > MAX_PIXELS:
                raise _too_many_pixels(name)
            probe.verify()  # structure and checksums, without decoding pixels
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels(name) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise _not_an_image(name) from None
    return _Probe(data, name, image_format, width * height)


@contextmanager
def _bomb_warnings_are_errors():
    # Pillow warns (rather than fails) between MAX_IMAGE_PIXELS and twice that; refuse both.
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        yield


def _size_within(size: tuple[int, int], max_pixels: int) -> tuple[int, int]:
    """`size` scaled down (aspect ratio kept) to at most `max_pixels`; unchanged if it fits."""
    width, height = size
    if width * height <= max_pixels:
        return size
    scale = math.sqrt(max_pixels / (width * height))
    return max(1, math.floor(width * scale)), max(1, math.floor(height * scale))


def _jpeg_draft_scale(size: tuple[int, int]) -> int:
    """The largest of 8, 4, 2 at which a JPEG still decodes to half MAX_STORED_PIXELS or more
    (1 if none): big photos are decoded small, and no image is stored below half the cap
    because of it."""
    width, height = size
    for scale in (8, 4, 2):
        if (width // scale) * (height // scale) >= MAX_STORED_PIXELS // 2:
            return scale
    return 1


def _without_metadata(image: Image.Image) -> Image.Image:
    image.info = {key: image.info[key] for key in _KEPT_INFO if key in image.info}
    return image


def _encode(image: Image.Image, image_format: str) -> bytes:
    out = BytesIO()
    if image_format == "JPEG":
        image = image if image.mode in {"RGB", "L"} else image.convert("RGB")
        _without_metadata(image).save(out, "JPEG", quality=85)
    elif image_format == "PNG":
        if image.mode not in {"1", "L", "LA", "P", "RGB", "RGBA", "I;16"}:
            image = image.convert("RGBA")
        _without_metadata(image).save(out, "PNG")
    else:
        image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
        _without_metadata(image).save(out, "WEBP", quality=85)
    return out.getvalue()


def _oriented(image: Image.Image) -> Image.Image:
    """The image turned as its EXIF orientation tag asks; the same object (no copy) when it asks nothing."""
    if image.getexif().get(ExifTags.Base.Orientation, 1) == 1:
        return image
    return ImageOps.exif_transpose(image)


def _resize_mode(image: Image.Image) -> str:
    """The mode to resample in: Pillow resizes palette and 1-bit images only by nearest neighbour."""
    if image.mode in {"L", "LA", "RGB", "RGBA"}:
        return image.mode
    if image.mode == "1":
        return "L"
    if image.mode == "P" and "transparency" not in image.info:
        return "RGB"
    return "RGBA"


def _downscaled(image: Image.Image, size: tuple[int, int]) -> Image.Image:
    """`image` resampled (Lanczos) to `size`, one horizontal strip at a time.

    Resizing an RGBA image whole makes a premultiplied copy of it first (144 MB for 36 Mpx,
    beside the 144 MB decoded image); strips of about _STRIP_PIXELS keep that copy small.
    Each strip is cut with a margin and resized with `box`, so the filter sees the same
    neighbouring rows it would in one pass and the strips join without seams.
    """
    mode = _resize_mode(image)
    out = Image.new(mode, size)
    scale = image.height / size[1]
    rows = max(1, _STRIP_PIXELS // size[0])
    margin = math.ceil(3 * scale) + 1  # Lanczos reads three output pixels' worth either side
    for top in range(0, size[1], rows):
        bottom = min(size[1], top + rows)
        source_top, source_bottom = top * scale, bottom * scale
        crop_top = max(0, math.floor(source_top) - margin)
        crop_bottom = min(image.height, math.ceil(source_bottom) + margin)
        strip = image.crop((0, crop_top, image.width, crop_bottom))
        if strip.mode != mode:
            strip = strip.convert(mode)
        box = (0, source_top - crop_top, image.width, source_bottom - crop_top)
        out.paste(strip.resize((size[0], bottom - top), Image.Resampling.LANCZOS, box=box), (0, top))
    return out


def _decode_and_reencode(probe: _Probe) -> CleanImage:
    try:
        with _bomb_warnings_are_errors(), Image.open(BytesIO(probe.data)) as opened:
            if probe.image_format == "JPEG" and (scale := _jpeg_draft_scale(opened.size)) > 1:
                # libjpeg decodes straight at 1/2, 1/4 or 1/8 scale: a quarter of the memory and time.
                opened.draft(None, (-(-opened.width // scale), -(-opened.height // scale)))
            opened.load()
            image = _oriented(opened)
            target = _size_within(image.size, MAX_STORED_PIXELS)
            for _step in range(_MAX_SHRINK_STEPS):
                if target != image.size:
                    image = _downscaled(image, target)
                    opened.close()  # frees the decoded original before encoding
                content = _encode(image, probe.image_format)
                if len(content) <= MAX_STORED_BYTES:
                    break
                target = _size_within(image.size, int(image.width * image.height * _SHRINK_STEP))
            else:
                raise _too_many_pixels(probe.name)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels(probe.name) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise _not_an_image(probe.name) from None
    content_type, extension = FORMATS[probe.image_format]
    return CleanImage(content, content_type, extension, image.width, image.height, probe.name)


def clean_images(uploads: Iterable[UploadedFile]) -> list[CleanImage]:
    """Check, decode and re-encode the images of one request (see the module docstring).

    ValidationError with one user-facing message per refused file, or one for the request
    when its images have too many pixels together; nothing is decoded unless all pass.
    """
    uploads = list(uploads)
    if len(uploads) > MAX_FILES:
        raise ValidationError(_("Attach at most %(max)d images."), params={"max": MAX_FILES}, code="too_many")
    probes, errors = [], []
    for upload in uploads:
        try:
            probes.append(_probe(upload))
        except ValidationError as error:
            errors.append(error)
    if errors:
        raise ValidationError(errors)
    if sum(probe.pixels for probe in probes) > MAX_REQUEST_PIXELS:
        raise ValidationError(
            _("Together these images have too many pixels; send fewer or smaller screenshots."),
            code="too_many_pixels_together",
        )
    return [_decode_and_reencode(probe) for probe in probes]


def clean_image(upload: UploadedFile) -> CleanImage:
    """One upload through clean_images()."""
    return clean_images([upload])[0]
