"""Searches counted per finished day (faq/search_days.py): the search dashboard shows the same
numbers whether the days are counted or read from the log, today's searches included, and a result
opened (or a search deleted) after its day was counted shows up."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from faq.dashboard import searches_per_day
from faq.models import SearchDay, SearchDayCount, SearchQueryLog
from faq.search_days import search_day_count
from faq.search_log import click_token, search_click_record, search_query_record
from helpcenter.dashboards import Period
from tests.factories import ArticleFactory, BrandFactory

pytestmark = pytest.mark.django_db

# 2026-12-01 10:00 in Shanghai; the days are Shanghai days.
NOW = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
TODAY = date(2026, 12, 1)
URL = reverse("admin:dashboard_search")


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def editor(django_user_model) -> Client:
    user = django_user_model.objects.create_user("editor", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    client = Client()
    client.force_login(user)
    return client


def searched(query, *, at, results=0, language="zh-hans", brand=None, opened=False) -> SearchQueryLog:
    log = search_query_record(query=query, language=language, brand=brand, result_count=results)
    SearchQueryLog.objects.filter(pk=log.pk).update(created_at=at, clicked=opened)
    return log


@pytest.fixture
def week_of_searches():
    """Searches over the last 9 days (two before a 7-day period), two brands and no brand, two
    languages, some found nothing, some opened; a few near the local midnights."""
    kdpay, other = BrandFactory(slug="kdpay"), BrandFactory(slug="other")
    for n in range(60):
        searched(
            f"问题{n % 7}",
            at=NOW - timedelta(hours=3.7 * n),
            results=n % 3,
            language="en" if n % 4 == 0 else "zh-hans",
            brand=[kdpay, other, None][n % 3],
            opened=n % 5 == 0 and n % 3 != 0,
        )
    # 2026-11-29 16:00 UTC is 30 November 00:00 in Shanghai; 15:59 is still the 29th.
    searched("午夜", at=datetime(2026, 11, 29, 16, 0, tzinfo=UTC), results=1, brand=kdpay)
    searched("午夜", at=datetime(2026, 11, 29, 15, 59, tzinfo=UTC), results=1, brand=kdpay)
    return kdpay


def per_day(**period) -> list[tuple]:
    period = Period(first_day=TODAY - timedelta(days=6), last_day=TODAY, **period)
    return [(row.day, row.total, row.no_result, row.opened) for row in searches_per_day(period)]


def per_day_in_language(language: str) -> list[tuple]:
    period = Period(first_day=TODAY - timedelta(days=6), last_day=TODAY)
    return [(row.day, row.total, row.no_result, row.opened) for row in searches_per_day(period, language)]


def test_counted_days_show_the_same_numbers_as_the_log(week_of_searches):
    kdpay = week_of_searches
    from_log = [per_day(), per_day(brand=kdpay), per_day_in_language("en")]
    call_command("count_search_days", verbosity=0)
    assert SearchDay.objects.filter(day__lt=TODAY).count() == 90
    assert not SearchDay.objects.filter(day=TODAY).exists()  # today is never counted
    assert [per_day(), per_day(brand=kdpay), per_day_in_language("en")] == from_log
    assert from_log[0][-1][1] > 0  # today's searches are there, read from the log


def test_the_counts_are_what_the_page_reads_for_finished_days(week_of_searches, editor):
    call_command("count_search_days", verbosity=0)
    before = editor.get(URL, {"days": "7"}).context["summary"].per_day
    # Rows gone from the log without going through the admin (only the counts still know them).
    SearchQueryLog.objects.filter(created_at__lt=NOW - timedelta(days=1)).delete()
    after = editor.get(URL, {"days": "7"}).context["summary"].per_day
    assert [row.total for row in after[:-2]] == [row.total for row in before[:-2]]
    assert sum(row.total for row in after[:-2]) > 0


def test_a_result_opened_after_its_day_was_counted_shows_up(editor, django_capture_on_commit_callbacks):
    article = ArticleFactory()
    yesterday = searched("手续费", at=NOW - timedelta(days=1), results=3)
    call_command("count_search_days", verbosity=0)
    assert per_day()[-2] == (TODAY - timedelta(days=1), 1, 0, 0)
    # The results page stayed open overnight; the visitor opens the article today.
    link = reverse("faq:search_click", args=[click_token(log_id=yesterday.pk, article_id=article.pk)])
    with django_capture_on_commit_callbacks(execute=True):
        assert Client().get(link).status_code == 302
    assert per_day()[-2] == (TODAY - timedelta(days=1), 1, 0, 1)
    page = editor.get(URL, {"days": "7"}).content.decode()
    assert (
        '<th scope="row">2026-11-30</th><td class="number">1</td><td class="number">0</td><td class="number">1</td>'
        in page
    )


def test_only_the_first_result_opened_counts_the_day_again(django_capture_on_commit_callbacks):
    first, second = ArticleFactory(), ArticleFactory()
    log = searched("手续费", at=NOW - timedelta(days=2), results=3)
    call_command("count_search_days", verbosity=0)
    recounts = []
    for article in (first, second, first):
        link = reverse("faq:search_click", args=[click_token(log_id=log.pk, article_id=article.pk)])
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            Client().get(link)
        recounts.append(len(callbacks))
    assert recounts == [1, 0, 0]
    assert per_day()[-3] == (TODAY - timedelta(days=2), 1, 0, 1)


def test_deleting_searches_in_the_admin_recounts_their_days(admin_client):
    gone = searched("退款", at=NOW - timedelta(days=3))
    searched("退款", at=NOW - timedelta(days=3))
    call_command("count_search_days", verbosity=0)
    changelist = reverse("admin:faq_searchquerylog_changelist")
    admin_client.post(changelist, {"action": "delete_selected", "_selected_action": [gone.pk], "post": "yes"})
    assert not SearchQueryLog.objects.filter(pk=gone.pk).exists()
    assert per_day()[-4] == (TODAY - timedelta(days=3), 1, 1, 0)


def test_a_staff_member_in_another_zone_gets_that_zones_days(week_of_searches):
    with timezone.override("America/New_York"):
        from_log = per_day()
    call_command("count_search_days", verbosity=0)
    with timezone.override("America/New_York"):
        assert per_day() == from_log


def test_days_counted_in_another_zone_are_read_from_the_log(week_of_searches, settings):
    settings.TIME_ZONE = "Europe/London"
    call_command("count_search_days", verbosity=0)
    settings.TIME_ZONE = "Asia/Shanghai"
    with timezone.override("Asia/Shanghai"):
        from_log = per_day()
        SearchDay.objects.update(time_zone="Asia/Shanghai")  # what a wrong zone would show
        assert per_day() != from_log
        SearchDay.objects.update(time_zone="Europe/London")
        assert per_day() == from_log


def test_counting_again_gives_the_same_rows(week_of_searches):
    def rows():
        fields = ["search_day__day", "brand", "language", "searches", "no_result", "opened"]
        return sorted(SearchDayCount.objects.values_list(*fields), key=str)

    call_command("count_search_days", verbosity=0)
    first = rows()
    call_command("count_search_days", verbosity=0)
    call_command("count_search_days", "--again", verbosity=0)
    assert rows() == first and first


def test_the_query_count_is_the_same_with_days_counted(
    week_of_searches, editor, django_assert_max_num_queries
):
    with django_assert_max_num_queries(20) as from_log:
        editor.get(URL, {"days": "30"})
    call_command("count_search_days", verbosity=0)
    with django_assert_max_num_queries(20) as counted:
        editor.get(URL, {"days": "30"})
    assert len(counted.captured_queries) == len(from_log.captured_queries)


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_a_click_while_its_day_is_being_counted_is_not_lost(monkeypatch):
    """The race the day's lock is for: a counting has read the log (no click yet) but not written
    when the click commits and counts the day again. Without the lock the two countings' rows
    would both stay (or the older one win); with it the click's counting waits, then replaces."""
    article = ArticleFactory()
    log = searched("手续费", at=NOW - timedelta(days=1), results=3)
    call_command("count_search_days", verbosity=0)
    read, go = threading.Event(), threading.Event()
    bulk_create = SearchDayCount.objects.bulk_create

    def slow_bulk_create(rows, *args, **kwargs):
        rows = list(rows)  # the log is read here
        if threading.current_thread().name == "nightly":
            read.set()
            go.wait(timeout=10)
        return bulk_create(rows, *args, **kwargs)

    monkeypatch.setattr(SearchDayCount.objects, "bulk_create", slow_bulk_create)
    errors: list[BaseException] = []

    def run(task) -> None:
        try:
            with time_machine.travel(NOW, tick=False):
                task()
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    nightly = threading.Thread(
        target=run, args=(lambda: search_day_count(TODAY - timedelta(days=1)),), name="nightly"
    )
    nightly.start()
    assert read.wait(timeout=10)
    # The click commits (autocommit) and counts the day again: it waits for the nightly count.
    click = threading.Thread(target=run, args=(lambda: search_click_record(log_id=log.pk, article=article),))
    click.start()
    click.join(timeout=0.5)
    assert click.is_alive()  # waiting for the day's lock
    go.set()
    nightly.join()
    click.join()
    assert errors == []
    assert per_day()[-2] == (TODAY - timedelta(days=1), 1, 0, 1)
