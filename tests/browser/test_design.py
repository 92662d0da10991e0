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


# Computed styles that let the browser cut a word, a date or a brand name anywhere.
WORD_BREAKING_STYLES = """
() => {
  const found = [];
  for (const element of document.querySelectorAll("body *")) {
    const hasText = [...element.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    // A text box wraps what the visitor types as they type it (the browser's own default).
    if (!hasText || element.matches("textarea")) continue;
    const style = getComputedStyle(element);
    const rules = [];
    if (style.wordBreak === "break-all" || style.wordBreak === "break-word") rules.push("word-break: " + style.wordBreak);
    if (style.overflowWrap === "anywhere" || style.overflowWrap === "break-word") rules.push("overflow-wrap: " + style.overflowWrap);
    if (style.hyphens === "auto") rules.push("hyphens: auto");
    if (rules.length) found.push(element.tagName.toLowerCase() + "." + [...element.classList].join(".") + " " + rules.join("; ") + " «" + element.textContent.trim().slice(0, 30) + "»");
  }
  return found.slice(0, 10);
}
"""

# Elements wider than the page, and the page itself scrolling sideways.
OVERFLOW = """
() => {
  const width = document.documentElement.clientWidth;
  const found = [];
  if (document.documentElement.scrollWidth > width) found.push("page scrolls sideways: " + document.documentElement.scrollWidth + " > " + width);
  for (const element of document.querySelectorAll("body *")) {
    const box = element.getBoundingClientRect();
    if (box.width === 0 || getComputedStyle(element).visibility === "hidden") continue;
    if (element.closest(".visually-hidden, .honeypot, .skip-link")) continue;
    if (box.right > width + 1 || box.left < -1) found.push(element.tagName.toLowerCase() + "." + [...element.classList].join(".") + " [" + Math.round(box.left) + ", " + Math.round(box.right) + "] «" + element.textContent.trim().slice(0, 30) + "»");
  }
  return found.slice(0, 10);
}
"""


@pytest.mark.parametrize("width", [320, 390, 1280])
def test_words_stay_whole_and_nothing_scrolls_sideways(page: Page, live_server, demo_site, width):
    """Long addresses may wrap at / . @ (the |wrap_points filter); words, names and dates never break."""
    page.set_viewport_size({"width": width, "height": 844})
    found = {}
    for path in page_paths():
        page.goto(live_server.url + path)
        problems = page.evaluate(WORD_BREAKING_STYLES) + page.evaluate(OVERFLOW)
        if problems:
            found[path] = problems
    assert not found, "\n".join(f"{path}: {problems}" for path, problems in found.items())


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
