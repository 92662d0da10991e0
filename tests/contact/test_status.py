from __future__ import annotations

import re

import pytest
from django.test import Client
from stdnum import luhn

from contact.links import status_path
from contact.models import ContactMessage, Reply
from contact.services import contact_reply_create
from tests.factories import ContactMessageFactory
from tests.helpers import en_url, image_bytes, upload, zh_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def message(kdpay):
    return ContactMessageFactory(
        brand=kdpay, reference="KD-7F3K-9Q2M", email="zhang@mail.example", language="en"
    )


def lookup(client, reference, email, **kwargs):
    return client.post(en_url("contact:status_lookup"), {"reference": reference, "email": email}, **kwargs)


@pytest.mark.parametrize(
    ("reference", "email"),
    [
        ("KD-7F3K-9Q2M", "zhang@mail.example"),
        ("kd 7f3k 9q2m", "Zhang@Mail.Example"),  # typed loosely
        ("KD-7F3K-9QZM".replace("Z", "2"), " zhang@mail.example "),
    ],
)
def test_lookup_with_reference_and_email_opens_the_status_page(client, message, reference, email):
    response = lookup(client, reference, email)
    assert response.status_code == 302
    page = client.get(response.url)
    assert page.status_code == 200
    assert "KD-7F3K-9Q2M" in page.content.decode()
    assert message.subject in page.content.decode()


def _without_echoed_input(response) -> str:
    """The page minus the CSRF token and the values the form echoes back."""
    return re.sub(r'(value|name="csrfmiddlewaretoken" value)="[^"]*"', "", response.content.decode())


def test_wrong_email_and_unknown_reference_get_the_same_answer(client, message):
    wrong_email = lookup(client, "KD-7F3K-9Q2M", "someone@mail.example")
    unknown = lookup(client, "KD-AAAA-BBBB", "zhang@mail.example")
    assert wrong_email.status_code == unknown.status_code == 200
    assert "We found no message with this reference number and email" in wrong_email.content.decode()
    assert _without_echoed_input(wrong_email) == _without_echoed_input(unknown)


def test_status_page_without_access_reveals_nothing(message):
    stranger = Client()
    known = stranger.get(en_url("contact:status_detail", "KD-7F3K-9Q2M"))
    unknown = stranger.get(en_url("contact:status_detail", "KD-AAAA-BBBB"))
    assert known.status_code == unknown.status_code == 302
    assert known.url == unknown.url == en_url("contact:status_lookup")


@pytest.mark.usefixtures("frozen_clock")
def test_lookups_are_rate_limited(client, message, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "contact-lookup": "3/15m"}
    for n in range(3):
        assert lookup(client, f"KD-AAAA-BBB{n}", "zhang@mail.example").status_code == 200
    blocked = lookup(client, "KD-7F3K-9Q2M", "zhang@mail.example")
    assert blocked.status_code == 429
    assert "Too many attempts" in blocked.content.decode()
    assert lookup(Client(REMOTE_ADDR="10.1.1.1"), "KD-7F3K-9Q2M", "zhang@mail.example").status_code == 302


def test_private_link_grants_access_and_drops_the_token(message):
    browser = Client()
    response = browser.get(status_path(message))
    assert response.status_code == 302
    assert response.url == en_url("contact:status_detail", message.reference)
    assert browser.get(response.url).status_code == 200


def test_a_forged_token_is_404(message):
    path = status_path(message)
    forged = path.rstrip("/")[:-4] + "0000/"
    assert Client().get(forged).status_code == 404
    assert Client().get(en_url("contact:status_link", "KD-AAAA-BBBB", "0" * 32)).status_code == 404


def test_staff_replies_show_on_the_status_page_but_internal_notes_do_not(client, message, admin_user):
    contact_reply_create(contact_message=message, author=admin_user, body="我们已经为您重新发起退款。")
    contact_reply_create(
        contact_message=message, author=admin_user, body="内部：疑似重复", kind=Reply.Kind.NOTE
    )
    lookup(client, message.reference, message.email)
    page = client.get(en_url("contact:status_detail", message.reference)).content.decode()
    assert "我们已经为您重新发起退款。" in page
    assert "内部：疑似重复" not in page


@pytest.mark.usefixtures("uploads_storage_kind")
def test_customer_adds_a_follow_up_with_an_attachment(client, message):
    message.status = ContactMessage.Status.WAITING
    message.save()
    lookup(client, message.reference, message.email)
    response = client.post(
        en_url("contact:status_followup", message.reference),
        {"body": "补充：交易时间是昨天 21:10", "attachments": [upload("more.png", image_bytes())]},
    )
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "补充：交易时间是昨天 21:10" in page
    message.refresh_from_db()
    assert message.status == ContactMessage.Status.IN_PROGRESS
    reply = message.replies.get()
    assert reply.kind == Reply.Kind.CUSTOMER
    assert reply.attachments.get().content_type == "image/png"


def test_follow_up_needs_access(message):
    response = Client().post(en_url("contact:status_followup", message.reference), {"body": "hi"})
    assert response.status_code == 302
    assert not message.replies.exists()


def test_resolved_message_can_be_rated_once(client, message, admin_user):
    contact_reply_create(contact_message=message, author=admin_user, body="退款已重新发起。")
    message.status = ContactMessage.Status.RESOLVED
    message.save()
    lookup(client, message.reference, message.email)
    page = client.get(en_url("contact:status_detail", message.reference)).content.decode()
    assert "Rate our help" in page
    url = en_url("contact:status_rate", message.reference)
    client.post(url, {"rating": "4", "comment": "很快"})
    again = client.post(url, {"rating": "1", "comment": "改主意了"}, follow=True)
    message.refresh_from_db()
    assert (message.rating, message.rating_comment) == (4, "很快")
    assert "already been rated" in again.content.decode()
    assert "You rated our help 4 out of 5" in again.content.decode()


def test_open_message_cannot_be_rated(client, message):
    lookup(client, message.reference, message.email)
    client.post(en_url("contact:status_rate", message.reference), {"rating": "5"})
    message.refresh_from_db()
    assert message.rating is None


@pytest.mark.parametrize("rating", ["0", "6", "x"])
def test_rating_must_be_1_to_5(client, message, rating, admin_user):
    contact_reply_create(contact_message=message, author=admin_user, body="退款已重新发起。")
    message.status = ContactMessage.Status.RESOLVED
    message.save()
    lookup(client, message.reference, message.email)
    response = client.post(en_url("contact:status_rate", message.reference), {"rating": rating})
    assert response.status_code == 200
    message.refresh_from_db()
    assert message.rating is None


def test_message_closed_without_a_reply_says_so_and_asks_no_rating(client, message):
    message.status = ContactMessage.Status.CLOSED
    message.save()
    lookup(client, message.reference, message.email)
    page = client.get(zh_url("contact:status_detail", message.reference)).content.decode()
    status = re.search(r'data-testid="status">([^<]*)<', page).group(1)
    # A message's state, not the channels' opening-hours word 休息中.
    assert status == "已关闭"
    assert "休息中" not in page
    assert "客服没有对这条留言作书面回复。" in page
    assert "暂无回复" not in page
    assert "按先后顺序处理" not in page
    assert "评价" not in page
    client.post(zh_url("contact:status_rate", message.reference), {"rating": "1"})
    message.refresh_from_db()
    assert message.rating is None


def test_answered_closed_message_can_be_rated(client, message, admin_user):
    contact_reply_create(
        contact_message=message, author=admin_user, body="已处理。", status=ContactMessage.Status.CLOSED
    )
    lookup(client, message.reference, message.email)
    page = client.get(zh_url("contact:status_detail", message.reference)).content.decode()
    assert "这条留言已关闭。" in page
    assert 'action="/contact/status/KD-7F3K-9Q2M/rate/"' in page


def test_zh_status_page_is_in_chinese(client, message):
    lookup(client, message.reference, message.email)
    page = client.get(zh_url("contact:status_detail", message.reference)).content.decode()
    assert "已收到" in page


def test_private_links_survive_a_secret_key_rotation(message, settings):
    old_path = status_path(message)
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-key-" + "x" * 50
    assert status_path(message) != old_path
    assert Client().get(old_path).status_code == 302
    settings.SECRET_KEY_FALLBACKS = []
    assert Client().get(old_path).status_code == 404


def test_card_numbers_in_a_follow_up_are_masked_and_the_user_is_told(client, message):
    from tests.helpers import card_number

    card = card_number()
    lookup(client, message.reference, message.email)
    response = client.post(
        en_url("contact:status_followup", message.reference), {"body": f"卡号 {card}"}, follow=True
    )
    assert card not in message.replies.get().body
    assert "masked to their last four digits" in response.content.decode()


def test_follow_up_form_warns_about_card_numbers_while_typing(client, message):
    card = "622202123456789123" + luhn.calc_check_digit("622202123456789123")
    lookup(client, message.reference, message.email)
    page = client.get(en_url("contact:status_detail", message.reference)).content.decode()
    assert 'hx-params="body,csrfmiddlewaretoken"' in page and 'id="sensitive-warning"' in page
    warning = client.post(
        en_url("contact:sensitive_check"),
        {"body": "我的卡号是 " + card},
        headers={"HX-Request": "true"},
    ).content.decode()
    assert "bank card" in warning.lower()
