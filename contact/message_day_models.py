"""Contact messages counted per finished day (imported by contact/models.py), so the support and
deflection dashboards read a few hundred rows instead of every message of the period.

- `MessageDay`: a local day (in `time_zone`) whose messages are counted in `MessageDayCount`; its
  row is also the lock that keeps two countings of the same day apart (contact/message_days.py).
- `MessageDayCount`: that day's messages of one brand and topic, how many had their article
  suggestions checked and how many had an article suggested (contact/deflection.py).

Kept by contact/message_days.py; the messages stay the source of truth.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from brands.models import Brand


class MessageDay(models.Model):
    day = models.DateField(_("day"), unique=True)
    # The zone whose local day this is (settings.TIME_ZONE when counted): a staff member who
    # reads the dashboards in another zone gets that zone's days from the messages instead.
    time_zone = models.CharField(_("time zone"), max_length=64)
    counted_at = models.DateTimeField(_("counted at"), default=timezone.now)

    class Meta:
        ordering = ["day"]
        verbose_name = _("day of messages")
        verbose_name_plural = _("days of messages")

    def __str__(self) -> str:
        return self.day.isoformat()


class MessageDayCount(models.Model):
    message_day = models.ForeignKey(
        MessageDay, verbose_name=_("day"), on_delete=models.CASCADE, related_name="counts"
    )
    # A brand with messages cannot be deleted (PROTECT); one without has nothing left to count.
    brand = models.ForeignKey(Brand, verbose_name=_("brand"), on_delete=models.CASCADE, related_name="+")
    topic = models.CharField(_("topic"), max_length=40)
    messages = models.PositiveIntegerField(_("messages"))
    checked = models.PositiveIntegerField(_("checked"))
    matched = models.PositiveIntegerField(_("an article was suggested"))

    class Meta:
        verbose_name = _("messages of a day")
        verbose_name_plural = _("messages of a day")

    def __str__(self) -> str:
        return f"{self.message_day_id} {self.brand_id} {self.topic}: {self.messages}"
