"""The display filters every template may use (helpcenter/templatetags/display.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from django.template import Context, Template
from django.test import override_settings
from django.utils import translation


def render(source: str, **context) -> str:
    return Template(source).render(Context(context))


def test_long_addresses_may_wrap_after_slash_dot_and_at_only():
    html = render("{{ value|wrap_points }}", value="https://help.kdpay.example/chat")
    assert html == "https://<wbr>help.<wbr>kdpay.<wbr>example/<wbr>chat"
    assert (
        render("{{ value|wrap_points }}", value="support@okpay.example") == "support@<wbr>okpay.<wbr>example"
    )


def test_short_text_and_prose_are_left_as_written_and_escaped():
    assert render("{{ value|wrap_points }}", value="版本 3.5 a/b") == "版本 3.5 a/b"
    assert render("{{ value|wrap_points }}", value="<script>@evil.example.com/path") == (
        "&lt;script&gt;@<wbr>evil.<wbr>example.<wbr>com/<wbr>path"
    )


@override_settings(TIME_ZONE="Asia/Shanghai")
def test_datetime_attribute_has_no_microseconds():
    moment = datetime(2026, 11, 3, 2, 15, 30, 123456, tzinfo=UTC)
    assert render("{{ value|datetime_attr }}", value=moment) == "2026-11-03T10:15:30+08:00"
    assert render("{{ value|datetime_attr }}", value=date(2026, 11, 3)) == "2026-11-03"


def test_dates_in_each_languages_form():
    day = date(2026, 11, 3)
    with translation.override("zh-hans"):
        assert render('{{ value|date:"DATE_FORMAT" }}', value=day) == "2026年11月3日"
    with translation.override("en"):
        assert render('{{ value|date:"DATE_FORMAT" }}', value=day) == "3 Nov 2026"
        assert render('{{ value|date:"SHORT_DATE_FORMAT" }}', value=day) == "3 Nov 2026"
