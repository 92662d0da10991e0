"""Markdown to safe HTML: the one place article bodies are rendered.

Python-Markdown renders, then nh3 (the Rust ammonia sanitiser) cleans the
*rendered HTML* against an allow-list, so every way Markdown can produce a link
or an image (inline, reference-style, autolinks, raw HTML) meets the same rules.
The admin's live preview (django-markdownx) calls `render_markdown` too, so
editors see exactly what the public page will show.
"""

from __future__ import annotations

from dataclasses import dataclass

import markdown
import nh3
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


@dataclass(frozen=True)
class RenderedArticle:
    html: str
    toc_html: str


def _markdown() -> markdown.Markdown:
    return markdown.Markdown(
        extensions=[
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


def _count_headings(tokens: list[dict]) -> int:
    return sum(1 + _count_headings(token.get("children", [])) for token in tokens)
