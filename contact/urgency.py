"""Which channel a user in trouble should reach first, and how long that advice stays true.

Plain functions over `ChannelHours` cards (contact/hours.py), the moment always passed in:

- `by_urgency` orders a brand's channels for the contact pages: the channels marked for
  urgent problems first, then those open now, then those with no hours to keep (email),
  then the closed ones;
- `urgent_shortcuts` picks, per brand, the urgent channel the emergency shortcuts on the
  home and brand pages lead to (and, when it is closed, a channel open right now);
- `seconds_until_change` says how long a page showing those statuses stays true, for its
  Cache-Control max-age (the page cache never keeps a page longer than that).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from .hours import ChannelHours, channel_hours
from .models import Channel
from .selectors import public_channels, public_channels_of

# The national anti-fraud hotline (国家反诈中心, Ministry of Public Security): a public number.
ANTI_FRAUD_HOTLINE = "96110"
# A page whose statuses never change (24/7 channels only) is still re-rendered daily.
MAX_VALID_SECONDS = 24 * 60 * 60
KIND_ORDER = {kind: index for index, kind in enumerate(Channel.Kind.values)}


def _availability(card: ChannelHours) -> int:
    """0 open now, 1 no hours to keep (email, website), 2 closed."""
    if card.status is None:
        return 1
    return 0 if card.status.is_open else 2


def urgency_key(card: ChannelHours) -> tuple:
    channel = card.channel
    return (
        channel.good_for != Channel.GoodFor.URGENT,
        _availability(card),
        not channel.href,
        KIND_ORDER.get(channel.kind, len(KIND_ORDER)),
        channel.order,
        channel.pk,
    )


def by_urgency(cards: list[ChannelHours]) -> list[ChannelHours]:
    """A brand's channels in the order a user in trouble should try them."""
    return sorted(cards, key=urgency_key)


@dataclass(frozen=True)
class UrgentShortcut:
    """One brand's way out of an emergency: its urgent channel, and an open one if that is closed."""

    brand: object
    card: ChannelHours
    open_instead: ChannelHours | None = None


def urgent_shortcuts(cards: list[ChannelHours]) -> list[UrgentShortcut]:
    """Per brand (in the cards' brand order), the best urgent channel; brands without one are left out."""
    by_brand: dict[int, list[ChannelHours]] = {}
    for card in cards:
        by_brand.setdefault(card.channel.brand_id, []).append(card)
    shortcuts = []
    for brand_cards in by_brand.values():
        ordered = by_urgency(brand_cards)
        urgent = ordered[0]
        if urgent.channel.good_for != Channel.GoodFor.URGENT:
            continue
        open_instead = None
        if urgent.status is not None and not urgent.status.is_open:
            open_instead = next(
                (c for c in ordered if c.status is not None and c.status.is_open and c.channel.href), None
            )
        shortcuts.append(UrgentShortcut(urgent.channel.brand, urgent, open_instead))
    return shortcuts


def _next_local_midnight(at: datetime, tz) -> datetime:
    local = at.astimezone(tz)
    return datetime.combine(local.date() + timedelta(days=1), datetime.min.time(), tzinfo=tz)


def status_changes_at(card: ChannelHours, at: datetime) -> datetime | None:
    """The next instant the card's status or its words change; None if never (24/7, or no hours).

    A closed channel's words name the day it opens relative to today ("opens tomorrow at
    09:00"), so they also change at the brand's next local midnight.
    """
    status = card.status
    if status is None or status.always_open:
        return None
    if status.is_open:
        return status.closes_at
    if status.next_opens_at is None:
        return _next_local_midnight(at, card.channel.brand.tz)
    return min(status.next_opens_at, _next_local_midnight(at, card.channel.brand.tz))


def seconds_until_change(cards: list[ChannelHours], at: datetime) -> int:
    """How many seconds a page showing these cards' statuses stays true (at least 1)."""
    instants = [instant for card in cards if (instant := status_changes_at(card, at)) is not None]
    if not instants:
        return MAX_VALID_SECONDS
    seconds = int((min(instants) - at).total_seconds())
    return max(1, min(seconds, MAX_VALID_SECONDS))


@dataclass(frozen=True)
class UrgentHelp:
    """What the emergency block of a knowledge-base page shows, and for how many seconds it is true."""

    shortcuts: list[UrgentShortcut]
    valid_seconds: int
    anti_fraud_hotline: str = ANTI_FRAUD_HOTLINE


def urgent_help(*, brand=None, at: datetime | None = None) -> UrgentHelp:
    """The emergency shortcuts for one brand's pages, or for every brand (the home page)."""
    at = at or timezone.now()
    channels = public_channels() if brand is None else public_channels_of(brand)
    cards = channel_hours(channels, at, upcoming_days=0)
    # Every channel counts, not only those shown: one opening can change which is shown.
    return UrgentHelp(urgent_shortcuts(cards), seconds_until_change(cards, at))
