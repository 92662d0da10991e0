"""Several processes: gunicorn workers serving, another process writing (Redis or the in-process cache).

A change made by one process shows on the very next request to every worker, whether the
workers share Redis (db 5) or each keep an in-process cache and share only the content
version file. Runs against a database of the suite's kind (SQLite file or PostgreSQL).
"""

from __future__ import annotations

import time

import pytest
import redis

from .live import change_content, get, manage

# gunicorn on ports picked from one range: one xdist worker for all live-site tests.
pytestmark = pytest.mark.xdist_group("live-site")
ARTICLE = "/a/account-locked-frozen/"
REQUESTS = 12  # spread over the 3 workers


def _bodies(base: str, path: str) -> list[str]:
    return [get(f"{base}{path}").body for _ in range(REQUESTS)]


def test_every_worker_serves_from_its_cache(live_site):
    answers = [get(f"{live_site['base']}{ARTICLE}") for _ in range(REQUESTS)]
    assert {answer.status for answer in answers} == {200}
    assert all(answer.headers["Cache-Control"].startswith("public") for answer in answers)
    assert len({answer.headers["ETag"] for answer in answers}) == 1


def test_a_save_in_another_process_shows_on_every_worker_at_once(live_site):
    base = live_site["base"]
    _bodies(base, ARTICLE), _bodies(base, "/")
    title = f"账户被冻结了怎么办（{live_site['cache']}）"
    change_content(
        live_site["env"],
        "from faq.models import Article\n"
        "a = Article.objects.get(slug='account-locked-frozen', language='zh-hans')\n"
        f"a.title = {title!r}\n"
        "a.save()",
    )
    assert all(title in body for body in _bodies(base, ARTICLE))


def test_a_bulk_unpublish_in_another_process_hides_the_article_on_every_worker(live_site):
    base = live_site["base"]
    _bodies(base, ARTICLE)
    change_content(
        live_site["env"],
        "from faq.models import Article\n"
        "Article.objects.filter(slug='account-locked-frozen', language='zh-hans').update(status='draft')",
    )
    assert {get(f"{base}{ARTICLE}").status for _ in range(REQUESTS)} == {404}
    change_content(
        live_site["env"],
        "from faq.models import Article\n"
        "Article.objects.filter(slug='account-locked-frozen', language='zh-hans').update(status='published')",
    )
    assert {get(f"{base}{ARTICLE}").status for _ in range(REQUESTS)} == {200}


def test_new_opening_hours_in_another_process_show_on_every_worker(live_site):
    base = live_site["base"]
    _bodies(base, "/contact/kdpay/")
    change_content(
        live_site["env"],
        "from contact.models import Channel\n"
        "c = Channel.objects.filter(brand__slug='kdpay').first()\n"
        "c.label = 'Renamed hotline for the test'\n"
        "c.save()",
    )
    assert all("Renamed hotline for the test" in body for body in _bodies(base, "/contact/kdpay/"))


@pytest.mark.parametrize("path", ["/contact/message/", "/a/account-locked-frozen/feedback/"])
def test_pages_with_a_token_or_cookie_are_never_shared(live_site, path):
    answers = [get(f"{live_site['base']}{path}") for _ in range(4)]
    assert all("Set-Cookie" in answer.headers for answer in answers)
    assert all("public" not in answer.headers["Cache-Control"] for answer in answers)


# An editor saving again and again, each time reading the page back at once through gunicorn,
# several requests at a time so that every worker answers: none may answer the title before.
HAMMER = """
import concurrent.futures, urllib.request
from faq.models import Article
article = Article.objects.get(slug='account-locked-frozen', language='zh-hans')
def read(_):
    with urllib.request.urlopen({url!r}, timeout=30) as response:
        return response.read().decode()
stale = []
with concurrent.futures.ThreadPoolExecutor(3) as pool:
    for round in range({rounds}):
        article.title = f'冻结测试 {{round}}'
        article.save()
        for number, body in enumerate(pool.map(read, range(6))):
            if article.title not in body:
                stale.append((round, number))
print('stale', stale)
"""


def test_saves_in_another_process_show_at_once_every_time(live_site):
    base = live_site["base"]
    _bodies(base, ARTICLE)
    output = manage(live_site["env"], "shell", "-c", HAMMER.format(url=f"{base}{ARTICLE}", rounds=40))
    assert output.strip().splitlines()[-1] == "stale []"


def test_a_killed_subscription_never_serves_an_old_page(live_site):
    if live_site["cache"] != "redis":
        pytest.skip("the subscription is Redis's")
    base = live_site["base"]
    _bodies(base, ARTICLE)
    client = redis.Redis.from_url(live_site["env"]["REDIS_URL"])
    prefix = live_site["env"]["DJANGO_CACHE_PREFIX"]
    # This site's subscribers only (each is named after its channel): others share the server.
    killed = [line["id"] for line in client.client_list(_type="pubsub") if f":{prefix}:" in line["name"]]
    for client_id in killed:
        client.client_kill_filter(_id=client_id)
    assert len(killed) == 3  # one per worker
    title = "账户被冻结了怎么办（订阅断开后）"
    change_content(
        live_site["env"],
        "from faq.models import Article\n"
        "a = Article.objects.get(slug='account-locked-frozen', language='zh-hans')\n"
        f"a.title = {title!r}\n"
        "a.save()",
    )
    assert all(title in body for body in _bodies(base, ARTICLE))
    time.sleep(1.2)  # the workers subscribe again on a request after RETRY_SECONDS
    _bodies(base, ARTICLE)
    output = manage(live_site["env"], "shell", "-c", HAMMER.format(url=f"{base}{ARTICLE}", rounds=10))
    assert output.strip().splitlines()[-1] == "stale []"
