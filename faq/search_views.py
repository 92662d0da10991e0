"""Search pages: the results page, instant results, click-through and contact suggestions."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from helpcenter.localized import current_language
from helpcenter.request import HtmxHttpRequest
from pagecache.middleware import mark_public, public_page

from .forms import SearchForm, SuggestionForm
from .models import Article
from .search import MIN_QUERY_CHARS, SearchFilters
from .search import search as run_search
from .search_log import click_token, read_click_token, search_click_record, search_query_record
from .suggestions import suggested_articles

RESULTS_PER_PAGE = 20
INSTANT_RESULTS = 6
POPULAR = 5


@require_GET
@vary_on_headers("HX-Request")
def search(request: HtmxHttpRequest) -> HttpResponse:
    """The results page; its `results` partial when htmx asks. Page 1 of a full page is logged."""
    form = SearchForm(request.GET)
    template_name = "faq/search.html"
    if request.htmx and not request.htmx.history_restore_request:
        template_name += "#results"
    if not form.is_valid():
        return render(request, template_name, {"form": form, "state": "invalid"}, status=400)
    response, logged = _search_response(request, form, template_name)
    if not logged:
        # Only page 1 of a full page is logged (with click tokens naming that log row): every
        # other answer is the same for everyone and may be cached whole.
        mark_public(response)
    return response


def _search_response(
    request: HtmxHttpRequest, form: SearchForm, template_name: str
) -> tuple[HttpResponse, bool]:
    """The results (or the most read answers), and whether this search was logged."""
    text, brand = form.cleaned_data["q"], form.cleaned_data["brand"]
    language = current_language()
    if len(text) < MIN_QUERY_CHARS:
        # Nothing to search for yet: offer the most read answers instead of an empty page.
        popular = Article.objects.most_viewed_for(language=language, brand=brand, limit=POPULAR)
        context = {"form": form, "state": "too-short", "brand": brand, "popular": popular}
        return render(request, template_name, context), False
    as_typed = form.cleaned_data["as_typed"]
    filters = SearchFilters(language=language, brand=brand)
    result = run_search(text, filters, answer=True, correct=not as_typed)
    page = result.page(request.GET.get("page"), RESULTS_PER_PAGE)
    logged = not request.htmx and page.number == 1
    if logged:
        _log_search(text, language=language, brand=brand, page=page)
    context = {
        "form": form,
        "state": "results",
        "page": page,
        "brand": brand,
        "query": result.query,
        "answer": result.answer if page.number == 1 else None,
        "query_string": urlencode({"q": text, **({"brand": brand.slug} if brand else {})})
        + ("&as_typed=1" if as_typed else ""),
        **correction_context(result, text, brand),
    }
    return render(request, template_name, context), logged


def correction_context(result, text: str, brand) -> dict:
    """What "Showing results for X · Search instead for Y" needs, when a correction was applied."""
    if result.corrected_query is None:
        return {"corrected_query": None}
    brand_param = {"brand": brand.slug} if brand else {}
    search_url = reverse("faq:search")
    return {
        "corrected_query": result.corrected_query,
        "typed_query": text,
        "corrected_url": f"{search_url}?{urlencode({'q': result.corrected_query, **brand_param})}",
        "typed_url": f"{search_url}?{urlencode({'q': text, 'as_typed': 1, **brand_param})}",
    }


def _log_search(text: str, *, language: str, brand, page) -> None:
    """Log a results page and give each result a click token naming that log row."""
    log = search_query_record(query=text, language=language, brand=brand, result_count=page.paginator.count)
    for article in page.object_list:
        article.click_token = click_token(log_id=log.pk, article_id=article.pk)


@public_page
@require_GET
def search_instant(request: HttpRequest) -> HttpResponse:
    """Results under the search box while the user types (an htmx fragment)."""
    form = SearchForm(request.GET)
    context: dict = {"form": form, "articles": []}
    if form.is_valid() and len(form.cleaned_data["q"]) >= MIN_QUERY_CHARS:
        text, brand = form.cleaned_data["q"], form.cleaned_data["brand"]
        filters = SearchFilters(language=current_language(), brand=brand)
        result = run_search(
            text, filters, limit=INSTANT_RESULTS, answer=True, correct=not form.cleaned_data["as_typed"]
        )
        context.update(articles=result.top(INSTANT_RESULTS), query=result.query, answer=result.answer)
        context.update(correction_context(result, text, brand))
    return render(request, "faq/search.html#instant", context)


@never_cache
@require_GET
def search_click(request: HttpRequest, token: str) -> HttpResponse:
    """Open a result from the results page, noting that the search found something useful."""
    ids = read_click_token(token)
    if ids is None:
        return redirect("faq:search")
    log_id, article_id = ids
    article = get_object_or_404(Article.objects.published(), pk=article_id)
    search_click_record(log_id=log_id, article=article)
    return redirect(article)


@public_page
@require_GET
def suggestions(request: HttpRequest) -> HttpResponse:
    """Up to three articles that may answer what someone is writing to support (a fragment)."""
    form = SuggestionForm(request.GET)
    articles = suggested_articles(form, current_language()) if form.is_valid() else []
    return render(request, "faq/_suggestions.html", {"articles": articles})
