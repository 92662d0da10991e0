"""Staff dashboards: the registry, the index page at admin:dashboards, and the kit every dashboard
is built from (the period + brand form, the CSV download, the page's admin context).

How to add a dashboard
----------------------
1. Write its numbers as a plain function over QuerySets (e.g. ``faq/dashboard.py``), taking a
   ``Period`` (``period.filter(queryset, "created_at")`` keeps the rows of the chosen days and
   brand). Use a fixed number of queries whatever the period holds, and test it with 10 and
   200 rows.
2. Write its view as ``def view(request, dashboard) -> HttpResponse`` (e.g.
   ``faq/dashboard_views.py``): ``form = DashboardForm(request.GET)``; on an invalid form
   ``return render_dashboard(request, dashboard, template, {"form": form}, status=400)``;
   for ``?download=<table>`` return ``csv_response(...)``; else ``render_dashboard(...)``.
   The template extends ``admin/dashboards/base.html`` and fills ``{% block dashboard %}``;
   charts are ``{% include "admin/dashboards/_chart.html" with chart=... %}`` with a
   ``Chart`` from helpcenter/dashboard_charts.py, each followed by its table (the accessible
   version of the chart) and ``{% include "admin/dashboards/_csv_link.html" with table=... %}``.
3. Add a ``Dashboard`` to ``DASHBOARDS`` below. It is served at /admin/dashboards/<slug>/
   (URL name ``admin:dashboard_<slug>``), behind the admin login and the dashboard's permission,
   and listed on the index for the staff who hold that permission.
4. Add it to bench/dashboards.py's run (it times every registered dashboard by itself).
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import partial

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from brands.models import Brand


@dataclass(frozen=True)
class Dashboard:
    slug: str
    title: str | Promise
    description: str | Promise
    #: The permission a staff member needs to see it ("app.codename").
    permission: str
    #: Dotted path of ``view(request, dashboard) -> HttpResponse``; imported on first request.
    view: str

    @property
    def url_name(self) -> str:
        return f"dashboard_{self.slug}"

    @property
    def url(self) -> str:
        return reverse(f"admin:{self.url_name}")


DASHBOARDS: list[Dashboard] = [
    Dashboard(
        slug="support",
        title=_("Support dashboard"),
        description=_("Contact messages per day by topic; first-response and resolution times."),
        permission="contact.view_contactmessage",
        view="contact.dashboard_views.support_dashboard",
    ),
    Dashboard(
        slug="csat",
        title=_("Customer satisfaction (CSAT)"),
        description=_("Ratings customers gave their answered messages, over time and per brand."),
        permission="contact.view_contactmessage",
        view="contact.dashboard_views.csat_dashboard",
    ),
    Dashboard(
        slug="deflection",
        title=_("Messages sent although an article matched"),
        description=_(
            "How many messages were sent although the contact form had suggested articles, and which ones."
        ),
        permission="contact.view_contactmessage",
        view="contact.dashboard_views.deflection_dashboard",
    ),
    # Those who write articles: its links open the article editor with the query as the title.
    Dashboard(
        slug="search",
        title=_("Search dashboard"),
        description=_(
            "Searches that found nothing and searches whose results nobody opened, each with a "
            "link to write the article; searches per day."
        ),
        permission="faq.add_article",
        view="faq.dashboard_views.search_dashboard",
    ),
    Dashboard(
        slug="ratings",
        title=_("Article ratings"),
        description=_("The articles readers rate least helpful, and what they wrote when one did not help."),
        permission="faq.view_articlefeedback",
        view="faq.dashboard_views.ratings_dashboard",
    ),
]


def visible_dashboards(user) -> list[Dashboard]:
    """The dashboards this staff member may open, in the registry's order."""
    return [dashboard for dashboard in DASHBOARDS if user.has_perm(dashboard.permission)]


# --- The period and brand every dashboard is shown for ---------------------------------------

PERIOD_CHOICES = [(7, _("Last 7 days")), (30, _("Last 30 days")), (90, _("Last 90 days"))]


@dataclass(frozen=True)
class Period:
    """The chosen days (local days, both ends included) and brand (None: all brands)."""

    first_day: date
    last_day: date
    brand: Brand | None = None

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first_day, time.min, tzinfo=timezone.get_current_timezone())

    @property
    def end(self) -> datetime:
        """The first moment after the period (exclusive)."""
        next_day = self.last_day + timedelta(days=1)
        return datetime.combine(next_day, time.min, tzinfo=timezone.get_current_timezone())

    @property
    def days(self) -> list[date]:
        return [self.first_day + timedelta(days=i) for i in range((self.last_day - self.first_day).days + 1)]

    def filter(self, queryset: QuerySet, field: str, brand_field: str = "brand") -> QuerySet:
        """The rows whose `field` (a datetime) falls in the period, of the chosen brand."""
        queryset = queryset.filter(**{f"{field}__gte": self.start, f"{field}__lt": self.end})
        if self.brand is not None:
            queryset = queryset.filter(**{brand_field: self.brand})
        return queryset


class DashboardForm(forms.Form):
    days = forms.TypedChoiceField(
        label=_("Period"), coerce=int, choices=PERIOD_CHOICES, initial=30, required=False, empty_value=30
    )
    brand = forms.ModelChoiceField(
        label=_("brand"), queryset=Brand.objects.all(), required=False, empty_label=_("All brands")
    )

    def period(self, today: date | None = None) -> Period:
        """The chosen number of days up to and including today (local time)."""
        last_day = today or timezone.localdate()
        first_day = last_day - timedelta(days=self.cleaned_data["days"] - 1)
        return Period(first_day=first_day, last_day=last_day, brand=self.cleaned_data["brand"])


# --- Responses ---------------------------------------------------------------------------------


def csv_response(filename: str, header: Iterable, rows: Iterable[Iterable]) -> HttpResponse:
    """A CSV download, UTF-8 with a byte-order mark so spreadsheet programs (Excel) read the
    Chinese headings and titles as UTF-8 rather than the system's code page."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([str(heading) for heading in header])
    writer.writerows(rows)
    return response


def csv_table(request: HttpRequest) -> str:
    """Which table the request asks to download (``?download=<table>``), or ""."""
    return request.GET.get("download", "")


def render_dashboard(
    request: HttpRequest, dashboard: Dashboard, template: str, context: dict, status: int = 200
) -> TemplateResponse:
    """The dashboard's page inside the admin, with the query string its CSV links extend."""
    query = request.GET.copy()
    query.pop("download", None)
    page = {
        **admin.site.each_context(request),
        "title": dashboard.title,
        "dashboard": dashboard,
        "query": query.urlencode(),
        **context,
    }
    return TemplateResponse(request, template, page, status=status)


# --- The admin's URLs -------------------------------------------------------------------------


def dashboard_index(request: HttpRequest) -> TemplateResponse:
    dashboards = visible_dashboards(request.user)
    if not dashboards:
        raise PermissionDenied
    context = {**admin.site.each_context(request), "title": _("Dashboards"), "dashboards": dashboards}
    return TemplateResponse(request, "admin/dashboards/index.html", context)


def _serve(request: HttpRequest, dashboard: Dashboard) -> HttpResponse:
    if not request.user.has_perm(dashboard.permission):
        raise PermissionDenied
    view: Callable[[HttpRequest, Dashboard], HttpResponse] = import_string(dashboard.view)
    return view(request, dashboard)


def dashboard_urls(admin_view: Callable) -> list:
    """The index and one page per registered dashboard, each behind the admin's login."""
    return [
        path("dashboards/", admin_view(dashboard_index), name="dashboards"),
        *(
            path(f"dashboards/{d.slug}/", admin_view(partial(_serve, dashboard=d)), name=d.url_name)
            for d in DASHBOARDS
        ),
    ]
