"""Scam reports from visitors, scams confirmed by staff, and scam alerts shown on brand pages.

Values are compared in their normalised form (contact/normalize.py, through
trust/parse.py), so "+86 400-000-0101" and "4000000101" are the same report.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Count, F, Max, Min, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from brands.models import Brand
from helpcenter.localized import LocalizedText
from pagecache.invalidation import ContentQuerySet


class ValueKind(models.TextChoices):
    PHONE = "phone", _("Phone number")
    EMAIL = "email", _("Email address")
    URL = "url", _("Website or link")
    HANDLE = "handle", _("Social media account")
    UNKNOWN = "unknown", _("Not recognised")


def staff_member(verbose_name: str) -> models.ForeignKey:
    """Who on the staff took a review decision; kept blank when their account is deleted."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )


class ScamReportQuerySet(models.QuerySet):
    def pending(self) -> ScamReportQuerySet:
        """Reports staff have not reviewed yet."""
        return self.filter(status=ScamReport.Status.NEW)

    def with_same_value_count(self) -> ScamReportQuerySet:
        """Each report annotated with how many reports name the same normalised value (admin review)."""
        same_value = (
            ScamReport.objects.filter(kind=OuterRef("kind"), normalized_value=OuterRef("normalized_value"))
            .order_by()
            .values("kind", "normalized_value")
            .annotate(total=Count("pk"))
            .values("total")
        )
        return self.annotate(same_value_count=Coalesce(Subquery(same_value), 0))

    def reported_values(self) -> ScamReportQuerySet:
        """One row per reported (kind, normalised value) with report counts and dates, most pending first."""
        return (
            self.order_by()
            .values("kind", "normalized_value")
            .annotate(
                reports=Count("pk"),
                pending=Count("pk", filter=Q(status=ScamReport.Status.NEW)),
                first_reported=Min("created_at"),
                last_reported=Max("created_at"),
            )
            .order_by("-pending", "-reports", "normalized_value")
        )


class ScamReport(models.Model):
    """A visitor's report of a contact that pretended to be a wallet's support."""

    class Status(models.TextChoices):
        NEW = "new", _("Waiting for review")
        CONFIRMED = "confirmed", _("Confirmed scam")
        DISMISSED = "dismissed", _("Dismissed")

    class SeenWhere(models.TextChoices):
        PHONE_CALL = "call", _("A phone call")
        SMS = "sms", _("A text message (SMS)")
        MESSENGER = "messenger", _("WeChat, QQ or another messenger")
        SOCIAL = "social", _("Social media")
        SEARCH = "search", _("A search result or advert")
        EMAIL = "email", _("An email")
        WEBSITE = "website", _("A website")
        OTHER = "other", _("Somewhere else")

    value = models.CharField(_("reported contact"), max_length=300)
    kind = models.CharField(_("kind"), max_length=8, choices=ValueKind, default=ValueKind.UNKNOWN)
    normalized_value = models.CharField(_("normalised value"), max_length=300, db_index=True)
    brand = models.ForeignKey(
        Brand,
        verbose_name=_("imitated brand"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="scam_reports",
    )
    seen_where = models.CharField(_("where it was seen"), max_length=10, choices=SeenWhere)
    description = models.TextField(_("what happened"), max_length=2000, blank=True)
    screenshot = models.ImageField(_("screenshot"), upload_to="scam-reports/%Y/%m/", blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.NEW, db_index=True)
    created_at = models.DateTimeField(_("reported"), default=timezone.now, db_index=True)
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reviewed_by = staff_member(_("reviewed by"))

    objects = ScamReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("scam report")
        verbose_name_plural = _("scam reports")
        indexes = [models.Index(fields=["kind", "normalized_value"], name="trust_report_value_idx")]

    def __str__(self) -> str:
        return self.value


class ConfirmedScamQuerySet(ContentQuerySet):
    def matching(self, kind: str, normalized_value: str) -> ConfirmedScamQuerySet:
        """The confirmed scam with this normalised value, if any."""
        if not normalized_value:
            return self.none()
        return self.filter(kind=kind, normalized_value=normalized_value).select_related("brand")

    def for_warnings_page(self) -> ConfirmedScamQuerySet:
        """Every confirmed scam with its brand, grouped by brand (unbranded last), newest first."""
        return self.select_related("brand").order_by(
            F("brand__order").asc(nulls_last=True), "brand__name", "-first_reported_at"
        )


class ConfirmedScam(models.Model):
    """A contact staff confirmed as a scam: the verify page answers "Known scam" for it."""

    kind = models.CharField(_("kind"), max_length=8, choices=ValueKind)
    normalized_value = models.CharField(_("normalised value"), max_length=300)
    value = models.CharField(_("contact as reported"), max_length=300)
    brand = models.ForeignKey(
        Brand,
        verbose_name=_("imitated brand"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="confirmed_scams",
    )
    first_reported_at = models.DateTimeField(_("first reported"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed"), default=timezone.now)
    confirmed_by = staff_member(_("confirmed by"))

    objects = ConfirmedScamQuerySet.as_manager()

    class Meta:
        ordering = ["-first_reported_at"]
        verbose_name = _("confirmed scam")
        verbose_name_plural = _("confirmed scams")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "normalized_value"], name="trust_confirmed_scam_unique_value"
            )
        ]

    def __str__(self) -> str:
        return self.value


class ScamAlertQuerySet(ContentQuerySet):
    def active(self, at: datetime | None = None) -> ScamAlertQuerySet:
        """Alerts showing at `at` (now by default): started and not yet ended."""
        at = at or timezone.now()
        return self.filter(starts_at__lte=at).filter(Q(ends_at__isnull=True) | Q(ends_at__gt=at))

    def for_brand(self, brand: Brand, at: datetime | None = None) -> ScamAlertQuerySet:
        """Active alerts for one brand, newest first."""
        return self.active(at).filter(brand=brand).order_by("-starts_at")


class ScamAlert(models.Model):
    """A warning staff publish for a brand, shown as a banner on its pages while active."""

    brand = models.ForeignKey(
        Brand, verbose_name=_("brand"), on_delete=models.CASCADE, related_name="scam_alerts"
    )
    message = models.CharField(_("message (Chinese)"), max_length=300)
    message_en = models.CharField(
        _("message (English)"),
        max_length=300,
        blank=True,
        help_text=_("Shown on English pages; Chinese if empty."),
    )
    starts_at = models.DateTimeField(_("shown from"), default=timezone.now)
    ends_at = models.DateTimeField(
        _("shown until"), null=True, blank=True, help_text=_("Empty: until removed.")
    )

    objects = ScamAlertQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("scam alert")
        verbose_name_plural = _("scam alerts")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=F("starts_at")),
                name="trust_scam_alert_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.message

    localized_message = LocalizedText("message")
