"""Typos by sound: a query typed with pinyin input often holds a homophone of the word meant
(体现 for 提现, 蜜码 for 密码, 退宽 for 退款). ``correct`` replaces such a word with the word of
the same sound (toneless pinyin) that the help center actually uses: first the lexicon's words
(faq/lexicon.py: the wallet domain's own terms win over general words, so 体现, a real word,
still becomes 提现), then the words of the index's titles and summaries, the most frequent
first. A word the lexicon or the index already holds is never changed.

Only spans that begin and end where jieba cuts the query are tried (longest first), so a
correction never straddles two words the user typed correctly.

The vocabulary's pinyin map is built once per content version (``Vocabulary.build``) and
each word's pinyin once per process, so a query costs a segmentation and a few dict lookups.
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache

from pypinyin import Style, lazy_pinyin

from pagecache.versions import current_version

#: Words of these lengths are corrected (one character has too many homophones to guess).
MIN_WORD, MAX_WORD = 2, 5

_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
_CJK_WORD = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]{%d,%d}" % (MIN_WORD, MAX_WORD))  # noqa: UP031


@lru_cache(maxsize=200_000)
def sound(word: str) -> str:
    """Toneless pinyin of `word`: 提现 and 体现 both sound "ti xian"."""
    return " ".join(lazy_pinyin(word, style=Style.NORMAL))


@dataclass(frozen=True)
class Vocabulary:
    """The words to correct towards, by sound: the lexicon's first, then the index's."""

    known: frozenset[str] = frozenset()
    domain: dict[str, str] = field(default_factory=dict)  # sound → lexicon word
    indexed: dict[str, str] = field(default_factory=dict)  # sound → most frequent indexed word

    @classmethod
    def build(cls, *, domain_words: Iterable[str], indexed_words: Counter[str]) -> Vocabulary:
        domain_words = [word for word in dict.fromkeys(domain_words) if _CJK_WORD.fullmatch(word)]
        domain: dict[str, str] = {}
        for word in domain_words:
            domain.setdefault(sound(word), word)
        indexed: dict[str, str] = {}
        for word, _ in indexed_words.most_common():
            if _CJK_WORD.fullmatch(word):
                indexed.setdefault(sound(word), word)
        return cls(known=frozenset(domain_words) | frozenset(indexed_words), domain=domain, indexed=indexed)

    def replacement(self, word: str) -> str | None:
        """The word `word` was probably meant to be, or None to keep it."""
        if not _CJK_WORD.fullmatch(word):
            return None
        key = sound(word)
        meant = self.domain.get(key)
        if meant is not None:
            return meant if meant != word else None
        if word in self.known:
            return None
        meant = self.indexed.get(key)
        return meant if meant != word else None


def indexed_words(texts: Iterable[str]) -> Counter[str]:
    """How many of `texts` (space-separated index tokens) hold each Chinese word."""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update({token for token in text.split() if _CJK_WORD.fullmatch(token)})
    return counts


def correct(text: str, vocabulary: Vocabulary, *, cut: Callable[[str], list[str]]) -> str | None:
    """`text` with its sound-alike typos replaced, or None when nothing needed correcting.

    `cut` segments a run of Chinese characters (jieba's ``lcut``); `text` should already be
    normalised (Simplified, lower case) the way the index is.
    """
    changed = False

    def fix_run(match: re.Match) -> str:
        nonlocal changed
        run = match.group()
        bounds = [0]
        for piece in cut(run):
            bounds.append(bounds[-1] + len(piece))
        out, start = [], 0
        while start < len(run):
            for end in sorted((b for b in bounds if MIN_WORD <= b - start <= MAX_WORD), reverse=True):
                span = run[start:end]
                meant = vocabulary.replacement(span)
                if meant is not None or span in vocabulary.known:
                    out.append(meant or span)
                    changed = changed or meant is not None
                    start = end
                    break
            else:
                following = next(b for b in bounds if b > start)
                out.append(run[start:following])
                start = following
        return "".join(out)

    corrected = _CJK_RUN.sub(fix_run, text)
    return corrected if changed else None


# The vocabulary of this site, per content version ----------------------------------------

#: Up to this many visible articles the vocabulary is rebuilt in the request that finds the
#: content version changed (a few ms); above it, in a background thread while requests keep
#: using the previous one (at 100,000 articles a build reads 100,000 rows: about a second).
SYNC_BUILD_MAX_ARTICLES = 5_000

BUILD_THREAD = "spelling-vocabulary"

_memo: tuple[str, Vocabulary] | None = None
_building: str | None = None
_lock = threading.Lock()


def site_vocabulary() -> Vocabulary:
    """The lexicon's words and the words of every visible article's title and summary.

    Built at most once per content version in each process (any article or synonym change
    moves the version, pagecache/versions.py): reading the titles' and summaries' index tokens
    is one query, and each word's pinyin is computed once per process (``sound``). Published
    articles only: a draft's words must not show up as a suggestion. On a large site the
    build runs in the background and the previous vocabulary (at first, the lexicon's alone)
    serves meanwhile: a slightly old vocabulary only misses a correction or two.
    """
    global _building
    version = current_version()
    memo = _memo
    if memo is not None and memo[0] == version:
        return memo[1]
    with _lock:
        if _memo is not None and _memo[0] == version:
            return _memo[1]
        if _building == version:
            return _memo[1] if _memo is not None else _lexicon_vocabulary()
        if _visible_articles().count() <= SYNC_BUILD_MAX_ARTICLES:
            return _build(version)
        _building = version
    threading.Thread(target=_build_in_background, args=(version,), name=BUILD_THREAD, daemon=True).start()
    return memo[1] if memo is not None else _lexicon_vocabulary()


def _visible_articles():
    from django.apps import apps

    return apps.get_model("faq", "Article").objects.published()


def _domain_words() -> list[str]:
    from .lexicon import lexicon_groups

    return [word for group in lexicon_groups() for word in (*group.written, *group.typed)]


@cache
def _lexicon_vocabulary() -> Vocabulary:
    return Vocabulary.build(domain_words=_domain_words(), indexed_words=Counter())


def _build(version: str) -> Vocabulary:
    global _memo
    rows = _visible_articles().values_list("search_title", "search_summary")
    vocabulary = Vocabulary.build(
        domain_words=_domain_words(),
        indexed_words=indexed_words(f"{title} {summary}" for title, summary in rows.iterator()),
    )
    _memo = (version, vocabulary)
    return vocabulary


def _build_in_background(version: str) -> None:
    global _building
    from django.db import connection

    try:
        _build(version)
    finally:
        _building = None
        connection.close()  # this thread's own connection


def corrected(text: str) -> str | None:
    """The query `text` with its sound-alike typos corrected (normalised), or None."""
    from .search import normalize, segmenter

    return correct(normalize(text).strip(), site_vocabulary(), cut=segmenter().lcut)
