"""What the verify page shows beside a verdict, and the scam alerts brand pages show."""

from __future__ import annotations

from django.utils import timezone

from brands.models import Brand
from contact.hours import ChannelHours, channel_hours
from contact.models import Channel
from contact.urgency import by_urgency
from pagecache.derived import derived, register

from .models import ScamAlert, ValueKind
from .verify import VerifyResult


@register("trust:alerts")
def alerts_showing() -> list[ScamAlert]:
    """Every alert showing now, newest first, kept per content version: never past the next
    alert's start or end, which is a scheduled change (pagecache/schedule.py)."""
    return derived("trust:alerts", lambda: list(ScamAlert.objects.active().order_by("-starts_at")))


def alerts_showing_for(brand: Brand) -> list[ScamAlert]:
    """The alerts showing now on `brand`'s pages, newest first (as `ScamAlert.objects.for_brand`)."""
    return [alert for alert in alerts_showing() if alert.brand_id == brand.pk]


def official_cards(result: VerifyResult) -> list[ChannelHours]:
    """Channel cards to show with a verdict: the matched channel, or the imitated brand's channels."""
    channels = Channel.objects.for_contact_page()
    if result.channel is not None:
        channels = channels.filter(pk=result.channel.pk)
    elif result.brand is not None:
        channels = channels.filter(brand=result.brand)
    elif result.kind != ValueKind.UNKNOWN:
        # No brand to go by: every brand's official channels of the same kind.
        channels = channels.of_form(result.kind)
    else:
        return []
    return by_urgency(channel_hours(channels, timezone.now(), upcoming_days=0))
