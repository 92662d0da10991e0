from __future__ import annotations

from django import template

from brands.models import Brand
from trust.selectors import alerts_showing_for

register = template.Library()


@register.inclusion_tag("trust/_alert_banner.html")
def scam_alert_banner(brand: Brand | None) -> dict:
    """The active scam alerts of `brand` as a banner (nothing when there are none)."""
    alerts = alerts_showing_for(brand) if brand is not None else []
    return {"alerts": alerts}
