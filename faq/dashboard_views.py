"""The knowledge base's dashboards (admin:dashboard_search, admin:dashboard_ratings): what people
searched for and did not find or did not open, and the articles readers rate worst, for a period,
brand and language; each table with a CSV download, the daily figures also as an SVG chart."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from helpcenter.dashboard_charts import Chart, Series, bar_chart, line_chart
from helpcenter.dashboards import Dashboard, DashboardForm, Period, csv_response, csv_table, render_dashboard
from helpcenter.localized import Language

from .dashboard import (
    QueryRow,
    SearchSummary,
    no_result_queries,
    search_summary,
    searches_per_day,
    unopened_queries,
)
from .dashboard_ratings import RatedArticle, RatingsSummary, ratings_summary


class KnowledgeDashboardForm(DashboardForm):
    """The shared period and brand, and the language searched in or written in ("" for both)."""

    language = forms.ChoiceField(
        label=gettext_lazy("language"),
        choices=[("", gettext_lazy("All languages")), *Language.choices],
        required=False,
    )


def article_add_url(row: QueryRow, brand_id: int | None) -> str:
    """The article editor's add form with the query as the title, in the query's language and,
    when the searches came from one brand, for that brand (the admin prefills fields from GET)."""
    initial = {"title": row.query, "language": row.language}
    if brand_id is not None:
        initial["brands"] = brand_id
    return f"{reverse('admin:faq_article_add')}?{urlencode(initial)}"


def _language_name(code: str) -> str:
    return str(Language(code).label) if code in Language.values else code


def query_rows(rows: list[QueryRow], chosen_brand) -> list[dict]:
    """What the query tables show per row: the figures, the language's name, the add link."""
    return [
        {
            "row": row,
            "language_name": _language_name(row.language),
            "add_url": article_add_url(row, chosen_brand.pk if chosen_brand else row.brand_id),
        }
        for row in rows
    ]


def per_day_chart(summary: SearchSummary) -> Chart:
    days = summary.per_day
    return line_chart(
        chart_id="searches-per-day",
        title=_("Searches per day"),
        description=_(
            "All searches, those that found nothing and those with a result opened; the table below has the numbers."
        ),
        labels=[row.day.isoformat() for row in days],
        series=[
            Series(_("searches"), [row.total for row in days]),
            Series(_("found nothing"), [row.no_result for row in days]),
            Series(_("result opened"), [row.opened for row in days]),
        ],
    )


def _query_csv(filename: str, rows: list[QueryRow]) -> HttpResponse:
    return csv_response(
        filename,
        ["query", "language", "searches", "last_seen"],
        [[row.query, row.language, row.searches, row.last_seen.isoformat()] for row in rows],
    )


def _search_csv(table: str, period: Period, language: str) -> HttpResponse:
    """One table's CSV, running only that table's query (the page runs all three)."""
    if table == "no-results":
        return _query_csv("searches-without-results.csv", no_result_queries(period, language))
    if table == "unopened":
        return _query_csv("searches-not-opened.csv", unopened_queries(period, language))
    return csv_response(
        "searches-per-day.csv",
        ["day", "searches", "no_result", "opened"],
        [
            [row.day.isoformat(), row.total, row.no_result, row.opened]
            for row in searches_per_day(period, language)
        ],
    )


def search_dashboard(request: HttpRequest, dashboard: Dashboard) -> HttpResponse:
    form = KnowledgeDashboardForm(request.GET)
    template = "admin/faq/dashboards/search.html"
    if not form.is_valid():
        return render_dashboard(request, dashboard, template, {"form": form}, status=400)
    period, language = form.period(), form.cleaned_data["language"]
    if table := csv_table(request):
        return _search_csv(table, period, language)
    summary = search_summary(period, language)
    context = {
        "form": form,
        "summary": summary,
        "no_result": query_rows(summary.no_result, period.brand),
        "unopened": query_rows(summary.unopened, period.brand),
        "chart": per_day_chart(summary),
    }
    return render_dashboard(request, dashboard, template, context)


def votes_chart(summary: RatingsSummary) -> Chart:
    days = summary.per_day
    return bar_chart(
        chart_id="votes-per-day",
        title=_("Votes per day"),
        description=_(
            "Stacked bars, one per day: helpful and not helpful votes; the table below has the numbers."
        ),
        labels=[row.day.isoformat() for row in days],
        series=[
            Series(_("Helpful"), [row.helpful for row in days]),
            Series(_("Not helpful"), [row.not_helpful for row in days]),
        ],
    )


def _ratings_csv(table: str, summary: RatingsSummary) -> HttpResponse:
    if table == "votes-per-day":
        return csv_response(
            "votes-per-day.csv",
            ["day", "helpful", "not_helpful"],
            [[row.day.isoformat(), row.helpful, row.not_helpful] for row in summary.per_day],
        )
    if table == "comments":
        return csv_response(
            "not-helpful-comments.csv",
            ["article_id", "title", "language", "comments", "last_comment_at", "latest_comments"],
            [_comment_line(article) for article in summary.most_commented],
        )
    return csv_response(
        "least-helpful-articles.csv",
        [
            "article_id",
            "title",
            "language",
            "votes",
            "helpful",
            "not_helpful",
            "helpful_ratio",
            "wilson_not_helpful",
        ],
        [
            [
                a.article_id,
                a.title,
                a.language,
                a.votes,
                a.helpful,
                a.not_helpful,
                f"{a.helpful_ratio:.3f}",
                f"{a.not_helpful_bound:.3f}",
            ]
            for a in summary.least_helpful
        ],
    )


def _comment_line(article: RatedArticle) -> list:
    last = article.last_comment_at.isoformat() if article.last_comment_at else ""
    latest = "\n".join(article.latest_comments)
    return [article.article_id, article.title, article.language, article.comments, last, latest]


def ratings_dashboard(request: HttpRequest, dashboard: Dashboard) -> HttpResponse:
    form = KnowledgeDashboardForm(request.GET)
    template = "admin/faq/dashboards/ratings.html"
    if not form.is_valid():
        return render_dashboard(request, dashboard, template, {"form": form}, status=400)
    summary = ratings_summary(form.period(), form.cleaned_data["language"])
    if table := csv_table(request):
        return _ratings_csv(table, summary)
    context = {"form": form, "summary": summary, "chart": votes_chart(summary)}
    return render_dashboard(request, dashboard, template, context)
