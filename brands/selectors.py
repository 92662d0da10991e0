"""The brand a page is narrowed to or prefilled with: `?brand=<slug>` on any page."""

from __future__ import annotations

from django.http import HttpRequest

from .models import Brand


def brand_from_query(request: HttpRequest) -> Brand | None:
    """The active brand `?brand=` names; None when it is missing, unknown, inactive or not a slug."""
    return Brand.objects.active().named_by(request.GET.get("brand"))
