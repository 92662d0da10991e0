"""Article images: stored in the uploads storage (local files or the object store), served by us.

The editor's upload answers a URL of this site (`/media/articles/<name>`), never the storage's
own: an object store's URL is either public (which our files never are) or signed and
expiring, and an article keeps its Markdown for years. The view below streams the file from
whichever storage is configured, to anyone once a published article shows it, and to
editors before that (the preview of a draft).
"""

from __future__ import annotations

from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from helpcenter.uploads import STORAGE_ERRORS, unavailable_image

from .models import Article

EDIT_ARTICLES = "faq.change_article"
IMAGE_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".webp": "image/webp"}
# A published image is the same bytes for ever (names are random and never reused), but an
# article can be unpublished: browsers and CDNs may keep it an hour, not longer.
PUBLIC_MAX_AGE = 60 * 60


def article_image_url(stored_name: str) -> str:
    """The site URL that serves the stored file `articles/<name>`."""
    return reverse("article_image", args=[stored_name.removeprefix(settings.MARKDOWNX_MEDIA_PATH)])


def shown_in_a_published_article(url: str) -> bool:
    """Whether some published article's Markdown shows the image at `url`."""
    return Article.objects.published().filter(body__contains=url).exists()


@require_GET
def article_image(request: HttpRequest, name: str) -> HttpResponse:
    suffix = PurePosixPath(name).suffix
    if "/" in name or suffix not in IMAGE_TYPES:
        raise Http404("No such image")
    stored_name = settings.MARKDOWNX_MEDIA_PATH + name
    # The file first: a made-up name costs one lookup in the storage, not a scan of the
    # articles. Then published before editor: asking who the visitor is reads the session,
    # and the page cache middleware then marks the answer personal (private, no-store).
    try:
        found = default_storage.exists(stored_name)
    except STORAGE_ERRORS:  # the object store is down: a placeholder, never a 500
        return unavailable_image()
    if not found:
        raise Http404("No such image")
    public = shown_in_a_published_article(request.path)
    if not public and not request.user.has_perm(EDIT_ARTICLES):
        raise Http404("No such image")
    try:
        stored = default_storage.open(stored_name, "rb")
    except STORAGE_ERRORS:
        return unavailable_image()
    response = FileResponse(stored, content_type=IMAGE_TYPES[suffix])
    response["Cache-Control"] = f"public, max-age={PUBLIC_MAX_AGE}" if public else "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
