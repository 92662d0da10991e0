"""The verify page, the verify API, scam reports and their review, alerts and the warnings page."""

from __future__ import annotations

import json
from datetime import timedelta
from io import BytesIO

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from PIL import Image

from contact.models import Channel
from tests.factories import ArticleFactory, BrandFactory, CategoryFactory, ChannelFactory
from trust.models import ConfirmedScam, ScamAlert, ScamReport

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _chinese():
    """reverse() follows the active language, which an earlier request may have switched."""
    with translation.override("zh-hans"):
        yield


VERIFY = "/verify/"
API = "/api/v1/verify"


@pytest.fixture
def staff():
    return User.objects.create_superuser("reviewer", password="pw-reviewer-123")


def test_urls_are_stable():
    assert reverse("trust:verify") == VERIFY
    assert reverse("trust_api:verify") == API
    assert reverse("trust:warnings") == "/warnings/"


def test_header_links_to_the_verify_page(client):
    html = client.get("/").content.decode()
    assert f'href="{VERIFY}"' in html and "核实联系方式" in html
    assert 'href="/warnings/"' in html  # the footer links the known scams


# --- Verify page --------------------------------------------------------------------------


def test_official_number_shows_brand_channel_hours_and_behaviour(client, okpay):
    html = client.get(VERIFY, {"value": "+86 400-000-0101"}).content.decode()
    assert "官方渠道" in html and "OKPay 客服热线（演示）" in html
    assert "09:00–21:00" in html
    assert "来电显示" in html  # caller ID can be faked
    assert "<html" in html  # a whole page without JavaScript


def test_lookalike_link_names_what_it_imitates_and_its_official_channels(client, okpay):
    response = client.get(
        VERIFY, {"value": "https://okpay.example.evil.com/login"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert "<html" not in html and 'id="verify-result"' in html  # the htmx fragment
    assert "非官方渠道" in html and "okpay.example" in html and "evil.com" in html
    assert "看起来像" in html
    assert "OKPay 官网" in html  # the real channels of the brand it imitates
    assert response["Vary"] and "HX-Request" in response["Vary"]


def test_known_scam_says_what_to_do_now(client, okpay):
    ConfirmedScam.objects.create(
        kind="phone", normalized_value="+8617000000999", value="17000000999", brand=okpay,
        first_reported_at=timezone.now() - timedelta(days=3),
    )  # fmt: skip
    html = client.get(VERIFY, {"value": "170 0000 0999"}).content.decode()
    assert "已确认的诈骗" in html and "110" in html and "OKPay 客服热线（演示）" in html


# A NUL byte in a URL is refused before the view (tests/test_nul_bytes.py): the site's 400 page.
@pytest.mark.parametrize("value", ["", "x" * 1001])
def test_bad_input_gets_a_message_not_an_error(client, value):
    response = client.get(VERIFY, {"value": value})
    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()


def test_the_page_opens_with_a_blank_form_without_an_error(client):
    response = client.get(VERIFY)
    assert response.status_code == 200
    assert 'class="errorlist' not in response.content.decode()


def test_english_verify_page(client, okpay):
    html = client.get("/en/verify/", {"value": "okpay-kefu.com"}).content.decode()
    assert "Lookalike: not official" in html and "looks like" in html


# --- API ---------------------------------------------------------------------------------


def test_api_answers_the_documented_fields(client, okpay):
    response = client.get(API, {"value": "https://0kpay.example/login"})
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    item = {
        "input": "https://0kpay.example/login",
        "kind": "url",
        "normalized": "0kpay.example",
        "verdict": "not_official",
        "brand": {"slug": "okpay", "name": "OKPay"},
        "channel": None,
        "lookalike_of": "okpay.example",
        "first_reported": None,
    }
    assert response.json() == {**item, "items": [item]}


def test_api_official_answer(client, okpay):
    data = client.get(API, {"value": "＋８６ ４００ ０００ ０１０１"}).json()
    assert data["verdict"] == "official" and data["channel"]["label"] == "OKPay 客服热线（演示）"


@pytest.mark.parametrize(
    ("params", "error"), [({}, "empty"), ({"value": "  "}, "empty"), ({"value": "9" * 1001}, "too_long")]
)
def test_api_rejects_empty_and_over_long_values(client, params, error):
    response = client.get(API, params)
    assert response.status_code == 400 and response.json()["error"] == error


def test_api_refuses_post(client):
    assert client.post(API, {"value": "1"}).status_code == 405


# --- Reports -----------------------------------------------------------------------------


def _report(client, **overrides):
    data = {
        "value": "+86 170 0000 0999",
        "brand": "",
        "seen_where": "call",
        "description": "自称客服要验证码",
    }
    return client.post(reverse("trust:report_create"), {**data, **overrides})


def test_report_without_javascript_redirects_to_a_thank_you_page(client, okpay):
    response = _report(client, brand=okpay.pk)
    assert response.status_code == 302 and response["Location"] == reverse("trust:report_sent")
    report = ScamReport.objects.get()
    assert (report.kind, report.normalized_value, report.brand, report.status) == (
        "phone",
        "+8617000000999",
        okpay,
        "new",
    )
    assert "感谢" in client.get(response["Location"]).content.decode()


def test_report_with_htmx_swaps_in_the_thanks(client):
    response = client.post(
        reverse("trust:report_create"),
        {"value": "okpay-kefu.com", "seen_where": "website"},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html and "感谢" in html
    assert ScamReport.objects.get().normalized_value == "okpay-kefu.com"


def test_report_form_is_prefilled_from_the_verdict(client, okpay):
    html = client.get(
        reverse("trust:report_create"), {"value": "okpay-kefu.com", "brand": "okpay"}
    ).content.decode()
    assert 'value="okpay-kefu.com"' in html and f'<option value="{okpay.pk}" selected>' in html


def test_invalid_report_shows_errors_and_stores_nothing(client):
    response = _report(client, value="   ", seen_where="nowhere")
    assert response.status_code == 200 and 'class="errorlist' in response.content.decode()
    assert not ScamReport.objects.exists()


def test_honeypot_refuses_bots(client):
    response = _report(client, website="http://spam.example")
    assert response.status_code == 200 and not ScamReport.objects.exists()


@pytest.mark.usefixtures("frozen_clock")
def test_reports_are_rate_limited(client):
    statuses = [_report(client).status_code for _ in range(11)]
    assert statuses[:10] == [302] * 10 and statuses[10] == 429
    assert ScamReport.objects.count() == 10


def _image(fmt: str = "JPEG", size=(40, 30)) -> bytes:
    buffer = BytesIO()
    image = Image.new("RGB", size, "red")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    image.save(buffer, format=fmt, exif=exif)
    return buffer.getvalue()


def test_screenshot_is_stored_re_encoded_without_exif_under_a_random_name(client):
    upload = SimpleUploadedFile("我的截图.jpg", _image(), content_type="image/jpeg")
    assert _report(client, screenshot=upload).status_code == 302
    report = ScamReport.objects.get()
    assert "我的截图" not in report.screenshot.name and report.screenshot.name.endswith(".jpg")
    with Image.open(report.screenshot.path) as stored:
        assert stored.size == (40, 30) and not stored.getexif()


@pytest.mark.usefixtures("uploads_storage_kind")
def test_screenshots_are_served_to_staff_only(client, staff):
    _report(client, screenshot=SimpleUploadedFile("x.png", _image("PNG"), content_type="image/png"))
    report = ScamReport.objects.get()
    url = reverse("trust:report_screenshot", args=[report.pk])
    assert client.get(url).status_code == 404
    assert client.get("/media/" + report.screenshot.name).status_code == 404
    client.force_login(staff)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert "sandbox" in response["Content-Security-Policy"]
    admin_page = client.get(reverse("admin:trust_scamreport_change", args=[report.pk])).content.decode()
    assert f'href="{url}"' in admin_page


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("x.jpg", b"not an image at all", content_type="image/jpeg"),
        SimpleUploadedFile("x.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", content_type="image/gif"),
    ],
)
def test_screenshot_must_be_a_real_image(client, upload):
    response = _report(client, screenshot=upload)
    assert response.status_code == 200 and 'class="errorlist' in response.content.decode()
    assert not ScamReport.objects.exists()


# --- Review --------------------------------------------------------------------------------


def test_admin_groups_reports_by_normalised_value_with_counts(client, staff):
    for value in ["170 0000 0999", "+86-170-0000-0999", "0086 17000000999"]:
        _report(client, value=value)
    _report(client, value="okpay-kefu.com", seen_where="website")
    client.force_login(staff)
    response = client.get(reverse("admin:trust_scamreport_changelist"))
    rows = response.context["cl"].result_list
    assert [(row.normalized_value, row.same_value_count) for row in rows] == [
        ("+8617000000999", 3), ("+8617000000999", 3), ("+8617000000999", 3), ("okpay-kefu.com", 1),
    ]  # fmt: skip


def test_confirming_one_report_confirms_the_value_and_the_site_warns_about_it(client, staff, okpay):
    with time_machine.travel(timezone.now() - timedelta(days=5)):
        _report(client, value="170 0000 0999", brand=okpay.pk)
    _report(client, value="+86 170-0000-0999")
    client.force_login(staff)
    first = ScamReport.objects.order_by("created_at").first()
    response = client.post(
        reverse("admin:trust_scamreport_changelist"),
        {"action": "confirm_as_scam", "_selected_action": [first.pk]},
        follow=True,
    )
    assert "已确认 1 个号码/地址为诈骗（关闭了 2 条举报）。" in response.content.decode()
    assert set(ScamReport.objects.values_list("status", flat=True)) == {"confirmed"}
    scam = ConfirmedScam.objects.get()
    assert (scam.normalized_value, scam.brand, scam.first_reported_at) == (
        "+8617000000999",
        okpay,
        first.created_at,
    )
    assert client.get(API, {"value": "17000000999"}).json()["verdict"] == "reported_scam"
    html = client.get(reverse("trust:warnings")).content.decode()
    assert "+8617000000999" in html and first.created_at.astimezone().strftime("%Y-%m-%d") in html


def test_an_official_channel_cannot_be_confirmed_as_a_scam(client, staff, okpay):
    _report(client, value="400 000 0101")
    client.force_login(staff)
    client.post(
        reverse("admin:trust_scamreport_changelist"),
        {"action": "confirm_as_scam", "_selected_action": [ScamReport.objects.get().pk]},
    )
    assert not ConfirmedScam.objects.exists()
    assert ScamReport.objects.get().status == "new"


def test_dismissing_closes_every_pending_report_of_the_value(client, staff):
    _report(client, value="170 0000 0999")
    _report(client, value="17000000999")
    _report(client, value="okpay-kefu.com", seen_where="website")
    client.force_login(staff)
    client.post(
        reverse("admin:trust_scamreport_changelist"),
        {"action": "dismiss", "_selected_action": [ScamReport.objects.filter(kind="phone").first().pk]},
    )
    assert dict(ScamReport.objects.values_list("normalized_value", "status").distinct()) == {
        "+8617000000999": "dismissed",
        "okpay-kefu.com": "new",
    }
    assert not ConfirmedScam.objects.exists()


def test_admin_pages_open(client, staff):
    _report(client)
    client.force_login(staff)
    report = ScamReport.objects.get()
    for url in [
        reverse("admin:trust_scamreport_change", args=[report.pk]),
        reverse("admin:trust_confirmedscam_add"),
        reverse("admin:trust_scamalert_add"),
    ]:
        assert client.get(url).status_code == 200, url


def test_a_scam_entered_by_hand_is_normalised(client, staff):
    client.force_login(staff)
    client.post(
        reverse("admin:trust_confirmedscam_add"),
        {
            "value": "WWW.OKPAY-KEFU.COM/x",
            "first_reported_at_0": "2026-01-02",
            "first_reported_at_1": "10:00",
        },
    )
    assert ConfirmedScam.objects.get().normalized_value == "okpay-kefu.com"


# --- Alerts and warnings ------------------------------------------------------------------


def test_active_alert_shows_as_a_banner_on_the_brand_page_only_while_active(client, okpay):
    now = timezone.now()
    ScamAlert.objects.create(
        brand=okpay,
        message="近期有人冒充 OKPay 客服拨打电话",
        message_en="Fake OKPay calls",
        ends_at=now + timedelta(days=1),
    )
    ScamAlert.objects.create(
        brand=okpay,
        message="已经结束的提醒",
        starts_at=now - timedelta(days=9),
        ends_at=now - timedelta(days=1),
    )
    other = BrandFactory(slug="kdpay")
    page = client.get(okpay.get_absolute_url()).content.decode()
    assert (
        "近期有人冒充 OKPay 客服拨打电话" in page
        and "已经结束的提醒" not in page
        and 'class="scam-banner"' in page
    )
    assert "Fake OKPay calls" in client.get("/en" + okpay.get_absolute_url()).content.decode()
    assert 'class="scam-banner"' not in client.get(other.get_absolute_url()).content.decode()
    with time_machine.travel(now + timedelta(days=2)):
        assert "近期有人冒充" not in client.get(okpay.get_absolute_url()).content.decode()


def test_warnings_page_lists_confirmed_scams_by_brand_in_few_queries(
    client, okpay, django_assert_num_queries
):
    kdpay = BrandFactory(slug="kdpay", name="KDPAY")
    for index, brand in enumerate([okpay, kdpay, None, okpay]):
        ConfirmedScam.objects.create(
            kind="url", normalized_value=f"scam{index}.com", value=f"scam{index}.com", brand=brand
        )
    with django_assert_num_queries(2):
        html = client.get(reverse("trust:warnings")).content.decode()
    # By brand (KDPAY before OKPay by name), newest first within a brand; unknown brand last.
    positions = [html.index(f"scam{index}.com") for index in (1, 3, 0, 2)]
    assert positions == sorted(positions)
    assert html.index("冒充 KDPAY") < positions[0] < html.index("冒充 OKPay") < positions[1]
    assert "scam2.com" in html


def test_an_outage_half_way_through_a_review_leaves_nothing_half_written(client, staff):
    """The database goes away after the confirmed scam is inserted but before the reports are
    updated: the visitor gets the 503 page and neither write remains."""
    from django.db import OperationalError, connection

    _report(client, value="170 0000 0999")

    def fail_on_report_update(execute, sql, params, many, context):
        if sql.startswith("UPDATE") and "trust_scamreport" in sql:
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)

    client.force_login(staff)
    with connection.execute_wrapper(fail_on_report_update):
        response = client.post(
            reverse("admin:trust_scamreport_changelist"),
            {"action": "confirm_as_scam", "_selected_action": [ScamReport.objects.get().pk]},
        )
    assert response.status_code == 503
    assert not ConfirmedScam.objects.exists()
    assert ScamReport.objects.get().status == "new"


def test_json_is_utf8(client, okpay):
    response = client.get(API, {"value": "客服小王"})
    assert json.loads(response.content)["input"] == "客服小王"


def test_security_articles_and_contact_pages_link_to_the_verify_page(client, okpay):
    security = ArticleFactory(category=CategoryFactory(slug="security"))
    other = ArticleFactory(category=CategoryFactory(slug="refunds"))
    assert 'class="warning verify-callout"' in client.get(security.get_absolute_url()).content.decode()
    assert 'class="warning verify-callout"' not in client.get(other.get_absolute_url()).content.decode()
    for url in [reverse("contact:index"), reverse("contact:brand_detail", args=[okpay.slug])]:
        assert "核实联系方式是否官方" in client.get(url).content.decode(), url


def test_active_alert_shows_on_the_contact_brand_page(client, okpay):
    ScamAlert.objects.create(brand=okpay, message="近期有人冒充 OKPay 客服")
    assert (
        "近期有人冒充 OKPay 客服"
        in client.get(reverse("contact:brand_detail", args=[okpay.slug])).content.decode()
    )


@pytest.mark.parametrize("value", ["400 000 0101", "https://okpay.example.evil.com/", "@someone_else"])
def test_verify_page_query_budget(client, okpay, django_assert_max_num_queries, value):
    """Channels, brands, the match, the scam lookup and the cards' channels with their hours: a fixed budget."""
    for n in range(5):
        ChannelFactory(brand=okpay, kind=Channel.Kind.HOTLINE, label=f"热线 {n}", value=f"400 000 011{n}")
    with django_assert_max_num_queries(7):
        assert client.get(VERIFY, {"value": value}).status_code == 200


def test_reported_values_page_lists_each_value_once_with_counts(client, staff):
    for value in ["170 0000 0999", "+86-170-0000-0999"]:
        _report(client, value=value)
    _report(client, value="okpay-kefu.com", seen_where="website")
    client.force_login(staff)
    changelist = client.get(reverse("admin:trust_scamreport_changelist")).content.decode()
    values_url = reverse("admin:trust_scamreport_values")
    assert f'href="{values_url}"' in changelist
    response = client.get(values_url)
    assert [
        (row["normalized_value"], row["reports"], row["pending"]) for row in response.context["rows"]
    ] == [
        ("+8617000000999", 2, 2),
        ("okpay-kefu.com", 1, 1),
    ]
    # Each value links to its reports, ready to select and confirm.
    filtered = client.get(
        reverse("admin:trust_scamreport_changelist"),
        {"kind__exact": "phone", "normalized_value__exact": "+8617000000999"},
    )
    assert filtered.context["cl"].result_count == 2
    client.force_login(User.objects.create_user("stranger", password="x", is_staff=True))
    assert client.get(values_url).status_code == 403
