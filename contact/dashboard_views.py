"""The support dashboards: messages per day by topic and response-time percentiles
(admin:dashboard_support), CSAT over time (admin:dashboard_csat) and messages sent although an
article was suggested (admin:dashboard_deflection), for a chosen period and brand, each chart or
table with a CSV download."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from helpcenter.dashboard_charts import Chart, Series, bar_chart, line_chart
from helpcenter.dashboards import Dashboard, DashboardForm, csv_response, csv_table, render_dashboard

from .dashboard import SupportSummary, support_summary
from .dashboard_csat import CsatSummary, csat_summary
from .dashboard_deflection import DeflectionSummary, deflection_summary
from .inbox import format_duration

TEMPLATE = "contact/admin/dashboard.html"


def per_day_chart(summary: SupportSummary, rows: list[dict]) -> Chart:
    return bar_chart(
        chart_id="per-day",
        title=_("Messages per day by topic"),
        description=_("Stacked bars, one per day; the table below has the numbers."),
        labels=[row["day"].isoformat() for row in rows],
        series=[
            Series(label, [row["counts"][index] for row in rows])
            for index, (_code, label) in enumerate(summary.topics)
        ],
    )


def _percentiles(summary: SupportSummary) -> list[tuple]:
    return [(p, summary.first_response[p], summary.resolution[p]) for p in summary.first_response]


def _csv(table: str, summary: SupportSummary) -> HttpResponse:
    if table == "times":
        return csv_response(
            "response-times.csv",
            ["percentile", "first_response_seconds", "resolution_seconds"],
            [
                [f"p{p}", *(int(wait.total_seconds()) if wait else "" for wait in (first, done))]
                for p, first, done in _percentiles(summary)
            ],
        )
    return csv_response(
        "messages-per-day.csv",
        ["day", *(code for code, _label in summary.topics), "total"],
        [[row["day"].isoformat(), *row["counts"], row["total"]] for row in summary.rows()],
    )


def support_dashboard(request: HttpRequest, dashboard: Dashboard) -> HttpResponse:
    form = DashboardForm(request.GET)
    if not form.is_valid():
        return render_dashboard(request, dashboard, TEMPLATE, {"form": form}, status=400)
    table = csv_table(request)
    # The per-day CSV needs no percentiles: it skips their query (the slowest of the page's two).
    summary = support_summary(form.period(), waits=table in ("", "times"))
    if table:
        return _csv(table, summary)
    rows = summary.rows()
    percentiles = [
        (p, format_duration(first), format_duration(done)) for p, first, done in _percentiles(summary)
    ]
    context = {"form": form, "summary": summary, "rows": rows, "percentiles": percentiles}
    context["chart"] = per_day_chart(summary, rows)
    return render_dashboard(request, dashboard, TEMPLATE, context)


CSAT_TEMPLATE = "contact/admin/dashboard_csat.html"


def csat_chart(summary: CsatSummary) -> Chart:
    return line_chart(
        chart_id="csat",
        title=_("Satisfied customers (rated 4 or 5)"),
        description=_("The share of ratings of 4 or 5 per week; the table below has the numbers.")
        if summary.weekly
        else _("The share of ratings of 4 or 5 per day; the table below has the numbers."),
        labels=[start.isoformat() for start, _ratings in summary.buckets],
        series=[Series(_("rated 4 or 5"), [r.satisfied_share for _start, r in summary.buckets])],
        top_value=100,
        unit="%",
    )


def _csat_csv(table: str, summary: CsatSummary) -> HttpResponse:
    header = ["ratings", "average", "satisfied_percent"]
    if table == "csat-brands":
        rows = [[name, r.count, r.average or "", r.satisfied_share or ""] for name, r in summary.brands]
        return csv_response("csat-by-brand.csv", ["brand", *header], rows)
    rows = [
        [start.isoformat(), r.count, r.average or "", r.satisfied_share or ""] for start, r in summary.buckets
    ]
    return csv_response("csat.csv", ["week" if summary.weekly else "day", *header], rows)


def csat_dashboard(request: HttpRequest, dashboard: Dashboard) -> HttpResponse:
    form = DashboardForm(request.GET)
    if not form.is_valid():
        return render_dashboard(request, dashboard, CSAT_TEMPLATE, {"form": form}, status=400)
    summary = csat_summary(form.period())
    if table := csv_table(request):
        return _csat_csv(table, summary)
    context = {"form": form, "summary": summary, "chart": csat_chart(summary)}
    return render_dashboard(request, dashboard, CSAT_TEMPLATE, context)


DEFLECTION_TEMPLATE = "contact/admin/dashboard_deflection.html"


def deflection_chart(summary: DeflectionSummary) -> Chart:
    return bar_chart(
        chart_id="deflection",
        title=_("Messages sent although an article was suggested"),
        description=_("Stacked bars, one per day; the table below has the numbers."),
        labels=[d.day.isoformat() for d in summary.days],
        series=[
            Series(_("an article was suggested"), [d.matched for d in summary.days]),
            Series(_("no article suggested"), [d.checked - d.matched for d in summary.days]),
            Series(_("not checked"), [d.sent - d.checked for d in summary.days]),
        ],
    )


def _deflection_csv(table: str, summary: DeflectionSummary) -> HttpResponse:
    if table == "suggested-articles":
        rows = [[a.article_id, a.title, a.messages] for a in summary.articles]
        return csv_response("suggested-articles.csv", ["article_id", "title", "messages"], rows)
    rows = [
        [d.day.isoformat(), d.sent, d.checked, d.matched, "" if d.matched_share is None else d.matched_share]
        for d in summary.days
    ]
    return csv_response(
        "deflection.csv", ["day", "sent", "checked", "with_suggestion", "share_percent"], rows
    )


def deflection_dashboard(request: HttpRequest, dashboard: Dashboard) -> HttpResponse:
    form = DashboardForm(request.GET)
    if not form.is_valid():
        return render_dashboard(request, dashboard, DEFLECTION_TEMPLATE, {"form": form}, status=400)
    table = csv_table(request)
    # A CSV runs only its own table's query; the page runs both.
    summary = deflection_summary(
        form.period(), per_day=table != "suggested-articles", articles=table in ("", "suggested-articles")
    )
    if table:
        return _deflection_csv(table, summary)
    context = {"form": form, "summary": summary, "chart": deflection_chart(summary)}
    return render_dashboard(request, dashboard, DEFLECTION_TEMPLATE, context)
