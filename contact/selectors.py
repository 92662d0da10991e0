"""The channels the public pages show, read once per content version and day."""

from __future__ import annotations

from django.utils import timezone

from pagecache.derived import derived, register

from .models import Channel


@register("contact:channels")
def public_channels() -> list[Channel]:
    """Every active channel with its brand, weekly hours and coming exceptions (`for_contact_page`),
    kept per content version; the day is part of the name, as the exceptions read depend on it."""
    today = timezone.localdate()
    return derived(f"contact:channels:{today.isoformat()}", lambda: list(Channel.objects.for_contact_page()))


def public_channels_of(brand) -> list[Channel]:
    return [channel for channel in public_channels() if channel.brand_id == brand.pk]
