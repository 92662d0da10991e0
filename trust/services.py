"""Writes with rules: creating a scam report, and staff confirming or dismissing reported values."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.files.base import File
from django.db import transaction
from django.db.models import Min, QuerySet
from django.utils import timezone

from brands.models import Brand
from helpcenter.uploads import store_upload

from .models import ConfirmedScam, ScamReport
from .parse import parse_value
from .verify import Verdict, verify_value


@transaction.atomic
def scam_report_create(
    *,
    value: str,
    seen_where: str,
    brand: Brand | None = None,
    description: str = "",
    screenshot: File | None = None,
) -> ScamReport:
    """Store a visitor's report with its value normalised like the verify page does, so reports group."""
    parsed = parse_value(value)
    normalized = parsed.normalized or unicodedata.normalize("NFKC", value).strip().lower()
    report = ScamReport(
        value=value.strip(),
        kind=parsed.kind,
        normalized_value=normalized[:300],
        brand=brand,
        seen_where=seen_where,
        description=description.strip(),
    )
    if screenshot:
        report.screenshot = screenshot
    report.full_clean()
    # The reported value is what warns others; a screenshot the storage refused is dropped (the
    # row never names a missing file) and the visitor told so (helpcenter/uploads.py says why).
    report.screenshot_not_stored = bool(screenshot) and not store_upload(
        report.screenshot, screenshot.name, screenshot
    )
    report.save()
    return report


@dataclass(frozen=True)
class ReviewOutcome:
    values: int  # distinct reported values acted on
    reports: int  # reports whose status changed
    skipped_official: list[str]  # values refused because they are official channels


@transaction.atomic
def scam_reports_confirm(*, reports: QuerySet[ScamReport], user: AbstractBaseUser) -> ReviewOutcome:
    """Confirm the values of `reports` as scams: every report of the same value is closed with them.

    A value that is an official channel is never confirmed (a wrong click must not tell
    visitors the real hotline is a scam); it is reported back instead.
    """
    now = timezone.now()
    values = reports.order_by().values_list("kind", "normalized_value").distinct()
    confirmed, changed, skipped = 0, 0, []
    for kind, normalized in values:
        same_value = ScamReport.objects.filter(kind=kind, normalized_value=normalized)
        first = same_value.order_by("created_at").first()
        if verify_value(first.value).verdict == Verdict.OFFICIAL:
            skipped.append(first.value)
            continue
        brand_id = same_value.exclude(brand=None).values_list("brand", flat=True).first()
        first_reported_at = same_value.aggregate(first=Min("created_at"))["first"]
        ConfirmedScam.objects.update_or_create(
            kind=kind,
            normalized_value=normalized,
            defaults={"value": first.value, "brand_id": brand_id, "confirmed_by": user, "confirmed_at": now},
            create_defaults={
                "value": first.value,
                "brand_id": brand_id,
                "confirmed_by": user,
                "confirmed_at": now,
                "first_reported_at": first_reported_at,
            },
        )
        changed += same_value.exclude(status=ScamReport.Status.CONFIRMED).update(
            status=ScamReport.Status.CONFIRMED, reviewed_at=now, reviewed_by=user
        )
        confirmed += 1
    return ReviewOutcome(confirmed, changed, skipped)


@transaction.atomic
def scam_reports_dismiss(*, reports: QuerySet[ScamReport], user: AbstractBaseUser) -> ReviewOutcome:
    """Dismiss every pending report of the same values as `reports`; confirmed scams stay confirmed."""
    now = timezone.now()
    values = list(reports.order_by().values_list("kind", "normalized_value").distinct())
    changed = 0
    for kind, normalized in values:
        changed += ScamReport.objects.filter(
            kind=kind, normalized_value=normalized, status=ScamReport.Status.NEW
        ).update(status=ScamReport.Status.DISMISSED, reviewed_at=now, reviewed_by=user)
    return ReviewOutcome(len(values), changed, [])
