"""Public knowledge-base pages.

Every page here except the feedback block is the same for every visitor of a
language and brand, so a cache or CDN can keep it whole: nothing here reads
the session or renders a CSRF token. The one per-visitor piece, the "was this
helpful?" block, is fetched by htmx from `article_feedback` (or opened as a page
of its own without JavaScript).
"""

from __future__ import annotations

import uuid
from datetime import datetime

from django.conf import settings
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import override as translation_override
from django.views.decorators.cache import never_cache
from django.views.decorators.http import condition, require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers

from brands.models import Brand
from brands.selectors import active_brand, active_brands, brand_from_query
from contact.urgency import urgent_help
from helpcenter.localized import current_language
from helpcenter.ratelimits import rate_limit
from helpcenter.request import HtmxHttpRequest
from pagecache.middleware import mark_public, public_page

from .counts import (
    CountedPaginator,
    categories_with_counts,
    category_article_count,
    category_by_slug,
    published_counts,
)
from .forms import FeedbackCommentForm, FeedbackVoteForm, SearchForm
from .models import Article, ArticleFeedback
from .selectors import MOST_READ_ARTICLES, featured_articles, most_read_articles, related_articles
from .seo import article_structured_data
from .services import AlreadyVoted, article_feedback_add_comment, article_feedback_create, article_view_record

ARTICLES_PER_PAGE = 20
VISITOR_COOKIE = "hc_visitor"
VISITOR_COOKIE_SALT = "faq.visitor"


@public_page
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return _knowledge_base_page(request, brand=None)


@public_page
@require_GET
def brand_detail(request: HttpRequest, brand_slug: str) -> HttpResponse:
    brand = active_brand(brand_slug)
    if brand is None:
        raise Http404("No such brand")
    return _knowledge_base_page(request, brand=brand)


def _knowledge_base_page(request: HttpRequest, *, brand: Brand | None) -> HttpResponse:
    language = current_language()
    urgent = urgent_help(brand=brand)
    context = {
        "brand": brand,
        "urgent": urgent,
        "brands": active_brands(),
        "categories": categories_with_counts(language=language, brand=brand),
        "featured_articles": featured_articles(brand=brand, language=language),
        "popular_articles": most_read_articles(brand=brand, limit=MOST_READ_ARTICLES, language=language),
        "search_form": SearchForm(),
    }
    template = "faq/brand_detail.html" if brand else "faq/home.html"
    response = render(request, template, context)
    # The emergency block shows channels' open/closed status: the page is true until the next change.
    patch_cache_control(response, max_age=urgent.valid_seconds)
    return response


@public_page
@require_GET
def category_detail(request: HttpRequest, category_slug: str) -> HttpResponse:
    category = category_by_slug(category_slug)
    if category is None:
        raise Http404("No such category")
    brand = brand_from_query(request)
    articles = Article.objects.visible(language=current_language(), brand=brand).filter(category=category)
    counts = published_counts(current_language())
    # The count comes from the counts kept per content version, not from a COUNT over the category.
    paginator = CountedPaginator(
        articles.for_list_page(), ARTICLES_PER_PAGE, count=category_article_count(counts, category.pk, brand)
    )
    page = paginator.get_page(request.GET.get("page"))
    context = {
        "category": category,
        "brand": brand,
        "brands": active_brands(),
        "page": page,
        "other_categories": categories_with_counts(language=current_language(), brand=brand),
    }
    return render(request, "faq/category_detail.html", context)


def _visible_article(slug: str) -> Article:
    article = (
        Article.objects.visible(language=current_language())
        .select_related("category", "original")
        .prefetch_related("brands", "tags", "translations")
        .filter(slug=slug)
        .first()
    )
    if article is None:
        raise Http404("No such article")
    return article


def _requested_article(request: HttpRequest, slug: str) -> Article | None:
    """The visible article at `slug`, read once per request: `condition` asks for its ETag and
    Last-Modified separately, then the view shows it."""
    if not hasattr(request, "_shown_article"):
        request._shown_article = (
            Article.objects.visible(language=current_language())
            .select_related("category", "original")
            .filter(slug=slug)
            .first()
        )
    return request._shown_article


def _article_last_modified(request: HttpRequest, slug: str) -> datetime | None:
    article = _requested_article(request, slug)
    return article.updated_at if article is not None else None


def _article_etag(request: HttpRequest, slug: str) -> str | None:
    updated_at = _article_last_modified(request, slug)
    return f'"{current_language()}-{slug}-{updated_at.timestamp():.6f}"' if updated_at else None


@require_GET
@condition(etag_func=_article_etag, last_modified_func=_article_last_modified)
def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    article = _requested_article(request, slug)
    if article is None:
        untranslated = _in_another_language(slug)
        if untranslated is None:
            raise Http404("No such article")
        return _translation_missing(request, untranslated)
    # A translation's original is already joined; only an original looks for its translations.
    prefetch_related_objects([article], "brands", "tags", *([] if article.original_id else ["translations"]))
    article_view_record(article_id=article.pk)
    translation = _translation_of(article)
    context = {
        "article": article,
        "translation": translation,
        "related_articles": related_articles(article),
        "structured_data": article_structured_data(article, request),
        "language_links": _article_language_links(article, translation),
    }
    response = render(request, "faq/article_detail.html", context)
    # Served from the page cache later, the view is still counted (in memory, as here).
    return mark_public(response, on_hit=("faq.services.article_view_record", {"article_id": article.pk}))


def _translation_of(article: Article) -> Article | None:
    """The visible same article in the other language, if there is one."""
    candidates = [article.original] if article.original else list(article.translations.all())
    return next((other for other in candidates if other is not None and other.is_visible), None)


def _in_another_language(slug: str) -> Article | None:
    """The visible article with this slug in a language other than the page's, if any."""
    return (
        Article.objects.published()
        .exclude(language=current_language())
        .filter(slug=slug)
        .select_related("category")
        .first()
    )


def _translation_missing(request: HttpRequest, article: Article) -> HttpResponse:
    """Say that the article is not written in this language yet and link to the one that exists.

    A 404 (there is no such page in this language, and search engines must not index the notice),
    but one that keeps the reader in place instead of dropping them on the home page.
    """
    links = [
        {
            **link,
            "url": request.path if link["code"] == current_language() else link["url"],
            "is_current": link["code"] == current_language(),
        }
        for link in _article_language_links(article, None)
    ]
    context = {
        "article": article,
        "language_links": links,
        "language_name": dict(settings.LANGUAGES)[article.language],
    }
    return render(request, "faq/article_translation_missing.html", context, status=404)


def _article_language_links(article: Article, translation: Article | None) -> list[dict]:
    """Switching language on an article opens its translation, or the notice that there is none."""
    links = []
    for code, name in settings.LANGUAGES:
        if code == article.language:
            url = article.get_absolute_url()
        elif translation is not None and translation.language == code:
            url = translation.get_absolute_url()
        else:
            with translation_override(code):
                url = reverse("faq:article_detail", kwargs={"slug": article.slug})
        links.append({"code": code, "name": name, "url": url, "is_current": code == article.language})
    return links


def _visitor_id(request: HttpRequest) -> str | None:
    return request.get_signed_cookie(VISITOR_COOKIE, default=None, salt=VISITOR_COOKIE_SALT)


@never_cache
@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
@rate_limit("article-feedback")
def article_feedback(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """The per-visitor "was this helpful?" block: GET shows the visitor's vote or the form to give
    one; POST records a vote, or the comment a "no" may add. Without htmx a POST redirects."""
    article = _visible_article(slug)
    visitor_id = _visitor_id(request) or uuid.uuid4().hex
    feedback = ArticleFeedback.objects.filter(article=article, visitor_id=visitor_id).first()
    context = {"article": article, "feedback": feedback}
    context |= {"vote_form": FeedbackVoteForm(), "comment_form": FeedbackCommentForm()}
    if request.method == "POST":
        if feedback is None:
            submitted = _feedback_vote(request.POST, article=article, visitor_id=visitor_id)
        else:
            submitted = _feedback_comment(request.POST, feedback=feedback)
        context |= submitted
        if not _refused(submitted) and not request.htmx:
            return _remember_visitor(redirect("faq:article_feedback", slug=article.slug), visitor_id)
    template_name = "faq/article_feedback.html"
    if request.htmx and not request.htmx.history_restore_request:
        template_name += "#feedback"
    response = render(request, template_name, context, status=400 if _refused(context) else 200)
    return _remember_visitor(response, visitor_id)


def _feedback_vote(data, *, article: Article, visitor_id: str) -> dict:
    """The visitor's vote, stored; or the vote form with its error."""
    form = FeedbackVoteForm(data)
    if not form.is_valid():
        return {"vote_form": form}
    try:
        is_helpful = form.cleaned_data["is_helpful"]
        feedback = article_feedback_create(article=article, visitor_id=visitor_id, is_helpful=is_helpful)
    except AlreadyVoted:  # the same visitor voted at the same moment from another tab
        feedback = ArticleFeedback.objects.get(article=article, visitor_id=visitor_id)
    return {"feedback": feedback}


def _feedback_comment(data, *, feedback: ArticleFeedback) -> dict:
    """The comment a "no" vote may add, stored once; or the comment form with its error."""
    if feedback.is_helpful or feedback.comment:
        return {}  # nothing more to add: the block shows the thanks again
    form = FeedbackCommentForm(data)
    if not form.is_valid():
        return {"comment_form": form}
    article_feedback_add_comment(feedback=feedback, comment=form.cleaned_data["comment"])
    return {}


def _refused(context: dict) -> bool:
    return any(form.errors for key, form in context.items() if key.endswith("_form"))


def _remember_visitor(response: HttpResponse, visitor_id: str) -> HttpResponse:
    response.set_signed_cookie(
        VISITOR_COOKIE,
        visitor_id,
        salt=VISITOR_COOKIE_SALT,
        max_age=60 * 60 * 24 * 365,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return response
