"""Is this contact official? The verdict logic behind /verify/ and /api/v1/verify.

What a visitor pastes is classified and normalised (parse.py), then compared: an active
official channel answers "official", a scam confirmed by staff answers "reported_scam",
anything else is "not_official". Values that imitate an official domain, handle or number
are named as lookalikes of what they imitate (lookalikes.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from brands.models import Brand
from contact.models import Channel

from .lookalikes import find_lookalike
from .models import ConfirmedScam, ValueKind
from .parse import parse_value

MAX_INPUT_LENGTH = 300
# A whole pasted SMS or chat message may be longer than one contact.
MAX_MESSAGE_LENGTH = 1000


class Verdict(StrEnum):
    OFFICIAL = "official"
    REPORTED_SCAM = "reported_scam"
    NOT_OFFICIAL = "not_official"


@dataclass(frozen=True)
class VerifyResult:
    input: str
    kind: ValueKind
    normalized: str | None
    verdict: Verdict
    brand: Brand | None = None
    channel: Channel | None = None
    scam: ConfirmedScam | None = None
    lookalike_of: str | None = None

    @property
    def shown(self) -> str:
        """What the user typed, as they typed it (only surrounding spaces removed), for echoing back."""
        return self.input.strip()

    @property
    def danger(self) -> int:
        """3 a confirmed scam, 2 an imitation of an official contact, 1 unknown, 0 official."""
        if self.verdict == Verdict.REPORTED_SCAM:
            return 3
        if self.verdict == Verdict.OFFICIAL:
            return 0
        return 2 if self.lookalike_of else 1

    def as_json(self) -> dict:
        """One checked contact as the API gives it (documented in README.md, "Verify API")."""
        return {
            "input": self.input,
            "kind": str(self.kind),
            "normalized": self.normalized,
            "verdict": str(self.verdict),
            "brand": {"slug": self.brand.slug, "name": self.brand.name} if self.brand else None,
            "channel": (
                {
                    "kind": self.channel.kind,
                    "label": self.channel.localized_label,
                    "value": self.channel.display_value,
                }
                if self.channel
                else None
            ),
            "lookalike_of": self.lookalike_of,
            "first_reported": self.scam.first_reported_at.date().isoformat() if self.scam else None,
        }


def verify_value(value: str) -> VerifyResult:
    """The verdict on one pasted contact (phone, email, link or handle)."""
    parsed = parse_value(value)
    base = {"input": value, "kind": parsed.kind, "normalized": parsed.normalized}
    channel = Channel.objects.official_matches(parsed.kind, parsed.normalized or "").first()
    if channel is not None:
        return VerifyResult(**base, verdict=Verdict.OFFICIAL, brand=channel.brand, channel=channel)
    lookalike = find_lookalike(parsed)
    lookalike_of = lookalike.value if lookalike else None
    scam = ConfirmedScam.objects.matching(parsed.kind, parsed.normalized or "").first()
    if scam is not None:
        brand = scam.brand or (lookalike.brand if lookalike else None)
        return VerifyResult(
            **base, verdict=Verdict.REPORTED_SCAM, brand=brand, scam=scam, lookalike_of=lookalike_of
        )
    return VerifyResult(
        **base,
        verdict=Verdict.NOT_OFFICIAL,
        brand=lookalike.brand if lookalike else None,
        lookalike_of=lookalike_of,
    )


# What only a message has: a space, or Chinese text and punctuation. One pasted value may still
# hold tabs and newlines (browsers drop them from links) and ideographic full stops (read as dots).
_MESSAGE_TEXT = re.compile(r"[ \u00a0\u3000\u3001\u3003-\u303f\u4e00-\u9fff\uff01-\uff0d\uff0f-\uff60]")


@dataclass(frozen=True)
class VerifyReport:
    """The verdict on what a visitor pasted: one contact, or every contact in a pasted message.

    The report's verdict is that of its most dangerous item: one scam link in an SMS that
    also quotes the real hotline makes the whole message a scam.
    """

    input: str
    items: tuple[VerifyResult, ...]

    @property
    def worst(self) -> VerifyResult:
        return max(self.items, key=lambda item: item.danger)

    @property
    def is_message(self) -> bool:
        """True when the contacts were read out of a longer text rather than pasted alone."""
        return len(self.items) > 1 or self.items[0].shown != self.input.strip()

    def as_json(self) -> dict:
        """The most dangerous item's fields, the whole input, and every item checked."""
        return {
            **self.worst.as_json(),
            "input": self.input,
            "items": [item.as_json() for item in self.items],
        }


def verify_text(text: str) -> VerifyReport:
    """Check a pasted contact, or every phone number, address, link and handle in a pasted message."""
    from .extract import contacts_in

    found = contacts_in(text)
    if not found or (len(found) == 1 and found[0] == text.strip()) or not _MESSAGE_TEXT.search(text.strip()):
        return VerifyReport(text, (verify_value(text),))
    return VerifyReport(text, tuple(verify_value(value) for value in found))
