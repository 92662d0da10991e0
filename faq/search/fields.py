"""Ranking the candidates of a query by where each of its words is (title, summary, body).

Two pools, ranked the same way on both databases. First the articles whose title holds every
word: among them, the one whose summary says the words too is about the question; a title
that happens to use a word (common words make many titles on a large site) is not. Then
three kinds of article compete, and on a large site thousands of them: a title holding the
core words, an article holding every word somewhere (often in passing, in a copied
sentence), a title or summary holding some of the words. Each word counts its
informativeness (IDF from the index, scaled by how everyday a word it is) times the weights
of the fields it is in, added up. An article about the question says its words in its title
and summary; one that mentions them in passing holds them all, but only in its body, and
scores a quarter of a title's worth.

The fields come from the stored search columns (``search_title``, ``search_summary``: short,
returned by the pooled passes with each article's id); a body is never read: a candidate of
the pass over every word holds the words its title and summary lack in its body, one of the
other passes is not known to hold them.
"""

from __future__ import annotations

from collections.abc import Sequence

from .query import Term, everyday_share

#: A word's weight in each field that holds it (bm25's column weights on SQLite, 4:2:1).
TITLE_WEIGHT, SUMMARY_WEIGHT, BODY_WEIGHT = 1.0, 0.5, 0.25

Hits = list[tuple[int, float]]
#: A pooled pass's row: article id, the pass's score, the title's and the summary's tokens.
Row = tuple[int, float, str, str]


def _holds(tokens: set[str], term: Term) -> bool:
    return any(all(token in tokens for token in alternative) for alternative in term.alternatives)


def field_score(
    title: set[str],
    summary: set[str],
    terms: Sequence[Term],
    weights: dict[Term, float],
    *,
    all_present: bool,
) -> float:
    """Each word's weight times its fields' weights added up (title and summary: the article
    is about it; title alone: a title that happens to use the word); a word in neither title
    nor summary counts as in the body only when the article is known to hold every word
    (`all_present`)."""
    score = 0.0
    for term in terms:
        fields = TITLE_WEIGHT * _holds(title, term) + SUMMARY_WEIGHT * _holds(summary, term)
        score += weights[term] * (fields or (BODY_WEIGHT if all_present else 0.0))
    return score


def term_weights(terms: Sequence[Term], rarity: dict[Term, float]) -> dict[Term, float]:
    """A word's informativeness: its rarity in the index, counting an everyday word less."""
    if not rarity:  # a one-word query: its word is all there is
        return dict.fromkeys(terms, 1.0)
    return {term: rarity.get(term, 0.0) * everyday_share(term) for term in terms}


def rank_pool(
    pool: Sequence[tuple[Sequence[Row], bool]], terms: Sequence[Term], rarity: dict[Term, float]
) -> Hits:
    """The pooled passes' rows ((rows, every word known present) per pass, in plan order) as one
    list of hits, best first by field_score (ties keep the plan's order and each pass's own
    rank), each with the score its pass gave it: the direct answer's clear-win margins
    (faq/answers.py) are ratios of the databases' own ranking scores."""
    found: dict[int, tuple[int, float, str, str]] = {}
    complete: set[int] = set()
    for number, (rows, all_present) in enumerate(pool):
        for position, (row_id, score, title, summary) in enumerate(rows):
            found.setdefault(row_id, (number * 1000 + position, score, title, summary))
            if all_present:
                complete.add(row_id)
    weights = term_weights(terms, rarity)
    scored = []
    for row_id, (order, score, title, summary) in found.items():
        fielded = field_score(
            set(title.split()), set(summary.split()), terms, weights, all_present=row_id in complete
        )
        scored.append((-round(fielded, 6), order, row_id, score))
    scored.sort()
    return [(row_id, score) for _, _, row_id, score in scored]
