"""The direct answer of a search, and "was this the answer?" votes on it.

`search_answer()` turns a search's ranked (id, score) hits into its answer: only when the top
article clearly wins (faq/answers.py) is that one article read, for its most relevant section.
Votes are recorded without who gave them.

The answer box is part of cached responses (instant results, the htmx results fragment, the
API), so its vote form carries no CSRF token and nothing per visitor: a signed token names the
article, the section and the query (as the search log keeps it, numbers and e-mail addresses
masked), and the vote is a POST, which no cache keeps (faq/answer_views.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from django.apps import apps
from django.core import signing
from django.db import connection

from .answer_models import AnswerFeedback
from .answers import COMPARED, Answer, answer_from, clear_winner, margin_for
from .search_log import redact

VOTE_SALT = "faq.answer.vote"


@dataclass(frozen=True)
class VotedAnswer:
    """What a vote token names."""

    article_id: int
    heading: str
    query: str
    language: str


def search_answer(hits: Sequence[tuple[int, float]], *, words: Sequence[str], query: str, language: str):
    """The direct answer for ranked hits (article id, score; best first), or None."""
    if not clear_winner([score for _, score in hits[:COMPARED]], margin_for(connection.vendor)):
        return None
    # Looked up in the app registry: faq.models imports the search package, which calls this.
    articles = apps.get_model("faq", "Article").objects.only("pk", "slug", "title", "language", "body_html")
    article = articles.filter(pk=hits[0][0]).first()
    answer = answer_from(article, words) if article is not None else None
    if answer is None:
        return None
    return replace(answer, vote_token=vote_token(answer, query=query, language=language))


def vote_token(answer: Answer, *, query: str, language: str) -> str:
    """The tamper-proof reference the vote form posts back."""
    return signing.dumps(
        [answer.article_id, answer.heading, redact(query), language], salt=VOTE_SALT, compress=True
    )


def read_vote_token(token: str) -> VotedAnswer | None:
    try:
        article_id, heading, query, language = signing.loads(token, salt=VOTE_SALT)
        return VotedAnswer(int(article_id), str(heading), str(query), str(language))
    except (signing.BadSignature, ValueError, TypeError):
        return None


def answer_feedback_record(voted: VotedAnswer, *, is_answer: bool) -> AnswerFeedback:
    return AnswerFeedback.objects.create(
        article_id=voted.article_id,
        heading=voted.heading[: AnswerFeedback._meta.get_field("heading").max_length],
        query=voted.query,
        language=voted.language,
        is_answer=is_answer,
    )
