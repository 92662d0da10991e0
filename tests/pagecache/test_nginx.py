"""Debian's nginx with deploy/nginx-microcache.conf in front of gunicorn (Redis cache).

A content change shows through nginx within the pages' s-maxage, and nothing carrying a
session cookie, a form token or any Set-Cookie is ever served from nginx's cache.
`make test` installs nginx-light when it is missing.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from bench.server import free_port
from tests import nginx as nginx_server

from .live import BASE_DIR, change_content, get, site_env, start_site, stop

# A proxy in front: the database under it changes nothing this checks (make test runs e2e once).
# gunicorn and nginx on ports picked from one range: one xdist worker for all live-site tests.
pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("live-site")]

CONFIG = BASE_DIR / "deploy" / "nginx-microcache.conf"
SHARED_MAX_AGE = 10  # PAGE_CACHE_SHARED_MAX_AGE, what the config promises


def _site_config(upstream: str, port: int, cache: Path) -> str:
    site = CONFIG.read_text()
    for old, new in [
        ("server 127.0.0.1:8000;", f"server {upstream};"),
        ("listen 80;", f"listen 127.0.0.1:{port};"),
        ("/var/cache/nginx/helpcenter", str(cache)),
    ]:
        assert old in site, f"{CONFIG} no longer has {old!r}"
        site = site.replace(old, new)
    return site


@pytest.fixture(scope="module")
def nginx(live_database):
    if not Path(nginx_server.NGINX).exists():
        pytest.fail("nginx is missing (apt-get install -y nginx-light); `make test` installs it.")
    database, static_root, tmp = live_database
    tmp = tmp / "nginx"
    tmp.mkdir()
    env = {
        **site_env(database, static_root, redis=True, version_file=tmp / "version"),
        "DJANGO_BEHIND_PROXY": "1",
    }
    server, base = start_site(env, tmp / "gunicorn.log", workers=2)
    port = free_port(range(8700, 8800))
    site = _site_config(base.removeprefix("http://"), port, tmp / "cache")
    front = nginx_server.start(tmp, nginx_server.write_config(tmp, site), port)
    yield {"base": f"http://127.0.0.1:{port}", "env": env}
    nginx_server.stop(front)
    stop(server)


def _token(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def test_public_pages_are_served_from_nginx(nginx):
    url = f"{nginx['base']}/c/payments/"
    statuses = [get(url).headers["X-Cache-Status"] for _ in range(3)]
    assert statuses[0] in {"MISS", "EXPIRED"} and statuses[1:] == ["HIT", "HIT"]


def test_a_content_change_shows_through_nginx_within_its_ttl(nginx):
    url = f"{nginx['base']}/en/a/account-locked-frozen/"
    get(url)
    assert get(url).headers["X-Cache-Status"] == "HIT"
    new_title = "Account frozen: what to do now (changed behind nginx)"
    change_content(
        nginx["env"],
        "from faq.models import Article\n"
        f"Article.objects.filter(slug='account-locked-frozen', language='en').update(title={new_title!r})",
    )
    changed = time.monotonic()
    while new_title not in get(url).body:
        assert time.monotonic() - changed <= SHARED_MAX_AGE + 2, "still the old page after its TTL"
        time.sleep(0.25)
    assert all(new_title in get(url).body for _ in range(5))


def test_the_contact_form_and_its_token_are_never_cached(nginx):
    answers = [get(f"{nginx['base']}/contact/message/") for _ in range(4)]
    assert all(answer.headers["X-Cache-Status"] != "HIT" for answer in answers)
    assert all("csrftoken=" in answer.headers["Set-Cookie"] for answer in answers)
    assert len({_token(answer.body) for answer in answers}) == 4


@pytest.mark.parametrize(
    "path", ["/a/account-locked-frozen/feedback/", "/contact/status/", "/verify/report/"]
)
def test_responses_setting_a_cookie_are_never_cached(nginx, path):
    answers = [get(f"{nginx['base']}{path}") for _ in range(3)]
    assert all(answer.status == 200 and "Set-Cookie" in answer.headers for answer in answers)
    assert all(answer.headers["X-Cache-Status"] != "HIT" for answer in answers)


def test_a_request_with_a_session_cookie_skips_nginx_and_is_not_stored(nginx):
    url = f"{nginx['base']}/b/kdpay/"
    with_session = [get(url, {"Cookie": "sessionid=abc"}) for _ in range(2)]
    assert [answer.headers["X-Cache-Status"] for answer in with_session] == ["BYPASS", "BYPASS"]
    assert "private" in with_session[0].headers["Cache-Control"]
