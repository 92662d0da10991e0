"""What users searched for: recorded without anything that identifies them.

A log row holds the normalised query (digits runs and e-mail addresses masked,
since people paste phone, card and order numbers into search boxes), the language,
the brand, how many results it found and whether one was opened (and the last one
opened, which feeds the "also asked as" suggestions). No address, session, cookie or user.
"""

from __future__ import annotations

import re
from functools import partial

from django.core import signing
from django.db import transaction

from brands.models import Brand

from .alternatives import question_suggestion_record
from .models import Article, SearchQueryLog
from .search import normalize
from .search_days import search_changed

CLICK_SALT = "faq.search.click"
_EMAIL_RE = re.compile(r"\S+@\S+")
_LONG_NUMBER_RE = re.compile(r"\d[\d\s-]{4,}\d")


def redact(query: str) -> str:
    """The query as logged: normalised, with e-mail addresses and numbers of 6+ digits masked."""
    text = _EMAIL_RE.sub("[email]", normalize(query))
    text = _LONG_NUMBER_RE.sub("[number]", text)
    return " ".join(text.split())[: SearchQueryLog._meta.get_field("query").max_length]


def search_query_record(
    *, query: str, language: str, brand: Brand | None, result_count: int
) -> SearchQueryLog:
    return SearchQueryLog.objects.create(
        query=redact(query), language=language, brand=brand, result_count=result_count
    )


def click_token(*, log_id: int, article_id: int) -> str:
    """A tamper-proof reference to (search, article) for the click-through link."""
    return signing.dumps([log_id, article_id], salt=CLICK_SALT, compress=True)


def read_click_token(token: str) -> tuple[int, int] | None:
    try:
        log_id, article_id = signing.loads(token, salt=CLICK_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    return int(log_id), int(article_id)


def search_click_record(*, log_id: int, article: Article) -> None:
    """Note that `article` was opened from this search's results.

    The log keeps the last article opened (people open a result, come back, open the one that
    helps), and opening an article counts the query towards suggesting it as one of that
    article's alternative questions (faq/alternatives.py); opening it again at once does not.
    The first result opened from a search of a day that has ended counts that day again
    (faq/search_days.py), once this is committed.
    """
    log = (
        SearchQueryLog.objects.filter(pk=log_id)
        .only("query", "language", "opened_article", "clicked", "created_at")
        .first()
    )
    if log is None:
        return
    SearchQueryLog.objects.filter(pk=log_id).update(clicked=True, opened_article=article)
    if not log.clicked:
        # robust: a failure to recount is logged, never turned into an error page for the
        # visitor (the click itself is committed; `count_search_days --again` repairs a day).
        transaction.on_commit(partial(search_changed, log.created_at), robust=True)
    if log.opened_article_id != article.pk:
        question_suggestion_record(query=log.query, language=log.language, article=article)
