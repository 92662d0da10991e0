from __future__ import annotations

import os
from io import BytesIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from contact.models import Attachment, ContactMessage
from tests.helpers import en_url, image_bytes, upload, zh_url

pytestmark = pytest.mark.django_db


def submit(client, valid_data, files):
    return client.post(en_url("contact:message_create"), {**valid_data, "attachments": files})


def attachment_errors(response) -> str:
    return " ".join(response.context["form"].errors.get("attachments", []))


def jpeg_with_exif() -> bytes:
    image = Image.new("RGB", (50, 40), (10, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "SecretPhone Inc."  # Make
    exif[0x0131] = "GPS-leaking camera app"  # Software
    out = BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def test_png_jpeg_and_webp_are_accepted_re_encoded_and_renamed(client, valid_data, settings):
    files = [
        upload("screen.png", image_bytes("PNG")),
        upload("photo.jpg", jpeg_with_exif(), "image/jpeg"),
        upload("shot.webp", image_bytes("WEBP"), "image/webp"),
    ]
    response = submit(client, valid_data, files)
    assert response.status_code == 302, attachment_errors(response)
    attachments = {a.original_name: a for a in Attachment.objects.all()}
    assert set(attachments) == {"screen.png", "photo.jpg", "shot.webp"}
    assert [attachments[n].content_type for n in ("screen.png", "photo.jpg", "shot.webp")] == [
        "image/png",
        "image/jpeg",
        "image/webp",
    ]
    jpeg = attachments["photo.jpg"]
    stored = jpeg.file.read()
    assert b"SecretPhone" not in stored and b"GPS-leaking" not in stored
    assert not Image.open(BytesIO(stored)).getexif()
    for attachment in attachments.values():
        name = os.path.basename(attachment.file.name)
        assert name not in {"screen.png", "photo.jpg", "shot.webp"}
        assert len(name.split(".")[0]) == 32  # random hex
        path = attachment.file.path
        assert path.startswith(str(settings.MEDIA_ROOT))
        assert "static" not in os.path.relpath(path, settings.MEDIA_ROOT)


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("invoice.png", b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "image/png"),
        ("page.png", b"<html><script>alert(1)</script></html>", "image/png"),
        (
            "logo.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "image/svg+xml",
        ),
        ("anim.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "image/gif"),
        ("truncated.png", image_bytes("PNG")[:60], "image/png"),
    ],
)
def test_files_that_are_not_png_jpeg_or_webp_are_refused(client, valid_data, name, content, content_type):
    response = submit(client, valid_data, [upload(name, content, content_type)])
    assert response.status_code == 200
    assert "is not a PNG, JPEG or WebP image" in attachment_errors(response)
    assert not ContactMessage.objects.exists()


def test_a_real_gif_is_refused_even_though_pillow_reads_it(client, valid_data):
    out = BytesIO()
    Image.new("P", (4, 4)).save(out, "GIF")
    response = submit(client, valid_data, [upload("real.gif", out.getvalue(), "image/gif")])
    assert "is not a PNG, JPEG or WebP image" in attachment_errors(response)


def test_a_20_mb_image_is_refused(client, valid_data):
    big = BytesIO()
    Image.frombytes("RGB", (2700, 2700), os.urandom(2700 * 2700 * 3)).save(big, "PNG", compress_level=0)
    assert big.tell() > 20 * 1024 * 1024
    response = submit(client, valid_data, [upload("huge.png", big.getvalue())])
    assert "is larger than 5 MB" in attachment_errors(response)
    assert not Attachment.objects.exists()


def test_a_decompression_bomb_is_refused(client, valid_data):
    # A 20000 x 20000 greyscale PNG of zeros compresses to a few hundred kilobytes.
    bomb = BytesIO()
    Image.new("1", (20000, 20000)).save(bomb, "PNG")
    assert bomb.tell() < 5 * 1024 * 1024
    response = submit(client, valid_data, [upload("bomb.png", bomb.getvalue())])
    assert "has too many pixels" in attachment_errors(response)


def test_pillows_own_bomb_warning_is_an_error(client, valid_data, monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)
    response = submit(client, valid_data, [upload("small-but-over-limit.png", image_bytes("PNG", (40, 30)))])
    assert "has too many pixels" in attachment_errors(response)


def test_a_path_traversal_name_never_reaches_the_file_system(client, valid_data, settings):
    files = [
        upload("../../../etc/cron.d/evil.png", image_bytes("PNG")),
        upload("..\\..\\win.png", image_bytes()),
    ]
    response = submit(client, valid_data, files)
    assert response.status_code == 302
    for attachment in Attachment.objects.all():
        assert ".." not in attachment.file.name
        assert os.path.realpath(attachment.file.path).startswith(os.path.realpath(settings.MEDIA_ROOT))
        assert "/" not in attachment.original_name and "\\" not in attachment.original_name
    assert sorted(a.original_name for a in Attachment.objects.all()) == ["evil.png", "win.png"]


def test_more_than_five_files_are_refused(client, valid_data):
    files = [upload(f"s{n}.png", image_bytes()) for n in range(6)]
    response = submit(client, valid_data, files)
    assert "Attach at most 5 images." in attachment_errors(response)
    assert not ContactMessage.objects.exists()


def test_five_files_are_fine(client, valid_data):
    files = [upload(f"s{n}.png", image_bytes()) for n in range(5)]
    assert submit(client, valid_data, files).status_code == 302
    assert Attachment.objects.count() == 5


@pytest.mark.usefixtures("uploads_storage_kind")
def test_attachments_are_shown_to_the_owner_and_staff_only(
    client, valid_data, admin_client, django_user_model
):
    submit(client, valid_data, [upload("screen.png", image_bytes())])
    attachment = Attachment.objects.get()
    url = zh_url("contact:attachment", attachment.pk)
    owner = client.get(url)
    assert owner.status_code == 200
    assert owner["Content-Type"] == "image/png"
    assert owner["X-Content-Type-Options"] == "nosniff"
    assert b"".join(owner.streaming_content).startswith(b"\x89PNG")
    assert admin_client.get(url).status_code == 200
    from django.test import Client

    assert Client().get(url).status_code == 404
    user = django_user_model.objects.create_user("someone", password="x")
    other = Client()
    other.force_login(user)
    assert other.get(url).status_code == 404


def test_uploads_are_not_under_the_static_url():
    # The project's own configuration: the autouse fixture points settings.MEDIA_ROOT at a
    # temporary directory, so checking django.conf.settings here would check the fixture.
    from helpcenter import settings as project

    media = Path(project.MEDIA_ROOT).resolve()
    for static_dir in [project.STATIC_ROOT, *project.STATICFILES_DIRS]:
        assert not media.is_relative_to(Path(static_dir).resolve())
    assert not project.MEDIA_URL.startswith(project.STATIC_URL)


def test_declared_type_is_ignored(client, valid_data):
    # A real PNG declared as text/plain with a .txt name is still a PNG.
    response = submit(client, valid_data, [SimpleUploadedFile("notes.txt", image_bytes(), "text/plain")])
    assert response.status_code == 302
    assert Attachment.objects.get().content_type == "image/png"
