"""The direct answer in a real browser: in the instant results and on the results page, its
"was this the answer?" with htmx and without JavaScript, and axe on both at 320 px."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

from faq.models import AnswerFeedback
from tests.factories import make_article

pytestmark = pytest.mark.django_db(transaction=True)

BODY = """忘记登录密码不用着急。

## 自助重置步骤

1. 打开登录页，点击“忘记密码”。
2. 输入注册时使用的手机号。
3. 设置新密码。

## 重置之后

提现可能被暂时限制。
"""


@pytest.fixture
def articles():
    make_article(title="忘记登录密码怎么办", slug="forgot-password", body=BODY)
    for number, title in enumerate(["绑定银行卡", "修改昵称", "开通二次验证", "查看账单", "设置支付限额"]):
        make_article(title=title, slug=f"other-{number}", body=f"{title}的步骤。")


def no_violations(page: Page) -> list:
    return [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in Axe().run(page).response["violations"]]


def test_the_instant_results_show_the_answer_and_take_a_vote(page: Page, live_server, articles):
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(live_server.url + "/a/other-0/")  # an inner page: the header holds the search box
    page.locator("#header-q").press_sequentially("忘记密码", delay=40)
    answer = page.locator("#header-q-results .instant-answer")
    expect(answer.get_by_text("自助重置步骤")).to_be_visible()
    expect(answer.get_by_text("设置新密码")).to_be_visible()
    assert no_violations(page) == []
    box = answer.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 320
    answer.get_by_role("button", name="是的").click()
    expect(answer.get_by_role("status")).to_contain_text("很高兴")
    assert AnswerFeedback.objects.get().is_answer


def test_the_results_page_answer_takes_a_vote_by_htmx(page: Page, live_server, articles):
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(live_server.url + "/search/?q=忘记密码")
    answer = page.get_by_role("region", name="自助重置步骤")
    expect(answer.get_by_role("link", name=re.compile("忘记登录密码怎么办"))).to_be_visible()
    assert no_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    answer.get_by_role("button", name="不是").click()
    expect(answer.get_by_role("status")).to_contain_text("谢谢反馈")
    expect(page).to_have_url(re.compile(r"/search/\?q="))  # no page change: htmx swapped the form
    assert AnswerFeedback.objects.get().is_answer is False


def test_the_results_page_answer_takes_a_vote_without_javascript(browser: Browser, live_server, articles):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/search/?q=忘记密码")
    page.get_by_role("button", name="是的").click()
    expect(page).to_have_url(re.compile(r"/search/answer/thanks/\?"))
    expect(page.get_by_role("status")).to_contain_text("很高兴这解答了你的问题")
    page.get_by_role("link", name="返回搜索结果").click()
    expect(page.get_by_role("region", name="自助重置步骤")).to_be_visible()
    assert AnswerFeedback.objects.get().is_answer
    context.close()
