"""Every image upload on the site goes through one sanitiser (contact/images.py) with one set of limits.

The four ways in: the contact form, a follow-up on the status page, the scam report and the
article editor's image upload. The refusals and the metadata tests send the same files
through all four and read what was stored; the costly sizes go through one of them.
"""

from __future__ import annotations

import json
import os
from functools import cache
from io import BytesIO

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from PIL import Image, ImageChops, PngImagePlugin

from contact.images import MAX_PIXELS, MAX_REQUEST_PIXELS, MAX_STORED_BYTES, MAX_STORED_PIXELS
from contact.models import Attachment, ContactMessage
from tests.factories import BrandFactory, CategoryFactory, ContactMessageFactory
from tests.helpers import en_url
from trust.models import ScamReport

pytestmark = pytest.mark.django_db

ENTRY_POINTS = ["contact_form", "follow_up", "scam_report", "editor_upload"]
MULTI_FILE_ENTRY_POINTS = ["contact_form", "follow_up"]


def _png(size: tuple[int, int], mode: str = "RGB", **save_kwargs) -> bytes:
    out = BytesIO()
    Image.new(mode, size, "white" if mode != "1" else 1).save(out, "PNG", **save_kwargs)
    return out.getvalue()


@cache
def forty_megapixel_png() -> bytes:
    """The attack's file: 6,300 × 6,300 (39.7 Mpx), about 130 KB; five of them make 0.65-0.77 MB."""
    return _png((6300, 6300))


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="image/png")


# --- The four entry points, each answering (refusal text or "", stored files) -----------------


def _contact_form(client, files):
    BrandFactory(slug="kdpay")
    CategoryFactory(slug="refunds")
    data = {"brand": "kdpay", "topic": "refunds", "name": "张三", "email": "z@mail.example"}
    response = client.post(
        en_url("contact:message_create"),
        {**data, "subject": "截图", "message": "见截图", "attachments": files},
    )
    if response.status_code != 302:
        return " ".join(response.context["form"].errors.get("attachments", [])), []
    return "", [attachment.file.read() for attachment in Attachment.objects.all()]


def _follow_up(client, files):
    message = ContactMessageFactory(reference="KD-7F3K-9Q2M", email="z@mail.example", status="waiting")
    client.post(en_url("contact:status_lookup"), {"reference": message.reference, "email": message.email})
    response = client.post(
        en_url("contact:status_followup", message.reference), {"body": "补充截图", "attachments": files}
    )
    if response.status_code != 302:
        return " ".join(response.context["followup_form"].errors.get("attachments", [])), []
    return "", [attachment.file.read() for attachment in Attachment.objects.all()]


def _scam_report(client, files):
    (screenshot,) = files
    response = client.post(
        en_url("trust:report_create"),
        {"value": "+86 170 0000 0999", "seen_where": "call", "screenshot": screenshot},
    )
    if response.status_code != 302:
        return " ".join(response.context["form"].errors.get("screenshot", [])), []
    return "", [ScamReport.objects.get().screenshot.read()]


def _editor_upload(client, files):
    (image,) = files
    editor = User.objects.create_user("editor", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    response = client.post(reverse("markdownx_upload"), {"image": image})
    answer = json.loads(response.content)
    if response.status_code != 200:
        assert response.status_code == 400
        return " ".join(answer["image"]), []
    url = answer["image_code"].removeprefix("![](").removesuffix(")")
    name = url.removeprefix(reverse("article_image", args=["x"]).removesuffix("x"))
    with default_storage.open(settings.MARKDOWNX_MEDIA_PATH + name) as stored:
        return "", [stored.read()]


SEND = {
    "contact_form": _contact_form,
    "follow_up": _follow_up,
    "scam_report": _scam_report,
    "editor_upload": _editor_upload,
}


def send(entry_point: str, client, files: list[SimpleUploadedFile]) -> tuple[str, list[bytes]]:
    return SEND[entry_point](client, files)


def message(entry_point: str, text: str, **params) -> str:
    """`text` in the language the entry point answers in: the editor's endpoints sit outside
    the /en/ prefix, so they answer in the site's default language."""
    with translation.override("zh-hans" if entry_point == "editor_upload" else "en"):
        return gettext(text) % params


def _nothing_stored() -> bool:
    return not Attachment.objects.exists() and not ScamReport.objects.exclude(screenshot="").exists()


# --- Pixels: per image, per request, stored ------------------------------------------------------


@pytest.mark.parametrize("entry_point", MULTI_FILE_ENTRY_POINTS)
def test_five_forty_megapixel_pngs_in_one_request_are_refused(client, entry_point):
    """Issue #8 item 5, as written: five 39.7-Mpx PNGs in one request of under 0.8 MB."""
    files = [upload(f"bomb{i}.png", forty_megapixel_png()) for i in range(5)]
    assert sum(f.size for f in files) < 0.8 * 1024 * 1024
    refusal, stored = send(entry_point, client, files)
    assert refusal.count("has too many pixels; send a smaller screenshot.") == 5
    assert stored == [] and _nothing_stored()


@pytest.mark.parametrize("entry_point", ENTRY_POINTS)
def test_an_image_over_the_pixel_limit_is_refused_everywhere(client, entry_point):
    refusal, stored = send(entry_point, client, [upload("bomb.png", forty_megapixel_png())])
    assert refusal == message(
        entry_point, "“%(name)s” has too many pixels; send a smaller screenshot.", name="bomb.png"
    )
    assert stored == [] and _nothing_stored()


@pytest.mark.parametrize("entry_point", MULTI_FILE_ENTRY_POINTS)
def test_images_each_within_the_limit_are_refused_when_together_they_are_too_many_pixels(client, entry_point):
    side = int((MAX_REQUEST_PIXELS / 5) ** 0.5) + 10  # five of these are just over the request cap
    assert side * side <= MAX_PIXELS
    files = [upload(f"shot{i}.png", _png((side, side), "1")) for i in range(5)]
    refusal, stored = send(entry_point, client, files)
    assert refusal == message(
        entry_point, "Together these images have too many pixels; send fewer or smaller screenshots."
    )
    assert stored == [] and _nothing_stored()


def test_a_tall_screenshot_at_the_pixel_limit_is_accepted_and_stored_downscaled(client):
    refusal, stored = send("contact_form", client, [upload("long.png", _png((4000, 9000), "L"))])
    assert refusal == ""
    with Image.open(BytesIO(stored[0])) as image:
        assert image.width * image.height <= MAX_STORED_PIXELS
        assert image.width * image.height > 0.99 * MAX_STORED_PIXELS
        assert abs(image.height / image.width - 9000 / 4000) < 0.01


@pytest.mark.parametrize("entry_point", ENTRY_POINTS)
@pytest.mark.usefixtures("uploads_storage_kind")
def test_a_phone_screenshot_is_stored_at_its_own_size(client, entry_point):
    refusal, stored = send(entry_point, client, [upload("phone.png", _png((1440, 3200)))])
    assert refusal == ""
    assert Image.open(BytesIO(stored[0])).size == (1440, 3200)


def test_a_large_jpeg_is_decoded_at_half_scale(client):
    """36 Mpx decoded by libjpeg at 1/2 scale (9 Mpx), which is within the stored cap: no resize."""
    out = BytesIO()
    Image.new("L", (8000, 4500), 90).save(out, "JPEG", quality=80)
    refusal, stored = send("contact_form", client, [upload("photo.jpg", out.getvalue())])
    assert refusal == ""
    with Image.open(BytesIO(stored[0])) as image:
        assert (image.format, image.size) == ("JPEG", (4000, 2250))


def test_a_jpeg_just_over_the_stored_cap_is_decoded_whole_and_resized_to_the_cap(client):
    out = BytesIO()
    Image.new("L", (4300, 3000), 90).save(out, "JPEG", quality=80)  # 12.9 Mpx
    refusal, stored = send("contact_form", client, [upload("photo.jpg", out.getvalue())])
    assert refusal == ""
    with Image.open(BytesIO(stored[0])) as image:
        assert 0.99 * MAX_STORED_PIXELS < image.width * image.height <= MAX_STORED_PIXELS


@pytest.mark.parametrize("entry_point", ["contact_form", "scam_report"])
def test_an_image_that_re_encodes_bigger_than_the_cap_is_downscaled_not_stored_bigger(client, entry_point):
    # Noise saved at JPEG quality 20 is 2.4 MB; re-encoded at quality 85 it would be about 9 MB.
    noise = Image.frombytes("RGB", (4000, 3000), os.urandom(4000 * 3000 * 3))
    out = BytesIO()
    noise.save(out, "JPEG", quality=20)
    assert out.tell() < MAX_STORED_BYTES
    refusal, stored = send(entry_point, client, [upload("noise.jpg", out.getvalue())])
    assert refusal == ""
    assert len(stored[0]) <= MAX_STORED_BYTES
    with Image.open(BytesIO(stored[0])) as image:
        assert image.width < 4000 and abs(image.width / image.height - 4000 / 3000) < 0.01


@pytest.mark.parametrize("entry_point", ENTRY_POINTS)
def test_a_file_over_five_megabytes_is_refused_everywhere(client, entry_point):
    big = _png((40, 30)) + os.urandom(5 * 1024 * 1024)
    refusal, stored = send(entry_point, client, [upload("big.png", big)])
    assert refusal == message(entry_point, "“%(name)s” is larger than 5 MB.", name="big.png")
    assert stored == [] and _nothing_stored()


@pytest.mark.parametrize("entry_point", ENTRY_POINTS)
@pytest.mark.usefixtures("uploads_storage_kind")
def test_a_file_that_is_not_an_image_is_refused_everywhere(client, entry_point):
    refusal, stored = send(entry_point, client, [upload("fake.png", b"\x89PNG\r\n\x1a\n" + b"x" * 200)])
    assert refusal == message(entry_point, "“%(name)s” is not a PNG, JPEG or WebP image.", name="fake.png")
    assert stored == [] and _nothing_stored()


def test_support_agents_cannot_upload_article_images(client):
    agent = User.objects.create_user("agent", is_staff=True)
    agent.groups.add(Group.objects.get(name="Support agents"))
    client.force_login(agent)
    response = client.post(reverse("markdownx_upload"), {"image": upload("x.png", _png((40, 30)))})
    assert response.status_code == 403


# --- Metadata (issue #8 item 9) -------------------------------------------------------------------

SECRET = "Shot on SecretPhone at 31.2304N 121.4737E"


def _icc_profile() -> bytes:
    from PIL import ImageCms

    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def _exif() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = SECRET  # Make
    return exif.tobytes()


def _jpeg_with_metadata() -> bytes:
    out = BytesIO()
    Image.new("RGB", (60, 40), (200, 30, 30)).save(
        out, "JPEG", comment=SECRET.encode(), icc_profile=_icc_profile(), exif=_exif()
    )
    return out.getvalue()


def _png_with_metadata() -> bytes:
    text = PngImagePlugin.PngInfo()
    text.add_text("Comment", SECRET)
    text.add_itxt("Author", SECRET)
    out = BytesIO()
    Image.new("RGBA", (60, 40), (200, 30, 30, 128)).save(
        out, "PNG", pnginfo=text, icc_profile=_icc_profile(), exif=_exif()
    )
    return out.getvalue()


def _webp_with_metadata() -> bytes:
    out = BytesIO()
    Image.new("RGB", (60, 40), (200, 30, 30)).save(
        out, "WEBP", icc_profile=_icc_profile(), exif=_exif(), xmp=f"<x:xmpmeta>{SECRET}</x:xmpmeta>".encode()
    )
    return out.getvalue()


METADATA_SOURCES = {"jpeg": _jpeg_with_metadata, "png": _png_with_metadata, "webp": _webp_with_metadata}


@pytest.mark.parametrize("entry_point", ENTRY_POINTS)
@pytest.mark.parametrize("source", METADATA_SOURCES.values(), ids=METADATA_SOURCES.keys())
@pytest.mark.usefixtures("uploads_storage_kind")
def test_stored_images_keep_no_comment_icc_profile_exif_or_text(client, entry_point, source):
    original = source()
    with Image.open(BytesIO(original)) as image:  # the test files do carry the metadata
        assert {"icc_profile", "exif"} <= set(image.info)
    refusal, stored = send(entry_point, client, [upload("meta.img", original)])
    assert refusal == ""
    assert SECRET.encode() not in stored[0]
    with Image.open(BytesIO(stored[0])) as image:
        assert (
            set(image.info)
            & {"comment", "icc_profile", "exif", "xmp", "Comment", "Author", "XML:com.adobe.xmp"}
            == set()
        )
        assert not image.getexif()
        assert image.size == (60, 40)


def test_transparency_is_image_data_and_is_kept(client):
    refusal, stored = send("contact_form", client, [upload("t.png", _png_with_metadata())])
    assert refusal == ""
    with Image.open(BytesIO(stored[0])) as image:
        assert image.mode == "RGBA" and image.getpixel((0, 0)) == (200, 30, 30, 128)


def test_the_contact_message_is_kept_when_its_images_are_refused(client):
    """Nothing a visitor typed is lost: the form comes back with their text and the reason."""
    BrandFactory(slug="kdpay")
    CategoryFactory(slug="refunds")
    data = {
        "brand": "kdpay",
        "topic": "refunds",
        "name": "张三",
        "email": "z@mail.example",
        "subject": "截图",
    }
    response = client.post(
        en_url("contact:message_create"),
        {**data, "message": "我的退款三天没到", "attachments": [upload("bomb.png", forty_megapixel_png())]},
    )
    assert response.status_code == 200
    assert "我的退款三天没到" in response.content.decode()
    assert not ContactMessage.objects.exists()


def test_downscaling_strip_by_strip_joins_without_seams():
    """The sanitiser resizes big images in strips to bound memory; the result is the one-pass resize."""
    from contact.images import _downscaled

    source = Image.frombytes("RGBA", (1500, 4000), os.urandom(1500 * 4000 * 4))
    one_pass = source.resize((866, 2309), Image.Resampling.LANCZOS)
    assert ImageChops.difference(one_pass, _downscaled(source, (866, 2309))).getbbox() is None
