"""Staff review of scam reports (grouped by normalised value), confirmed scams and brand alerts."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from helpcenter.history_admin import HistoryAdmin

from .models import ConfirmedScam, ScamAlert, ScamReport, ValueKind
from .parse import parse_value
from .services import scam_reports_confirm, scam_reports_dismiss


@admin.register(ScamReport)
class ScamReportAdmin(admin.ModelAdmin):
    """Reports of the same normalised value sit together, most-reported first; actions act on the whole value."""

    list_display = [
        "normalized_value",
        "kind",
        "same_value_count",
        "value",
        "brand",
        "seen_where",
        "status",
        "created_at",
    ]
    list_display_links = ["value"]
    list_filter = ["status", "kind", "brand", "seen_where"]
    search_fields = ["value", "normalized_value", "description"]
    list_select_related = ["brand"]
    readonly_fields = [
        "value",
        "kind",
        "normalized_value",
        "created_at",
        "reviewed_at",
        "reviewed_by",
        "screenshot_link",
    ]
    fields = [
        "value",
        "kind",
        "normalized_value",
        "brand",
        "seen_where",
        "description",
        "screenshot_link",
        "status",
        "created_at",
        "reviewed_at",
        "reviewed_by",
    ]
    actions = ["confirm_as_scam", "dismiss"]
    date_hierarchy = "created_at"

    def get_urls(self):
        values = path("values/", self.admin_site.admin_view(self.values_view), name="trust_scamreport_values")
        return [values, *super().get_urls()]

    def values_view(self, request: HttpRequest) -> TemplateResponse:
        """Every reported value once, with how many reports name it; each links to its reports."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Reported values"),
            "rows": [
                {**row, "kind_label": ValueKind(row["kind"]).label}
                for row in ScamReport.objects.reported_values()[:500]
            ],
            "changelist_url": reverse("admin:trust_scamreport_changelist"),
        }
        return TemplateResponse(request, "admin/trust/scamreport/values.html", context)

    def get_queryset(self, request: HttpRequest) -> QuerySet[ScamReport]:
        # Annotate before ordering: ModelAdmin.get_queryset() would order by the annotation first.
        return ScamReport.objects.with_same_value_count().order_by(*self.get_ordering(request))

    def get_ordering(self, request: HttpRequest) -> list[str]:
        return ["-same_value_count", "kind", "normalized_value", "-created_at"]

    @admin.display(description=_("reports of this value"), ordering="same_value_count")
    def same_value_count(self, report: ScamReport) -> int:
        return report.same_value_count

    @admin.display(description=_("screenshot"))
    def screenshot_link(self, report: ScamReport) -> str:
        if not report.screenshot:
            return "—"
        url = reverse("trust:report_screenshot", args=[report.pk])
        return format_html('<a href="{}" rel="noreferrer" target="_blank">{}</a>', url, _("open"))

    @admin.action(description=_("Confirm as scam (all reports of the same value)"), permissions=["change"])
    def confirm_as_scam(self, request: HttpRequest, queryset: QuerySet[ScamReport]) -> None:
        outcome = scam_reports_confirm(reports=queryset, user=request.user)
        self.message_user(
            request,
            ngettext(
                "%(values)d value confirmed as a scam (%(reports)d reports closed).",
                "%(values)d values confirmed as scams (%(reports)d reports closed).",
                outcome.values,
            )
            % {"values": outcome.values, "reports": outcome.reports},
            messages.SUCCESS,
        )
        for value in outcome.skipped_official:
            self.message_user(
                request,
                _("“%(value)s” is an official channel and was not confirmed as a scam.") % {"value": value},
                messages.WARNING,
            )

    @admin.action(description=_("Dismiss (all pending reports of the same value)"), permissions=["change"])
    def dismiss(self, request: HttpRequest, queryset: QuerySet[ScamReport]) -> None:
        outcome = scam_reports_dismiss(reports=queryset, user=request.user)
        self.message_user(
            request,
            ngettext("%(reports)d report dismissed.", "%(reports)d reports dismissed.", outcome.reports)
            % {"reports": outcome.reports},
            messages.SUCCESS,
        )


@admin.register(ConfirmedScam)
class ConfirmedScamAdmin(admin.ModelAdmin):
    list_display = ["normalized_value", "kind", "brand", "first_reported_at", "confirmed_at", "confirmed_by"]
    list_filter = ["kind", "brand"]
    search_fields = ["value", "normalized_value"]
    list_select_related = ["brand", "confirmed_by"]
    fields = [
        "value",
        "kind",
        "normalized_value",
        "brand",
        "first_reported_at",
        "confirmed_at",
        "confirmed_by",
    ]
    readonly_fields = ["kind", "normalized_value", "confirmed_by", "confirmed_at"]

    def save_model(self, request: HttpRequest, obj: ConfirmedScam, form, change: bool) -> None:
        # A scam entered by hand is normalised exactly like the verify page reads input.
        parsed = parse_value(obj.value)
        obj.kind, obj.normalized_value = parsed.kind, parsed.normalized or obj.value.strip().lower()
        if not change:
            obj.confirmed_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(ScamAlert)
class ScamAlertAdmin(HistoryAdmin, admin.ModelAdmin):
    list_display = ["brand", "message", "message_en", "starts_at", "ends_at"]
    list_filter = ["brand"]
    # Chinese and English side by side (helpcenter/localized.py).
    fields = ["brand", ("message", "message_en"), "starts_at", "ends_at"]

    class Media:
        css = {"all": ["css/admin-bilingual.css"]}

    list_select_related = ["brand"]
