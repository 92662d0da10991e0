"""The search log counted per finished day (imported by faq/models.py), so the search dashboard's
"searches per day" reads a few hundred rows instead of every search of the period.

- `SearchDay`: a local day (in `time_zone`) whose searches are counted in `SearchDayCount`. Its
  row is also the lock that keeps two countings of the same day from interleaving
  (faq/search_days.py).
- `SearchDayCount`: that day's searches for one brand and language: all of them, those that found
  nothing, those with a result opened.

Kept by faq/search_days.py; the log (SearchQueryLog) stays the source of truth.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from brands.models import Brand


class SearchDay(models.Model):
    day = models.DateField(_("day"), unique=True)
    # The zone whose local day this is (settings.TIME_ZONE when counted): a staff member who
    # reads the dashboard in another zone gets that zone's days from the log instead.
    time_zone = models.CharField(_("time zone"), max_length=64)
    counted_at = models.DateTimeField(_("counted at"), default=timezone.now)

    class Meta:
        ordering = ["day"]
        verbose_name = _("day of searches")
        verbose_name_plural = _("days of searches")

    def __str__(self) -> str:
        return self.day.isoformat()


class SearchDayCount(models.Model):
    search_day = models.ForeignKey(
        SearchDay, verbose_name=_("day"), on_delete=models.CASCADE, related_name="counts"
    )
    # As on the log: a deleted brand's searches count as searches without a brand.
    brand = models.ForeignKey(
        Brand, verbose_name=_("brand"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    language = models.CharField(_("language"), max_length=8)
    searches = models.PositiveIntegerField(_("searches"))
    no_result = models.PositiveIntegerField(_("found nothing"))
    opened = models.PositiveIntegerField(_("result opened"))

    class Meta:
        verbose_name = _("searches of a day")
        verbose_name_plural = _("searches of a day")

    def __str__(self) -> str:
        return f"{self.search_day_id} {self.language} {self.brand_id}: {self.searches}"
