"""The shared page cache: what it keeps, what it refuses, and that a change is never served stale.

Runs on SQLite and PostgreSQL like the rest of the suite; the cross-process cases (other
workers, Redis) are in test_live.py.
"""

from __future__ import annotations

import gzip
import re
from datetime import datetime, time, timedelta

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client, RequestFactory
from django.utils import timezone

from brands.models import Brand
from faq.models import Article, Category, Synonym
from faq.services import article_views_flush
from pagecache.versions import current_version
from tests.factories import ArticleFactory, BrandFactory, CategoryFactory
from trust.models import ConfirmedScam, ScamAlert

from . import urls as test_urls

pytestmark = pytest.mark.django_db


@pytest.fixture
def rules(settings):
    settings.ROOT_URLCONF = "tests.pagecache.urls"
    test_urls.CALLS["count"] = 0
    return test_urls.CALLS


def _served_twice_by_the_view(client: Client, url: str, calls: dict, **headers) -> bool:
    client.get(url, headers=headers)
    before = calls["count"]
    client.get(url, headers=headers)
    return calls["count"] == before + 1


# --- What is kept, what is refused -------------------------------------------------------


def test_a_public_page_is_answered_from_the_cache_the_second_time(client, rules):
    first = client.get("/t/plain/")
    again = client.get("/t/plain/")
    assert rules["count"] == 1
    assert again.content == first.content == b"plain 1"
    assert again["Cache-Control"] == "public, max-age=0, s-maxage=10, stale-while-revalidate=20"
    assert again["ETag"] == first["ETag"]


def test_a_page_too_large_for_the_workers_own_copies_comes_from_the_shared_cache(client, rules, settings):
    settings.PAGE_CACHE_LOCAL_BYTES = 10  # smaller than any page: this worker keeps no copy
    first = client.get("/t/plain/")
    again = client.get("/t/plain/")
    assert rules["count"] == 1
    assert again.content == first.content


def test_a_page_kept_by_an_older_release_is_rendered_again(client, rules):
    from pagecache.middleware import cache_key, shared_key
    from pagecache.versions import page_cache

    request = RequestFactory().get("/t/plain/")
    # What the release before this one stored: a dict holding a pickled response.
    key = shared_key(cache_key(request))
    page_cache().set(key, {"version": current_version(), "deadline": 2e9}, 60)
    response = client.get("/t/plain/")
    assert response.content == b"plain 1" and rules["count"] == 1
    assert not isinstance(page_cache().get(key), dict)  # the same key, now holding this release's page


def test_a_cached_page_answers_304_to_its_etag(client, rules):
    etag = client.get("/t/plain/")["ETag"]
    response = client.get("/t/plain/", headers={"If-None-Match": etag})
    assert response.status_code == 304 and rules["count"] == 1


@pytest.mark.parametrize(
    "url", ["/t/cookie/", "/t/csrf/", "/t/session/", "/t/vary/", "/t/private/", "/t/404/", "/t/nonce/"]
)
def test_responses_with_anything_personal_or_not_200_are_never_kept(client, rules, url):
    assert _served_twice_by_the_view(client, url, rules)
    response = client.get(url)
    assert "public" not in response["Cache-Control"] and "s-maxage" not in response["Cache-Control"]


@pytest.mark.parametrize("url", ["/t/cookie/", "/t/csrf/", "/t/session/", "/t/vary/"])
def test_responses_that_set_a_cookie_or_vary_on_it_are_no_store_for_every_cache(client, rules, url):
    assert "no-store" in client.get(url)["Cache-Control"]


@pytest.mark.parametrize("cookie", ["sessionid", "messages"])
def test_a_visitor_with_a_session_or_a_flash_message_never_gets_a_cached_page(client, rules, cookie):
    client.get("/t/plain/")
    client.cookies[cookie] = "x"
    assert client.get("/t/plain/").content == b"plain 2"
    assert client.get("/t/plain/").content == b"plain 3"


def test_only_get_is_served_from_the_cache(client, rules):
    client.get("/t/plain/")
    assert client.post("/t/plain/").content == b"plain 2"
    assert client.head("/t/plain/").status_code == 200 and rules["count"] == 3


def test_the_key_holds_query_string_host_htmx_and_compression(client, rules, settings):
    settings.ALLOWED_HOSTS = ["testserver", "other.example"]
    bodies = {
        client.get("/t/plain/").content,
        client.get("/t/plain/?page=2").content,
        client.get("/t/plain/", HTTP_HOST="other.example").content,
        client.get("/t/plain/", headers={"HX-Request": "true"}).content,
    }
    assert len(bodies) == 4 and rules["count"] == 4


def test_compressed_and_plain_answers_are_separate_entries(client):
    article = ArticleFactory(body="很长的正文。" * 200)
    url = article.get_absolute_url()
    for _ in range(2):
        zipped = client.get(url, headers={"Accept-Encoding": "gzip"})
        plain = client.get(url)
        assert zipped["Content-Encoding"] == "gzip" and "Content-Encoding" not in plain
        assert gzip.decompress(zipped.content).decode().count("很长的正文") == plain.content.decode().count(
            "很长的正文"
        )


def test_language_comes_from_the_url_not_from_accept_language(client):
    category = CategoryFactory(name="退款分类", name_en="Refund category")
    ArticleFactory(category=category)
    client.get("/")  # cached in Chinese
    english_browser = client.get("/", headers={"Accept-Language": "en"}).content.decode()
    assert "退款分类" in english_browser and "Refund category" not in english_browser
    assert "Refund category" in client.get("/en/").content.decode()
    assert "Accept-Language" not in client.get("/").get("Vary", "")


def test_a_view_max_age_caps_the_entry(client, rules):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client.get("/t/short/")
        traveller.shift(29)
        assert client.get("/t/short/").content == b"short 1"
        assert "s-maxage=1" in client.get("/t/short/")["Cache-Control"]
        traveller.shift(2)
        assert client.get("/t/short/").content == b"short 2"


def test_knowledge_base_pages_hold_no_token_and_are_cached(client, django_assert_num_queries):
    article = ArticleFactory()
    urls = [
        "/",
        "/en/",
        f"/b/{BrandFactory().slug}/",
        article.category.get_absolute_url(),
        article.get_absolute_url(),
        "/sitemap.xml",
        "/robots.txt",
        "/api/v1/search?q=%E9%80%80%E6%AC%BE",
        f"/api/v1/articles/{article.slug}",
        "/search/instant/?q=%E9%80%80%E6%AC%BE",
    ]
    for url in urls:
        assert client.get(url).status_code == 200, url
        with django_assert_num_queries(0):
            response = client.get(url)
        assert response.status_code == 200 and response["Cache-Control"].startswith("public"), url
        assert not response.cookies and b"csrfmiddlewaretoken" not in response.content


def test_a_logged_search_page_is_never_cached_but_its_htmx_results_are(client):
    from faq.models import SearchQueryLog

    ArticleFactory(title="退款多久到账")
    client.get("/search/?q=退款")
    client.get("/search/?q=退款")
    assert SearchQueryLog.objects.count() == 2  # each full search is logged
    client.get("/search/?q=退款", headers={"HX-Request": "true"})
    response = client.get("/search/?q=退款", headers={"HX-Request": "true"})
    assert response["Cache-Control"].startswith("public") and SearchQueryLog.objects.count() == 2


def test_views_served_from_the_cache_are_still_counted(client):
    article_views_flush()
    article = ArticleFactory()
    for _ in range(3):
        client.get(article.get_absolute_url())
    assert article_views_flush() == 3


# --- Invalidation: every change shows on the next request ----------------------------------


def test_saving_an_article_shows_on_its_page_and_the_home_page(client):
    article = ArticleFactory(title="旧标题")
    client.get("/"), client.get(article.get_absolute_url())
    article.title = "新标题"
    article.save()
    assert "新标题" in client.get(article.get_absolute_url()).content.decode()
    home = client.get("/").content.decode()
    assert "新标题" in home and "旧标题" not in home


def test_admin_bulk_unpublish_and_publish_show_at_once(client, admin_client):
    article = ArticleFactory(title="可见的文章")
    url = article.get_absolute_url()
    assert client.get(url).status_code == 200
    changelist = "/admin/faq/article/"
    admin_client.post(changelist, {"action": "unpublish", "_selected_action": [article.pk]})
    assert Article.objects.get(pk=article.pk).status == Article.Status.DRAFT
    assert client.get(url).status_code == 404
    category_page = client.get(article.category.get_absolute_url()).content.decode()
    assert "可见的文章" not in category_page
    admin_client.post(changelist, {"action": "publish", "_selected_action": [article.pk]})
    assert client.get(url).status_code == 200
    assert "可见的文章" in client.get(article.category.get_absolute_url()).content.decode()


def test_queryset_update_and_delete_invalidate(client):
    article = ArticleFactory(title="批量改之前")
    url = article.get_absolute_url()
    client.get(url)
    Article.objects.filter(pk=article.pk).update(title="批量改之后")
    assert "批量改之后" in client.get(url).content.decode()
    Article.objects.filter(pk=article.pk).delete()
    assert client.get(url).status_code == 404


def test_view_and_vote_counters_leave_the_cache_alone():
    article = ArticleFactory()
    version = current_version()
    Article.objects.filter(pk=article.pk).update(view_count=10, helpful_count=2)
    article.save(update_fields=["view_count"])
    assert current_version() == version
    Article.objects.filter(pk=article.pk).update(is_featured=True)
    assert current_version() != version


def test_bulk_create_and_brand_links_invalidate(client):
    category = CategoryFactory()
    brand = BrandFactory(name="新钱包")
    client.get(category.get_absolute_url())
    Article.objects.bulk_create(
        [Article(title="批量创建的文章", slug="bulk-1", category=category, status="published", body="x")]
    )
    assert "批量创建的文章" in client.get(category.get_absolute_url()).content.decode()
    article = Article.objects.get(slug="bulk-1")
    version = current_version()
    article.brands.add(brand)
    assert current_version() != version


def test_category_and_brand_changes_show_at_once(client):
    article = ArticleFactory()
    brand = BrandFactory(name="旧品牌名")
    client.get("/"), client.get(f"/b/{brand.slug}/")
    Category.objects.filter(pk=article.category_id).update(name="改名后的分类")
    brand.name = "新品牌名"
    brand.save()
    assert "改名后的分类" in client.get("/").content.decode()
    assert "新品牌名" in client.get(f"/b/{brand.slug}/").content.decode()
    Brand.objects.filter(pk=brand.pk).update(is_active=False)
    assert client.get(f"/b/{brand.slug}/").status_code == 404


def test_a_new_synonym_changes_cached_search_answers(client):
    ArticleFactory(title="如何取现", slug="cash-out")
    url = "/api/v1/search?q=提现"
    assert client.get(url).json()["total"] == 0
    Synonym.objects.create(words="提现, 取现")
    assert client.get(url).json()["total"] == 1


def test_an_alert_shows_on_the_brand_page_at_once(client):
    brand = BrandFactory()
    url = f"/b/{brand.slug}/"
    client.get(url)
    ScamAlert.objects.create(brand=brand, message="有人冒充客服，请勿转账")
    assert "有人冒充客服" in client.get(url).content.decode()


def test_a_confirmed_scam_moves_the_content_version():
    version = current_version()
    ConfirmedScam.objects.create(kind="phone", value="+86 170 0000 0999", normalized_value="+8617000000999")
    assert current_version() != version


def test_a_scheduled_article_appears_at_its_publish_time_with_nobody_saving(client):
    now = timezone.now()
    with time_machine.travel(now, tick=False) as traveller:
        category = CategoryFactory()
        ArticleFactory(title="定时发布的文章", category=category, published_at=now + timedelta(seconds=90))
        url = category.get_absolute_url()
        assert "定时发布的文章" not in client.get(url).content.decode()
        response = client.get(url)
        assert "s-maxage=10" in response["Cache-Control"]
        traveller.shift(85)
        # A CDN is told to keep it no longer than until the publish time either.
        assert "s-maxage=5" in client.get(url)["Cache-Control"]
        assert "stale-while-revalidate" not in client.get(url)["Cache-Control"]
        traveller.shift(6)
        assert "定时发布的文章" in client.get(url).content.decode()


def test_an_alert_ending_disappears_with_nobody_saving(client):
    now = timezone.now()
    with time_machine.travel(now, tick=False) as traveller:
        brand = BrandFactory()
        ScamAlert.objects.create(brand=brand, message="限时警告内容", ends_at=now + timedelta(seconds=40))
        url = f"/b/{brand.slug}/"
        assert "限时警告内容" in client.get(url).content.decode()
        traveller.shift(41)
        assert "限时警告内容" not in client.get(url).content.decode()


def test_staff_with_a_session_see_their_change_without_any_cache(client):
    user = User.objects.create_superuser("boss", password="pw-boss-123")
    staff = Client()
    staff.force_login(user)
    article = ArticleFactory(title="员工看到的")
    client.get(article.get_absolute_url())
    assert "员工看到的" in staff.get(article.get_absolute_url()).content.decode()


# --- The contact form: rendered once, a fresh CSRF token per visitor ------------------------


def _token(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def test_the_blank_contact_form_is_rendered_once_with_a_fresh_token_per_visitor(
    django_assert_num_queries, valid_data
):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    page = first.get("/contact/message/?brand=kdpay")
    with django_assert_num_queries(0):
        again = second.get("/contact/message/?brand=kdpay")
    assert _token(page.content.decode()) != _token(again.content.decode())
    assert "csrftoken" in again.cookies and "no-store" in again["Cache-Control"]
    assert 'value="kdpay" selected' in again.content.decode()
    data = {**valid_data, "csrfmiddlewaretoken": _token(again.content.decode())}
    response = second.post("/contact/message/", data)
    assert response.status_code == 302 and response["Location"] == "/contact/message/sent/"


def test_a_visitor_with_a_session_gets_the_contact_form_rendered_for_them(
    client, django_assert_max_num_queries, kdpay
):
    client.get("/contact/message/")
    client.cookies["sessionid"] = "anything"
    with django_assert_max_num_queries(10) as captured:
        client.get("/contact/message/")
    assert len(captured) > 0


def test_next_transition_is_the_closing_then_the_opening_instant():
    from zoneinfo import ZoneInfo

    from contact.hours import Schedule, next_transition

    tz = ZoneInfo("Asia/Shanghai")
    nine_to_six = [(time(9), time(18))]
    schedule = Schedule(tz=tz, weekly=dict.fromkeys(range(5), nine_to_six))
    monday = datetime(2026, 11, 23, 10, tzinfo=tz)
    assert next_transition(schedule, monday) == datetime(2026, 11, 23, 18, tzinfo=tz)
    assert next_transition(schedule, monday.replace(hour=19)) == datetime(2026, 11, 24, 9, tzinfo=tz)
    friday_evening = datetime(2026, 11, 27, 18, tzinfo=tz)
    assert next_transition(schedule, friday_evening) == datetime(2026, 11, 30, 9, tzinfo=tz)
    always = Schedule(tz=tz, weekly=dict.fromkeys(range(7), [(time(0), time(0))]))
    assert next_transition(always, monday) is None


def test_a_change_in_a_transaction_moves_the_version_again_at_commit_and_counts_are_ready(
    django_capture_on_commit_callbacks, django_assert_num_queries
):
    from django.db import transaction

    from faq.counts import published_counts

    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        article = ArticleFactory()
        article.title = "事务中的修改"
        article.save()
        inside = current_version()
        Article.objects.filter(pk=article.pk).update(summary="同一事务")
    assert len(callbacks) == 1  # once per transaction, however many rows changed
    assert current_version() != inside  # a page rendered from the uncommitted rows is never served
    with django_assert_num_queries(0):  # the writer already counted for the new version
        assert published_counts("zh-hans")["all"] == {article.category_id: 1}


def test_the_cached_contact_form_serves_each_visitor_a_working_token_without_the_stack(
    django_assert_num_queries, valid_data
):
    Client().get("/contact/message/")  # stored: the page with a placeholder, never a token
    returning = Client(enforce_csrf_checks=True)
    returning.get("/contact/message/")
    secret_cookie = returning.cookies["csrftoken"].value
    with django_assert_num_queries(0):
        again = returning.get("/contact/message/")
    assert "csrf-token-placeholder" not in again.content.decode()
    assert "private" in again["Cache-Control"] and "no-store" in again["Cache-Control"]
    assert "Cookie" in again["Vary"] and again.cookies["csrftoken"].value == secret_cookie
    data = {**valid_data, "csrfmiddlewaretoken": _token(again.content.decode())}
    assert returning.post("/contact/message/", data).status_code == 302


def test_the_cached_contact_form_is_compressed_per_answer_with_a_fresh_token(client):
    client.get("/contact/message/", headers={"Accept-Encoding": "gzip"})
    answers = [Client().get("/contact/message/", headers={"Accept-Encoding": "gzip"}) for _ in range(2)]
    assert all(answer["Content-Encoding"] == "gzip" for answer in answers)
    tokens = {_token(gzip.decompress(answer.content).decode()) for answer in answers}
    assert len(tokens) == 2
