"""The admin pages staff work in read in Chinese: every field label, column heading, section
heading and filter title on the inbox and article pages is translated.

Written over the rendered pages rather than a list of fields, so a label added later (a form
field, an `@admin.display`, a fieldset) is checked too.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from contact.models import Reply
from contact.saved_replies import SavedReply
from tests.factories import ArticleFactory, ChannelFactory, ContactMessageFactory

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u4e00-\u9fff]")
# Words that read the same in Chinese admin pages: names of things, not labels to translate.
NOT_WORDS = {"Markdown", "URL", "CSV", "ID", "KDPAY", "Email", "slug"}


class LabelCollector(HTMLParser):
    """Texts a staff member reads as labels: <label>, list column headings (th scope=col),
    section and filter headings (h1, h2, h3, summary), legends and the page <title>."""

    LABEL_TAGS = {"label", "h1", "h2", "h3", "summary", "legend", "title"}

    def __init__(self) -> None:
        super().__init__()
        self.labels: list[str] = []
        self._open: list[list[str]] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in self.LABEL_TAGS or (tag == "th" and attributes.get("scope") == "col"):
            self._open.append([tag])

    def handle_endtag(self, tag):
        if self._open and self._open[-1][0] == tag:
            text = " ".join("".join(self._open.pop()[1:]).split())
            if text:
                self.labels.append(text)

    def handle_data(self, data):
        if self._open:
            self._open[-1].append(data)


def untranslated_labels(page: str, data: set[str] = frozenset()) -> list[str]:
    collector = LabelCollector()
    collector.feed(page)
    # Punctuation, digits and names aside, a label with no Chinese character was left in English.
    return [
        label
        for label in collector.labels
        if not CJK.search(label) and re.sub(r"[\W\d_]+", "", label) and label not in NOT_WORDS | data
    ]


@pytest.fixture
def pages(kdpay) -> dict[str, str]:
    message = ContactMessageFactory(brand=kdpay)
    Reply.objects.create(contact_message=message, kind=Reply.Kind.STAFF, body="您好")
    SavedReply.objects.create(title="退款处理中", brand=kdpay, topic="refunds", body="三个工作日")
    article = ArticleFactory(brands=[kdpay])
    channel = ChannelFactory(brand=kdpay)
    return {
        "inbox": reverse("admin:contact_contactmessage_changelist"),
        "message": reverse("admin:contact_contactmessage_change", args=[message.pk]),
        # The object's own name heads its page (the subtitle): data, not a label.
        "data": {message.reference, article.title, str(channel)},
        "saved replies": reverse("admin:contact_savedreply_changelist"),
        "saved reply": reverse("admin:contact_savedreply_add"),
        "articles": reverse("admin:faq_article_changelist"),
        "article": reverse("admin:faq_article_change", args=[article.pk]),
        "new article": reverse("admin:faq_article_add"),
        "channel": reverse("admin:contact_channel_change", args=[channel.pk]),
        "home": reverse("admin:index"),
        "my preferences": reverse("admin:staff_preferences"),
    }


@pytest.mark.parametrize(
    "name",
    [
        "inbox",
        "message",
        "saved replies",
        "saved reply",
        "articles",
        "article",
        "new article",
        "channel",
        "home",
        "my preferences",
    ],
)
def test_admin_pages_have_no_english_labels_in_chinese(admin_client, pages, name):
    response = admin_client.get(pages[name], HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    assert untranslated_labels(response.content.decode(), pages["data"]) == []


def test_the_admin_header_and_title_are_translated(admin_client):
    page = admin_client.get(reverse("admin:index")).content.decode()
    assert "<title>站点管理 | 帮助中心管理后台</title>" in page
    assert '<a href="/admin/">钱包帮助中心</a>' in page


def test_the_collector_finds_an_english_label():
    """The check can fail: an English label in a page is reported."""
    page = '<label for="x">Assignee</label><th scope="col"><a href="?o=1">状态</a></th><h2>Customer</h2>'
    assert untranslated_labels(page) == ["Assignee", "Customer"]
