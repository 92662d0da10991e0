"""Every text field of every public form refuses text that disguises itself, and keeps what people type."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation

from contact.forms import ContactMessageForm, FollowUpForm, RatingForm, StatusLookupForm
from contact.models import ContactMessage, Reply
from faq.forms import FeedbackCommentForm
from faq.models import ArticleFeedback
from tests.factories import ArticleFactory, BrandFactory, CategoryFactory, ContactMessageFactory
from tests.helpers import zh_url
from trust.forms import ScamReportForm
from trust.models import ScamReport

pytestmark = pytest.mark.django_db

RLO = "\u202e"
BIDI_MESSAGE = "Remove the hidden text-direction characters"
INVISIBLE_MESSAGE = "This contains only invisible characters"
SINGLE_LINE_MESSAGE = "Use a single line without control characters."
MULTI_LINE_MESSAGE = "Remove the control characters from the text."

# (form, field, multi-line): every text field a visitor can fill in on a public page.
PUBLIC_TEXT_FIELDS = [
    (ContactMessageForm, "name", False),
    (ContactMessageForm, "email", False),
    (ContactMessageForm, "phone", False),
    (ContactMessageForm, "account", False),
    (ContactMessageForm, "subject", False),
    (ContactMessageForm, "transaction_reference", False),
    (ContactMessageForm, "message", True),
    (FollowUpForm, "body", True),
    (StatusLookupForm, "reference", False),
    (StatusLookupForm, "email", False),
    (RatingForm, "comment", True),
    (ScamReportForm, "value", False),
    (ScamReportForm, "description", True),
    (FeedbackCommentForm, "comment", True),
]
FIELD_IDS = [f"{form.__name__}.{field}" for form, field, _ in PUBLIC_TEXT_FIELDS]

DISGUISED = [
    ("right-to-left-override", f"张三{RLO}gpj.exe", BIDI_MESSAGE),
    ("left-to-right-override", "a\u202db", BIDI_MESSAGE),
    ("right-to-left-embedding", "a\u202bb", BIDI_MESSAGE),
    ("pop-directional-formatting", "a\u202cb", BIDI_MESSAGE),
    ("right-to-left-isolate", "a\u2067b\u2069", BIDI_MESSAGE),
    ("first-strong-isolate", "a\u2068b", BIDI_MESSAGE),
    ("zero-width-spaces-only", "\u200b\u200b\u200b", INVISIBLE_MESSAGE),
    ("joiners-only", "\u200d\u200c\u2060", INVISIBLE_MESSAGE),
    ("hangul-fillers-only", "\u3164\u3164", INVISIBLE_MESSAGE),
    ("braille-blank-and-soft-hyphen", "\u2800\u00ad", INVISIBLE_MESSAGE),
    ("combining-marks-without-a-base", "\u0301\u0308", INVISIBLE_MESSAGE),
]


def _errors(form_class, field: str, value: str) -> list[str]:
    with translation.override("en"):
        form = form_class(data={field: value})
        form.is_valid()
        return [str(error) for error in form.errors.get(field, [])]


@pytest.mark.parametrize(("form_class", "field", "multiline"), PUBLIC_TEXT_FIELDS, ids=FIELD_IDS)
@pytest.mark.parametrize(
    ("value", "message"), [(v, m) for _, v, m in DISGUISED], ids=[n for n, _, _ in DISGUISED]
)
def test_disguising_characters_are_refused_in_every_public_text_field(
    form_class, field, multiline, value, message
):
    assert any(message in error for error in _errors(form_class, field, value))


@pytest.mark.parametrize(("form_class", "field", "multiline"), PUBLIC_TEXT_FIELDS, ids=FIELD_IDS)
@pytest.mark.parametrize("control", ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\x9b"], ids=repr)
def test_c0_and_c1_control_characters_are_refused(form_class, field, multiline, control):
    expected = MULTI_LINE_MESSAGE if multiline else SINGLE_LINE_MESSAGE
    assert expected in _errors(form_class, field, f"abc{control}def")


@pytest.mark.parametrize(("form_class", "field", "multiline"), PUBLIC_TEXT_FIELDS, ids=FIELD_IDS)
def test_line_breaks_are_text_only_in_multi_line_fields(form_class, field, multiline):
    errors = _errors(form_class, field, "第一行\r\n第二行\t结束")
    assert (SINGLE_LINE_MESSAGE in errors) is not multiline


WRITTEN_BY_PEOPLE = [
    ("arabic-name", "محمد عبد الله"),
    ("hebrew-name", "דוד כהן"),
    ("arabic-with-right-to-left-mark", "علي\u200f (KDPAY)"),
    ("emoji-family-with-zero-width-joiners", "王芳 👩\u200d👩\u200d👧"),
    ("flag-of-england-tag-sequence", "🏴\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f"),
    ("combining-acute-accent", "Jose\u0301 Nun\u0303ez"),
    ("cjk-extension-b", "𠮷野家"),
    ("cjk-extension-g-biang", "\U00030edd\U00030edd面"),
    ("persian-with-zero-width-non-joiner", "می\u200cخواهم"),
]


@pytest.mark.parametrize(("form_class", "field", "multiline"), PUBLIC_TEXT_FIELDS, ids=FIELD_IDS)
@pytest.mark.parametrize("value", [v for _, v in WRITTEN_BY_PEOPLE], ids=[n for n, _ in WRITTEN_BY_PEOPLE])
def test_what_people_type_passes_the_check(form_class, field, multiline, value):
    errors = _errors(form_class, field, value)
    for message in (BIDI_MESSAGE, INVISIBLE_MESSAGE, SINGLE_LINE_MESSAGE, MULTI_LINE_MESSAGE):
        assert not any(message in error for error in errors)


def test_people_can_send_a_message_under_an_arabic_name_with_an_emoji_subject(client):
    BrandFactory(slug="kdpay")
    CategoryFactory(slug="refunds")
    response = client.post(
        zh_url("contact:message_create"),
        {
            "brand": "kdpay",
            "topic": "refunds",
            "name": "محمد",
            "email": "m@mail.example",
            "subject": "退款 👩\u200d👩\u200d👧",
            "message": "Jose\u0301 𠮷 \U00030edd",
        },
    )
    assert response.status_code == 302
    stored = ContactMessage.objects.get()
    assert (stored.name, stored.subject) == ("محمد", "退款 👩\u200d👩\u200d👧")


# Through the pages, in Chinese: the visitor sees why, and nothing is stored.
BIDI_MESSAGE_ZH = "请删除隐藏的文字方向控制字符"
INVISIBLE_MESSAGE_ZH = "这里只有看不见的字符"


def test_contact_form_refuses_a_reversed_name_in_chinese(client):
    BrandFactory(slug="kdpay")
    CategoryFactory(slug="refunds")
    data = {"brand": "kdpay", "topic": "refunds", "name": f"客服{RLO}", "email": "a@mail.example"}
    response = client.post(zh_url("contact:message_create"), {**data, "subject": "退款", "message": "没到账"})
    assert response.status_code == 200
    assert BIDI_MESSAGE_ZH in response.content.decode()
    assert not ContactMessage.objects.exists()


def test_contact_form_refuses_an_invisible_name_in_chinese(client):
    BrandFactory(slug="kdpay")
    CategoryFactory(slug="refunds")
    data = {"brand": "kdpay", "topic": "refunds", "name": "\u200b\u3164", "email": "a@mail.example"}
    response = client.post(zh_url("contact:message_create"), {**data, "subject": "退款", "message": "没到账"})
    assert INVISIBLE_MESSAGE_ZH in response.content.decode()
    assert not ContactMessage.objects.exists()


def test_status_lookup_refuses_bidi_controls(client):
    response = client.post(
        zh_url("contact:status_lookup"), {"reference": f"KD-{RLO}7F3K", "email": "a@mail.example"}
    )
    assert BIDI_MESSAGE_ZH in response.content.decode()


def test_follow_up_refuses_bidi_controls_and_keeps_nothing(client):
    message = ContactMessageFactory(reference="KD-7F3K-9Q2M", email="zhang@mail.example", status="waiting")
    client.post(zh_url("contact:status_lookup"), {"reference": message.reference, "email": message.email})
    response = client.post(zh_url("contact:status_followup", message.reference), {"body": f"补充{RLO}说明"})
    assert BIDI_MESSAGE_ZH in response.content.decode()
    assert not Reply.objects.exists()


def test_scam_report_refuses_bidi_controls(client):
    response = client.post(
        zh_url("trust:report_create"),
        {"value": "+86 170 0000 0999", "seen_where": "call", "description": f"他说{RLO}要验证码"},
    )
    assert BIDI_MESSAGE_ZH in response.content.decode()
    assert not ScamReport.objects.exists()


def test_feedback_comment_refuses_bidi_controls(client):
    article = ArticleFactory()
    url = zh_url("faq:article_feedback", slug=article.slug)
    client.post(url, {"is_helpful": "no"})
    response = client.post(url, {"comment": f"没有说明{RLO}到账时间"})
    assert response.status_code == 400
    assert BIDI_MESSAGE_ZH in response.content.decode()
    assert ArticleFeedback.objects.get().comment == ""


def test_a_follow_up_client_without_access_is_not_asked(client):
    """The refusal is about the text: a visitor without access is sent to the lookup first."""
    message = ContactMessageFactory(reference="KD-7F3K-9Q2M")
    response = Client().post(zh_url("contact:status_followup", message.reference), {"body": f"x{RLO}"})
    assert response.status_code == 302
