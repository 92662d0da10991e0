"""The demo brands. Their contact details live with the contact app's demo data."""

from __future__ import annotations

from .models import Brand

DEMO_BRANDS = [
    {
        "slug": "kdpay",
        "name": "KDPAY",
        "description": "KDPAY 数字钱包：7×24 小时在线客服。",
        "description_en": "KDPAY digital wallet, with support around the clock.",
        "color": "#1F5FBF",
        "order": 1,
    },
    {
        "slug": "kdou",
        "name": "K豆钱包",
        "description": "K豆钱包：工作日 9:00–18:00 客服热线，在线客服至 22:00。",
        "description_en": "K豆 Wallet: hotline on workdays 9:00–18:00, online chat until 22:00.",
        "color": "#B4461B",
        "order": 2,
    },
    {
        "slug": "okpay",
        "name": "OKPay",
        "description": "OKPay 钱包：在线客服与邮件支持，邮件 48 小时内回复。",
        "description_en": "OKPay wallet: online chat and email support, email replies within 48 hours.",
        "color": "#0B7A50",
        "order": 3,
    },
]


def load_demo_brands() -> int:
    """Create or update the demo brands; returns how many rows changed."""
    changed = 0
    for data in DEMO_BRANDS:
        brand, created = Brand.objects.get_or_create(slug=data["slug"], defaults=data)
        if created:
            changed += 1
            continue
        if any(getattr(brand, field) != value for field, value in data.items()):
            for field, value in data.items():
                setattr(brand, field, value)
            brand.save()
            changed += 1
    return changed


def load_demo() -> int:
    return load_demo_brands()
