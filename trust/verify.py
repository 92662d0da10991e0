"""Is this contact official? The verdict logic behind /verify/ and /api/v1/verify.

What a visitor pastes is classified (phone, email, web address, handle),
normalised by contact/normalize.py (the one place contact values are
normalised, shared with the Channel rows it is compared to), then compared:
an active official channel answers "official", a scam confirmed by staff
answers "reported_scam", anything else is "not_official". Values that imitate
an official domain or handle (0/o and 1/l swaps, homoglyphs, extra words such as
"-kefu", the official name used as a subdomain of another domain) are named as
lookalikes of what they imitate.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from brands.models import Brand
from contact.models import Channel
from contact.normalize import (
    browser_url,
    normalize_email,
    normalize_handle,
    normalize_phone,
    normalize_url,
)

from .models import ConfirmedScam, ValueKind

MAX_INPUT_LENGTH = 300
# A whole pasted SMS or chat message may be longer than one contact.
MAX_MESSAGE_LENGTH = 1000

# Channel kinds (contact.models.Channel.Kind values) an input of each kind is compared to.
CHANNEL_KINDS = {
    ValueKind.PHONE: ["hotline"],
    ValueKind.EMAIL: ["email"],
    ValueKind.URL: ["website", "chat"],
    ValueKind.HANDLE: ["wechat", "weibo", "x", "facebook", "telegram"],
}
# Profile links on these sites are read as the handle in their first path segment.
SOCIAL_SITES = {"weibo.com", "x.com", "twitter.com", "facebook.com", "t.me", "telegram.me"}

_PHONE_SHAPE = re.compile(r"\+?[\d\s\-.()/\u00a0]+")
_URLISH = re.compile(r"^[a-z][a-z0-9+.\-]*://|^www\.|\.[^\W\d_]{2,}\.?(?:[/:?#]|$)", re.IGNORECASE)
_SEPARATORS = re.compile(r"[-_.\s]+")
_WEB_SCHEME = re.compile(r"^(?:https?|wss?|ftp):", re.IGNORECASE)
# Dots a browser accepts in host names (the ideographic full stops); NFKC keeps 。 as it is.
_DOTS = str.maketrans({"。": ".", "．": ".", "｡": "."})
_WRAPPING = "\"'“”‘’<>《》「」()（）[]【】 "

# Letters from other scripts that look like Latin ones (the common part of Unicode's
# confusables list for domains and handles), and digits people swap for letters.
_HOMOGLYPHS = str.maketrans(
    {
        # Cyrillic
        "а": "a",
        "в": "b",
        "с": "c",
        "ԁ": "d",
        "е": "e",
        "һ": "h",
        "і": "l",
        "ј": "j",
        "к": "k",
        "ӏ": "l",
        "м": "m",
        "н": "h",
        "о": "o",
        "р": "p",
        "ԛ": "q",
        "ѕ": "s",
        "т": "t",
        "у": "y",
        "х": "x",
        "ԝ": "w",
        "ү": "y",
        "ɡ": "g",
        # Greek
        "α": "a",
        "β": "b",
        "ε": "e",
        "ι": "l",
        "κ": "k",
        "ν": "v",
        "ο": "o",
        "ρ": "p",
        "τ": "t",
        "υ": "u",
        "χ": "x",
        "ω": "w",
        # Latin lookalikes and digit swaps; i, l, 1 and | all collapse to "l".
        "ı": "l",
        "ł": "l",
        "ø": "o",
        "0": "o",
        "1": "l",
        "i": "l",
        "|": "l",
        "3": "e",
        "5": "s",
        "$": "s",
        "@": "a",
    }  # fmt: skip
)
_MULTI_LETTER = (("rn", "m"), ("vv", "w"), ("cl", "d"))
# Words scammers add to an official name: "okpay-support", "kdpay_kefu", "kefu-okpay".
EXTRA_WORDS = frozenset(
    {
        "support",
        "kefu",
        "kf",
        "help",
        "helpdesk",
        "service",
        "services",
        "official",
        "guanfang",
        "customer",
        "care",
        "team",
        "online",
        "secure",
        "security",
        "safe",
        "login",
        "verify",
        "app",
        "cs",
        "hotline",
        "center",
        "centre",
        "vip",
        "refund",
        "tuikuan",
        "zhushou",
        "cn",
        "china",
        "hk",
        "global",
        "www",
        # A TLD spelled into the name: "okpay-com.cn", "okpay-example.com".
        "com",
        "net",
        "org",
        "example",
    }  # fmt: skip
)


class Verdict(StrEnum):
    OFFICIAL = "official"
    REPORTED_SCAM = "reported_scam"
    NOT_OFFICIAL = "not_official"


@dataclass(frozen=True)
class ParsedValue:
    """What kind of contact an input is, its normalised form, and (for links) the full host."""

    kind: ValueKind
    normalized: str | None
    host: str = ""


@dataclass(frozen=True)
class Lookalike:
    """The official value (domain, address or handle) an input imitates, and its brand."""

    value: str
    brand: Brand


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


def _clean(value: str) -> str:
    text = unicodedata.normalize("NFKC", value or "")
    # Control and invisible format characters (NUL, zero-width joiners, bidi marks) carry no
    # meaning in a contact and are a classic way to hide a lookalike; PostgreSQL refuses NUL.
    text = "".join(ch for ch in text if unicodedata.category(ch) not in {"Cc", "Cf"} or ch in " ").strip()
    return text.strip(_WRAPPING)


def parse_value(value: str) -> ParsedValue:
    """Classify a pasted contact and normalise it through contact.normalize."""
    text = _clean(value)
    if not text:
        return ParsedValue(ValueKind.UNKNOWN, None)
    lowered = text.lower()
    for prefix in ("mailto:", "tel:"):
        if lowered.startswith(prefix):
            text = text[len(prefix) :]
            break
    if _WEB_SCHEME.match(text):
        # "https://kdpay.example@evil.example/" is a link to evil.example, not an email address.
        return _parse_url(value)
    if "@" in text.lstrip("@") and (email := normalize_email(text)):
        return ParsedValue(ValueKind.EMAIL, email)
    if _PHONE_SHAPE.fullmatch(text) and sum(ch.isdigit() for ch in text) >= 5:
        # Numbers phonenumbers does not know (short codes, invented ranges) are still
        # compared by their digits, so a confirmed scam number matches however it is written.
        digits = re.sub(r"\D", "", text)
        return ParsedValue(ValueKind.PHONE, normalize_phone(text) or digits)
    if not text.startswith("@") and _URLISH.search(text.translate(_DOTS)):
        return _parse_url(value)
    handle = normalize_handle(text)
    if handle:
        return ParsedValue(ValueKind.HANDLE, handle)
    return ParsedValue(ValueKind.UNKNOWN, None)


def _parse_url(value: str) -> ParsedValue:
    # The pasted text as it is (only wrapping quotes and spaces removed), not the NFKC form:
    # the verdict must be about the host a browser opens for exactly these characters.
    text = value.strip().strip(_WRAPPING)
    url = browser_url(text)
    domain = normalize_url(text)
    if url is not None and domain in SOCIAL_SITES:
        segment = url.path.strip("/").split("/", 1)[0]
        if handle := normalize_handle(segment):
            return ParsedValue(ValueKind.HANDLE, handle)
    return ParsedValue(ValueKind.URL, domain, host=url.host.rstrip(".") if url else "")


def _unpunycode(label: str) -> str:
    if label.startswith("xn--"):
        try:
            return label.encode("ascii").decode("idna")
        except UnicodeError:
            return label
    return label


def _fold(text: str) -> str:
    text = text.translate(_HOMOGLYPHS)
    for many, one in _MULTI_LETTER:
        text = text.replace(many, one)
    return text


# Folded like the names they are stripped from ("service" -> "servlce").
_FOLDED_EXTRA_WORDS = frozenset(_fold(word) for word in EXTRA_WORDS)


def skeleton(text: str) -> str:
    """What a name looks like: homoglyphs and digit swaps folded, separators and extra words removed.

    "0kpay-kefu", "okpay_support", "оkpay" (Cyrillic о) and "OKPAY" all give "okpay".
    """
    text = unicodedata.normalize("NFKC", _unpunycode(text)).lower()
    text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    text = _fold(text)
    tokens = [token for token in _SEPARATORS.split(text) if token and token not in _FOLDED_EXTRA_WORDS]
    joined = "".join(tokens)
    # Extra words glued to the name: "okpaykefu", "kefuokpay".
    changed = True
    while changed:
        changed = False
        for word in _FOLDED_EXTRA_WORDS:
            if len(joined) - len(word) >= 3:
                if joined.endswith(word):
                    joined, changed = joined[: -len(word)], True
                elif joined.startswith(word):
                    joined, changed = joined[len(word) :], True
    return joined


def _one_edit_apart(a: str, b: str) -> bool:
    """True when a and b differ by one inserted, deleted, replaced or swapped character."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diffs = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        if len(diffs) == 1:
            return True
        i, j = diffs[0], diffs[-1]
        return len(diffs) == 2 and j == i + 1 and a[i] == b[j] and a[j] == b[i]
    short, long = sorted((a, b), key=len)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def _imitates(candidate: str, target: str) -> bool:
    if len(candidate) < 3 or len(target) < 3:
        return False
    return candidate == target or (
        min(len(candidate), len(target)) >= 5 and _one_edit_apart(candidate, target)
    )


@dataclass(frozen=True)
class _Target:
    name: str  # skeleton
    value: str  # what we show: "okpay.example", "@okpay", "support@okpay.example"
    brand: Brand


def _targets(kind: ValueKind) -> list[_Target]:
    """Official names an input of `kind` could imitate: domains or handles, and brand names."""
    kinds = CHANNEL_KINDS[ValueKind.URL] + CHANNEL_KINDS[ValueKind.EMAIL]
    if kind == ValueKind.HANDLE:
        kinds = CHANNEL_KINDS[ValueKind.HANDLE]
    targets = []
    channels = (
        Channel.objects.active().filter(kind__in=kinds).exclude(normalized_value="").select_related("brand")
    )
    for channel in channels:
        normalized = channel.normalized_value
        if channel.kind == "email":
            name, shown = normalized.rpartition("@")[2].split(".")[0], normalized.rpartition("@")[2]
        elif channel.kind in CHANNEL_KINDS[ValueKind.URL]:
            name, shown = normalized.split(".")[0], normalized
        else:
            name, shown = normalized, "@" + normalized
        targets.append(_Target(skeleton(name), shown, channel.brand))
    # The brand's own name catches imitations of brands with no official domain or handle.
    for brand in Brand.objects.active():
        targets.extend(_Target(skeleton(name), brand.name, brand) for name in {brand.slug, brand.name})
    return targets


def _domain_parts(registrable: str, host: str) -> list[str]:
    """The registrable domain's name label, then the subdomain's labels (where subdomain tricks hide)."""
    subdomain = host[: -len(registrable)].rstrip(".") if registrable and host.endswith(registrable) else ""
    return [registrable.split(".")[0], *[label for label in subdomain.split(".") if label]]


def _registrable_domain(parsed: ParsedValue) -> str:
    if parsed.kind == ValueKind.URL:
        return parsed.normalized or ""
    if parsed.kind == ValueKind.EMAIL:
        domain = (parsed.normalized or "").rpartition("@")[2]
        return normalize_url(domain) or domain
    return ""


def _candidate_names(parsed: ParsedValue) -> list[str]:
    """The parts of an input that could carry an imitated name, most telling first."""
    if parsed.kind == ValueKind.HANDLE:
        return [parsed.normalized or ""]
    registrable = _registrable_domain(parsed)
    if parsed.kind == ValueKind.EMAIL:
        local, _, domain = (parsed.normalized or "").rpartition("@")
        return [*_domain_parts(registrable, domain), local]
    return _domain_parts(registrable, parsed.host or registrable)


def _digits(value: str) -> str:
    return re.sub(r"\D", "", value)


# Shorter numbers (service numbers like 95188) are too dense: most one-digit changes are real numbers.
MIN_LOOKALIKE_PHONE_DIGITS = 7


def _phone_lookalike(normalized: str) -> Lookalike | None:
    """The official hotline a number is one digit away from (one changed, added, dropped or swapped)."""
    digits = _digits(normalized)
    if len(digits) < MIN_LOOKALIKE_PHONE_DIGITS:
        return None
    hotlines = (
        Channel.objects.active().filter(kind__in=CHANNEL_KINDS[ValueKind.PHONE]).select_related("brand")
    )
    for channel in hotlines.exclude(normalized_value=""):
        # Numbers phonenumbers cannot read keep only their digits, without a country code,
        # so they are compared with the national form (4000000101) as well as +864000000101.
        written = {_digits(channel.normalized_value), _digits(channel.display_value)}
        if any(_one_edit_apart(digits, official) for official in written):
            return Lookalike(channel.display_value, channel.brand)
    return None


def find_lookalike(parsed: ParsedValue) -> Lookalike | None:
    """The official number, domain, address or handle that `parsed` imitates without being it, if any."""
    if parsed.kind == ValueKind.PHONE and parsed.normalized:
        return _phone_lookalike(parsed.normalized)
    if parsed.kind not in {ValueKind.URL, ValueKind.EMAIL, ValueKind.HANDLE} or not parsed.normalized:
        return None
    names = [skeleton(name) for name in _candidate_names(parsed)]
    own_domain = _registrable_domain(parsed)
    targets = _targets(parsed.kind)
    if own_domain and any(target.value == own_domain for target in targets):
        # An unpublished address on an official domain is not an imitation of that domain.
        return None
    # Channel targets come before brand names, so an official domain or handle is named when there is one.
    for target in targets:
        if any(_imitates(name, target.name) for name in names):
            return Lookalike(target.value, target.brand)
    return None


def _official_channel(parsed: ParsedValue) -> Channel | None:
    if not parsed.normalized or parsed.kind not in CHANNEL_KINDS:
        return None
    kinds = CHANNEL_KINDS[parsed.kind]
    return (
        Channel.objects.active()
        .filter(kind__in=kinds, normalized_value=parsed.normalized)
        .select_related("brand")
        .first()
    )


def verify_value(value: str) -> VerifyResult:
    """The verdict on one pasted contact (phone, email, link or handle)."""
    parsed = parse_value(value)
    base = {"input": value, "kind": parsed.kind, "normalized": parsed.normalized}
    channel = _official_channel(parsed)
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
