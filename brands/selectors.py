"""The brands pages show, and the brand a page is narrowed to or prefilled with (`?brand=<slug>`)."""

from __future__ import annotations

from django.http import HttpRequest

from pagecache.derived import derived, register

from .models import SLUG_SHAPE, Brand


@register("brands:active")
def active_brands() -> list[Brand]:
    """The active brands in display order, read once per content version (every page lists them)."""
    return derived("brands:active", lambda: list(Brand.objects.active()))


def active_brand(slug: str | None) -> Brand | None:
    """The active brand with this slug, or None."""
    return next((brand for brand in active_brands() if brand.slug == slug), None) if slug else None


def brand_from_query(request: HttpRequest) -> Brand | None:
    """The active brand `?brand=` names; None when it is missing, unknown, inactive or not a slug."""
    slug = request.GET.get("brand")
    return active_brand(slug) if slug and SLUG_SHAPE.fullmatch(slug) else None
