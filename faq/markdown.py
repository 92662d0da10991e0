"""Markdown to safe HTML: the one place article bodies are rendered.

Python-Markdown renders, then nh3 (the Rust ammonia sanitiser) cleans the
*rendered HTML* against an allow-list, so every way Markdown can produce a link
or an image (inline, reference-style, autolinks, raw HTML) meets the same rules.
The admin's live preview (django-markdownx) calls `render_markdown` too, so
editors see exactly what the public page will show.
"""

from __future__ import annotations

import multiprocessing
from dataclasses import dataclass
from functools import partial

import markdown
import nh3
from django.conf import settings
from django.utils.translation import gettext as _
from markdown.extensions import Extension
from markdown.extensions.toc import TocExtension, slugify_unicode

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "details", "div", "dl", "dt",
    "em", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "kbd", "li", "ol", "p", "pre",
    "s", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th",
    "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "class"},
    "img": {"src", "alt", "title", "width", "height"},
    "h2": {"id"}, "h3": {"id"}, "h4": {"id"}, "h5": {"id"}, "h6": {"id"},
    "th": {"align"}, "td": {"align"},
    "code": {"class"}, "div": {"class"}, "span": {"class"},
}  # fmt: skip
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
# A table of contents is worth showing from this many headings on.
TOC_MIN_HEADINGS = 3
# The longest article body the editor accepts (and the preview renders): about ten times
# the longest help article we have, and a bound on the work one preview request can cause.
MAX_BODY_LENGTH = 100_000
# A link's destination and title, "(url "title")", longer than this is left as text; real
# ones are a few hundred characters at most.
MAX_LINK_TARGET_LENGTH = 2_000
# The inline processors that look for the "]" closing "[" (links, images, references).
_BRACKET_PROCESSORS = (
    "reference", "link", "image_link", "image_reference", "short_reference", "short_image_ref",
)  # fmt: skip


@dataclass(frozen=True)
class RenderedArticle:
    html: str
    toc_html: str


class _LinearBrackets:
    """Python-Markdown's getText() scans from every "[" to its "]": with n unclosed "[" that is
    n scans of the rest of the paragraph, so 8,000 "[" took 12.5 s to preview. One pass
    over the paragraph finds every "[" its matching "]" (a stack, as getText counts them), and
    each lookup is then constant; the paragraph string is the same object across the
    lookups of one pass, so the table is kept for the last string seen."""

    def __init__(self) -> None:
        self._data: str | None = None
        self._closing: dict[int, int] = {}

    def _table(self, data: str) -> dict[int, int]:
        if data is not self._data:
            closing, opened = {}, []
            for position, char in enumerate(data):
                if char == "[":
                    opened.append(position)
                elif char == "]" and opened:
                    closing[opened.pop()] = position
            self._data, self._closing = data, closing
        return self._closing

    def get_text(self, data: str, index: int) -> tuple[str, int, bool]:
        """getText(): the text between data[index - 1] == "[" and its "]", the index after it, found."""
        close = self._table(data).get(index - 1)
        if close is None:
            return "", len(data), False
        return data[index:close], close + 1, True


def _bounded_get_link(processor, data: str, index: int):
    """getLink() on at most MAX_LINK_TARGET_LENGTH characters: it scans for the ")" of "(",
    so "[](" repeated made every link a scan of the rest of the paragraph."""
    window = data[: index + MAX_LINK_TARGET_LENGTH]
    if ")" not in window[index:]:
        return "", None, index, False
    return type(processor).getLink(processor, window, index)


class _BoundedLinksExtension(Extension):
    """Links, images and references parsed in time linear in the paragraph (see _LinearBrackets)."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        brackets = _LinearBrackets()
        for name in _BRACKET_PROCESSORS:
            processor = md.inlinePatterns[name]
            processor.getText = brackets.get_text
            if hasattr(processor, "getLink"):
                processor.getLink = partial(_bounded_get_link, processor)


def _markdown() -> markdown.Markdown:
    return markdown.Markdown(
        extensions=[
            _BoundedLinksExtension(),
            "extra",
            "sane_lists",
            TocExtension(
                # Chinese headings keep their characters in the anchor instead of
                # collapsing to an empty id.
                slugify=slugify_unicode,
                permalink="#",
                permalink_class="heading-anchor",
                permalink_title="",
                toc_depth="2-3",
                baselevel=1,
            ),
        ],
        output_format="html",
    )


def sanitize_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def _demote_h1(html: str) -> str:
    # The page title is the article's only <h1>; a "# heading" in the body
    # becomes an <h2> so the outline stays correct for screen readers.
    return html.replace("<h1", "<h2").replace("</h1>", "</h2>")


def render_article(text: str) -> RenderedArticle:
    """Render an article body to sanitised HTML, with a table of contents for long articles."""
    md = _markdown()
    html = _demote_h1(md.convert(text or ""))
    toc_html = ""
    headings = _count_headings(md.toc_tokens)
    if headings >= TOC_MIN_HEADINGS:
        toc_html = sanitize_html(_demote_h1(md.toc))
    return RenderedArticle(html=sanitize_html(html), toc_html=toc_html)


def render_markdown(text: str) -> str:
    """django-markdownx's MARKDOWNX_MARKDOWNIFY_FUNCTION: the admin preview."""
    return render_article(text).html


class MarkdownTooComplex(Exception):
    """The text did not render within settings.MARKDOWN_RENDER_SECONDS (or could not render at all)."""


def _render_into(text: str, sender) -> None:
    try:
        sender.send((True, render_markdown(text)))
    except RecursionError:
        sender.send((False, ""))


def render_markdown_bounded(text: str) -> str:
    """render_markdown() in a forked child process that is killed after MARKDOWN_RENDER_SECONDS.

    Our link parsing is linear (_LinearBrackets), but some inputs stay slow for reasons outside
    this project: the standard library's HTMLParser is quadratic on thousands of unclosed
    tags before Python 3.13.4 (CPython gh-135462) and deep list or quote nesting recurses
    through Python-Markdown. A thread cannot be stopped; a process can. The child only
    renders and sends the HTML back: it touches no database or file, so forking is safe.
    """
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_render_into, args=(text, sender), daemon=True)
    child.start()
    sender.close()
    try:
        if receiver.poll(settings.MARKDOWN_RENDER_SECONDS):
            try:
                rendered, html = receiver.recv()
            except EOFError:  # the child died (out of memory, killed) without answering
                rendered, html = False, ""
            if rendered:
                return html
        raise MarkdownTooComplex(_("This text is too complex to preview; simplify its nesting or raw HTML."))
    finally:
        receiver.close()
        if child.is_alive():
            child.kill()
        child.join()


def _count_headings(tokens: list[dict]) -> int:
    return sum(1 + _count_headings(token.get("children", [])) for token in tokens)
