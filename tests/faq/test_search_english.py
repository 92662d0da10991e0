"""English queries and text: stems, irregular forms, British spellings, question frames and
highlighting (SQLite, or PostgreSQL via DATABASE_URL). Chinese and the rest: test_search.py."""

from __future__ import annotations

import pytest

from faq import search
from faq.models import Article
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def slugs(query: str, *, language: str = "en") -> list[str]:
    return [article.slug for article in Article.objects.visible(language=language).search(query)]


def test_english_plurals_and_suffixes_share_a_stem():
    assert search.tokenize("Refunds refunded refunding") == ["refund", "refund", "refund"]
    assert search.tokenize("passwords") == search.tokenize("password")
    assert search.tokenize("access") == ["access"]


def test_english_inflections_irregular_forms_and_british_spellings_share_a_stem():
    assert len(set(search.tokenize("charge charged charges charging"))) == 1
    assert search.tokenize("paid sent stolen frozen") == search.tokenize("pay send steal freeze")
    assert search.tokenize("unauthorised") == search.tokenize("unauthorized")
    assert search.tokenize("raise") != search.tokenize("rays")


def test_an_inflected_english_query_finds_the_article_in_another_form():
    make_article(title="Charged twice for one order", slug="twice", language="en")
    make_article(title="Payment limits", slug="limits", language="en")

    assert slugs("why was I charge two times")[:1] == ["twice"]


def test_highlight_marks_english_words_whole_and_ignores_case():
    words = search.parse_query("refund", synonyms=[]).words
    assert search.highlight("Refunds and prefund", words) == "<mark>Refunds</mark> and prefund"


def test_highlight_marks_english_words_whose_stem_ends_in_i():
    words = search.parse_query("verified", synonyms=[]).words
    assert search.highlight("Verify your identity", words) == "<mark>Verify</mark> your identity"


def test_english_politeness_is_not_searched_for():
    query = search.parse_query("Hi, can you help me? How do I get a refund please", synonyms=[])
    assert [term.alternatives for term in query.terms] == [(("refund",),)]


def test_english_question_frames_and_contractions_are_not_searched_for():
    # Stop words match stemmed tokens too: "does" is stemmed to "doe".
    query = search.parse_query("Why does my card keep getting declined when I pay", synonyms=[])
    assert [term.alternatives for term in query.terms] == [(("card",),), (("declin",),), (("pay",),)]
