"""Health and readiness for load balancers and orchestrators: /healthz and /readyz.

Both are answered by `OperationsMiddleware` (helpcenter/middleware.py) near the top of the
stack, before the page cache, sessions, the language prefix, the host check and the rate
limits: a probe must not depend on them, and /healthz must touch nothing at all.

- /healthz: the process is up and answering. Always 200; a load balancer that sees no
  answer takes the server out.
- /readyz: every dependency a request may need answers: each database (the replica too,
  when there is one), the cache, the object store (default_storage) and the task queue
  (django-tasks-db's table). JSON with each check's result and time, 200 when all pass, 503
  when any fails. The JSON names only the failing exception's class (the probe is public);
  the details go to the log.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)


def check_database(alias: str) -> dict:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT 1")
    return {}


def check_cache() -> dict:
    # A round trip to Redis (or nothing, in-process): enough to know it answers. Not a plain
    # get: pagecache.redis.RedisCache answers those from memory while Redis is down.
    cache = caches["default"]
    getattr(cache, "check", lambda: cache.get("helpcenter:readyz"))()
    return {}


def check_storage() -> dict:
    """List the top of the object store: reaches the S3 bucket, or reads the media directory."""
    if isinstance(default_storage, FileSystemStorage) and not Path(default_storage.location).exists():
        # A fresh site has no media directory until the first upload creates it.
        parent = Path(default_storage.location).parent
        if not parent.is_dir():
            raise FileNotFoundError("the media directory's parent does not exist")
        return {}
    default_storage.listdir("")
    return {}


def check_tasks() -> dict:
    from django_tasks_db.models import DBTaskResult

    # READY rows have a partial index: a count stays cheap however many tasks have finished.
    return {"waiting": DBTaskResult.objects.using(DEFAULT_DB_ALIAS).ready().count()}


def checks() -> dict[str, Callable[[], dict]]:
    found: dict[str, Callable[[], dict]] = {}
    for alias in settings.DATABASES:
        found["database" if alias == DEFAULT_DB_ALIAS else f"database:{alias}"] = lambda alias=alias: (
            check_database(alias)
        )
    found.update(cache=check_cache, storage=check_storage, tasks=check_tasks)
    return found


def run_checks() -> tuple[bool, dict[str, dict]]:
    results: dict[str, dict] = {}
    for name, check in checks().items():
        started = time.perf_counter()
        try:
            result = {"ok": True, **check()}
        except Exception as exc:  # noqa: BLE001 - any failure means "not ready", never a 500
            logger.warning("Readiness check %s failed: %r", name, exc)
            result = {"ok": False, "error": type(exc).__name__}
        result["ms"] = round((time.perf_counter() - started) * 1000, 2)
        results[name] = result
    return all(result["ok"] for result in results.values()), results


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response


def healthz(request: HttpRequest) -> HttpResponse:
    return _no_store(HttpResponse("ok\n", content_type="text/plain"))


def readyz(request: HttpRequest) -> HttpResponse:
    ready, results = run_checks()
    body = json.dumps({"status": "ready" if ready else "not ready", "checks": results})
    response = HttpResponse(body, status=200 if ready else 503, content_type="application/json")
    # Each failed check is logged above; Django's "Service Unavailable: /readyz" line on every
    # probe of an outage would only repeat it (django.utils.log.log_response skips logged responses).
    response._has_been_logged = True
    return _no_store(response)
