"""English pages in English: staff-entered text has an English version, shown when filled in.

helpcenter/localized.py is the one pattern (`<field>` Chinese, `<field>_en` English,
`localized_<field>` to read); these tests look at what an English reader actually sees.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from playwright.sync_api import Page, expect

from brands.models import Brand
from contact.models import Channel
from faq.models import Article, Language
from tests.factories import ArticleFactory, CategoryFactory

pytestmark = pytest.mark.django_db(transaction=True)

CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")

ENGLISH_PAGES = [
    "/en/",
    "/en/b/kdou/",
    "/en/c/security/",
    "/en/contact/",
    "/en/contact/kdpay/",
    "/en/contact/kdou/",
    "/en/contact/okpay/",
    "/en/warnings/",
    "/en/verify/?value=400 000 0202",
]


@pytest.fixture
def demo_site():
    call_command("load_demo", verbosity=0)


def chinese_outside_names(page: Page, names: list[str]) -> list[str]:
    """Chinese words on the page, leaving out brand names and parts marked lang=zh-Hans."""
    text = page.locator("body").evaluate(
        """(body) => {
          const clone = body.cloneNode(true);
          clone.querySelectorAll('[lang^="zh"]').forEach((el) => el.remove());
          return clone.innerText;
        }"""
    )
    for name in sorted(names, key=len, reverse=True):
        text = text.replace(name, "")
    return CJK.findall(text)


def test_english_pages_show_staff_text_in_english(page: Page, live_server, demo_site):
    """Channel labels, reply times, in-app steps, holiday labels, categories and alerts."""
    names = list(Brand.objects.values_list("name", flat=True)) + ["K豆"]
    found = {}
    for path in ENGLISH_PAGES:
        page.goto(live_server.url + path)
        words = chinese_outside_names(page, names)
        if words:
            found[path] = words[:8]
    assert found == {}


def test_english_falls_back_to_chinese_only_where_english_is_empty(page: Page, live_server, demo_site):
    hotline = Channel.objects.get(brand__slug="kdpay", kind=Channel.Kind.HOTLINE)
    chat = Channel.objects.get(brand__slug="kdpay", kind=Channel.Kind.CHAT)
    Channel.objects.filter(pk=hotline.pk).update(label_en="")
    page.goto(live_server.url + "/en/contact/kdpay/")
    expect(page.locator(f"#channel-{hotline.pk}")).to_contain_text(hotline.label)
    expect(page.locator(f"#channel-{chat.pk}")).to_have_text(chat.label_en)
    page.goto(live_server.url + "/contact/kdpay/")
    expect(page.locator(f"#channel-{chat.pk}")).to_have_text(chat.label)


def test_dates_and_hours_are_written_as_each_language_writes_them(page: Page, live_server, demo_site):
    page.goto(live_server.url + "/en/contact/kdou/")
    expect(page.get_by_text("Verified on 1 Nov 2026").first).to_be_visible()
    page.locator(".channel-card__hours summary").first.click()
    expect(page.get_by_text("All times are Beijing time.").first).to_be_visible()
    page.goto(live_server.url + "/contact/kdou/")
    expect(page.get_by_text("2026年11月1日").first).to_be_visible()
    page.locator(".channel-card__hours summary").first.click()
    expect(page.get_by_text("以上时间均为北京时间。").first).to_be_visible()


def test_an_article_missing_in_english_says_so(page: Page, live_server):
    category = CategoryFactory(slug="refunds", name="退款", name_en="Refunds")
    ArticleFactory(
        slug="refund-timelines", title="退款多久到账", summary="各种方式的到账时间。", category=category
    )
    assert not Article.objects.filter(language=Language.EN).exists()
    page.goto(live_server.url + "/a/refund-timelines/")
    page.get_by_role("navigation", name="语言").get_by_role("link", name="English").click()
    expect(page).to_have_url(re.compile(r"/en/a/refund-timelines/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "This article is not available in this language yet"
    )
    languages = page.get_by_role("navigation", name="Language")
    expect(languages.get_by_role("link", name="English")).to_have_attribute("aria-current", "true")
    expect(languages.get_by_role("link", name="简体中文")).to_have_attribute("href", "/a/refund-timelines/")
    page.get_by_role("link", name="Read it in 简体中文").click()
    expect(page).to_have_url(re.compile(r"/a/refund-timelines/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("退款多久到账")


def test_admin_edits_chinese_and_english_side_by_side(page: Page, live_server, demo_site):
    get_user_model().objects.create_superuser("lead", "lead@example.com", "a-long-test-password-1")
    page.goto(live_server.url + "/admin/login/")
    page.locator("#id_username").fill("lead")
    page.locator("#id_password").fill("a-long-test-password-1")
    page.locator("#id_password").press("Enter")
    page.set_viewport_size({"width": 1280, "height": 900})
    checks = {
        f"/admin/contact/channel/{Channel.objects.first().pk}/change/": [
            ("label", "label_en"),
            ("reply_time", "reply_time_en"),
        ],
        "/admin/faq/category/add/": [("name", "name_en"), ("description", "description_en")],
        "/admin/trust/scamalert/add/": [("message", "message_en")],
        f"/admin/brands/brand/{Brand.objects.first().pk}/change/": [("description", "description_en")],
    }
    for path, pairs in checks.items():
        page.goto(live_server.url + path)
        for chinese, english in pairs:
            left = page.locator(f"#id_{chinese}").bounding_box()
            right = page.locator(f"#id_{english}").bounding_box()
            assert abs(left["y"] - right["y"]) < 2 and right["x"] > left["x"], (path, chinese)
