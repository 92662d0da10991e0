from __future__ import annotations

import pytest

from brands.demo import load_demo_brands
from contact.demo import load_demo as load_demo_channels
from trust.demo import load_demo
from trust.models import ConfirmedScam, ScamAlert
from trust.verify import verify_value

pytestmark = pytest.mark.django_db


def test_demo_scams_are_idempotent_and_answer_known_scam(client):
    load_demo_brands()
    load_demo_channels()
    assert load_demo() == 5
    assert load_demo() == 0
    assert (ConfirmedScam.objects.count(), ScamAlert.objects.count()) == (4, 1)
    for value in ["400-000-0999", "https://okpay.example.refund-center.example/x", "@KDOU_kefu_demo"]:
        assert verify_value(value).verdict == "reported_scam", value
    # The demo scams never collide with a demo official channel.
    assert verify_value("400 000 0101").verdict == "official"
    assert "近期有人冒充 KDPAY 客服" in client.get("/b/kdpay/").content.decode()
