"""The inbox's rules: when a message was first answered and resolved, and how staff read times."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.timesince import timesince
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from helpcenter.staff_preferences import zone_label

FINISHED = {"resolved", "closed"}


def set_status_times(message, status: str | None = None, staff_reply=None) -> list[str]:
    """Move `message` to `status` and keep first_response_at / resolved_at in step (not saved).

    The first public staff reply sets first_response_at once; finishing sets resolved_at,
    reopening clears it, so resolution time is always that of the latest resolution.
    Returns the fields that changed.
    """
    changed = []
    if staff_reply is not None and message.first_response_at is None:
        message.first_response_at = staff_reply.created_at
        changed.append("first_response_at")
    if status and status != message.status:
        message.status = status
        changed.append("status")
    finished = message.status in FINISHED
    if finished and message.resolved_at is None:
        message.resolved_at = timezone.now()
        changed.append("resolved_at")
    elif not finished and message.resolved_at is not None:
        message.resolved_at = None
        changed.append("resolved_at")
    return changed


def duration_since(start: datetime, end: datetime | None) -> str:
    """ "3 hours, 5 minutes" between two moments; "—" while `end` has not happened."""
    if end is None:
        return "—"
    if end - start < timedelta(minutes=1):
        return str(_("under a minute"))
    return timesince(start, end, depth=2)


def format_duration(span: timedelta | None) -> str:
    """A span of time as words ("3 hours, 5 minutes"); "—" for none."""
    if span is None:
        return "—"
    epoch = datetime(2000, 1, 1, tzinfo=UTC)
    return duration_since(epoch, epoch + span)


def staff_time(moment: datetime | None) -> str:
    """A moment in the staff member's time zone (the active one), the zone written after it."""
    if moment is None:
        return "—"
    local = timezone.localtime(moment)
    return f"{date_format(local, 'Y-m-d H:i')} {zone_label(local)}"


def language_name(code: str) -> str:
    """ "简体中文", "English": each language by its own name, as language pickers write them
    (the site's translation of "English" is the switcher's "英文版"); the code if unknown."""
    try:
        return get_language_info(code)["name_local"]
    except KeyError:
        return code
