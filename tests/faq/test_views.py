from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from faq.models import Article, ArticleFeedback
from faq.services import article_views_flush
from pagecache.schedule import next_scheduled_change
from pagecache.versions import current_version
from tests.factories import (
    ArticleFactory,
    BrandFactory,
    CategoryFactory,
    ChannelFactory,
    OpeningHoursFactory,
    TagFactory,
)
from tests.helpers import zh_url

pytestmark = pytest.mark.django_db


# --- Home, brand and category pages -----------------------------------------------------


def test_home_shows_categories_with_counts_brands_featured_and_contact_entry(client):
    category = CategoryFactory(name="退款")
    BrandFactory(name="KDPAY", slug="kdpay")
    ArticleFactory(category=category, title="退款多久到账", is_featured=True)
    ArticleFactory(category=category, status=Article.Status.DRAFT, title="草稿文章")
    response = client.get(zh_url("faq:home"))
    html = response.content.decode()
    assert response.status_code == 200
    counts = {c.slug: c.article_count for c in response.context["categories"]}
    assert counts[category.slug] == 1
    assert "退款多久到账" in html
    assert "草稿文章" not in html
    assert 'href="/b/kdpay/"' in html
    assert f'href="{zh_url("contact:index")}"' in html
    assert '<html lang="zh-Hans">' in html


def test_brand_page_lists_only_articles_for_that_brand(client):
    kdpay, okpay = BrandFactory(slug="kdpay"), BrandFactory(slug="okpay")
    ArticleFactory(title="KDPAY 专属文章", brands=[kdpay], is_featured=True)
    ArticleFactory(title="OKPay 专属文章", brands=[okpay], is_featured=True)
    ArticleFactory(title="所有钱包通用", is_featured=True)
    html = client.get(zh_url("faq:brand_detail", brand_slug="kdpay")).content.decode()
    assert "KDPAY 专属文章" in html and "所有钱包通用" in html
    assert "OKPay 专属文章" not in html


def test_unknown_brand_is_404(client):
    assert client.get(zh_url("faq:brand_detail", brand_slug="nope")).status_code == 404


def test_category_page_is_paginated_and_hides_other_languages(client):
    category = CategoryFactory()
    ArticleFactory.create_batch(25, category=category)
    ArticleFactory(category=category, language="en", title="English only")
    url = zh_url("faq:category_detail", category_slug=category.slug)
    first = client.get(url)
    second = client.get(url, {"page": 2})
    assert len(first.context["page"]) == 20
    assert len(second.context["page"]) == 5
    assert "English only" not in first.content.decode() + second.content.decode()
    assert client.get(url, {"page": "999"}).status_code == 200  # out of range shows the last page


def test_category_page_filters_by_brand(client):
    category = CategoryFactory()
    kdpay, okpay = BrandFactory(slug="kdpay"), BrandFactory(slug="okpay")
    ArticleFactory(category=category, title="K 文章", brands=[kdpay])
    ArticleFactory(category=category, title="O 文章", brands=[okpay])
    html = client.get(
        zh_url("faq:category_detail", category_slug=category.slug), {"brand": "okpay"}
    ).content.decode()
    assert "O 文章" in html and "K 文章" not in html


# --- Article page --------------------------------------------------------------------------


def test_article_page_shows_breadcrumbs_body_brands_related_and_contact(client):
    brand = BrandFactory(name="OKPay", slug="okpay")
    tag = TagFactory(name="退款")
    article = ArticleFactory(
        title="如何申请退款",
        body="## 第一步\n\n打开订单\n\n## 第二步\n\n提交\n\n## 第三步\n\n等待",
        brands=[brand],
        tags=[tag],
    )
    related = ArticleFactory(title="退款多久到账", tags=[tag])
    same_category = ArticleFactory(title="同一分类", category=article.category)
    ArticleFactory(title="不相关的文章")
    response = client.get(article.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert '<h1 id="article-title">如何申请退款</h1>' in html
    assert article.category.name in html  # breadcrumb
    assert "OKPay" in html
    assert 'class="toc"' in html
    assert related.title in html and same_category.title in html
    assert "不相关的文章" not in html
    assert zh_url("contact:index") in html


@pytest.mark.parametrize(
    "overrides",
    [
        {"status": Article.Status.DRAFT},
        {"published_at": timezone.now() + timedelta(days=1)},
    ],
)
def test_invisible_articles_answer_404_not_500(client, overrides):
    article = ArticleFactory(slug="hidden", **overrides)
    url = zh_url("faq:article_detail", slug="hidden")
    response = client.get(url)
    assert response.status_code == 404
    assert article.title not in response.content.decode()
    assert client.get(zh_url("faq:article_feedback", slug="hidden")).status_code == 404


def test_an_article_in_the_other_language_only_says_so_with_a_link(client):
    """No translation: a 404 that names the article and links to it, not the bare not-found page."""
    article = ArticleFactory(slug="only-english", language="en", title="How refunds work")
    response = client.get(zh_url("faq:article_detail", slug="only-english"))
    assert response.status_code == 404
    html = response.content.decode()
    assert "这篇文章暂时没有中文版" in html
    assert f'href="{article.get_absolute_url()}"' in html and "How refunds work" in html
    assert '<meta name="robots" content="noindex">' in html
    draft = ArticleFactory(slug="draft-english", language="en", status=Article.Status.DRAFT, title="Draft")
    assert draft.title not in client.get(zh_url("faq:article_detail", slug="draft-english")).content.decode()


def test_404_page_uses_site_style_in_the_users_language(client):
    zh_response = client.get("/a/does-not-exist/")
    en_response = client.get("/en/a/does-not-exist/")
    assert zh_response.status_code == en_response.status_code == 404
    zh_page, en_page = zh_response.content.decode(), en_response.content.decode()
    assert "<h1>页面不存在</h1>" in zh_page
    assert "<h1>Page not found</h1>" in en_page
    assert 'class="site-header"' in zh_page and 'class="site-header"' in en_page


def test_hostile_article_body_is_harmless_on_the_page(client):
    article = ArticleFactory(
        body='<script>alert("x")</script>\n\n[a][1]\n\n[1]: javascript:alert(1)\n\n<img src=x onerror=alert(1)>'
    )
    html = client.get(article.get_absolute_url()).content.decode()
    body = html.split('class="article__body prose">', 1)[1].split("</div>", 1)[0]
    assert "<script" not in body and "javascript:" not in body and "onerror" not in body


def test_article_page_has_canonical_hreflang_and_valid_json_ld(client):
    original = ArticleFactory(slug="reset", title="重置密码", summary="摘要")
    ArticleFactory(slug="reset-password", language="en", title="Reset your password", original=original)
    html = client.get(original.get_absolute_url()).content.decode()
    assert '<link rel="canonical" href="http://testserver/a/reset/">' in html
    assert 'hreflang="en" href="http://testserver/en/a/reset-password/"' in html
    assert 'hreflang="x-default" href="http://testserver/a/reset/"' in html
    assert '<meta name="description" content="摘要">' in html
    payload = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    graph = json.loads(payload)["@graph"]
    types = {node["@type"] for node in graph}
    assert types == {"Article", "BreadcrumbList"}
    article_node = next(node for node in graph if node["@type"] == "Article")
    assert article_node["headline"] == "重置密码"
    crumbs = next(node for node in graph if node["@type"] == "BreadcrumbList")["itemListElement"]
    assert [c["position"] for c in crumbs] == [1, 2, 3]
    assert crumbs[-1]["item"] == "http://testserver/a/reset/"


def test_language_switch_on_an_article_opens_its_translation(client):
    original = ArticleFactory(slug="frozen-account", title="账户被冻结")
    english = ArticleFactory(slug="account-frozen", language="en", title="Account frozen", original=original)
    zh_html = client.get(original.get_absolute_url()).content.decode()
    en_html = client.get(english.get_absolute_url()).content.decode()
    assert 'href="/en/a/account-frozen/" hreflang="en"' in zh_html
    assert 'href="/a/frozen-account/" hreflang="zh-hans"' in en_html
    assert '<html lang="en">' in en_html and "Was this article helpful?" in en_html


def test_language_switch_without_translation_opens_the_notice_in_that_language(client):
    article = ArticleFactory(slug="only-chinese")
    html = client.get(article.get_absolute_url()).content.decode()
    assert 'href="/en/a/only-chinese/" hreflang="en"' in html
    notice = client.get("/en/a/only-chinese/")
    assert notice.status_code == 404
    assert "This article is not available in this language yet" in notice.content.decode()


def test_language_switch_on_other_pages_keeps_the_page_and_query(client):
    category = CategoryFactory(slug="refunds")
    html = client.get(category.get_absolute_url(), {"brand": "okpay"}).content.decode()
    assert 'href="/en/c/refunds/?brand=okpay"' in html


def test_article_sends_validators_and_answers_304(client):
    article = ArticleFactory()
    first = client.get(article.get_absolute_url())
    assert first.has_header("ETag") and first.has_header("Last-Modified")
    again = client.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    since = client.get(article.get_absolute_url(), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304
    article.title = "更新后的标题"
    article.save()
    assert client.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_public_pages_hold_nothing_personal_so_they_can_be_cached(client):
    article = ArticleFactory()
    for url in [zh_url("faq:home"), article.category.get_absolute_url(), article.get_absolute_url()]:
        response = client.get(url)
        assert "csrfmiddlewaretoken" not in response.content.decode()
        assert "Cookie" not in response.get("Vary", "")
        assert not response.cookies


def test_views_are_counted_in_memory_and_written_in_one_batch(client, settings):
    settings.ARTICLE_VIEW_FLUSH_SECONDS = 3600
    article_views_flush()  # start a fresh window
    first, second = ArticleFactory(), ArticleFactory()
    for _ in range(5):
        client.get(first.get_absolute_url())
    client.get(second.get_absolute_url())
    first.refresh_from_db()
    assert first.view_count == 0  # no write while the window is open
    assert article_views_flush() == 6
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.view_count, second.view_count) == (5, 1)


def test_the_first_view_after_the_window_writes_the_batch(client, settings):
    article_views_flush()  # start a fresh window
    article = ArticleFactory()
    settings.ARTICLE_VIEW_FLUSH_SECONDS = 0
    client.get(article.get_absolute_url())
    article.refresh_from_db()
    assert article.view_count == 1


# --- Feedback -------------------------------------------------------------------------------


def test_feedback_vote_with_htmx_returns_the_fragment_and_counts_once(client):
    article = ArticleFactory()
    url = zh_url("faq:article_feedback", slug=article.slug)
    form = client.get(url, headers={"HX-Request": "true"})
    assert "<html" not in form.content.decode() and "csrfmiddlewaretoken" in form.content.decode()
    response = client.post(url, {"is_helpful": "yes"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "<html" not in response.content.decode()
    again = client.post(url, {"is_helpful": "yes"}, headers={"HX-Request": "true"})
    assert again.status_code == 200
    article.refresh_from_db()
    assert article.helpful_count == 1
    assert ArticleFeedback.objects.filter(article=article).count() == 1


def test_not_helpful_vote_then_comment_without_javascript(client):
    article = ArticleFactory()
    url = zh_url("faq:article_feedback", slug=article.slug)
    response = client.post(url, {"is_helpful": "no"})
    assert response.status_code == 302 and response["Location"] == url
    page = client.get(url).content.decode()
    assert 'name="comment"' in page
    client.post(url, {"comment": "没有说明到账时间"})
    feedback = ArticleFeedback.objects.get(article=article)
    assert feedback.is_helpful is False and feedback.comment == "没有说明到账时间"
    article.refresh_from_db()
    assert article.not_helpful_count == 1


def test_each_visitor_gets_one_vote(client):
    article = ArticleFactory()
    url = zh_url("faq:article_feedback", slug=article.slug)
    client.post(url, {"is_helpful": "yes"})
    client.post(url, {"is_helpful": "no"})
    Client().post(url, {"is_helpful": "no"})
    article.refresh_from_db()
    assert (article.helpful_count, article.not_helpful_count) == (1, 1)


def test_invalid_vote_is_a_clear_400(client):
    article = ArticleFactory()
    response = client.post(zh_url("faq:article_feedback", slug=article.slug), {"is_helpful": "maybe"})
    assert response.status_code == 400
    assert "请回答“有帮助”或“没有帮助”。" in response.content.decode()
    assert not ArticleFeedback.objects.exists()


def test_overlong_comment_is_rejected_with_a_message(client):
    article = ArticleFactory()
    url = zh_url("faq:article_feedback", slug=article.slug)
    client.post(url, {"is_helpful": "no"})
    response = client.post(url, {"comment": "太长" * 600})
    assert response.status_code == 400
    assert ArticleFeedback.objects.get().comment == ""


# --- Query budgets ---------------------------------------------------------------------------


def _fill(n: int):
    brands = [BrandFactory(slug=f"b{i}") for i in range(3)]
    categories = [CategoryFactory(slug=f"c{i}") for i in range(6)]
    tags = [TagFactory(name=f"t{i}") for i in range(5)]
    articles = [
        ArticleFactory(
            category=categories[i % 6], brands=[brands[i % 3]], tags=tags[: i % 5 + 1], is_featured=i % 7 == 0
        )
        for i in range(n)
    ]
    for brand in brands:
        hotline = ChannelFactory(brand=brand, kind="hotline", value="400 000 0101", good_for="urgent")
        OpeningHoursFactory(channel=hotline, weekday=0)
    return articles


@pytest.mark.parametrize("n", [1, 500])
def test_query_counts_do_not_grow_with_content(client, django_assert_max_num_queries, n):
    articles = _fill(n)
    article = articles[0]
    pages = {
        # + 3 for the emergency shortcuts: channels with their brand, weekly hours, exceptions.
        zh_url("faq:home"): 9,
        zh_url("faq:brand_detail", brand_slug="b0"): 10,
        articles[0].category.get_absolute_url(): 7,
        article.get_absolute_url(): 8,
    }
    # Once per content version the page cache reads the next scheduled instant (3 queries,
    # pagecache/schedule.py); counted apart so the budgets stay those of the pages.
    with django_assert_max_num_queries(3):
        next_scheduled_change(current_version())
    for url, budget in pages.items():
        with django_assert_max_num_queries(budget):
            assert client.get(url).status_code == 200
        with django_assert_max_num_queries(0):  # the same page again: from the page cache
            assert client.get(url).status_code == 200


# --- Sitemap and robots ---------------------------------------------------------------------


def _sitemap_locations(client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/xml", url
    return re.findall(r"<loc>([^<]+)</loc>", response.content.decode())


def test_sitemap_lists_published_articles_in_both_languages_only(client):
    visible = ArticleFactory(slug="visible")
    english = ArticleFactory(slug="visible-en", language="en")
    ArticleFactory(slug="draft", status=Article.Status.DRAFT)
    ArticleFactory(slug="scheduled", published_at=timezone.now() + timedelta(days=1))
    assert _sitemap_locations(client, "/sitemap.xml") == [
        "http://testserver/sitemap-pages.xml",
        "http://testserver/sitemap-categories.xml",
        "http://testserver/sitemap-articles.xml",
    ]
    articles = _sitemap_locations(client, "/sitemap-articles.xml")
    assert sorted(articles) == ["http://testserver/a/visible/", "http://testserver/en/a/visible-en/"]
    assert 'hreflang="en"' in client.get("/sitemap-pages.xml").content.decode()  # alternates
    assert 'hreflang="en"' in client.get("/sitemap-categories.xml").content.decode()
    assert visible.get_absolute_url() == "/a/visible/" and english.get_absolute_url() == "/en/a/visible-en/"


def test_sitemap_index_lists_every_page_of_articles(client, monkeypatch):
    """Articles come in pages (of consecutive ids); the index links each, so every published
    article is in the sitemap, and a page past the last is a 404."""
    monkeypatch.setattr("faq.sitemaps.ArticleSitemap.limit", 2)
    slugs = [f"article-{n}" for n in range(5)]
    for slug in slugs:
        ArticleFactory(slug=slug)
    ArticleFactory(slug="draft", status=Article.Status.DRAFT)
    index = _sitemap_locations(client, "/sitemap.xml")
    pages = [url for url in index if "sitemap-articles.xml" in url]
    assert pages == [
        "http://testserver/sitemap-articles.xml",
        "http://testserver/sitemap-articles.xml?p=2",
        "http://testserver/sitemap-articles.xml?p=3",
    ]
    listed = [
        loc for page in pages for loc in _sitemap_locations(client, page.removeprefix("http://testserver"))
    ]
    assert sorted(listed) == [f"http://testserver/a/{slug}/" for slug in slugs]
    assert client.get("/sitemap-articles.xml?p=4").status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_robots_txt_points_to_the_sitemap(client):
    text = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in text


def test_search_results_ask_search_engines_not_to_index_them_but_articles_do_not(client):
    """Result pages for any query are thin duplicates of the articles; only the articles are indexed."""
    article = ArticleFactory(slug="refund-time", title="退款多久到账")
    noindex = '<meta name="robots" content="noindex">'
    assert noindex in client.get("/search/?q=退款").content.decode()
    assert noindex not in client.get(article.get_absolute_url()).content.decode()


# --- Staff ------------------------------------------------------------------------------------


@pytest.fixture
def editor(db):
    user = User.objects.create_user("editor", password="pw-editor-123", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def test_editor_can_open_the_article_admin_pages(client, editor):
    article = ArticleFactory(status=Article.Status.DRAFT)
    client.force_login(editor)
    for url in [
        reverse("admin:faq_article_changelist"),
        reverse("admin:faq_article_add"),
        reverse("admin:faq_article_change", args=[article.pk]),
        reverse("admin:faq_articlefeedback_changelist"),
        reverse("admin:faq_article_changelist") + "?status__exact=draft&language__exact=zh-hans",
    ]:
        assert client.get(url).status_code == 200, url
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403


def test_cached_related_list_never_shows_an_article_unpublished_since(client):
    article = ArticleFactory()
    related = ArticleFactory(category=article.category, title="稍后会撤回的文章")
    assert related.title in client.get(article.get_absolute_url()).content.decode()
    Article.objects.filter(pk=related.pk).update(status=Article.Status.DRAFT)
    assert related.title not in client.get(article.get_absolute_url()).content.decode()
