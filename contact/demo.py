"""Demo channels, opening hours and holiday exceptions for the three demo brands.

Every contact here is fictional: domains under the reserved .example TLD and
+86 400 000 0xxx numbers labelled "(demo)". Running load_demo() again changes nothing.
"""

from __future__ import annotations

from datetime import date, time

from django.db import transaction

from brands.models import Brand

from .models import Channel, ChannelException, OpeningHours

VERIFIED = date(2026, 11, 1)
EVERY_DAY = range(7)
WORKDAYS = range(5)
ALL_DAY = (time(0), time(0))
EXCEPTION_LABELS_EN = {"元旦": "New Year's Day", "春节": "Spring Festival", "除夕": "New Year's Eve"}


def hours(days, opens: time, closes: time) -> list[tuple[int, time, time]]:
    return [(day, opens, closes) for day in days]


DEMO_CHANNELS = {
    "kdpay": [
        {
            "kind": Channel.Kind.HOTLINE,
            "label": "KDPAY 客服热线 (demo)",
            "label_en": "KDPAY hotline (demo)",
            "value": "400 000 0101",
            "good_for": Channel.GoodFor.URGENT,
            "reply_time": "接通即处理",
            "reply_time_en": "Handled while you are on the line",
            "hours": hours(EVERY_DAY, *ALL_DAY),
        },
        {
            "kind": Channel.Kind.CHAT,
            "label": "KDPAY 在线客服",
            "label_en": "KDPAY online chat",
            "value": "https://help.kdpay.example/chat",
            "good_for": Channel.GoodFor.REFUNDS,
            "reply_time": "平均 2 分钟",
            "reply_time_en": "About 2 minutes",
            "hours": hours(EVERY_DAY, *ALL_DAY),
        },
        {
            "kind": Channel.Kind.EMAIL,
            "label": "KDPAY 客服邮箱",
            "label_en": "KDPAY support email",
            "value": "help@kdpay.example",
            "good_for": Channel.GoodFor.GENERAL,
            "reply_time": "24 小时内回复",
            "reply_time_en": "Within 24 hours",
            "hours": [],
        },
        {
            "kind": Channel.Kind.WEBSITE,
            "label": "KDPAY 官网",
            "label_en": "KDPAY website",
            "value": "https://www.kdpay.example/",
            "good_for": Channel.GoodFor.GENERAL,
            "hours": [],
        },
        {
            "kind": Channel.Kind.APP,
            "label": "KDPAY App 内客服",
            "label_en": "KDPAY in-app support",
            "value": "打开 KDPAY App →“我的”→“客服中心”",
            "value_en": "Open the KDPAY app → “Me” → “Help center”",
            "good_for": Channel.GoodFor.URGENT,
            "hours": hours(EVERY_DAY, *ALL_DAY),
        },
    ],
    "kdou": [
        {
            "kind": Channel.Kind.HOTLINE,
            "label": "K豆客服热线 (demo)",
            "label_en": "K豆 Wallet hotline (demo)",
            "value": "400 000 0202",
            "good_for": Channel.GoodFor.URGENT,
            "reply_time": "工作日接通即处理",
            "reply_time_en": "Handled while you are on the line (workdays)",
            "follows_china_calendar": True,
            "hours": hours(WORKDAYS, time(9), time(18)),
            "exceptions": [
                ("元旦", date(2027, 1, 1), date(2027, 1, 1), None),
                ("春节", date(2027, 2, 5), date(2027, 2, 11), None),
            ],
        },
        {
            "kind": Channel.Kind.CHAT,
            "label": "K豆在线客服",
            "label_en": "K豆 Wallet online chat",
            "value": "https://chat.kdou.example/",
            "good_for": Channel.GoodFor.REFUNDS,
            "reply_time": "平均 5 分钟",
            "reply_time_en": "About 5 minutes",
            "hours": hours(EVERY_DAY, time(9), time(22)),
            "exceptions": [
                ("除夕", date(2027, 2, 5), date(2027, 2, 5), (time(9), time(15))),
                ("春节", date(2027, 2, 6), date(2027, 2, 11), (time(10), time(18))),
            ],
        },
        {
            "kind": Channel.Kind.EMAIL,
            "label": "K豆客服邮箱",
            "label_en": "K豆 Wallet support email",
            "value": "service@kdou.example",
            "good_for": Channel.GoodFor.GENERAL,
            "reply_time": "2 个工作日内回复",
            "reply_time_en": "Within 2 working days",
            "hours": [],
        },
        {
            "kind": Channel.Kind.WECHAT,
            "label": "K豆钱包微信公众号",
            "label_en": "K豆 Wallet on WeChat",
            "value": "kdou_wallet_demo",
            "good_for": Channel.GoodFor.GENERAL,
            "hours": [],
        },
    ],
    "okpay": [
        {
            "kind": Channel.Kind.EMAIL,
            "label": "OKPay 客服邮箱",
            "label_en": "OKPay support email",
            "value": "support@okpay.example",
            "good_for": Channel.GoodFor.REFUNDS,
            "reply_time": "48 小时内回复",
            "reply_time_en": "Within 48 hours",
            "hours": [],
        },
        {
            "kind": Channel.Kind.CHAT,
            "label": "OKPay 在线客服",
            "label_en": "OKPay online chat",
            "value": "https://help.okpay.example/chat",
            "good_for": Channel.GoodFor.URGENT,
            "reply_time": "平均 3 分钟",
            "reply_time_en": "About 3 minutes",
            # 08:00-23:00 daily, and on Friday and Saturday nights until 01:00 (split at midnight).
            "hours": [
                *hours(range(0, 4), time(8), time(23)),
                (4, time(8), time(0)),
                (5, time(0), time(1)),
                (5, time(8), time(0)),
                (6, time(0), time(1)),
                (6, time(8), time(23)),
            ],
            "exceptions": [("春节", date(2027, 2, 6), date(2027, 2, 8), None)],
        },
        {
            "kind": Channel.Kind.X,
            "label": "OKPay on X",
            "value": "@OKPay_demo",
            "good_for": Channel.GoodFor.GENERAL,
            "hours": [],
        },
    ],
}


def _sync_channel(brand: Brand, order: int, data: dict) -> int:
    fields = {
        "label": data["label"],
        "label_en": data.get("label_en", ""),
        "value_en": data.get("value_en", ""),
        "good_for": data["good_for"],
        "reply_time": data.get("reply_time", ""),
        "reply_time_en": data.get("reply_time_en", ""),
        "order": order,
        "follows_china_calendar": data.get("follows_china_calendar", False),
        "verified_at": VERIFIED,
        "is_active": True,
    }
    channel, created = Channel.objects.get_or_create(
        brand=brand, kind=data["kind"], value=data["value"], defaults=fields
    )
    changed = int(created)
    if not created and any(getattr(channel, name) != value for name, value in fields.items()):
        for name, value in fields.items():
            setattr(channel, name, value)
        channel.save()
        changed += 1
    wanted = sorted(data["hours"])
    current = sorted(channel.opening_hours.values_list("weekday", "opens_at", "closes_at"))
    if current != wanted:
        channel.opening_hours.all().delete()
        OpeningHours.objects.bulk_create(
            OpeningHours(channel=channel, weekday=day, opens_at=opens, closes_at=closes)
            for day, opens, closes in wanted
        )
        changed += len(wanted)
    for label, start, end, special in data.get("exceptions", []):
        opens, closes = special or (None, None)
        _exc, exc_created = ChannelException.objects.update_or_create(
            channel=channel,
            label=label,
            start_date=start,
            defaults={
                "label_en": EXCEPTION_LABELS_EN.get(label, ""),
                "end_date": end,
                "is_closed": special is None,
                "opens_at": opens,
                "closes_at": closes,
            },
        )
        changed += int(exc_created)
    return changed


@transaction.atomic
def load_demo() -> int:
    """Create or update the demo channels of the demo brands; returns how many rows changed."""
    changed = 0
    for slug, channels in DEMO_CHANNELS.items():
        brand = Brand.objects.filter(slug=slug).first()
        if brand is None:
            continue
        for order, data in enumerate(channels):
            changed += _sync_channel(brand, order, data)
    return changed


def demo_contact_message():
    """A message from a demo KDPAY user with one staff reply, for screenshots and browser tests
    of the status page (created once; the demo data itself holds no customer messages)."""
    from .models import ContactMessage
    from .services import contact_message_create, contact_reply_create

    message = ContactMessage.objects.order_by("pk").first()
    if message is None:
        message = contact_message_create(
            brand=Brand.objects.get(slug="kdpay"),
            topic="other",
            name="王小明",
            email="xiaoming@example.com",
            subject="退款三天了还没到账",
            message="11月3日在商户下单后申请了退款，商户说已经同意，但是钱包里还没有看到。订单号 KDP-20261103-0042。",
        )
        contact_reply_create(
            contact_message=message,
            author=None,
            body="您好，退款已在处理中，预计 1–3 个工作日到账，到账后会短信通知您。",
        )
    return message
