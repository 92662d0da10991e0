"""The article editor's endpoints (django-markdownx's live preview and image upload), ours
rather than the library's so that they check the article-change permission, bound their input
and work, and answer bad input with a 4xx and a message."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from contact.images import clean_image

from .article_images import article_image_url
from .forms import MarkdownPreviewForm
from .markdown import MarkdownTooComplex, render_markdown_bounded

EDIT_ARTICLES = "faq.change_article"


@require_POST
@permission_required(EDIT_ARTICLES, raise_exception=True)
def markdown_preview(request: HttpRequest) -> HttpResponse:
    """The sanitised HTML of the Markdown being edited, as the public page will show it."""
    form = MarkdownPreviewForm(request.POST)
    if not form.is_valid():
        error = form.errors.as_data()["content"][0]
        status = 413 if error.code == "max_length" else 400
        return HttpResponse(" ".join(error.messages), status=status, content_type="text/plain; charset=utf-8")
    try:
        html = render_markdown_bounded(form.cleaned_data["content"])
    except MarkdownTooComplex as error:
        return HttpResponse(str(error), status=422, content_type="text/plain; charset=utf-8")
    return HttpResponse(html)


@require_POST
@permission_required(EDIT_ARTICLES, raise_exception=True)
def image_upload(request: HttpRequest) -> JsonResponse:
    """An image for an article, through the site's one upload sanitiser; answers the Markdown
    that shows it, as django-markdownx's widget expects ({"image_code": "![](url)"})."""
    upload = request.FILES.get("image")
    if upload is None:
        return JsonResponse({"image": [str(_("Choose an image to upload."))]}, status=400)
    try:
        image = clean_image(upload)
    except ValidationError as error:
        return JsonResponse({"image": error.messages}, status=400)
    name = default_storage.save(
        settings.MARKDOWNX_MEDIA_PATH + image.storage_name(), ContentFile(image.content)
    )
    # A URL of this site, never the storage's own (faq/article_images.py says why).
    return JsonResponse({"image_code": f"![]({article_image_url(name)})"})
