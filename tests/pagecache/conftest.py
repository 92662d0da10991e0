from __future__ import annotations

import pytest  # noqa: E402

from .live import LiveDatabase, collect_static, site_env, start_site, stop  # noqa: E402


@pytest.fixture(scope="session")
def live_database(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("live")
    database = LiveDatabase(tmp)
    static_root = tmp / "static"
    env = site_env(database, static_root, redis=False, version_file=tmp / "version")
    collect_static(env)
    database.create(env)
    yield database, static_root, tmp
    database.drop()


@pytest.fixture(scope="module", params=["redis", "in-process"])
def live_site(request, live_database):
    """gunicorn with 3 workers on the live database, sharing Redis db 5 or the in-process default.

    With Redis, gunicorn preloads the app as deploy/Procfile does: the workers are forked from a
    master that has loaded Django and the segmenter, so each must open its own connections and
    subscription (pagecache/version_channel.py, `_after_fork_in_child`).
    """
    database, static_root, tmp = live_database
    env = site_env(
        database, static_root, redis=request.param == "redis", version_file=tmp / f"version-{request.param}"
    )
    server, base = start_site(env, tmp / f"gunicorn-{request.param}.log", preload=request.param == "redis")
    yield {"base": base, "env": env, "cache": request.param}
    stop(server)
    if "DJANGO_CACHE_PREFIX" in env:
        import redis

        client = redis.Redis.from_url(env["REDIS_URL"])
        for key in client.scan_iter(f"{env['DJANGO_CACHE_PREFIX']}:*"):
            client.delete(key)
