"""The direct answer's plain functions: which section of an article answers a query, and when
one article wins clearly enough to show it (faq/answers.py). No database."""

from __future__ import annotations

import pytest

from faq.answers import CLEAR_MARGIN, clear_winner, margin_for, pick_section, sections
from faq.markdown import render_article

FORGOT_PASSWORD = """忘记登录密码不用着急，通常几分钟就能完成。

## 自助重置步骤

1. 打开 App 登录页，点击“忘记密码”。
2. 输入注册时使用的手机号。
3. 设置新密码，然后用新密码登录。

## 收不到验证码

- 验证码有发送间隔，等待 60 秒后再重新获取。
- 原手机号已经停用的，请先看[更换手机号](#换绑手机号)。

## 换绑手机号

### 在 App 里换绑

1. 打开“账户与安全”。
2. 选择“更换手机号”。

### 旧手机号已停用

联系客服，准备身份证照片。
"""


def _html(markdown: str) -> str:
    return render_article(markdown).html


def test_sections_follow_the_headings_with_the_content_under_each():
    found = sections(_html(FORGOT_PASSWORD))
    assert [section.heading for section in found] == [
        "自助重置步骤",
        "收不到验证码",
        "换绑手机号",
        "在 App 里换绑",
        "旧手机号已停用",
    ]


def test_a_section_holds_its_steps_but_not_the_next_section():
    steps = sections(_html(FORGOT_PASSWORD))[0]
    assert steps.html.startswith("<ol>")
    assert "设置新密码" in steps.html
    assert "验证码" not in steps.html


def test_a_section_holds_its_subsections():
    rebind = sections(_html(FORGOT_PASSWORD))[2]
    assert "更换手机号" in rebind.html
    assert "身份证照片" in rebind.html


def test_the_heading_is_plain_text_without_the_permalink():
    heading = sections(_html(FORGOT_PASSWORD))[0]
    assert heading.heading == "自助重置步骤"
    assert heading.anchor == "自助重置步骤"
    assert "heading-anchor" not in heading.html


def test_the_section_whose_heading_holds_the_query_wins():
    section = pick_section(_html(FORGOT_PASSWORD), ["验证码"])
    assert section.heading == "收不到验证码"


def test_the_section_whose_steps_hold_the_query_wins_when_no_heading_does():
    section = pick_section(_html(FORGOT_PASSWORD), ["忘记密码", "忘记", "密码"])
    assert section.heading == "自助重置步骤"


def test_the_narrowest_matching_subsection_wins_over_its_parent():
    section = pick_section(_html(FORGOT_PASSWORD), ["停用"])
    assert section.heading == "旧手机号已停用"


def test_traditional_and_full_width_text_matches_simplified_words():
    html = _html("## 提現到帳時間\n\n一般 2 小時內到帳。\n\n## 手續費\n\n免費。")
    assert pick_section(html, ["到账"]).heading == "提現到帳時間"


def test_english_words_match_whatever_their_case():
    html = _html("## Before you start\n\nHave your ID ready.\n\n## Reset your Password\n\n1. Open the app.")
    assert pick_section(html, ["password"]).heading == "Reset your Password"


def test_no_matching_section_falls_back_to_the_first_section():
    section = pick_section(_html(FORGOT_PASSWORD), ["退款"])
    assert section.heading == "自助重置步骤"


def test_an_article_without_headings_answers_with_its_opening():
    section = pick_section(_html("第一段。\n\n1. 第一步\n2. 第二步"), ["第一步"])
    assert section.heading == ""
    assert "<ol>" in section.html


def test_an_empty_article_has_no_section():
    assert pick_section("", ["密码"]) is None


def test_a_long_section_is_cut_after_whole_blocks():
    long = "## 说明\n\n" + "\n\n".join(f"第{n}段，" + "很长的说明文字。" * 30 for n in range(10))
    section = pick_section(_html(long), ["说明"])
    assert section.html.count("<p>") < 10
    assert section.html.endswith("</p>")
    assert section.truncated


def test_links_to_headings_of_the_article_point_into_the_article():
    section = pick_section(_html(FORGOT_PASSWORD), ["验证码"]).with_article_url("/a/forgot-password/")
    assert 'href="#' not in section.html
    assert section.html.count('href="/a/forgot-password/#') == 1


def test_markup_in_the_body_stays_sanitised():
    html = _html("## 步骤\n\n<script>alert(1)</script>\n\n1. [点我](javascript:alert(1))")
    section = pick_section(html, ["步骤"])
    assert "<script" not in section.html
    assert "javascript:" not in section.html


# Clearly winning ----------------------------------------------------------------------


def test_a_single_result_wins():
    assert clear_winner([0.2])


def test_a_single_result_wins_even_with_a_zero_score():
    # SQLite's bm25 scores ~0 when the words are in half the articles (a small help center).
    assert clear_winner([0.0])


def test_no_result_never_wins():
    assert not clear_winner([])


def test_a_top_score_far_above_the_rest_wins():
    assert clear_winner([12.5, 4.9, 4.8])


def test_two_close_results_do_not_win():
    assert not clear_winner([9.7, 8.4, 4.0])


def test_the_margin_is_measured_against_the_best_of_the_rest_not_the_second():
    # Results come in the order of the query plan's passes, so a later one may score higher.
    assert not clear_winner([0.19, 0.02, 0.18])


def test_a_zero_score_never_wins_against_others():
    assert not clear_winner([0.0, 0.0])


@pytest.mark.parametrize(
    ("ratio", "wins"), [(CLEAR_MARGIN, True), (CLEAR_MARGIN - 0.01, False), (CLEAR_MARGIN + 1, True)]
)
def test_the_margin_is_the_boundary(ratio, wins):
    assert clear_winner([ratio, 1.0]) is wins


def test_each_database_has_its_margin_and_another_gets_the_strictest():
    assert (margin_for("sqlite"), margin_for("postgresql")) == (2.25, 2.25)
    assert margin_for("oracle") == 2.25


def test_a_ratio_just_under_the_margin_is_no_clear_win():
    assert clear_winner([2.25, 1.0], margin_for("sqlite"))
    assert not clear_winner([2.2, 1.0], margin_for("sqlite"))
