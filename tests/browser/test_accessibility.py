"""Every page type checked with axe-core (the engine behind browser accessibility audits)."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from playwright.sync_api import Page

from tests.browser.pages import page_paths

pytestmark = pytest.mark.django_db(transaction=True)

PAGES = [
    "/",
    "/en/",
    "/b/kdpay/",
    "/c/account/",
    "/en/c/refunds/",
    "/a/forgot-password/",
    "/en/a/forgot-password/",
    "/a/forgot-password/feedback/",
    "/search/?q=注销",  # with a direct answer
    "/search/?q=x",
    "/contact/",
    "/contact/kdou/",
    "/contact/message/",
    "/en/contact/message/",
    "/contact/status/",
    "/verify/",
    "/verify/?value=https://okpay-kefu.example/login",
    "/warnings/",
    "/does-not-exist/",
]


@pytest.fixture
def demo_site():
    call_command("load_demo", verbosity=0)


# The narrowest phone we support, the phone the issue reports were tried on, and a desktop.
@pytest.mark.parametrize("width", [320, 390, 1280])
def test_pages_have_no_accessibility_violations(page: Page, live_server, demo_site, width):
    page.set_viewport_size({"width": width, "height": 900})
    axe = Axe()
    found = {}
    # This module's list, and every page type in both languages (with the status page).
    for path in dict.fromkeys([*PAGES, *page_paths()]):
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        violations = axe.run(page).response["violations"]
        if violations:
            found[path] = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in violations]
    assert found == {}
