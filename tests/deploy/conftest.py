from __future__ import annotations

import os
from pathlib import Path

import pytest

from bench.server import free_port
from tests import nginx as nginx_server
from tests.objectstore import start_object_store, stop_object_store

from .cluster import PORTS, AppServer, Cluster, ClusterDatabase, cluster_env, prepare_site, start_nginx

REDIS_URL = os.environ.get("HC_TEST_REDIS_URL", "redis://127.0.0.1:6379/5")


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """Two gunicorn servers behind nginx on one PostgreSQL database, Redis and moto's S3 (cluster.py)."""
    if not Path(nginx_server.NGINX).exists():
        pytest.fail("nginx is missing (apt-get install -y nginx-light); `make test` installs it.")
    tmp = tmp_path_factory.mktemp("cluster")
    store = start_object_store(tmp / "moto.log")
    database = ClusterDatabase()
    database.create()
    bucket = store.new_bucket()
    env = cluster_env(database, store, bucket, REDIS_URL, tmp)
    servers: list[AppServer] = []
    nginx = None
    try:
        prepare_site(env)
        for name in ("a", "b"):
            server = AppServer(name, free_port(PORTS), tmp / f"gunicorn-{name}.log")
            server.start(env)
            servers.append(server)
        nginx, front = start_nginx(tmp, [f"127.0.0.1:{server.port}" for server in servers])
        yield Cluster(env, database, store, bucket, servers, front, tmp, nginx)
    finally:
        if nginx is not None:
            nginx_server.stop(nginx)
        for server in servers:
            server.stop()
        stop_object_store(store)
        database.drop()
        import redis

        client = redis.Redis.from_url(REDIS_URL)
        for key in client.scan_iter(f"{env['DJANGO_CACHE_PREFIX']}:*"):
            client.delete(key)
