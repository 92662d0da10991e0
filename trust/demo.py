"""Demo scams and a scam alert, so /warnings/ and the brand banner show something after `make run`.

Every value is fictional: domains under the reserved .example TLD, a 400 000 0xxx number
from the demo range, handles ending in _demo. Running load_demo() again changes nothing.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.db import transaction

from brands.models import Brand

from .models import ConfirmedScam, ScamAlert
from .parse import parse_value

SHANGHAI = ZoneInfo("Asia/Shanghai")

DEMO_SCAMS = [
    (
        "okpay",
        "https://okpay.example.refund-center.example/login",
        datetime(2026, 10, 12, 9, 30, tzinfo=SHANGHAI),
    ),
    ("kdpay", "kdpay-kefu.example", datetime(2026, 10, 28, 20, 5, tzinfo=SHANGHAI)),
    ("kdpay", "400 000 0999", datetime(2026, 11, 3, 14, 0, tzinfo=SHANGHAI)),
    ("kdou", "@kdou_kefu_demo", datetime(2026, 11, 9, 11, 45, tzinfo=SHANGHAI)),
]
DEMO_ALERT = {
    "slug": "kdpay",
    "message": "近期有人冒充 KDPAY 客服致电，以“账户异常”为由要求转账到“安全账户”。KDPAY 客服绝不会要求您转账。",
    "message_en": "People pretending to be KDPAY support are calling about an “account problem” and asking for "
    "a transfer to a “safe account”. KDPAY support never asks you to transfer money.",
    "starts_at": datetime(2026, 11, 1, tzinfo=SHANGHAI),
}


@transaction.atomic
def load_demo() -> int:
    """Create the demo confirmed scams and the KDPAY alert if missing; returns how many rows were created."""
    brands = {brand.slug: brand for brand in Brand.objects.filter(slug__in={"okpay", "kdpay", "kdou"})}
    created = 0
    for slug, value, first_reported_at in DEMO_SCAMS:
        parsed = parse_value(value)
        _, was_created = ConfirmedScam.objects.get_or_create(
            kind=parsed.kind,
            normalized_value=parsed.normalized,
            defaults={"value": value, "brand": brands.get(slug), "first_reported_at": first_reported_at},
        )
        created += was_created
    if "kdpay" in brands:
        fields = {key: value for key, value in DEMO_ALERT.items() if key != "slug"}
        _, was_created = ScamAlert.objects.get_or_create(
            brand=brands["kdpay"], message=fields.pop("message"), defaults=fields
        )
        created += was_created
    return created
