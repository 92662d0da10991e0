"""Read-only JSON API: search and published articles (documented in README.md).

Outside i18n_patterns: the language is the `lang` parameter, not the URL prefix.
Answers are the same for everyone: the page cache keeps them (pagecache/) and tells CDNs
how long they may.
"""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, JsonResponse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from brands.models import Brand
from helpcenter.request import absolute_url
from pagecache.middleware import public_page

from .forms import MAX_QUERY_LENGTH
from .models import Article, Category, Language
from .search import MIN_QUERY_CHARS, SearchFilters
from .search import search as run_search


class ApiSearchForm(forms.Form):
    q = forms.CharField(min_length=MIN_QUERY_CHARS, max_length=MAX_QUERY_LENGTH)
    lang = forms.ChoiceField(choices=Language.choices, required=False)
    brand = forms.ModelChoiceField(queryset=Brand.objects.active(), to_field_name="slug", required=False)
    category = forms.ModelChoiceField(queryset=Category.objects.all(), to_field_name="slug", required=False)
    limit = forms.IntegerField(min_value=1, max_value=50, required=False)
    as_typed = forms.BooleanField(required=False)


class ApiLanguageForm(forms.Form):
    lang = forms.ChoiceField(choices=Language.choices, required=False)


def _error(status: int, code: str, message: str, fields: dict | None = None) -> JsonResponse:
    body: dict = {"error": code, "message": str(message)}
    if fields:
        body["fields"] = {name: [str(error) for error in errors] for name, errors in fields.items()}
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


def _json(data: dict) -> JsonResponse:
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


def _absolute(request: HttpRequest, url: str) -> str:
    return absolute_url(url, request)


@public_page
@require_GET
def search(request: HttpRequest) -> JsonResponse:
    form = ApiSearchForm(request.GET)
    if not form.is_valid():
        return _error(400, "invalid", _("Invalid search parameters."), form.errors)
    data = form.cleaned_data
    language = data["lang"] or Language.ZH_HANS
    # Rank up to RESULT_LIMIT matches so `total` counts them; snippets only for those returned.
    filters = SearchFilters(language=language, brand=data["brand"], category=data["category"])
    result = run_search(data["q"], filters, answer=True, correct=not data["as_typed"])
    with translation.override(language):
        results = [_search_hit(request, article) for article in result.top(data["limit"] or 10)]
    answer = result.answer.as_json() if result.answer else None
    return _json(
        {
            "query": data["q"],
            "corrected_query": result.corrected_query,
            "total": result.total,
            "results": results,
            "answer": answer,
        }
    )


def _search_hit(request: HttpRequest, article: Article) -> dict:
    return {
        "slug": article.slug,
        "title": article.title,
        "url": _absolute(request, article.get_absolute_url()),
        "summary": article.summary,
        "snippet": str(article.snippet),
        "category": {"slug": article.category.slug, "name": article.category.localized_name},
        "brands": [brand.slug for brand in article.brands.all()],
        "language": article.language,
        "score": round(article.search_score, 5),
    }


@public_page
@require_GET
def article_detail(request: HttpRequest, slug: str) -> JsonResponse:
    form = ApiLanguageForm(request.GET)
    if not form.is_valid():
        return _error(400, "invalid", _("Invalid parameters."), form.errors)
    language = form.cleaned_data["lang"] or Language.ZH_HANS
    article = (
        Article.objects.visible(language=language)
        .select_related("category")
        .prefetch_related("brands")
        .filter(slug=slug)
        .first()
    )
    if article is None:
        return _error(404, "not_found", _("No published article has this address."))
    with translation.override(language):
        return _json(
            {
                "slug": article.slug,
                "title": article.title,
                "summary": article.summary,
                "html": article.body_html,
                "url": _absolute(request, article.get_absolute_url()),
                "category": {"slug": article.category.slug, "name": article.category.localized_name},
                "brands": [brand.slug for brand in article.brands.all()],
                "language": article.language,
                "updated_at": article.updated_at.isoformat(),
            }
        )
