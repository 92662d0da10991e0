"""What a reader sees: legible instant results, words kept whole, no sideways scrolling, valid dates.

These tests look at every page type (tests/browser/pages.py) the way a phone or a desktop
shows it, so a new page or a new stylesheet rule meets the same checks.
"""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from playwright.sync_api import Page, expect

from tests.browser.pages import page_paths

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo_site():
    call_command("load_demo", verbosity=0)


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("path", ["/a/forgot-password/", "/en/contact/", "/verify/"])
def test_instant_results_under_the_header_are_legible_on_inner_pages(
    page: Page, live_server, demo_site, width, path
):
    """The header is dark and its links white; the dropdown is a white panel, so its links must not inherit."""
    page.set_viewport_size({"width": width, "height": 844})
    page.goto(live_server.url + path)
    box = page.locator("#header-q")
    box.press_sequentially("密码" if not path.startswith("/en/") else "password", delay=30)
    results = page.locator("#header-q-results")
    expect(results.get_by_role("link").first).to_be_visible()
    expect(results.locator(".instant-results__all")).to_be_visible()
    violations = (
        Axe()
        .run(page, context="#header-q-results", options={"runOnly": ["color-contrast"]})
        .response["violations"]
    )
    assert [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations] == []


def test_time_elements_carry_valid_datetime_values(page: Page, live_server, demo_site):
    """HTML's datetime attribute has no microseconds; every page type's <time> must parse as HTML says."""
    valid = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?(Z|[+-]\d{2}:?\d{2}))?$")
    seen = 0
    found = {}
    for path in page_paths():
        page.goto(live_server.url + path)
        values = page.locator("time").evaluate_all("els => els.map((e) => e.getAttribute('datetime'))")
        seen += len(values)
        invalid = [value for value in values if not valid.match(value or "")]
        if invalid:
            found[path] = invalid
    assert seen > 5  # the article, warnings and contact pages show dates
    assert found == {}
