"""DATABASE_REPLICA_URL: a second PostgreSQL database stands in as the replica, with different titles.

The replica is a copy of the primary (CREATE DATABASE ... TEMPLATE) whose article titles
then get an "R:" prefix, so every page says which database answered each read. A real
gunicorn serves the site with both configured.
"""

from __future__ import annotations

import re
import time

import psycopg
import pytest

from tests.pagecache.live import LiveDatabase, collect_static, get, site_env, start_site, stop

pytestmark = [pytest.mark.postgresql, pytest.mark.xdist_group("replica")]


def _sql(url: str, statement: str, params: tuple = ()) -> list[tuple]:
    with psycopg.connect(url, autocommit=True) as connection:
        cursor = connection.execute(statement, params)
        return cursor.fetchall() if cursor.description else []


@pytest.fixture(scope="module")
def replicated_site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("replica")
    primary = LiveDatabase(tmp)
    env = site_env(primary, tmp / "static", redis=False, version_file=tmp / "version")
    collect_static(env)
    primary.create(env)
    replica_name = f"{primary.name}_replica"
    replica_url = f"{primary.server}/{replica_name}"
    maintenance = f"{primary.server}/postgres"
    _sql(maintenance, f'CREATE DATABASE "{replica_name}" TEMPLATE "{primary.name}"')
    _sql(replica_url, "UPDATE faq_article SET title = 'R:' || title")
    env = {
        **env,
        "DATABASE_REPLICA_URL": replica_url,
        # Every article view is written at once, so an article page writes half-way through.
        "DJANGO_ARTICLE_VIEW_FLUSH_SECONDS": "0",
        # Pages read from the replica stay in the page cache 2 s instead of 300 s.
        "DJANGO_REPLICA_PAGE_CACHE_SECONDS": "2",
    }
    server, base = start_site(env, tmp / "gunicorn.log", workers=1)
    yield {"base": base, "primary": primary.url, "replica": replica_url}
    stop(server)
    _sql(maintenance, f'DROP DATABASE IF EXISTS "{replica_name}" WITH (FORCE)')
    primary.drop()


def heading(html: str) -> str:
    return re.search(r"<h1[^>]*>([^<]+)</h1>", html).group(1).strip()


def titles(html: str) -> list[str]:
    return re.findall(r'<a href="/a/[^"]+/">([^<]+)</a>', html)


def test_public_pages_read_from_the_replica(replicated_site):
    # Each test reads pages under a query string of its own: the page cache keeps every page it
    # renders, whichever database it came from, and tests run in any order.
    home = get(replicated_site["base"] + "/?replica")
    assert home.status == 200
    shown = titles(home.body)
    assert shown
    assert all(title.startswith("R:") for title in shown)


def test_a_visitor_with_a_cookie_reads_from_the_primary(replicated_site):
    """Whoever may have just posted something (a CSRF or visitor cookie) sees what they wrote."""
    shown = titles(get(replicated_site["base"] + "/?cookie", headers={"Cookie": "csrftoken=abc"}).body)
    assert shown
    assert not any(title.startswith("R:") for title in shown)


def _article_with_related_articles(base: str) -> str:
    """The slug of an article whose page lists related articles (asked with a cookie: the primary)."""
    home = get(base + "/?links", headers={"Cookie": "csrftoken=abc"}).body
    for slug in re.findall(r'<a href="/a/([^"/]+)/">', home):
        # With its own query string: not the page-cache entry the test then reads.
        probe = get(base + f"/a/{slug}/?probe", headers={"Cookie": "c=1"})
        if 'aria-labelledby="related-title"' in probe.body:
            return slug
    raise AssertionError("the demo data has an article with related articles")


def test_reads_after_a_write_in_the_same_request_go_to_the_primary(replicated_site):
    slug = _article_with_related_articles(replicated_site["base"])
    count = "SELECT view_count FROM faq_article WHERE slug = %s AND language = 'zh-hans'"
    [(views,)] = _sql(replicated_site["primary"], count, (slug,))
    [(replica_views,)] = _sql(replicated_site["replica"], count, (slug,))
    page = get(replicated_site["base"] + f"/a/{slug}/")
    assert page.status == 200
    # Read before the view counter was written: from the replica.
    assert heading(page.body).startswith("R:")
    # The view count was written (to the primary); the related list was read after it: primary too.
    related = re.search(r'aria-labelledby="related-title">(.*?)</section>', page.body, re.S).group(1)
    assert titles(related)
    assert not any(title.startswith("R:") for title in titles(related))
    after = _sql(replicated_site["primary"], count, (slug,)) + _sql(
        replicated_site["replica"], count, (slug,)
    )
    assert after == [(views + 1,), (replica_views,)]


def test_a_page_read_from_the_replica_leaves_the_page_cache_soon(replicated_site):
    """The replica may lag behind a change the page cache already files the page under."""
    base = replicated_site["base"]
    slug = re.findall(r'<a href="/a/([^"/]+)/">', get(base + "/?links", headers={"Cookie": "c=1"}).body)[-1]
    first = get(base + f"/a/{slug}/")
    assert "s-maxage=2" in first.headers["Cache-Control"]
    _sql(
        replicated_site["replica"],
        "UPDATE faq_article SET title = title || ' (edited)' WHERE slug = %s",
        (slug,),
    )
    assert not heading(get(base + f"/a/{slug}/").body).endswith("(edited)")  # still the cached page
    time.sleep(2.5)
    assert heading(get(base + f"/a/{slug}/").body).endswith("(edited)")


def test_readyz_checks_the_replica_too(replicated_site):
    answer = get(replicated_site["base"] + "/readyz")
    assert answer.status == 200
    assert '"database:replica": {"ok": true' in answer.body
