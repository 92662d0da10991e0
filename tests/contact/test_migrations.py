"""Data migrations keep what customers sent."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.factories import BrandFactory

BEFORE_TOPIC_CHOICES = [("contact", "0005_bilingual_staff_text")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_topic_choices_keep_every_message_and_its_topic_when_it_is_a_choice():
    brand = BrandFactory(slug="kdpay")
    old = migrate(BEFORE_TOPIC_CHOICES).get_model("contact", "ContactMessage")
    try:
        for reference, topic in [
            ("KD-0001-0001", "refunds"),
            ("KD-0001-0002", "contact"),
            ("KD-0001-0003", "other"),
        ]:
            old.objects.create(
                reference=reference, brand_id=brand.pk, topic=topic, name="张三", email="z@mail.example",
                subject="退款", message="还没到账",
            )  # fmt: skip
    finally:
        new = migrate(MigrationExecutor(connection).loader.graph.leaf_nodes()).get_model(
            "contact", "ContactMessage"
        )
    assert dict(new.objects.values_list("reference", "topic")) == {
        "KD-0001-0001": "refunds",
        # A category the form used to offer that is not a topic: kept as "something else".
        "KD-0001-0002": "other",
        "KD-0001-0003": "other",
    }
    assert new.objects.filter(message="还没到账").count() == 3
