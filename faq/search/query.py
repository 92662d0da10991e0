"""What a user typed, as words to match: stop words dropped, synonyms widened, and the plan.

``parse_query`` segments the text (faq.search.text), drops words that carry no topic in
a question, and turns every word that belongs to a synonym group into a ``Term`` whose
alternatives are the group's words. ``PLAN`` says in which order the database back ends
(faq.search.backends) match the terms.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.apps import apps
from django.core.cache import cache

from pagecache.versions import content_changed, current_version

from .text import normalize, segmenter, tokenize, tokens_of_normalized

SYNONYMS_CACHE_KEY = "faq:search:synonyms"
#: The passes over body text rank at most this many matching articles (see PLAN).
BODY_CANDIDATE_CAP = 300
OR_CANDIDATE_CAP = 300
#: Below this many AND matches, the OR top-ups run.
TOP_UP_BELOW = 10

# Words that carry no topic in a question. Dropped from queries only; the index keeps them.
STOP_WORDS = frozenset(
    """
    的 了 吗 呢 吧 啊 呀 么 嘛 是 在 我 你 您 他 她 它 和 与 或 就 都 也 还 又 把 被 让 给 对 从 到 于 这 那 个 一
    我的 我们 你们 您的 怎么 怎么办 怎样 怎么样 如何 什么 为什么 为何 哪里 哪儿 哪个 请问 一下 可以 能否 能不能
    是否 有没有 要 会 能 想 应该 需要 已经 这个 那个 时候
    a an the to of in on at for and or is are was be do does did can could how what why when where which
    who i my me we our you your it its this that with from by as if please
    """.split()  # noqa: SIM905 - a word list reads better as text
)

Alternative = tuple[str, ...]  # tokens that must all match


@dataclass(frozen=True)
class Term:
    """One word of the query and its synonyms: any alternative may match."""

    alternatives: tuple[Alternative, ...]


@dataclass(frozen=True)
class Query:
    text: str
    terms: tuple[Term, ...]

    def __bool__(self) -> bool:
        return bool(self.terms)

    @property
    def words(self) -> list[str]:
        """The strings to highlight, longest first: multi-character words and joined runs."""
        words: set[str] = set()
        for term in self.terms:
            for alternative in term.alternatives:
                joined = "".join(alternative)
                if len(joined) >= 2 or joined.isdigit():
                    words.add(joined)
                words.update(token for token in alternative if len(token) >= 2)
        return sorted(words, key=lambda word: (-len(word), word))


def synonym_groups() -> list[tuple[Alternative, ...]]:
    """Staff-maintained synonym groups, tokenized; cached per content version (a change to a
    group moves the version on every worker, see pagecache/versions.py).

    The one source of query rewrites: the parser reads its groups from here and nowhere else.
    """
    key = f"{SYNONYMS_CACHE_KEY}:{current_version()}"
    groups = cache.get(key)
    if groups is None:
        # Looked up in the app registry, not imported: faq.models imports this package.
        synonyms = apps.get_model("faq", "Synonym").objects.values_list("words", flat=True)
        groups = []
        for words in synonyms:
            alternatives = tuple(dict.fromkeys(tuple(tokenize(word)) for word in split_synonyms(words)))
            alternatives = tuple(alternative for alternative in alternatives if alternative)
            if len(alternatives) >= 2:
                groups.append(alternatives)
        cache.set(key, groups, 60 * 60)
    return groups


def split_synonyms(words: str) -> list[str]:
    return [word.strip() for word in re.split(r"[,，、;；\n]+", words) if word.strip()]


def forget_synonyms() -> None:
    """Read the synonyms again on the next query (a Synonym save or delete already does this)."""
    content_changed()


def parse_query(text: str, *, synonyms: Sequence[tuple[Alternative, ...]] | None = None) -> Query:
    """Segment a user's query, drop question words, and widen words that have synonyms."""
    normalized = normalize(text).strip()
    tokens = [token for token in dict.fromkeys(tokens_of_normalized(normalized)) if token not in STOP_WORDS]
    if synonyms is None:
        synonyms = synonym_groups()
    by_tokens = {alternative: group for group in synonyms for alternative in group}
    longest = max((len(alternative) for alternative in by_tokens), default=0)
    terms: list[Term] = []
    position = 0
    while position < len(tokens):
        for size in range(min(longest, len(tokens) - position), 0, -1):
            group = by_tokens.get(tuple(tokens[position : position + size]))
            if group is not None:
                terms.append(Term(group))
                position += size
                break
        else:
            terms.append(Term(((tokens[position],),)))
            position += 1
    return Query(text=normalized, terms=tuple(dict.fromkeys(terms)))


#: A single character more frequent than this in jieba's dictionary (不, 到, 人, 中…) says too
#: little on its own to be an OR term, and matches a large share of all articles.
COMMON_CHARACTER_FREQUENCY = 20_000


def _is_weak(term: Term) -> bool:
    def weak(alternative: Alternative) -> bool:
        if len(alternative) != 1 or len(alternative[0]) != 1:
            return False
        token = alternative[0]
        return token.isascii() or segmenter().FREQ.get(token, 0) > COMMON_CHARACTER_FREQUENCY

    return all(weak(alternative) for alternative in term.alternatives)


def strong_terms(query: Query) -> tuple[Term, ...]:
    """The words worth matching: all but common single characters, unless that is all there is.

    Dropping them loses little (the other words carry the topic) and saves reading their huge
    posting lists, for AND as well as OR."""
    strong = tuple(term for term in query.terms if not _is_weak(term))
    return strong or query.terms


@dataclass(frozen=True)
class Stage:
    """One step of the query plan."""

    any_term: bool  # OR instead of AND
    titles: bool  # match titles and summaries only (a small index), or everything but those matches
    cap: int | None = None  # rank at most this many matching articles


# Title-first: articles whose title or summary holds every word rank above those where the
# words are only in the body, and the title index is small, so its matches are cheap to rank.
# The body passes rank a bounded sample, so a query of common words costs about the same on
# 100 or 100,000 articles. The OR passes run only when the AND passes found too little.
PLAN = (
    Stage(any_term=False, titles=True),
    Stage(any_term=False, titles=False, cap=BODY_CANDIDATE_CAP),
    Stage(any_term=True, titles=True, cap=OR_CANDIDATE_CAP),
    Stage(any_term=True, titles=False, cap=OR_CANDIDATE_CAP),
)
