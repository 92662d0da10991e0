"""The wallet-domain lexicon (faq/data/wallet_lexicon.txt): the words a help center writes for
one thing, and the words people type for it.

Search widens a query word to its group, so "钱怎么还没到" finds the articles about 到账 and
"money back" the ones about refunds, without the index storing anything more. The widening
goes one way: a typed word (right of the "|") widens to itself and the written words; a
written word only to the other written words, so a precise query is not diluted by phrases
the articles never use.

Staff extend the lexicon through the Synonym model: a staff group sharing a word with a
lexicon group joins it, as written words (``merge_groups``), so an editor adds a word without
copying the rest; a staff group of new words is a group of its own, widened both ways.

The functions here work on plain words; faq.search's ``synonym_groups()`` passes in its own
normalisation, tokenizer and stop words, so this module does not depend on the search package.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

LEXICON_PATH = Path(__file__).resolve().parent / "data" / "wallet_lexicon.txt"

Alternative = tuple[str, ...]

_SEPARATORS = re.compile(r"[,，、;；]+")
_CJK = re.compile(r"[\u3400-\u9fff]")


@dataclass(frozen=True)
class Group:
    written: tuple[str, ...]  # what articles say: widened among themselves
    typed: tuple[str, ...] = ()  # what people type: each widened to itself and `written`


def _words(text: str) -> list[str]:
    return list(dict.fromkeys(word.strip() for word in _SEPARATORS.split(text) if word.strip()))


def read_groups(text: str) -> list[Group]:
    """The groups of a lexicon file: one per line, "written words | typed words", # comments."""
    groups = []
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        written, _, typed = line.partition("|")
        group = Group(tuple(_words(written)), tuple(_words(typed)))
        if len(group.written) + len(group.typed) >= 2 and group.written:
            groups.append(group)
    return groups


@cache
def lexicon_groups() -> tuple[Group, ...]:
    """The shipped lexicon, read once per process (the file changes only with a release)."""
    return tuple(read_groups(LEXICON_PATH.read_text(encoding="utf-8")))


def merge_groups(groups: Iterable[Group], *, key: Callable[[str], str]) -> list[Group]:
    """Groups that share a word (compared by `key`, the search normalisation) become one, in the
    order first seen; a word written in any of them is written in the merged group."""
    parent: dict[str, str] = {}

    def root(word: str) -> str:
        while parent[word] != word:
            parent[word] = parent[parent[word]]
            word = parent[word]
        return word

    first_form: dict[str, str] = {}
    written: set[str] = set()
    for group in groups:
        keys = []
        for word in (*group.written, *group.typed):
            folded = key(word)
            if folded:
                first_form.setdefault(folded, word)
                parent.setdefault(folded, folded)
                keys.append(folded)
        written.update(key(word) for word in group.written)
        for other in keys[1:]:
            parent[root(other)] = root(keys[0])
    members: dict[str, list[str]] = {}
    for folded in first_form:
        members.setdefault(root(folded), []).append(folded)
    merged = []
    for folded_words in members.values():
        group = Group(
            tuple(first_form[word] for word in folded_words if word in written),
            tuple(first_form[word] for word in folded_words if word not in written),
        )
        if len(folded_words) >= 2 and group.written:
            merged.append(group)
    return merged


def alternative(
    word: str, *, tokenize: Callable[[str], list[str]], stop_words: Collection[str], typed: bool = False
) -> Alternative:
    """The tokens a query must hold, in order, for `word` to match: tokenized and stripped of
    stop words the way the query parser strips the query, so "钱没到" matches "钱怎么还没到"
    (both become 钱 没). A typed phrase left with one Chinese character has lost its meaning
    ("还没到" would become 没, found in every other query) and matches nothing; a written word
    keeps it (到账 is 账 in queries too, as 到 is a stop word)."""
    tokens = tuple(token for token in dict.fromkeys(tokenize(word)) if token not in stop_words)
    lost_meaning = (
        len(tokens) == 1 and len(tokens[0]) == 1 and _CJK.match(tokens[0]) and len(word.strip()) > 1
    )
    return () if typed and lost_meaning else tokens


def tokenized_groups(
    groups: Iterable[Group],
    *,
    tokenize: Callable[[str], list[str]],
    stop_words: Collection[str],
) -> list[tuple[Alternative, ...]]:
    """The groups as the parser's synonym groups: one per typed word (itself, then the written
    words), then the written words' own group.

    The parser maps every alternative of every group to its group, a later group replacing an
    earlier one; the written group comes last, so a written word maps to it and is not widened
    to the typed words (tests/faq/test_lexicon.py checks this through parse_query).
    """

    def tokens(word: str, typed: bool = False) -> Alternative:
        return alternative(word, tokenize=tokenize, stop_words=stop_words, typed=typed)

    result = []
    for group in groups:
        written = tuple(dict.fromkeys(found for found in map(tokens, group.written) if found))
        if not written:
            continue
        for word in group.typed:
            typed = tokens(word, typed=True)
            if typed and typed not in written:
                result.append((typed, *written))
        result.append(written)
    return result


def synonym_alternatives(
    staff_groups: Iterable[Iterable[str]],
    *,
    normalize: Callable[[str], str],
    tokenize: Callable[[str], list[str]],
    stop_words: Collection[str],
) -> list[tuple[Alternative, ...]]:
    """The lexicon joined with the staff's groups (faq.models.Synonym), as the parser's groups."""
    staff = [Group(tuple(words)) for words in staff_groups]
    merged = merge_groups([*lexicon_groups(), *staff], key=normalize)
    return tokenized_groups(merged, tokenize=tokenize, stop_words=stop_words)
