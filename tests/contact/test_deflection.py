"""Messages sent although a suggested article matched: what is recorded when a message is sent
(the same articles the form's suggestions show), that a failing search never costs the message,
and the dashboard's figures, the same on SQLite and PostgreSQL in a fixed number of queries."""

from __future__ import annotations

import csv
import io
import logging
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.urls import reverse

from contact.dashboard_deflection import deflection_summary
from contact.deflection_models import SuggestedArticle, SuggestionCheck
from contact.models import ContactMessage
from helpcenter.dashboards import Period
from tests.factories import BrandFactory, ContactMessageFactory, make_article

pytestmark = pytest.mark.django_db

URL = reverse("admin:dashboard_deflection")
NOW = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai
TODAY = date(2026, 12, 1)


@pytest.fixture
def refund_article(refunds):
    return make_article(title="退款多久到账", slug="refund-timing", category=refunds)


def send(client, data):
    response = client.post(reverse("contact:message_create"), data)
    assert response.status_code == 302, response.content.decode()[:500]
    return ContactMessage.objects.get(email=data["email"])


def test_a_sent_message_keeps_the_articles_the_form_suggested(client, valid_data, refund_article):
    shown = client.get(
        reverse("faq:suggestions"),
        {k: valid_data[k] for k in ("brand", "topic", "subject", "message")},
    ).content.decode()
    assert 'href="/a/refund-timing' in shown
    message = send(client, valid_data)
    assert message.suggestion_check.article_count == 1
    assert [(s.article, s.position) for s in SuggestedArticle.objects.all()] == [(refund_article, 1)]


def test_a_message_nothing_matched_is_checked_with_no_articles(client, valid_data, refund_article):
    message = send(client, {**valid_data, "subject": "银行卡绑定", "message": "怎么绑定新的银行卡？"})
    assert message.suggestion_check.article_count == 0
    assert not SuggestedArticle.objects.exists()


def test_a_failing_search_never_loses_the_message(client, valid_data, refund_article, monkeypatch, caplog):
    def broken_search(*args, **kwargs):
        # A real database error: on PostgreSQL it aborts the transaction unless it is contained.
        with connection.cursor() as cursor:
            cursor.execute("SELECT * FROM no_such_table_for_the_search")

    monkeypatch.setattr("faq.suggestions.run_search", broken_search)
    with caplog.at_level(logging.ERROR, logger="contact.deflection"):
        message = send(client, valid_data)
    assert message.subject == valid_data["subject"]
    assert not SuggestionCheck.objects.exists()
    assert "Could not record the article suggestions" in caplog.text
    # The rest of the request still worked: the visitor sees their confirmation page.
    assert client.get(reverse("contact:message_sent")).status_code == 200


def _message(brand, at, suggested=(), checked=True):
    message = ContactMessageFactory(brand=brand, created_at=at)
    if checked:
        check = SuggestionCheck.objects.create(contact_message=message, article_count=len(suggested))
        for position, article in enumerate(suggested, start=1):
            SuggestedArticle.objects.create(suggestion_check=check, article=article, position=position)
    return message


def test_per_day_sent_checked_and_matched(kdpay):
    refund, card = make_article(title="退款", slug="a1"), make_article(title="绑卡", slug="a2")
    _message(kdpay, NOW, [refund, card])
    _message(kdpay, NOW, [refund])
    _message(kdpay, NOW, [])
    _message(kdpay, NOW, checked=False)  # sent before the check existed
    _message(kdpay, NOW - timedelta(days=1), [card])
    _message(BrandFactory(slug="other"), NOW, [card])
    summary = deflection_summary(Period(TODAY - timedelta(days=1), TODAY, kdpay))
    yesterday, today = summary.days
    assert (today.sent, today.checked, today.matched, today.matched_share) == (4, 3, 2, 66.7)
    assert (yesterday.day, yesterday.matched) == (TODAY - timedelta(days=1), 1)
    assert [(a.title, a.messages) for a in summary.articles] == [("绑卡", 2), ("退款", 2)]


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def test_the_page_and_csv(kdpay, admin_client, frozen):
    article = make_article(title="退款多久到账", slug="a1")
    _message(kdpay, NOW, [article])
    _message(kdpay, NOW, [])
    page = admin_client.get(URL, {"days": 7}).content.decode()
    assert reverse("admin:faq_article_change", args=[article.pk]) in page
    rows = list(
        csv.reader(
            io.StringIO(
                admin_client.get(URL, {"days": 7, "download": "deflection"}).content.decode("utf-8-sig")
            )
        )
    )
    assert rows[-1] == ["2026-12-01", "2", "2", "1", "50.0"]
    articles = admin_client.get(URL, {"days": 7, "download": "suggested-articles"}).content.decode(
        "utf-8-sig"
    )
    assert list(csv.reader(io.StringIO(articles)))[1] == [str(article.pk), "退款多久到账", "1"]


def test_the_query_count_does_not_grow(kdpay, admin_client, frozen, django_assert_max_num_queries):
    articles = [make_article(title=f"文章{i}", slug=f"a{i}") for i in range(12)]

    def add(n):
        for i in range(n):
            _message(kdpay, NOW - timedelta(hours=5 * i), articles[i % 12 : i % 12 + 2])

    add(10)
    with django_assert_max_num_queries(20) as few:
        admin_client.get(URL, {"days": 90})
    add(200)
    with django_assert_max_num_queries(20) as many:
        admin_client.get(URL, {"days": 90})
    assert len(many.captured_queries) == len(few.captured_queries)


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_every_message_unchecked():
    from django.db.migrations.executor import MigrationExecutor

    brand = BrandFactory(slug="kdpay")
    executor = MigrationExecutor(connection)
    executor.migrate([("contact", "0009_verbose_names_of_links")])
    old = executor.loader.project_state([("contact", "0009_verbose_names_of_links")]).apps
    try:
        old.get_model("contact", "ContactMessage").objects.create(
            reference="KD-0002-0001", brand_id=brand.pk, name="张三", email="z@mail.example", subject="退款", message="还没到账"
        )  # fmt: skip
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    message = ContactMessage.objects.get(reference="KD-0002-0001")
    assert not SuggestionCheck.objects.filter(contact_message=message).exists()
    assert (
        deflection_summary(
            Period(message.created_at.date(), message.created_at.date() + timedelta(days=1))
        ).overall.sent
        == 1
    )
