"""The support dashboard (admin): messages per day by topic and response-time percentiles for a
chosen period and brand, each as an SVG chart or table with its numbers and a CSV download."""

from __future__ import annotations

import csv
from datetime import timedelta

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from brands.models import Brand

from .dashboard import BAR_STEP, CHART_HEIGHT, SupportSummary, support_summary
from .inbox import format_duration


class DashboardForm(forms.Form):
    days = forms.TypedChoiceField(
        label=_("Period"),
        coerce=int,
        choices=[(7, _("Last 7 days")), (30, _("Last 30 days")), (90, _("Last 90 days"))],
        initial=30,
        required=False,
        empty_value=30,
    )
    brand = forms.ModelChoiceField(
        label=_("brand"), queryset=Brand.objects.all(), required=False, empty_label=_("All brands")
    )


def _csv(summary: SupportSummary) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="messages-per-day.csv"'
    response.write("\ufeff")  # so spreadsheet programs read the Chinese headings as UTF-8
    writer = csv.writer(response)
    writer.writerow(["day", *(code for code, _ in summary.topics), "total"])
    for row in summary.rows():
        writer.writerow([row["day"].isoformat(), *row["counts"], row["total"]])
    return response


def _page(request: HttpRequest, model_admin, form: DashboardForm, **extra) -> dict:
    """The admin's own context with what every state of the page shows."""
    return {
        **model_admin.admin_site.each_context(request),
        "title": _("Support dashboard"),
        "form": form,
        **extra,
    }


def _percentiles(summary: SupportSummary) -> list[tuple]:
    return [
        (p, format_duration(summary.first_response[p]), format_duration(summary.resolution[p]))
        for p in summary.first_response
    ]


def dashboard_view(request: HttpRequest, model_admin) -> HttpResponse:
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    form = DashboardForm(request.GET)
    if not form.is_valid():
        return TemplateResponse(
            request, "contact/admin/dashboard.html", _page(request, model_admin, form), status=400
        )
    last_day = timezone.localdate()
    first_day = last_day - timedelta(days=form.cleaned_data["days"] - 1)
    summary = support_summary(first_day=first_day, last_day=last_day, brand=form.cleaned_data["brand"])
    if request.GET.get("download") == "csv":
        return _csv(summary)
    context = _page(
        request,
        model_admin,
        form,
        summary=summary,
        rows=summary.rows(),
        percentiles=_percentiles(summary),
        chart_height=CHART_HEIGHT,
        chart_width=len(summary.days) * BAR_STEP,
        query=request.GET.urlencode(),
    )
    return TemplateResponse(request, "contact/admin/dashboard.html", context)
