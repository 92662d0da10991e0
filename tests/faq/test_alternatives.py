""" "Also asked as": alternative questions written in the admin are found by search like the
title, and queries that led people to an article are suggested, never applied until accepted."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.urls import reverse

from faq.alternatives import question_suggestions_accept
from faq.models import AlternativeQuestion, Article, QuestionSuggestion, SearchQueryLog
from faq.search import SearchFilters, search
from tests.factories import make_article
from tests.helpers import form_fields

pytestmark = pytest.mark.django_db


def found(query: str, language: str = "zh-hans") -> list[str]:
    """What the site's search finds (through its result cache, as visitors' searches do)."""
    return [article.slug for article in search(query, SearchFilters(language=language)).articles]


def _staff(client, group: str) -> User:
    user = User.objects.create_user(group.lower(), is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    client.force_login(user)
    return user


@pytest.fixture
def editor(client):
    return _staff(client, "Editors")


@pytest.fixture
def publisher(client):
    """Published articles are changed by Publishers (faq/workflow.py); Editors change drafts."""
    return _staff(client, "Publishers")


def edit_alternatives(client, article: Article, texts: list[str]) -> None:
    """Post the article's change form as an editor's browser would, with these questions."""
    url = reverse("admin:faq_article_change", args=[article.pk])
    data = form_fields(client.get(url).content.decode())
    prefix = "alternative_questions"
    existing = int(data[f"{prefix}-INITIAL_FORMS"][0])
    for index in range(existing):
        data[f"{prefix}-{index}-DELETE"] = ["on"]
    for offset, text in enumerate(texts):
        data[f"{prefix}-{existing + offset}-text"] = [text]
        data[f"{prefix}-{existing + offset}-article"] = [str(article.pk)]
    data[f"{prefix}-TOTAL_FORMS"] = [str(existing + len(texts))]
    response = client.post(url, data)
    assert response.status_code == 302, response.context["errors"] if response.context else response


def test_an_alternative_question_from_the_admin_is_found_at_once(client, publisher):
    article = make_article(title="提现多久到账", slug="withdrawal-time")
    assert found("周末操作会顺延吗") == []
    edit_alternatives(client, article, ["周末操作会顺延吗"])
    assert found("周末操作会顺延吗") == ["withdrawal-time"]


def test_an_english_alternative_question_is_found_on_english_searches(client, publisher):
    article = make_article(
        title="Withdrawal times", slug="withdrawal-time", language="en", body="Usually 2 hours."
    )
    edit_alternatives(client, article, ["where is my money"])
    assert found("where is my money", language="en") == ["withdrawal-time"]


def test_an_alternative_question_ranks_like_a_title_above_body_mentions():
    make_article(title="账户安全提示", slug="body-mention", body="钱没到账时不要相信陌生人。")
    article = make_article(title="提现多久到账", slug="withdrawal-time")
    AlternativeQuestion.objects.create(article=article, text="钱没到账")
    article.save()
    assert found("钱没到账")[0] == "withdrawal-time"


def test_a_deleted_alternative_question_is_no_longer_found(client, publisher):
    article = make_article(title="提现多久到账", slug="withdrawal-time")
    edit_alternatives(client, article, ["周末操作会顺延吗"])
    edit_alternatives(client, article, [])
    assert found("周末操作会顺延吗") == []


def test_editing_the_article_keeps_its_alternative_questions_indexed(client, publisher):
    article = make_article(title="提现多久到账", slug="withdrawal-time")
    edit_alternatives(client, article, ["周末操作会顺延吗"])
    article.refresh_from_db()
    article.title = "提现到账时间"
    article.save()
    assert found("周末操作会顺延吗") == ["withdrawal-time"]


def test_rebuilding_the_index_keeps_alternative_questions():
    article = make_article(title="提现多久到账", slug="withdrawal-time")
    AlternativeQuestion.objects.create(article=article, text="周末操作会顺延吗")
    Article.objects.filter(pk=article.pk).update(search_title="", search_version=0)
    call_command("rebuild_search_index", verbosity=0)
    assert found("周末操作会顺延吗") == ["withdrawal-time"]


# Suggestions from opened results ---------------------------------------------------------


def open_from_results(client, query: str, slug: str) -> None:
    response = client.get(reverse("faq:search"), {"q": query})
    result = next(article for article in response.context["page"].object_list if article.slug == slug)
    client.get(reverse("faq:search_click", args=[result.click_token]))


@pytest.fixture
def withdrawal():
    make_article(title="提现多久到账", slug="withdrawal-time", body="提现一般两小时内到账，钱没到请等一等。")
    return Article.objects.get(slug="withdrawal-time")


def test_opening_a_result_records_which_article_the_search_led_to(client, withdrawal):
    open_from_results(client, "钱没到", "withdrawal-time")
    assert SearchQueryLog.objects.get().opened_article == withdrawal


def test_queries_that_opened_an_article_are_suggested_with_their_count(client, withdrawal):
    open_from_results(client, "钱没到", "withdrawal-time")
    open_from_results(client, "钱没到", "withdrawal-time")
    suggestion = QuestionSuggestion.objects.get()
    assert (suggestion.query, suggestion.article, suggestion.times) == ("钱没到", withdrawal, 2)
    assert suggestion.status == QuestionSuggestion.Status.PENDING


def test_a_suggestion_is_not_indexed_until_accepted(client, withdrawal):
    open_from_results(client, "钱没到", "withdrawal-time")
    assert not AlternativeQuestion.objects.exists()
    assert "钱没到" not in Article.objects.get(pk=withdrawal.pk).search_title


def test_queries_with_masked_numbers_or_the_title_itself_are_not_suggested(client, withdrawal):
    open_from_results(client, "提现 13800138000", "withdrawal-time")
    open_from_results(client, "提现多久到账", "withdrawal-time")
    assert not QuestionSuggestion.objects.exists()


def test_accepting_a_suggestion_in_the_admin_adds_it_as_an_alternative_question(client, editor, withdrawal):
    QuestionSuggestion.objects.create(
        article=withdrawal, query="节后第一天能办吗", language="zh-hans", times=3
    )
    assert found("节后第一天能办吗") == []
    suggestion = QuestionSuggestion.objects.get()
    response = client.post(
        reverse("admin:faq_questionsuggestion_changelist"),
        {"action": "accept", "_selected_action": [suggestion.pk]},
        follow=True,
    )
    assert "1 个查询已添加为相似问法" in response.content.decode()
    assert [q.text for q in withdrawal.alternative_questions.all()] == ["节后第一天能办吗"]
    assert QuestionSuggestion.objects.get().status == QuestionSuggestion.Status.ACCEPTED
    assert found("节后第一天能办吗") == ["withdrawal-time"]


def test_a_dismissed_suggestion_is_never_applied(client, editor, withdrawal):
    suggestion = QuestionSuggestion.objects.create(
        article=withdrawal, query="节后第一天能办吗", language="zh-hans"
    )
    client.post(
        reverse("admin:faq_questionsuggestion_changelist"),
        {"action": "dismiss", "_selected_action": [suggestion.pk]},
    )
    assert question_suggestions_accept(QuestionSuggestion.objects.all()) == 0
    assert QuestionSuggestion.objects.get().status == QuestionSuggestion.Status.DISMISSED
    assert not AlternativeQuestion.objects.exists()


def test_editors_see_the_suggestions_list(client, editor, withdrawal):
    QuestionSuggestion.objects.create(
        article=withdrawal, query="节后第一天能办吗", language="zh-hans", times=3
    )
    response = client.get(reverse("admin:faq_questionsuggestion_changelist"))
    assert response.status_code == 200
    assert "节后第一天能办吗" in response.content.decode()


def test_an_editor_writes_alternative_questions_on_a_draft(client, editor):
    article = make_article(title="提现多久到账", slug="withdrawal-time", status=Article.Status.DRAFT)
    edit_alternatives(client, article, ["周末操作会顺延吗"])
    assert [question.text for question in article.alternative_questions.all()] == ["周末操作会顺延吗"]
