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


READING = """
() => {
  const ratio = (el) => { const s = getComputedStyle(el); return parseFloat(s.lineHeight) / parseFloat(s.fontSize); };
  const family = getComputedStyle(document.body).fontFamily.toLowerCase();
  const generic = family.search(/(^|, )(sans-serif|serif|system-ui)\\b/);
  const chinese = family.search(/pingfang sc|microsoft yahei|noto sans cjk sc|hiragino sans gb|source han sans sc/);
  const body = [...document.querySelectorAll(".prose p, .prose li, .lead, .article-list__item p, .category-card__description")];
  return {
    body: ratio(document.body),
    tightest: body.length ? Math.min(...body.map(ratio)) : null,
    chineseFaceBeforeGeneric: chinese >= 0 && (generic < 0 || chinese < generic),
  };
}
"""


def test_type_is_set_for_reading_chinese(page: Page, live_server, demo_site):
    """Body line height at least 1.6 (Chinese needs the air), and a Chinese face named before any generic one."""
    found = {}
    for path in page_paths():
        page.goto(live_server.url + path)
        reading = page.evaluate(READING)
        if reading["body"] < 1.6 - 1e-6 or (
            reading["tightest"] is not None and reading["tightest"] < 1.6 - 1e-6
        ):
            found[path] = reading
        if not reading["chineseFaceBeforeGeneric"]:
            found[path] = reading
    assert found == {}


def brand_blue_share(png: bytes) -> float:
    """Share of the pixels that are a saturated blue (the default brand colour and its shades)."""
    import io

    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("HSV").resize((195, 422))
    data = image.tobytes()
    pixels = [data[i : i + 3] for i in range(0, len(data), 3)]
    blue = [p for p in pixels if 140 <= p[0] <= 175 and p[1] > 110 and p[2] > 60]
    return len(blue) / len(pixels)


@pytest.mark.parametrize("path", ["/", "/b/kdpay/", "/en/", "/a/forgot-password/", "/contact/kdpay/"])
def test_brand_colour_is_an_accent_not_a_surface(page: Page, live_server, demo_site, path):
    """On a phone's first screen the brand blue marks actions and links; it is not a slab behind text."""
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + path)
    assert brand_blue_share(page.screenshot()) < 0.08


def test_article_reads_title_then_summary_then_steps(page: Page, live_server, demo_site):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/a/forgot-password/")
    sizes = page.evaluate(
        """() => ['#article-title', '.article__header .lead', '.prose p'].map(
             (s) => parseFloat(getComputedStyle(document.querySelector(s)).fontSize))"""
    )
    title, summary, text = sizes
    assert title >= 1.3 * summary and summary > text
    # Steps are numbered markers a reader can follow, not bare list numbers.
    step = page.locator(".prose ol > li").first
    marker = step.evaluate("(li) => getComputedStyle(li, '::before').content")
    assert marker not in ("none", "normal", "")
    # The summary sits right under the title, above the table of contents and the text.
    title_box = page.locator("#article-title").bounding_box()
    summary_box = page.locator(".article__header .lead").bounding_box()
    toc_box = page.locator(".toc").first.bounding_box()
    assert title_box["y"] < summary_box["y"] < toc_box["y"]


@pytest.mark.parametrize(
    "path", ["/search/?q=qqqqzzzz", "/en/search/?q=qqqqzzzz", "/does-not-exist/", "/en/nope/"]
)
def test_empty_states_offer_a_next_step(page: Page, live_server, demo_site, path):
    page.goto(live_server.url + path)
    actions = page.locator("main .empty-state__actions")
    expect(actions.get_by_role("link").first).to_be_visible()
    home = "/en/" if path.startswith("/en/") else "/"
    expect(actions.locator(f'a[href="{home}"]')).to_be_visible()
    expect(actions.locator('a[href$="/contact/"]')).to_be_visible()
