"""What the verify page shows beside a verdict."""

from __future__ import annotations

from django.utils import timezone

from contact.hours import ChannelHours, channel_hours
from contact.models import Channel
from contact.urgency import by_urgency

from .models import ValueKind
from .verify import VerifyResult


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
