from __future__ import annotations

import pytest

from faq.markdown import render_article, render_markdown

HOSTILE_BODIES = [
    "<script>alert(1)</script>",
    "[click](javascript:alert(1))",
    "[click][evil]\n\n[evil]: javascript:alert(1)",
    "[click][evil]\n\n[evil]: JaVaScRiPt:alert(1)",
    '<a href="javascript:alert(1)">x</a>',
    "<img src=x onerror=alert(1)>",
    "![x](javascript:alert(1))",
    '<iframe src="https://evil.example"></iframe>',
    '<p onclick="alert(1)">hi</p>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    "<svg><script>alert(1)</script></svg>",
    "<style>body{display:none}</style>",
    "[x](vbscript:msgbox(1))",
    '<form action="https://evil.example"><input name=password></form>',
]


@pytest.mark.parametrize("body", HOSTILE_BODIES)
def test_hostile_markdown_renders_harmless(body):
    html = render_article(body).html.lower()
    for dangerous in (
        "<script",
        "javascript:",
        "vbscript:",
        "onerror",
        "onclick",
        "<iframe",
        "<style",
        "data:text",
        "<form",
        "<input",
    ):
        assert dangerous not in html


def test_links_and_formatting_survive_sanitising():
    html = render_markdown(
        "**粗体** 和 [联系客服](/contact/) 以及 [外部](https://example.com)\n\n| a | b |\n|---|---|\n| 1 | 2 |"
    )
    assert "<strong>粗体</strong>" in html
    assert 'href="/contact/"' in html
    assert 'href="https://example.com"' in html
    assert "<table>" in html


def test_headings_get_anchors_and_long_articles_get_a_table_of_contents():
    rendered = render_article("## 第一步\n\n文字\n\n## 第二步\n\n文字\n\n### 细节\n\n文字")
    assert 'id="第一步"' in rendered.html
    assert 'href="#第一步"' in rendered.html  # the heading's own permalink
    assert 'href="#细节"' in rendered.toc_html


def test_short_articles_have_no_table_of_contents():
    assert render_article("## 只有一个标题\n\n文字").toc_html == ""


def test_h1_in_the_body_is_demoted_so_the_title_stays_the_only_h1():
    assert "<h1" not in render_article("# 标题\n\n正文").html
