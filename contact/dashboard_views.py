"""The support dashboard (admin:dashboard_support): messages per day by topic and response-time
percentiles for a chosen period and brand, each as a chart or table with a CSV download."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from helpcenter.dashboard_charts import Chart, Series, bar_chart
from helpcenter.dashboards import Dashboard, DashboardForm, csv_response, csv_table, render_dashboard

from .dashboard import SupportSummary, support_summary
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
    summary = support_summary(form.period())
    if table := csv_table(request):
        return _csv(table, summary)
    rows = summary.rows()
    percentiles = [
        (p, format_duration(first), format_duration(done)) for p, first, done in _percentiles(summary)
    ]
    context = {"form": form, "summary": summary, "rows": rows, "percentiles": percentiles}
    context["chart"] = per_day_chart(summary, rows)
    return render_dashboard(request, dashboard, TEMPLATE, context)
