"""Article search, one module per concern:

- ``text``: normalisation, Chinese segmentation (jieba), English stemming;
- ``query``: parsing a user's query into terms (stop words, synonyms) and the query plan;
- ``backends``: the plan in PostgreSQL's and SQLite's full-text SQL, over a QuerySet;
- ``index``: the stored search columns and the database index over them;
- ``highlight``: highlighted titles and snippets;
- ``results``: the entry point, ``search(text, filters) -> SearchResult``, and its cache.

Import from ``faq.search``, never from the modules: this is the package's whole public
surface. It never imports ``faq.models`` (which imports it); the models it needs come from
the app registry at query time.
"""

from __future__ import annotations

from .backends import BODY_PASS_TIMEOUT_MS, run_with_timeout
from .highlight import highlight, plain_text, snippet, with_snippets
from .index import (
    SEARCH_VERSION,
    drop_index,
    install_index,
    rebuild_database_index,
    search_columns,
)
from .query import Query, Term, forget_synonyms, parse_query, split_synonyms, synonym_groups
from .results import MIN_QUERY_CHARS, RESULT_LIMIT, SearchFilters, SearchResult, search
from .text import normalize, segmenter, tokenize, warm_up

__all__ = [
    "BODY_PASS_TIMEOUT_MS",
    "MIN_QUERY_CHARS",
    "RESULT_LIMIT",
    "SEARCH_VERSION",
    "Query",
    "SearchFilters",
    "SearchResult",
    "Term",
    "drop_index",
    "forget_synonyms",
    "highlight",
    "install_index",
    "normalize",
    "parse_query",
    "plain_text",
    "rebuild_database_index",
    "run_with_timeout",
    "search",
    "search_columns",
    "segmenter",
    "snippet",
    "split_synonyms",
    "synonym_groups",
    "tokenize",
    "warm_up",
    "with_snippets",
]
