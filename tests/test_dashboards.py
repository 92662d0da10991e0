"""The dashboards kit: the index, the permission per dashboard, the CSV downloads and the SVG
charts, checked over every registered dashboard (so a new one is covered when it registers)."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse

from helpcenter.dashboard_charts import TOP, Series, bar_chart, line_chart
from helpcenter.dashboards import DASHBOARDS, csv_response
from tests.factories import ContactMessageFactory

pytestmark = pytest.mark.django_db

INDEX = reverse("admin:dashboards")


def _staff(group: str | None) -> Client:
    user = User.objects.create_user(f"staff-{group}", is_staff=True)
    if group:
        user.groups.add(Group.objects.get(name=group))
    client = Client()
    client.force_login(user)
    return client


def test_the_index_lists_the_dashboards_an_agent_may_open():
    page = _staff("Support agents").get(INDEX).content.decode()
    assert reverse("admin:dashboard_support") in page
    assert "客服看板" in page


def test_staff_without_any_dashboard_get_403_and_no_home_link():
    client = _staff(None)
    assert client.get(INDEX).status_code == 403
    assert INDEX not in client.get(reverse("admin:index")).content.decode()


def test_agents_find_the_dashboards_after_the_inbox():
    page = _staff("Support agents").get(reverse("admin:index")).content.decode()
    inbox = page.index(reverse("admin:contact_contactmessage_changelist"))
    assert inbox < page.index(INDEX)


def test_visitors_are_sent_to_the_login(client):
    response = client.get(reverse("admin:dashboard_support"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_csv_starts_with_a_byte_order_mark_so_excel_reads_chinese():
    response = csv_response("x.csv", ["标题", "n"], [["退款多久到账", 3]])
    body = response.content
    assert body.startswith("\ufeff".encode())
    assert list(csv.reader(io.StringIO(body.decode("utf-8-sig")))) == [["标题", "n"], ["退款多久到账", "3"]]
    assert response["Content-Disposition"] == 'attachment; filename="x.csv"'


def test_stacked_bars_reach_the_top_on_the_busiest_day():
    chart = bar_chart(
        chart_id="c",
        title="t",
        description="d",
        labels=["d1", "d2"],
        series=[Series("a", [1, 2]), Series("b", [1, 0])],
    )
    # Day 2 (2) and day 1 (1 + 1) are equally busy: both stacks are full height.
    tops = sorted(bar.y for bar in chart.bars)
    assert tops[0] == tops[1] == TOP
    assert [bar.tooltip for bar in chart.bars] == ["d1 a: 1", "d1 b: 1", "d2 a: 2"]


def test_a_line_breaks_where_there_is_no_value():
    chart = line_chart(
        chart_id="c", title="t", description="d", labels=["1", "2", "3", "4", "5", "6"],
        series=[Series("share", [50, 60, None, 100, 75, None])], top_value=100, unit="%",
    )  # fmt: skip
    assert len(chart.lines) == 2  # 1 to 2, 4 to 5
    assert [point.tooltip for point in chart.points][-2:] == ["4 share: 100%", "5 share: 75%"]


@pytest.mark.parametrize("dashboard", DASHBOARDS, ids=[d.slug for d in DASHBOARDS])
def test_every_dashboard_draws_without_javascript_within_the_csp(dashboard, admin_client):
    ContactMessageFactory.create_batch(3)
    response = admin_client.get(reverse(f"admin:{dashboard.url_name}"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<svg" in page and "<title id=" in page and "<desc id=" in page
    # style-src 'self' and script-src 'self' + nonce: no inline style, no script without a file.
    assert "style-src 'self'" in response["Content-Security-Policy"]
    assert not re.search(r"<style|\sstyle=", page)
    assert all('src="' in tag for tag in re.findall(r"<script[^>]*>", page))


@pytest.mark.parametrize("dashboard", DASHBOARDS, ids=[d.slug for d in DASHBOARDS])
def test_every_table_of_every_dashboard_downloads_as_csv(dashboard, admin_client):
    ContactMessageFactory.create_batch(3)
    url = reverse(f"admin:{dashboard.url_name}")
    tables = set(re.findall(r"download=([\w-]+)", admin_client.get(url).content.decode()))
    assert tables
    for table in tables:
        response = admin_client.get(url, {"days": 7, "download": table})
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert response.content.startswith("\ufeff".encode())


def test_a_period_the_form_does_not_offer_is_a_400(admin_client):
    for dashboard in DASHBOARDS:
        assert admin_client.get(reverse(f"admin:{dashboard.url_name}"), {"days": "3"}).status_code == 400


def test_nothing_reported_twice_a_day(admin_client):
    """The days are the local days of the period, each once, in order, today last."""
    ContactMessageFactory()
    rows = admin_client.get(reverse("admin:dashboard_support"), {"days": 7}).context["rows"]
    days = [row["day"] for row in rows]
    assert len(days) == 7 and all(b - a == timedelta(days=1) for a, b in zip(days, days[1:], strict=False))


def test_chart_marks_are_escaped_and_never_localized():
    from django.template.loader import render_to_string
    from django.utils import translation

    chart = bar_chart(chart_id="c", title="t", description="d", labels=["<b>"], series=[Series("a&b", [1.5])])
    with translation.override("de"):  # a decimal comma would break the coordinates
        svg = render_to_string("admin/dashboards/_chart.html", {"chart": chart})
    assert "<title>&lt;b&gt; a&amp;b: 1.5</title>" in svg
    assert 'width="473.6" height="140.0"' in svg and "473,6" not in svg
