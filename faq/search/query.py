"""What a user typed, as words to match: stop words dropped, synonyms widened, and the plan.

``parse_query`` segments the text (faq.search.text), drops words that carry no topic in
a question, and turns every word that belongs to a synonym group into a ``Term`` whose
alternatives are the group's words. ``plan`` says in which order the database back ends
(faq.search.backends) match the terms.
"""

from __future__ import annotations

import functools
import hashlib
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.apps import apps
from django.core.cache import cache

from pagecache.versions import content_changed, current_version

from ..lexicon import lexicon_groups, synonym_alternatives
from .text import normalize, segmenter, stem, tokenize, tokens_of_normalized

SYNONYMS_CACHE_KEY = "faq:search:synonyms"
#: The passes over body text rank at most this many matching articles (see plan).
BODY_CANDIDATE_CAP = 300
OR_CANDIDATE_CAP = 300
#: Below this many AND matches, the OR top-ups run.
TOP_UP_BELOW = 10

# Words that carry no topic in a question: particles, pronouns and conjunctions, question
# frames (怎么办, 是怎么回事, 有什么办法, how do I) and politeness (你好, 请问, 麻烦, 谢谢, 帮我看看,
# hi, thanks), as jieba's search mode cuts them (问下 → 问 下; 怎么回事 → 怎么 回事 怎么回事).
# Dropped from queries only; the index keeps them.
STOP_WORDS = frozenset(
    """
    的 了 吗 呢 吧 啊 呀 么 嘛 哦 噢 嗯 啦 哈 诶 喂 是 在 我 你 您 他 她 它 和 与 或 就 都 也 还 又 把 被 让 给 对
    从 到 于 这 那 个 一 有 啥 咋 问 下 但 但是 而且 然后 所以 因为 如果 就是 还是 或者
    我的 我们 你们 您的 怎么 怎么办 怎样 怎么样 如何 什么 为什么 为何 为啥 咋办 哪里 哪儿 哪个 请问 一下 可以 能否
    能不能 可不可以 是不是 是否 有没有 要 会 能 想 应该 需要 已经 这个 那个 时候 回事 怎么回事 咋回事 办法 什么办法
    才能 怎么才能 怎么弄 怎么搞 该 该怎么办 好不好 行不行
    你好 您好 大家好 请 麻烦 麻烦你 麻烦您 谢谢 谢谢你 谢谢您 多谢 感谢 感谢您 帮 帮我 帮忙 帮帮我 看看 急 着急
    a an the to of in on at for and or is are was be do does did can could how what why when where which
    who i my me we our you your it its this that with from by as if please pls plz hi hello hey thank thanks
    help would should want need like someone anyone there any some just
    有人 一直 总是 老是 总 老 现在 突然 刚刚 刚才 刚 今天 昨天 真的 到底 究竟 竟然 居然 莫名其妙 好像 似乎 其实 觉得
    感觉 自己 好久 半天 老半天 一下子 咋整 咋弄 咋搞 怎么整 呗 咯 哎 唉 哇 嘞 呐 了吗
    am been being has have had will shall may might must so than too very really still already also again
    now yet ever always keep keeps kept all about into them they their him her his she he us mine myself
    get gets got getting gotten doing done im ive dont doesn didn isn wasn won haven hasn aren ll ve s m d re
    don couldn wouldn shouldn weren
    """.split()  # noqa: SIM905 - a word list reads better as text
)
# Query tokens are stemmed ("does" becomes "doe"), so each stop word's stem is one too.
STOP_WORDS = STOP_WORDS | frozenset(stem(word) for word in STOP_WORDS)

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


_groups_memo: tuple[str, str, list[tuple[Alternative, ...]]] | None = None


def synonym_groups() -> list[tuple[Alternative, ...]]:
    """Staff-maintained synonym groups joined with the shipped lexicon, tokenized.

    The one source of query rewrites: the parser reads its groups from here and nowhere else.
    Built only when the staff's groups change, not on every content version: tokenizing the
    lexicon's thousands of words takes 0.1-0.4 s, which the first search after every article
    save used to pay. A content change (which a Synonym save also is) costs one small query
    for the staff's words; their digest names the groups in the shared cache.
    """
    global _groups_memo
    version = current_version()
    memo = _groups_memo
    if memo is not None and memo[0] == version:
        # With the lexicon there are thousands of alternatives: unpickling them from the cache
        # on every query cost about 0.5 ms, keeping them per version in the process nothing.
        return memo[2]
    # Looked up in the app registry, not imported: faq.models imports this package.
    synonyms = list(apps.get_model("faq", "Synonym").objects.order_by("pk").values_list("words", flat=True))
    digest = hashlib.sha256(repr((synonym_lexicon_digest(), synonyms)).encode()).hexdigest()
    if memo is not None and memo[1] == digest:
        _groups_memo = (version, digest, memo[2])
        return memo[2]
    key = f"{SYNONYMS_CACHE_KEY}:{digest}"
    groups = cache.get(key)
    if groups is None:
        staff = [split_synonyms(words) for words in synonyms]
        # The shipped wallet lexicon joins them (faq/lexicon.py): applied to queries, never indexed.
        groups = synonym_alternatives(staff, normalize=normalize, tokenize=tokenize, stop_words=STOP_WORDS)
        cache.set(key, groups, 60 * 60)
    _groups_memo = (version, digest, groups)
    return groups


@functools.cache
def synonym_lexicon_digest() -> str:
    """The shipped lexicon and stop words as this process has them (they change with a deploy)."""
    return hashlib.sha256(repr((lexicon_groups(), sorted(STOP_WORDS))).encode()).hexdigest()


def split_synonyms(words: str) -> list[str]:
    return [word.strip() for word in re.split(r"[,，、;；\n]+", words) if word.strip()]


def forget_synonyms() -> None:
    """Read the synonyms again on the next query (a Synonym save or delete already does this)."""
    content_changed()


_index_memo: tuple[Sequence, dict, int] | None = None


def _alternatives_index(groups: Sequence[tuple[Alternative, ...]]) -> tuple[dict, int]:
    """Each alternative's group (a later group replaces an earlier one), and the longest
    alternative; kept for the last groups seen, as synonym_groups() returns the same list
    for a content version."""
    global _index_memo
    memo = _index_memo
    if memo is not None and memo[0] is groups:
        return memo[1], memo[2]
    by_tokens = {alternative: group for group in groups for alternative in group}
    longest = max((len(alternative) for alternative in by_tokens), default=0)
    _index_memo = (groups, by_tokens, longest)
    return by_tokens, longest


def parse_query(text: str, *, synonyms: Sequence[tuple[Alternative, ...]] | None = None) -> Query:
    """Segment a user's query, drop question words, and widen words that have synonyms."""
    normalized = normalize(text).strip()
    tokens = [token for token in dict.fromkeys(tokens_of_normalized(normalized)) if token not in STOP_WORDS]
    if synonyms is None:
        synonyms = synonym_groups()
    by_tokens, longest = _alternatives_index(synonyms)
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


#: A word less than this share as informative (IDF) as the query's most informative word is
#: not one of its core words (get in "how do I get a refund", 一直 in 为啥提现一直不到账).
CORE_SHARE = 0.5


TITLE, TITLES, BODY, REST = "title", "titles", "body", "rest"


@dataclass(frozen=True)
class Stage:
    """One step of the query plan: articles holding all (or, `any_term`, any) of `terms` in
    their title (TITLE), title or summary (TITLES), anywhere but a title holding them all
    (REST) or anywhere but title and summary (BODY), ranking at most `cap` matches."""

    terms: tuple[Term, ...]
    any_term: bool
    fields: str
    cap: int | None = None
    #: Stages with the same pool number are ranked together, by where the words are
    #: (faq.search.fields); None: ranked by the database alone.
    pool: int | None = None


#: jieba's general-language IDF (log of its corpus size over a word's count) below which a word
#: counts as everyday (有人 8.3, 一直 8.1, 城市 7.8), and above which as specialised (审核 11.0,
#: 卡住 13.4); in between, in proportion.
EVERYDAY_IDF, SPECIALISED_IDF = 6.0, 12.0
#: The least an everyday word's informativeness is scaled by, and the most a lone character's.
EVERYDAY_FLOOR, SINGLE_CHARACTER_SHARE = 0.2, 0.5
#: Words below this share are everyday words: never the word a query's core words are chosen by.
EVERYDAY_SHARE = 0.5


def everyday_share(term: Term) -> float:
    """How much of a word's rarity in the index counts towards its informativeness (0.2–1).

    Rarity in the index alone overrates everyday words a help center seldom writes: "有人打电话说是
    客服" has 有人 (someone) in few articles, and it would push 客服 out of the core words. A
    word of the lexicon or the staff's synonyms (a term with alternatives) is the domain's own
    and counts fully; a Chinese word outside it counts by how rare it is in general Chinese
    (jieba's dictionary frequencies, already loaded for segmentation: a dict lookup per word)."""
    if len(term.alternatives) != 1:
        return 1.0
    word = "".join(term.alternatives[0])
    if word.isascii():
        return 1.0
    tokenizer = segmenter()
    general_idf = math.log(tokenizer.total / (1 + (tokenizer.FREQ.get(word) or 0)))
    share = (general_idf - EVERYDAY_IDF) / (SPECIALISED_IDF - EVERYDAY_IDF)
    if len(word) == 1:
        # A lone character is mostly a fragment jieba could not join (付 of 付了钱, 丢 of 丢了):
        # seldom a token of its own in the index, it looks rarer there than it is.
        share = min(share, SINGLE_CHARACTER_SHARE)
    return min(1.0, max(EVERYDAY_FLOOR, share))


def _rarest_share(terms: Sequence[Term], rarity: dict[Term, float]) -> tuple[Term, ...]:
    ordered = sorted(terms, key=lambda term: -rarity.get(term, 0.0))
    top = rarity.get(ordered[0], 0.0) if ordered else 0.0
    if top <= 0:
        return tuple(ordered)
    return tuple(term for term in ordered if rarity.get(term, 0.0) >= CORE_SHARE * top)


def core_terms(terms: Sequence[Term], rarity: dict[Term, float]) -> tuple[Term, ...]:
    """The informative words of a query, most informative first: those at least CORE_SHARE as
    rare in the index as the rarest word (a word no article holds is never core). An everyday
    word (everyday_share under EVERYDAY_SHARE) never leads: when it is the rarest, the core
    words are chosen among the other words."""
    core = _rarest_share(terms, rarity)
    if core and everyday_share(core[0]) < EVERYDAY_SHARE:
        return (
            _rarest_share([term for term in terms if everyday_share(term) >= EVERYDAY_SHARE], rarity) or core
        )
    return core


def plan(terms: Sequence[Term], rarity: dict[Term, float]) -> list[Stage]:
    """The stages for the strong `terms` of a query, given each one's IDF (`rarity`).

    Title first: an article whose title holds every word ranks above all others (those whose
    summary holds them too first). On a large site many articles mention a question's words
    in passing, in a summary or a paragraph; the one about it says so in its title. Then,
    pooled and ranked together by where each word is (faq.search.fields: title above summary
    above body, each word by its IDF): titles
    holding the question's core words (its least informative words dropped), articles holding
    every word anywhere (a bounded number of them), and titles or summaries holding any core
    word. Only when all that finds fewer than TOP_UP_BELOW articles does the OR pass over
    bodies run, over the core words: a word found in most articles adds nothing there but cost.
    """
    terms = tuple(terms)
    core = core_terms(terms, rarity)
    stages = [Stage(terms, any_term=False, fields=TITLE, pool=1)]
    pool = 2 if len(terms) > 1 else None
    if 0 < len(core) < len(terms):
        stages.append(Stage(core, any_term=False, fields=TITLE, pool=pool))
    stages.append(Stage(terms, any_term=False, fields=REST, cap=BODY_CANDIDATE_CAP, pool=pool))
    if len(terms) > 1:
        wide = core if len(core) > 1 else terms
        stages.append(Stage(wide, any_term=True, fields=TITLES, cap=OR_CANDIDATE_CAP, pool=pool))
        stages.append(Stage(wide, any_term=True, fields=BODY, cap=OR_CANDIDATE_CAP))
    return stages
