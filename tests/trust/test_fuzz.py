"""Fuzzing with hypothesis: no form, upload or API input makes the site answer 500."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLResolver, get_resolver
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from contact.models import Channel, ContactMessage
from tests.factories import ArticleFactory, BrandFactory, ChannelFactory
from trust.lookalikes import skeleton
from trust.models import ScamReport, ValueKind
from trust.parse import parse_value

pytestmark = pytest.mark.django_db

# Anything a browser can send in a form or query string (UTF-8 cannot carry lone surrogates).
any_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=400)
# Text that looks like contacts, so the phone/URL/email/handle branches are exercised too.
contact_like = st.one_of(
    any_text,
    st.from_regex(r"\A[+＋0０]?[0-9０-９ \-.()]{3,25}\Z"),
    st.from_regex(r"\A(https?://)?[a-zа-яо0-9.\-]{1,40}\.[a-z]{2,8}(/[^\s]{0,20})?\Z"),
    st.from_regex(r"\A[^\s@]{1,20}@[a-zа-я0-9.\-]{1,20}\.[a-z]{2,6}\Z"),
    st.from_regex(r"\A@?[\w.\-]{1,70}\Z"),
)
fuzz = hypothesis_settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def site(settings):
    # Rate limits would turn later examples into 429s and hide what the input itself does.
    settings.RATELIMIT_ENABLE = False
    brand = BrandFactory(slug="okpay", name="OKPay")
    ChannelFactory(brand=brand, kind=Channel.Kind.HOTLINE, value="400 000 0101")
    ChannelFactory(brand=brand, kind=Channel.Kind.WEBSITE, value="https://okpay.example/")
    ChannelFactory(brand=brand, kind=Channel.Kind.WEIBO, value="okpay")
    ArticleFactory(slug="sms-code", title="验证码")
    return Client(raise_request_exception=False)


@fuzz
@given(value=contact_like)
def test_verdict_logic_accepts_any_text(value):
    parsed = parse_value(value)
    assert parsed.kind in set(ValueKind)
    assert parsed.normalized != ""  # a value that does not normalise is None, never empty
    assert "\x00" not in (parsed.normalized or "")
    assert isinstance(skeleton(value), str)


@fuzz
@given(value=contact_like, htmx=st.booleans())
def test_verify_page_never_fails(site, value, htmx):
    headers = {"HX-Request": "true"} if htmx else {}
    response = site.get("/verify/", {"value": value}, headers=headers)
    # A NUL byte in a URL is refused before any view runs (helpcenter.middleware).
    assert response.status_code == (400 if "\x00" in value else 200)


@fuzz
@given(value=contact_like)
def test_verify_api_never_fails(site, value):
    response = site.get("/api/v1/verify", {"value": value})
    assert response.status_code in {200, 400}
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) >= ({"verdict", "kind"} if response.status_code == 200 else {"error"})


@fuzz
@given(raw=st.binary(max_size=80))
def test_verify_api_survives_undecodable_query_strings(site, raw):
    query = "".join(f"%{byte:02X}" for byte in raw)
    assert site.get(f"/api/v1/verify?value={query}").status_code in {200, 400}
    assert site.get(f"/verify/?value={query}").status_code == (400 if 0 in raw else 200)


@fuzz
@given(
    value=contact_like,
    brand=st.one_of(st.just(""), any_text.map(lambda text: text[:10]), st.integers().map(str)),
    seen_where=st.one_of(st.sampled_from(["call", "sms", "website", "other"]), any_text),
    description=any_text,
    website=st.one_of(st.just(""), any_text),
    screenshot=st.one_of(st.none(), st.binary(max_size=2048)),
    name=st.text(max_size=60).filter(lambda text: "\x00" not in text and "/" not in text),
    htmx=st.booleans(),
)
def test_report_form_never_fails(
    site, value, brand, seen_where, description, website, screenshot, name, htmx
):
    data = {
        "value": value,
        "brand": brand,
        "seen_where": seen_where,
        "description": description,
        "website": website,
    }
    if screenshot is not None:
        data["screenshot"] = SimpleUploadedFile(name or "x.png", screenshot, content_type="image/png")
    headers = {"HX-Request": "true"} if htmx else {}
    before = ScamReport.objects.count()
    response = site.post("/verify/report/", data, headers=headers)
    stored = ScamReport.objects.count() - before
    assert stored in {0, 1}
    # Refused: the form again (200), nothing stored. Accepted: stored, then the "sent" page
    # (302 to it; htmx gets the fragment in place, 200).
    assert response.status_code == (302 if stored and not htmx else 200)


@fuzz
@given(params=st.dictionaries(st.sampled_from(["q", "brand", "page", "lang", "category", "limit"]), any_text))
def test_search_api_never_fails(site, params):
    response = site.get("/api/v1/search", params)
    assert response.status_code < 500


@fuzz
@given(params=st.dictionaries(st.sampled_from(["q", "brand", "page"]), any_text))
def test_search_page_never_fails(site, params):
    assert site.get("/search/", params).status_code < 500


@fuzz
@given(data=st.dictionaries(st.sampled_from(["is_helpful", "comment"]), any_text))
def test_feedback_vote_never_fails(site, data):
    assert site.post("/a/sms-code/feedback/", data).status_code < 500


@fuzz
@given(
    data=st.fixed_dictionaries(
        {
            "brand": st.one_of(st.just("okpay"), any_text.map(lambda text: text[:12])),
            "topic": st.one_of(st.just("other"), any_text.map(lambda text: text[:12])),
            "name": any_text,
            "email": st.one_of(st.emails(), any_text),
            "phone": contact_like,
            "account": any_text,
            "subject": any_text,
            "message": any_text,
            "transaction_reference": any_text,
            "problem_at": st.one_of(
                st.just(""), any_text.map(lambda text: text[:30]), st.datetimes().map(str)
            ),
            "website": st.one_of(st.just(""), any_text),
        }
    ),
    uploads=st.lists(st.binary(max_size=1024), max_size=3),
    htmx=st.booleans(),
)
def test_contact_form_never_fails(site, settings, data, uploads, htmx):
    files = [
        SimpleUploadedFile(f"shot{n}.png", content, content_type="image/png")
        for n, content in enumerate(uploads)
    ]
    headers = {"HX-Request": "true"} if htmx else {}
    before = ContactMessage.objects.count()
    response = site.post("/contact/message/", {**data, "attachments": files}, headers=headers)
    stored = ContactMessage.objects.count() - before
    # Accepted (302) means stored, refused (the form again, 200) means nothing was stored.
    assert response.status_code == (302 if stored == 1 else 200)
    assert stored in {0, 1}


@fuzz
@given(data=st.dictionaries(st.sampled_from(["reference", "email"]), any_text))
def test_contact_status_lookup_never_fails(site, settings, data):
    assert site.post("/contact/status/", data).status_code < 500


# --- Every URL pattern: NUL bytes, lone surrogates and broken UTF-8 in path arguments and queries ---


def _routes(patterns, prefix: str = ""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern)


# The admin's own views are Django's; every other route the project serves is fuzzed.
ROUTES = sorted(route for route in _routes(get_resolver().url_patterns) if not route.startswith("admin"))
QUERY_KEYS = ["brand", "value", "q", "page", "lang", "category", "limit", "reference", "email", "x"]
# What a client can put in a URL: any bytes, percent-encoded. NUL and the UTF-8-like encodings of
# lone surrogates (CESU-8) come first so hypothesis always tries them.
hostile_bytes = st.one_of(
    st.sampled_from([b"\x00", b"KD\x00", b"\xed\xa0\x80", b"\xed\xbf\xbf", b"\xc0\x80", b"okpay\x00"]),
    st.binary(min_size=1, max_size=30),
    any_text.filter(bool).map(lambda text: text.encode("utf-8", "surrogatepass")),
)


def _percent(raw: bytes) -> str:
    return "".join(f"%{byte:02X}" for byte in raw)


def test_every_route_is_fuzzed():
    assert len(ROUTES) >= 30
    assert "contact/status/<reference:reference>/<token:token>/" in ROUTES


@fuzz
@given(
    route=st.sampled_from(ROUTES), raw=hostile_bytes, keys=st.sets(st.sampled_from(QUERY_KEYS), max_size=3)
)
def test_no_url_pattern_answers_500_to_hostile_bytes(site, route, raw, keys):
    encoded = _percent(raw)
    path = "/" + re.sub(r"<[^>]+>", encoded, route)
    query = "&".join(f"{key}={encoded}" for key in keys)
    for prefix in ("", "/en"):
        url = (
            prefix
            if not path.startswith(("/api/", "/robots", "/brands.css", "/sitemap", "/markdownx"))
            else ""
        ) + path
        response = site.get(f"{url}?{query}" if query else url)
        assert response.status_code < 500, (url, query)
        posted = site.post(url, {key: raw.decode("utf-8", "replace") for key in keys})
        assert posted.status_code < 500, (url, keys)
