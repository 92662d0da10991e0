"""The direct answer: when one article clearly wins a search, the section of it that answers.

Plain functions of their inputs (no database, no request): `clear_winner` reads the ranking
scores, `pick_section` reads an article's rendered, already sanitised HTML (Article.body_html,
faq/markdown.py) and the query's words, and `answer_from` makes the answer of the winning
article (faq/answer_service.py puts them together for a search). The HTML of a section is cut out of body_html whole, block by block, so it
is exactly as safe as the article page itself.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from html import escape, unescape
from html.parser import HTMLParser

from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe

from .search import normalize

#: The top article is the answer when its score is at least this many times the best score among
#: the next `COMPARED - 1` results. A ratio, not a difference, because SQLite's bm25 and
#: PostgreSQL's IDF-weighted ts_rank have different scales; but they spread scores differently,
#: so each ranking function has its own margin (`margin_for`). Chosen on the tuning parts of both
#: relevance sets (the demo set, tests/faq/relevance.py, and the wallet set,
#: tests/faq/relevance_sets/), through the API: the smallest margin at which no answer shown is
#: wrong. With the wallet lexicon widening typed words to written ones, scores sit closer
#: together and a few queries rank a wrong article first by a wide margin, which no margin
#: removes (listed in tests/faq/test_answer_relevance.py as known mistakes of the ranking):
#: 2.25 on both databases answers demo 14 and wallet 30 queries on SQLite (one wrong at any
#: margin below 3.5), demo 25 and wallet 56 on PostgreSQL (two wrong at any margin).
#: tests/faq/test_answer_relevance.py holds these figures; docs/benchmarks.md has the sweep.
CLEAR_MARGINS = {"sqlite": 2.25, "postgresql": 2.25}
CLEAR_MARGIN = max(CLEAR_MARGINS.values())  # for another database: the stricter one
#: How many of the top results the winner is compared with. Results arrive in the order of the
#: query plan's passes (title matches before body matches), not strictly by score, so the
#: runner-up by score may sit anywhere in the first few.
COMPARED = 5
#: A section longer than this (in characters of text) is cut after the block that passes it.
MAX_SECTION_CHARS = 600
#: A word in the section's heading counts this many times a word in its text.
HEADING_WEIGHT = 3

_HEADINGS = {"h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_VOID = {"br", "hr", "img", "wbr", "col", "area", "source", "input", "meta", "link"}
_HEADING_ANCHOR = re.compile(r'<a\b[^>]*\bclass="heading-anchor"[^>]*>.*?</a>', re.S)
_LOCAL_LINK = re.compile(r'href="#')


def margin_for(vendor: str) -> float:
    """The clear-win margin for a database's ranking function (see CLEAR_MARGINS)."""
    return CLEAR_MARGINS.get(vendor, CLEAR_MARGIN)


def clear_winner(scores: Sequence[float], margin: float = CLEAR_MARGIN) -> bool:
    """Whether the first of these ranking scores (best first) clearly beats the others.

    A lone result wins whatever its score: nothing competes with it (and SQLite's bm25 scores
    every match near 0 when its words are in half the articles or more, as in a small help
    center). Otherwise the top score must be positive and `margin` times the best of the rest.
    """
    if len(scores) == 1:
        return True
    if not scores or scores[0] <= 0:
        return False
    return scores[0] >= margin * max(scores[1:COMPARED])


@dataclass(frozen=True)
class Block:
    """One top-level element of an article's HTML."""

    tag: str
    html: str

    @property
    def level(self) -> int | None:
        return _HEADINGS.get(self.tag)

    @property
    def text(self) -> str:
        return " ".join(unescape(strip_tags(_HEADING_ANCHOR.sub("", self.html))).split())


@dataclass(frozen=True)
class Section:
    """A heading (empty for an article without headings), its anchor and the HTML under it."""

    heading: str
    anchor: str
    blocks: tuple[Block, ...]
    truncated: bool = False

    @property
    def html(self) -> SafeString:
        # Cut whole out of sanitised HTML (faq/markdown.py): nothing here adds markup.
        return mark_safe("\n".join(block.html for block in self.blocks))  # noqa: S308

    @property
    def text(self) -> str:
        return " ".join(block.text for block in self.blocks)

    def with_article_url(self, url: str) -> Section:
        """The section with links to the article's own headings (`#…`) pointing into the article,
        since the section is shown on another page."""
        prefix = f'href="{escape(url)}#'
        blocks = tuple(replace(block, html=_LOCAL_LINK.sub(prefix, block.html)) for block in self.blocks)
        return replace(self, blocks=blocks)


class _BlockParser(HTMLParser):
    """Splits HTML into its top-level elements, keeping each one's source text."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=False)
        self.html = html
        self.line_starts = [0, *(match.end() for match in re.finditer("\n", html))]
        self.depth = 0
        self.start = 0
        self.tag = ""
        self.anchors: dict[int, str] = {}
        self.blocks: list[Block] = []

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.depth == 0:
            self.start, self.tag = self._offset(), tag
            if tag in _HEADINGS:
                self.anchors[len(self.blocks)] = dict(attrs).get("id") or ""
        if tag in _VOID:
            self._close_void()
        else:
            self.depth += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.depth == 0:
            self.start, self.tag = self._offset(), tag
            self._close_void()

    def _close_void(self) -> None:
        if self.depth == 0:
            end = self._offset() + len(self.get_starttag_text() or "")
            self.blocks.append(Block(self.tag, self.html[self.start : end]))

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID or self.depth == 0:
            return
        self.depth -= 1
        if self.depth == 0:
            end = self.html.index(">", self._offset()) + 1
            self.blocks.append(Block(self.tag, self.html[self.start : end]))


def _blocks(html: str) -> tuple[list[Block], dict[int, str]]:
    parser = _BlockParser(html)
    parser.feed(html)
    parser.close()
    return parser.blocks, parser.anchors


def _cut(blocks: Sequence[Block]) -> tuple[tuple[Block, ...], bool]:
    """Whole blocks up to about MAX_SECTION_CHARS of text (at least one), and whether any were left."""
    kept: list[Block] = []
    length = 0
    for block in blocks:
        if kept and length >= MAX_SECTION_CHARS:
            return tuple(kept), True
        kept.append(block)
        length += len(block.text)
    return tuple(kept), False


def sections(html: str) -> list[Section]:
    """Every heading of the article with what stands under it, down to the next heading of the
    same or a higher level (so a section holds its subsections). Without headings: one section,
    the article's opening, with an empty heading."""
    blocks, anchors = _blocks(html)
    found: list[Section] = []
    for index, block in enumerate(blocks):
        if block.level is None:
            continue
        under = []
        for following in blocks[index + 1 :]:
            if following.level is not None and following.level <= block.level:
                break
            under.append(following)
        kept, truncated = _cut(under)
        found.append(Section(block.text, anchors.get(index, ""), kept, truncated))
    if not found and blocks:
        kept, truncated = _cut(blocks)
        found.append(Section("", "", kept, truncated))
    return found


def _score(section: Section, words: Sequence[str]) -> tuple[int, bool, int]:
    """How well a section answers: distinct query words in its heading (weighted) and text,
    then whether it has steps, then the shorter the better (a subsection over its parent)."""
    heading, text = normalize(section.heading), normalize(section.text)
    matched = HEADING_WEIGHT * sum(word in heading for word in words) + sum(word in text for word in words)
    has_steps = any(block.tag == "ol" for block in section.blocks)
    return matched, has_steps, -len(text)


def pick_section(html: str, words: Sequence[str]) -> Section | None:
    """The section of an article (its sanitised HTML) that best answers a query (its normalised
    words, e.g. Query.words); the first section when none mentions them, None for an empty body."""
    candidates = sections(html)
    if not candidates:
        return None
    words = [word for word in words if word]
    best = max(candidates, key=lambda section: _score(section, words))
    if _score(best, words)[0] == 0:
        return candidates[0]
    return best


@dataclass(frozen=True)
class Answer:
    """What the results page, the instant dropdown and the API show as the direct answer."""

    article_id: int
    slug: str
    title: str
    url: str
    heading: str
    anchor: str
    html: SafeString
    truncated: bool
    #: Signed reference for the "was this the answer?" form (faq/answer_service.py).
    vote_token: str = ""

    def as_json(self) -> dict[str, str]:
        return {"slug": self.slug, "heading": self.heading, "html": str(self.html)}


def answer_from(article, words: Sequence[str]) -> Answer | None:
    """The answer `article` (the clear winner: see `clear_winner`) gives to a query's words, or
    None when it has no text."""
    section = pick_section(article.body_html, words)
    if section is None:
        return None
    url = article.get_absolute_url()
    section = section.with_article_url(url)
    return Answer(
        article_id=article.pk,
        slug=article.slug,
        title=article.title,
        url=url,
        heading=section.heading or article.title,
        anchor=section.anchor,
        html=section.html,
        truncated=section.truncated,
    )
