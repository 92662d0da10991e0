from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import UTC, datetime
from importlib import import_module

import pytest
import time_machine
from django.core.cache import cache
from django.db.models.signals import post_migrate
from django.utils import translation

from helpcenter.storage import uploads_storage
from tests.objectstore import ObjectStore, start_object_store, stop_object_store

# Groups that data migrations create, and the migration module holding each one's permissions.
DATA_MIGRATION_GROUPS = [
    ("Editors", "faq.migrations.0002_editors_group", "EDITOR_PERMISSIONS"),
    ("Editors", "faq.migrations.0011_editors_alternative_questions", "PERMISSIONS"),
    ("Publishers", "faq.migrations.0011_editors_alternative_questions", "PERMISSIONS"),
    ("Support agents", "contact.migrations.0003_support_agents_group", "AGENT_PERMISSIONS"),
    ("Publishers", "faq.migrations.0009_publishers_group", "PUBLISHER_PERMISSIONS"),
]


def _restore_data_migration_groups(sender, **kwargs) -> None:
    """Put back the groups data migrations made, after a transactional test's flush deleted them."""
    if sender.label != "contact":  # post_migrate fires once per app; act once per flush
        return
    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission

    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0)
    for name, module_name, attribute in DATA_MIGRATION_GROUPS:
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codename in getattr(import_module(module_name), attribute):
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def pytest_runtest_setup(item):
    # A PostgreSQL-only behaviour is skipped on SQLite, visibly, instead of passing vacuously there.
    if item.get_closest_marker("postgresql"):
        from django.db import connection

        if connection.vendor != "postgresql":
            pytest.skip("PostgreSQL only (set DATABASE_URL=postgres://...)")


@pytest.fixture(autouse=True, scope="session")
def _keep_data_migration_groups():
    """Transactional tests (browser, concurrency) end with a flush, which emits post_migrate."""
    post_migrate.connect(_restore_data_migration_groups, dispatch_uid="tests.restore_groups")
    yield
    post_migrate.disconnect(dispatch_uid="tests.restore_groups")


@pytest.fixture
def smtp_server_down(settings) -> int:
    """Send email over SMTP to a port on 127.0.0.1 that nothing listens on; returns the port."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 2
    return port


@pytest.fixture
def frozen_clock():
    """Stop the clock for tests that count against it (rate-limit windows, lockouts): a window
    must not roll over half-way through a test. `frozen_clock.shift(seconds)` moves it on."""
    with time_machine.travel(datetime(2026, 11, 23, 10, 0, tzinfo=UTC), tick=False) as traveller:
        yield traveller


@pytest.fixture
def kdpay(db):
    from tests.factories import BrandFactory

    return BrandFactory(name="KDPAY", slug="kdpay")


@pytest.fixture
def refunds(db):
    from tests.factories import CategoryFactory

    return CategoryFactory(slug="refunds", name="退款", name_en="Refunds")


@pytest.fixture
def valid_data(kdpay, refunds) -> dict:
    return {
        "brand": "kdpay",
        "topic": "refunds",
        "name": "张三",
        "email": "zhang+refund@mail.example",
        "phone": "",
        "account": "138****8000",
        "subject": "退款没有到账",
        "message": "我在三天前申请了退款，还没有到账。",
        "transaction_reference": "",
        "problem_at": "",
        "website": "",
    }


@pytest.fixture
def okpay(db):
    """OKPay with its official hotline (open Mondays 09:00-21:00) and website, as the verify pages list them."""
    from contact.models import Channel
    from tests.factories import BrandFactory, ChannelFactory, OpeningHoursFactory

    brand = BrandFactory(slug="okpay", name="OKPay")
    hotline = ChannelFactory(
        brand=brand, kind=Channel.Kind.HOTLINE, label="OKPay 客服热线（演示）", value="400 000 0101"
    )
    OpeningHoursFactory(channel=hotline, weekday=0, opens_at="09:00", closes_at="21:00")
    ChannelFactory(brand=brand, kind=Channel.Kind.WEBSITE, label="OKPay 官网", value="https://okpay.example/")
    return brand


@pytest.fixture(scope="session")
def object_store(tmp_path_factory) -> Iterator[ObjectStore]:
    """moto's S3 server in a process of its own (tests/objectstore.py), one per test process."""
    store = start_object_store(tmp_path_factory.mktemp("moto") / "moto.log")
    yield store
    stop_object_store(store)


@pytest.fixture(params=["local", "s3"])
def uploads_storage_kind(request, settings) -> str:
    """Run a test with uploads on local files, then again in the S3 object store (a fresh bucket)."""
    if request.param == "s3":
        store = request.getfixturevalue("object_store")
        settings.STORAGES = {**settings.STORAGES, "default": uploads_storage(store.env(store.new_bucket()))}
    return request.param


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    """Render templates without collectstatic, keep uploads out of the repo, start afresh."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.MEDIA_ROOT = tmp_path / "media"
    # The page cache's content version lives in a file when the cache is in-process; by default
    # one per database name, which every xdist worker's in-memory SQLite database shares.
    settings.PAGE_CACHE_VERSION_FILE = str(tmp_path / "content-version")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Batched view counts are written only when a test asks for it (tests/faq/test_views.py),
    # so a batch falling due mid-test never adds queries to a pinned query budget.
    settings.ARTICLE_VIEW_FLUSH_SECONDS = 3600
    # Each test starts in the site's default language, whatever an earlier test activated.
    translation.activate(settings.LANGUAGE_CODE)
    cache.clear()
    yield
    cache.clear()
    translation.deactivate()
