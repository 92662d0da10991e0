"""Values that imitate an official contact without being it.

0/o and 1/l swaps, homoglyphs from other scripts, extra words such as "-kefu", the official
name used as a subdomain of another domain, a hotline number one digit off: each is named
as a lookalike of the official domain, address, handle or number it imitates.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from brands.models import Brand
from contact.models import Channel
from contact.normalize import normalize_url

from .models import ValueKind
from .parse import ParsedValue

_SEPARATORS = re.compile(r"[-_.\s]+")

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


@dataclass(frozen=True)
class Lookalike:
    """The official value (domain, address or handle) an input imitates, and its brand."""

    value: str
    brand: Brand


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
    forms = [ValueKind.HANDLE] if kind == ValueKind.HANDLE else [ValueKind.URL, ValueKind.EMAIL]
    targets = []
    channels = Channel.objects.active().of_form(*forms).exclude(normalized_value="").select_related("brand")
    for channel in channels:
        normalized = channel.normalized_value
        if channel.value_form == ValueKind.EMAIL:
            name, shown = normalized.rpartition("@")[2].split(".")[0], normalized.rpartition("@")[2]
        elif channel.value_form == ValueKind.URL:
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
    hotlines = Channel.objects.active().of_form(ValueKind.PHONE).select_related("brand")
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
