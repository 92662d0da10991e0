from __future__ import annotations

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from faq import article_images, editor_views
from faq.sitemaps import SITEMAPS, sitemap_index
from pagecache.middleware import public_page

from . import views

urlpatterns = [
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("", include("brands.urls")),
    # An index of per-section sitemaps, articles in pages (faq/sitemaps.py): no request reads them all.
    path("sitemap.xml", public_page(sitemap_index), name="sitemap"),
    path("sitemap-<section>.xml", public_page(sitemap), {"sitemaps": SITEMAPS}, name="sitemap_section"),
    # The editor's preview and upload: our views (faq/editor_views.py), not django-markdownx's,
    # which check no permission; the widget finds them by these URL names.
    path("markdownx/markdownify/", editor_views.markdown_preview, name="markdownx_markdownify"),
    path("markdownx/upload/", editor_views.image_upload, name="markdownx_upload"),
    # Article images, from whichever storage holds uploads (faq/article_images.py); outside the
    # language prefix because the URL is written into the article's Markdown.
    path("media/articles/<str:name>", article_images.article_image, name="article_image"),
    path(settings.ADMIN_URL, admin.site.urls),
    # The JSON API takes its language from ?lang=, so it stays outside i18n_patterns.
    path("api/v1/", include("faq.api_urls")),
    path("api/v1/", include("trust.api_urls")),
]

# Simplified Chinese at the root, English under /en/.
urlpatterns += i18n_patterns(
    path("contact/", include("contact.urls")),
    path("", include("trust.urls")),
    path("", include("faq.urls")),
    prefix_default_language=False,
)

handler400 = "helpcenter.views.bad_request"
handler404 = "helpcenter.views.page_not_found"
handler500 = "helpcenter.views.server_error"
