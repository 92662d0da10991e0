from __future__ import annotations

import re

import pytest
from django.core import mail

from contact.models import ContactMessage
from tests.helpers import card_number, en_url, zh_url

pytestmark = pytest.mark.django_db


def post(client, data, **kwargs):
    return client.post(en_url("contact:message_create"), data, **kwargs)


def test_form_page_preselects_the_brand_and_leaves_room_for_suggestions(client, kdpay):
    response = client.get(zh_url("contact:message_create") + "?brand=kdpay")
    text = response.content.decode()
    assert response.status_code == 200
    assert '<option value="kdpay" selected>' in text
    # Suggestions under the subject, before the message and the send button, within the topic.
    subject, suggestions, message = (
        text.index(m) for m in ('name="subject"', 'id="suggestions"', 'name="message"')
    )
    assert subject < suggestions < message
    assert 'hx-include="#id_brand, #id_topic, #id_subject, #id_message"' in text
    assert 'method="post"' in text and 'enctype="multipart/form-data"' in text


def test_no_wallet_or_topic_is_chosen_in_advance(client, kdpay, refunds):
    text = client.get(zh_url("contact:message_create")).content.decode()
    assert '<option value="" selected>选择您的钱包</option>' in text
    assert '<option value="" selected>请选择问题类型</option>' in text


@pytest.mark.parametrize(
    ("field", "error"), [("brand", "请选择您要咨询的钱包。"), ("topic", "请选择问题类型。")]
)
def test_choosing_no_wallet_or_topic_is_an_error(client, valid_data, field, error):
    response = client.post(zh_url("contact:message_create"), {**valid_data, field: ""})
    assert error in response.content.decode()
    assert not ContactMessage.objects.exists()


def test_labels_sit_above_their_fields_without_a_colon_and_every_invalid_field_is_marked(client, kdpay):
    response = client.post(zh_url("contact:message_create"), {"message": ""})
    text = response.content.decode()
    assert '<label for="id_brand">钱包</label>' in text
    assert ":</label>" not in text and "：</label>" not in text
    for name in ("brand", "topic", "name", "email", "subject", "message"):
        field = re.search(
            rf'<div class="field field--invalid">\s*<label for="id_{name}">.*?name="{name}"', text, re.S
        )
        assert field is not None, name
        assert '<span class="field__icon" aria-hidden="true">⚠</span>' in field.group(0)
        assert re.search(rf'<(input|select|textarea)[^>]*name="{name}"[^>]*aria-invalid="true"', text), name


def test_password_warning_stays_after_a_failed_submit_while_the_text_holds_one(client, valid_data):
    text = "我的密码是 Abc12345，登录不了"
    failed = client.post(zh_url("contact:message_create"), {**valid_data, "email": "", "message": text})
    assert "这看起来像密码" in failed.content.decode()
    cleaned = client.post(
        zh_url("contact:message_create"), {**valid_data, "email": "", "message": "登录不了"}
    )
    assert "这看起来像密码" not in cleaned.content.decode()


def test_valid_submission_is_stored_and_confirmed(
    client, valid_data, immediate_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, valid_data)
    assert response.status_code == 302
    message = ContactMessage.objects.get()
    assert (message.brand.slug, message.topic, message.email) == (
        "kdpay",
        "refunds",
        "zhang+refund@mail.example",
    )
    assert message.status == ContactMessage.Status.RECEIVED
    assert message.language == "en"
    page = client.get(response.url)
    assert message.reference in page.content.decode()
    assert len(mail.outbox) == 1
    assert message.reference in mail.outbox[0].subject
    assert "/en/contact/status/" + message.reference + "/" in mail.outbox[0].body
    assert ContactMessage.objects.get().confirmation_sent_at is not None


def test_reference_is_short_readable_and_brand_prefixed(client, valid_data):
    post(client, valid_data)
    reference = ContactMessage.objects.get().reference
    assert len(reference) == 12
    prefix, first, second = reference.split("-")
    assert prefix == "KD"
    assert not set(first + second) & set("ILOU")


def test_the_sent_page_needs_a_submission(client):
    assert client.get(zh_url("contact:message_sent")).url == zh_url("contact:message_create")


@pytest.mark.parametrize(
    ("changes", "field", "error"),
    [
        ({"name": ""}, "name", "This field is required."),
        ({"email": ""}, "email", "This field is required."),
        ({"subject": ""}, "subject", "This field is required."),
        ({"message": ""}, "message", "This field is required."),
        ({"subject": "x" * 201}, "subject", "Keep the subject to at most 200 characters."),
        ({"message": "x" * 5001}, "message", "Keep the message to at most 5000 characters."),
        ({"email": "not-an-email"}, "email", "Enter a valid email address, such as name@example.com."),
        ({"email": "a@b@c.example"}, "email", "Enter a valid email address, such as name@example.com."),
        ({"phone": "12345"}, "phone", "Enter a valid phone number"),
        ({"phone": "call me"}, "phone", "Enter a valid phone number"),
        (
            {"subject": "Hi\r\nBcc: victim@mail.example"},
            "subject",
            "Use a single line without control characters.",
        ),
        ({"name": "Zhang\nSan"}, "name", "Use a single line without control characters."),
        ({"email": "a@mail.example\nbcc:b@mail.example"}, "email", "Enter a valid email address"),
        ({"account": "abc\x00"}, "account", "Use a single line without control characters."),
        ({"message": "hello\x07"}, "message", "Remove the control characters from the text."),
        ({"brand": "evilpay"}, "brand", "Choose one of the listed wallets."),
        ({"topic": "made-up"}, "topic", "Choose one of the listed topics."),
        ({"problem_at": "yesterday"}, "problem_at", "Enter a valid date/time."),
        ({"website": "http://spam.example"}, "website", "Your message could not be sent."),
    ],
)
def test_invalid_input_is_refused_on_the_field_at_fault(client, valid_data, changes, field, error):
    response = post(client, {**valid_data, **changes})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors
    assert any(error in message for message in errors[field])
    assert not ContactMessage.objects.exists()


def test_errors_are_translated_into_chinese(client, valid_data):
    response = client.post(zh_url("contact:message_create"), {**valid_data, "subject": "x" * 201})
    assert "主题最多 200 个字符" in response.content.decode()


@pytest.mark.parametrize(
    ("changes", "stored"),
    [
        ({"email": "Zhang+Refund@Mail.Example"}, {"email": "Zhang+Refund@mail.example"}),
        ({"email": "zhang@例子.中国"}, {"email": "zhang@例子.中国"}),
        ({"phone": "138 0013 8000"}, {"phone": "+8613800138000"}),
        ({"phone": "+1 (202) 555-0123"}, {"phone": "+12025550123"}),
        ({"topic": "other"}, {"topic": "other"}),
    ],
)
def test_accepted_variants_are_stored_normalised(client, valid_data, changes, stored):
    response = post(client, {**valid_data, **changes})
    assert response.status_code == 302, response.context["form"].errors
    message = ContactMessage.objects.values(*stored).get()
    assert message == stored


def test_html_typed_by_a_user_is_shown_escaped(client, valid_data):
    post(
        client,
        {**valid_data, "subject": "<script>alert(1)</script>", "message": "<img src=x onerror=alert(1)>"},
    )
    message = ContactMessage.objects.get()
    assert message.subject == "<script>alert(1)</script>"
    page = client.get(zh_url("contact:status_detail", message.reference)).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_card_and_id_numbers_are_stored_masked_and_the_user_is_told(client, valid_data):
    card = card_number()
    response = post(
        client,
        {**valid_data, "message": f"我的卡号是 {card}，身份证 11010519491231002X，谢谢"},
    )
    message = ContactMessage.objects.get()
    assert card not in message.message
    assert "11010519491231002X" not in message.message
    assert "************" + card[-4:] in message.message
    assert "**************002X" in message.message
    page = client.get(response.url).content.decode()
    assert "bank card numbers, ID numbers" in page
    assert "masked to their last four digits" in page


def test_sensitive_check_warns_while_typing(client, valid_data):
    response = client.post(
        en_url("contact:sensitive_check"),
        {"message": "验证码 123456，密码是 hunter2", "subject": "", "account": ""},
        headers={"HX-Request": "true"},
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in text and 'id="sensitive-warning"' in text
    assert "SMS verification code" in text
    assert "password" in text
    quiet = client.post(en_url("contact:sensitive_check"), {"message": "退款没有到账"}).content.decode()
    assert "<p>" not in quiet


@pytest.mark.usefixtures("frozen_clock")
def test_submissions_are_rate_limited_per_ip(client, valid_data, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "contact-submit": "2/h"}
    for n in range(2):
        assert post(client, {**valid_data, "email": f"u{n}@mail.example"}).status_code == 302
    response = post(client, {**valid_data, "email": "u3@mail.example"})
    assert response.status_code == 429
    assert "Too many messages were sent" in response.content.decode()
    assert ContactMessage.objects.count() == 2


@pytest.mark.usefixtures("frozen_clock")
def test_submissions_are_rate_limited_per_email(client, valid_data, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "contact-submit-email": "1/h"}
    assert post(client, valid_data).status_code == 302
    other_ip = post(client, {**valid_data, "email": valid_data["email"].upper()}, REMOTE_ADDR="10.0.0.9")
    assert other_ip.status_code == 429
    assert ContactMessage.objects.count() == 1


def test_rate_limits_can_be_switched_off(client, valid_data, settings):
    settings.RATELIMIT_ENABLE = False
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "contact-submit": "1/h"}
    for _ in range(3):
        assert post(client, valid_data).status_code == 302


def test_csrf_is_required(valid_data):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(en_url("contact:message_create"), valid_data)
    assert response.status_code == 403
    assert not ContactMessage.objects.exists()


def test_get_and_post_only(client):
    assert client.put(zh_url("contact:message_create")).status_code == 405
