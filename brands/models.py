"""The wallet brands a help center serves.

Brand lives in an app of its own because both the knowledge base (faq) and the
contact pages (contact) refer to it; neither of those apps imports the other's models.
"""

from __future__ import annotations

import re
import zoneinfo

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from helpcenter.localized import LocalizedText
from pagecache.invalidation import ContentQuerySet

# What readers call the zones our brands use; other zones show their IANA name.
TIME_ZONE_NAMES = {
    "Asia/Shanghai": _("Beijing time"),
    "Asia/Hong_Kong": _("Hong Kong time"),
    "Asia/Taipei": _("Taipei time"),
    "Asia/Singapore": _("Singapore time"),
    "UTC": _("UTC"),
}


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("“%(value)s” is not a known time zone."), params={"value": value})


SLUG_SHAPE = re.compile(r"[-a-zA-Z0-9_]{1,40}")


class BrandQuerySet(ContentQuerySet):
    def active(self) -> BrandQuerySet:
        """Brands shown on the public site, in their display order."""
        return self.filter(is_active=True).order_by("order", "name")

    def named_by(self, slug: str | None) -> Brand | None:
        """The brand a `?brand=` parameter names, or None when it is missing, unknown or not a slug.

        Only slug-shaped text reaches the database: PostgreSQL refuses a NUL byte in a
        query (a 500 otherwise), and nothing else can be a brand's slug anyway.
        """
        if not slug or not SLUG_SHAPE.fullmatch(slug):
            return None
        return self.filter(slug=slug).first()


class Brand(models.Model):
    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("slug"), max_length=40, unique=True)
    description = models.CharField(_("short description (Chinese)"), max_length=200, blank=True)
    description_en = models.CharField(
        _("short description (English)"),
        max_length=200,
        blank=True,
        help_text=_("Shown on English pages; Chinese if empty."),
    )
    color = models.CharField(
        _("brand colour"),
        max_length=7,
        default="#1F5FBF",
        validators=[RegexValidator(r"^#[0-9A-Fa-f]{6}$", _("Enter a colour such as #1F5FBF."))],
        help_text=_("Used for the brand's pages; pick a colour with enough contrast on white."),
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Asia/Shanghai", validators=[validate_time_zone]
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    objects = BrandQuerySet.as_manager()

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("brand")
        verbose_name_plural = _("brands")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("faq:brand_detail", kwargs={"brand_slug": self.slug})

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    localized_description = LocalizedText("description")

    @property
    def time_zone_name(self) -> str:
        """The brand's time zone as readers say it: 北京时间 / Beijing time, else the zone's name."""
        return str(TIME_ZONE_NAMES.get(self.time_zone, self.time_zone.replace("_", " ")))
