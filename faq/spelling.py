"""Typos by sound: a query typed with pinyin input often holds a homophone of the word meant
(体现 for 提现, 蜜码 for 密码, 退宽 for 退款). ``correct`` replaces such a word with the word of
the same sound (toneless pinyin) that the help center actually uses: first the lexicon's words
(faq/lexicon.py: the wallet domain's own terms win over general words, so 体现, a real word,
still becomes 提现), then the words of the index's titles and summaries, the most frequent
first. A word the lexicon or the index already holds is never changed.

Only spans that begin and end where jieba cuts the query are tried (longest first), so a
correction never straddles two words the user typed correctly.

The vocabulary's pinyin map is built in full now and then (``Vocabulary.build``), grown by
the words of saved articles on other content changes, and each word's pinyin computed once per process, so a query costs a segmentation and a few dict lookups.
"""

from __future__ import annotations

import re
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from functools import cache, lru_cache

from django.utils import timezone
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

    def with_words(self, words: Counter[str]) -> Vocabulary:
        """This vocabulary and `words` (a new word takes a sound no indexed word has yet)."""
        new = [word for word, _ in words.most_common() if word not in self.known]
        if not new:
            return self
        indexed = dict(self.indexed)
        for word in new:
            if _CJK_WORD.fullmatch(word):
                indexed.setdefault(sound(word), word)
        return replace(self, known=self.known | frozenset(new), indexed=indexed)

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


# The vocabulary of this site, kept current as content changes --------------------------

#: Up to this many visible articles the vocabulary is rebuilt in the request that finds the
#: content version changed (a few ms); above it, in a background thread while requests keep
#: using the previous one (at 100,000 articles a build reads 100,000 rows: about a second).
SYNC_BUILD_MAX_ARTICLES = 5_000
#: On a larger site, between full builds, a content change only adds the words of the articles
#: saved since the last look (one indexed query); a full build, which also forgets the words of unpublished
#: and deleted articles and picks up publishing by `queryset.update()` or schedule, runs when
#: the vocabulary is older than this.
FULL_BUILD_SECONDS = 15 * 60
#: More changed articles than this at once (an import): a full build instead.
INCREMENT_MAX_ARTICLES = 500
#: Articles saved this long before a look are read again at the next one: a save's
#: `updated_at` is taken before its transaction commits.
SAVE_MARGIN = timedelta(minutes=1)

BUILD_THREAD = "spelling-vocabulary"


@dataclass(frozen=True)
class _Built:
    version: str
    vocabulary: Vocabulary
    read_from: datetime  # articles updated since then are read again on the next change
    built_at: float  # time.monotonic() of the last full build
    articles: int  # visible articles at the last full build


_memo: _Built | None = None
_building: str | None = None
_lock = threading.Lock()


def site_vocabulary() -> Vocabulary:
    """The lexicon's words and the words of every visible article's title and summary.

    Built in full on a content change (pagecache/versions.py) of a small site. On a large one,
    in full once per process and every FULL_BUILD_SECONDS after; on other content changes only
    the articles saved since the last look are read, and their new words added, so the first search after an article save does not pay for reading
    every title again. Each word's pinyin is computed once per process (``sound``). Published
    articles only: a draft's words must not show up as a suggestion. On a large site a full
    build runs in the background and the previous vocabulary (at first, the lexicon's alone)
    serves meanwhile: a slightly old vocabulary only misses a correction or two.
    """
    global _building
    version = current_version()
    memo = _memo
    if memo is not None and memo.version == version:
        return memo.vocabulary
    with _lock:
        memo = _memo
        if memo is not None and memo.version == version:
            return memo.vocabulary
        if (
            memo is not None
            and memo.articles > SYNC_BUILD_MAX_ARTICLES
            and time.monotonic() - memo.built_at < FULL_BUILD_SECONDS
        ):
            updated = _add_saved_articles(memo, version)
            if updated is not None:
                return updated
        if _building == version:
            return memo.vocabulary if memo is not None else _lexicon_vocabulary()
        if _visible_articles().count() <= SYNC_BUILD_MAX_ARTICLES:
            return _build(version)
        _building = version
    threading.Thread(target=_build_in_background, args=(version,), name=BUILD_THREAD, daemon=True).start()
    return memo.vocabulary if memo is not None else _lexicon_vocabulary()


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
    read_from = timezone.now() - SAVE_MARGIN
    rows = _visible_articles().values_list("search_title", "search_summary")
    texts = [f"{title} {summary}" for title, summary in rows.iterator()]
    vocabulary = Vocabulary.build(domain_words=_domain_words(), indexed_words=indexed_words(texts))
    _memo = _Built(version, vocabulary, read_from, time.monotonic(), len(texts))
    return vocabulary


def _add_saved_articles(memo: _Built, version: str) -> Vocabulary | None:
    """`memo`'s vocabulary with the words of the visible articles saved since it last looked
    (by the updated_at index); None when too many were saved for that to be the cheap way."""
    global _memo
    read_from = timezone.now() - SAVE_MARGIN
    rows = list(
        _visible_articles()
        .filter(updated_at__gte=memo.read_from)
        .values_list("search_title", "search_summary")[: INCREMENT_MAX_ARTICLES + 1]
    )
    if len(rows) > INCREMENT_MAX_ARTICLES:
        return None
    vocabulary = memo.vocabulary.with_words(indexed_words(f"{title} {summary}" for title, summary in rows))
    _memo = replace(memo, version=version, vocabulary=vocabulary, read_from=read_from)
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
