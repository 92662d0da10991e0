"""The plain text a search result's snippet is cut from (faq/search/highlight.py)."""

from __future__ import annotations

from faq.markdown import render_markdown
from faq.search.highlight import plain_text


def test_a_rendered_body_becomes_its_words_without_tags_anchors_or_entities():
    html = render_markdown(
        '## 提现步骤\n\n1. 打开 **钱包** & 点“提现”\n2. 输入金额 <script>x</script>\n\n![收据 > 截图](/m/a.png "a > b")'
    )
    # No tags, no heading permalink ("#"), no image address or alt text, entities decoded.
    assert plain_text(html) == "提现步骤 打开 钱包 & 点“提现” 输入金额"
