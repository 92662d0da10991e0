"""What pages read from the values kept per content version (pagecache/derived.py): brands,
categories, channels with their hours, scam alerts and the article lists.

The writer computes them after its commit, so the first page after a change asks the database
little or nothing; and any change to what they hold shows on the next request, because they are
kept under the content version like the pages themselves and never past a scheduled change.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from brands.models import Brand
from contact.models import Channel, OpeningHours
from faq.models import Article, Category
from tests.factories import (
    ArticleFactory,
    BrandFactory,
    CategoryFactory,
    ChannelExceptionFactory,
    ChannelFactory,
    OpeningHoursFactory,
)
from trust.models import ScamAlert

pytestmark = pytest.mark.django_db


def _urgent_hotline() -> Channel:
    """A brand whose urgent hotline is open around the clock, shown on the home and brand pages."""
    channel = ChannelFactory(
        brand=BrandFactory(slug="kdpay", name="KDPay"),
        kind=Channel.Kind.HOTLINE,
        label="紧急热线",
        value="400 000 0101",
        good_for=Channel.GoodFor.URGENT,
    )
    for weekday in range(7):
        OpeningHoursFactory(channel=channel, weekday=weekday, opens_at="00:00", closes_at="00:00")
    return channel


@pytest.fixture
def hotline():
    return _urgent_hotline()


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_after_a_save_the_writer_has_computed_what_the_home_and_brand_pages_read(
    client, django_capture_on_commit_callbacks, django_assert_num_queries
):
    # One transaction, committed: the writer's receivers run after its commit.
    with django_capture_on_commit_callbacks(execute=True):
        hotline = _urgent_hotline()
        ArticleFactory(title="精选文章", is_featured=True, brands=[hotline.brand])
        ScamAlert.objects.create(brand=hotline.brand, message="冒充客服的电话")
        article = ArticleFactory()
        article.title = "改过的标题"
        article.save()
    for url in ["/", "/en/", "/b/kdpay/", "/en/b/kdpay/"]:
        with django_assert_num_queries(0):
            html = _page(client, url)
        assert "改过的标题" in html or url.startswith("/en/"), url
    assert "冒充客服的电话" in _page(client, "/b/kdpay/") and "精选文章" in _page(client, "/b/kdpay/")


def test_a_channel_change_shows_in_the_urgent_block_and_the_contact_pages_at_once(client, hotline):
    urls = ["/", "/b/kdpay/", "/contact/", "/contact/kdpay/"]
    assert all("400 000 0101" in _page(client, url) for url in urls)
    hotline.value = "400 000 0202"
    hotline.save()
    for url in urls:
        html = _page(client, url)
        assert "400 000 0202" in html and "400 000 0101" not in html, url
    Channel.objects.filter(pk=hotline.pk).update(label="改名的热线")
    assert "改名的热线" in _page(client, "/b/kdpay/")


def test_opening_hours_and_exceptions_show_at_once(client, hotline):
    assert "Open 24 hours" in _page(client, "/en/")
    OpeningHours.objects.filter(channel=hotline).delete()
    today = timezone.localdate()
    for weekday in range(7):
        OpeningHoursFactory(channel=hotline, weekday=weekday, opens_at="00:00", closes_at="23:59")
    assert "Open 24 hours" not in _page(client, "/en/")
    ChannelExceptionFactory(
        channel=hotline, start_date=today - timedelta(days=1), end_date=today + timedelta(days=1)
    )
    assert "Closed" in _page(client, "/en/b/kdpay/")


def test_brand_and_category_changes_show_on_every_page_that_lists_them(client, hotline):
    category = CategoryFactory(name="旧分类名")
    ArticleFactory(category=category)
    for url in ["/", "/b/kdpay/", category.get_absolute_url()]:
        _page(client, url)
    Brand.objects.filter(pk=hotline.brand_id).update(name="新品牌名")
    category.name = "新分类名"
    category.save()
    for url in ["/", "/b/kdpay/", category.get_absolute_url()]:
        html = _page(client, url)
        assert "新品牌名" in html and "新分类名" in html and "旧分类名" not in html, url
    Category.objects.filter(pk=category.pk).update(slug="renamed")
    assert client.get(category.get_absolute_url()).status_code == 404
    assert client.get("/c/renamed/").status_code == 200
    Brand.objects.filter(pk=hotline.brand_id).update(is_active=False)
    assert client.get("/b/kdpay/").status_code == 404
    assert "新品牌名" not in _page(client, "/")


def test_an_alert_changed_in_bulk_or_starting_later_shows_at_once(client, hotline):
    now = timezone.now()
    with time_machine.travel(now, tick=False) as traveller:
        alert = ScamAlert.objects.create(brand=hotline.brand, message="第一条警告")
        assert "第一条警告" in _page(client, "/b/kdpay/")
        ScamAlert.objects.filter(pk=alert.pk).update(message="改过的警告")
        assert "改过的警告" in _page(client, "/b/kdpay/")
        ScamAlert.objects.create(
            brand=hotline.brand, message="稍后的警告", starts_at=now + timedelta(seconds=30)
        )
        assert "稍后的警告" not in _page(client, "/b/kdpay/")
        traveller.shift(31)
        assert "稍后的警告" in _page(client, "/b/kdpay/")


def test_featured_and_most_read_lists_follow_changes(client, hotline, settings):
    quiet = ArticleFactory(title="少人读的文章", view_count=1)
    ArticleFactory(title="常读的文章", view_count=50)
    now = timezone.now()
    with time_machine.travel(now, tick=False) as traveller:
        html = _page(client, "/")
        assert html.index("常读的文章") < html.index("少人读的文章")
        Article.objects.filter(pk=quiet.pk).update(is_featured=True)
        assert "少人读的文章" in _page(client, "/").split('id="popular-title"')[0]
        # View counts move without a content change; the list catches up within a page's lifetime.
        Article.objects.filter(pk=quiet.pk).update(view_count=500)
        traveller.shift(settings.PAGE_CACHE_SECONDS + 1)
        popular = _page(client, "/").split('id="popular-title"')[1]
        assert popular.index("少人读的文章") < popular.index("常读的文章")


@pytest.mark.parametrize("candidates_per_place", [8, 1])
def test_the_writers_lists_are_each_brands_own(
    candidates_per_place, monkeypatch, django_capture_on_commit_callbacks, django_assert_num_queries
):
    """The writer reads the lists of every brand together; each must equal the brand's own query,
    also when the first articles hold too few of a brand's (then it is read alone)."""
    from faq import selectors

    monkeypatch.setattr(selectors, "MOST_VIEWED_CANDIDATES", candidates_per_place)
    with django_capture_on_commit_callbacks(execute=True):
        kdpay, okpay = BrandFactory(slug="kdpay"), BrandFactory(slug="okpay")
        for n in range(30):
            ArticleFactory(
                brands=[[], [], [kdpay], [okpay], [kdpay, okpay]][n % 5],
                view_count=(n * 37) % 100,
                is_featured=n % 3 == 0,
                featured_order=n % 7,
                language="en" if n % 6 == 0 else "zh-hans",
            )
    for language in ["zh-hans", "en"]:
        for brand in [None, kdpay, okpay]:
            with django_assert_num_queries(0):
                featured = selectors.featured_articles(brand=brand, language=language)
                most_read = selectors.most_read_articles(brand=brand, limit=8, language=language)
            assert featured == selectors._featured(language, brand)
            assert most_read == Article.objects.most_viewed_for(language=language, brand=brand, limit=8)


def test_a_fresh_process_knows_every_value_the_writer_computes():
    # A worker whose first act is an editor's save (no page served, no view module imported)
    # must still compute the home and brand pages' lists for the next visitor.
    import subprocess
    import sys
    from pathlib import Path

    code = (
        "import django; django.setup(); from pagecache.derived import _derivations; "
        "print(' '.join(sorted(_derivations)))"
    )
    base = Path(__file__).resolve().parents[2]
    names = subprocess.run(
        [sys.executable, "-c", code], cwd=base, capture_output=True, text=True, check=True, timeout=60
    ).stdout.split()
    assert {"faq:lists", "faq:categories", "brands:active", "contact:channels", "trust:alerts"} <= set(names)
