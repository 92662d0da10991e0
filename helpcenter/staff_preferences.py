"""Each staff member's own language and time zone in the admin ("My preferences").

Saved in StaffPreferences and copied into the session at login and on saving, so the
middleware applies them without a query per request. Only admin pages follow them: public
pages keep the visitor's language and the site's zone. A change made in one browser reaches
the staff member's other sessions at their next login.
"""

from __future__ import annotations

import zoneinfo
from contextlib import nullcontext
from datetime import datetime

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from .models import StaffPreferences

SESSION_KEY = "staff_preferences"

#: The zones support teams of these brands work in, first in the list, with names staff know.
COMMON_ZONES = [
    ("Asia/Shanghai", _("Beijing time (mainland China)")),
    ("Asia/Hong_Kong", _("Hong Kong")),
    ("Asia/Macau", _("Macau")),
    ("Asia/Taipei", _("Taipei")),
    ("Asia/Singapore", _("Singapore")),
    ("Asia/Kuala_Lumpur", _("Kuala Lumpur")),
    ("Asia/Manila", _("Manila")),
    ("Asia/Bangkok", _("Bangkok")),
    ("Asia/Jakarta", _("Jakarta")),
    ("Asia/Tokyo", _("Tokyo")),
    ("Europe/London", _("London")),
    ("America/Los_Angeles", _("Los Angeles")),
    ("UTC", _("Coordinated Universal Time")),
]


def zone_choices() -> list:
    """The site's zone (empty), the common zones by name, then every other IANA zone."""
    common = {name for name, _label in COMMON_ZONES}
    others = sorted(name for name in zoneinfo.available_timezones() if "/" in name and name not in common)
    return [
        ("", _("The site's (%(language)s)") % {"language": settings.TIME_ZONE}),
        (_("Common"), [(name, f"{label} · {name}") for name, label in COMMON_ZONES]),
        (_("All time zones"), [(name, name) for name in others]),
    ]


def language_choices() -> list[tuple[str, str]]:
    """The site's language (empty), then each language by its own name."""
    site = dict(settings.LANGUAGES)[settings.LANGUAGE_CODE]
    return [("", _("The site's (%(language)s)") % {"language": site}), *settings.LANGUAGES]


class StaffPreferencesForm(forms.ModelForm):
    language = forms.ChoiceField(label=_("language"), choices=language_choices, required=False)
    time_zone = forms.ChoiceField(label=_("time zone"), choices=zone_choices, required=False)

    class Meta:
        model = StaffPreferences
        fields = ["language", "time_zone"]


def remember(session, preferences: StaffPreferences | None) -> None:
    """Copy the preferences into the session, where the middleware reads them."""
    session[SESSION_KEY] = {
        "language": preferences.language if preferences else "",
        "time_zone": preferences.time_zone if preferences else "",
    }


def load_at_login(sender, request, user, **kwargs) -> None:
    """Connected to user_logged_in (helpcenter/apps.py): the one query, at login."""
    if user.is_staff:
        remember(request.session, StaffPreferences.objects.filter(user=user).first())


def is_admin_path(path: str) -> bool:
    return path.startswith("/" + settings.ADMIN_URL)


class StaffPreferencesMiddleware:
    """Admin pages in the staff member's language and time zone. After AuthenticationMiddleware
    and LocaleMiddleware, whose language choice it overrides for the admin. The language stays
    active until the next request's LocaleMiddleware; the zone is reset on the way out, so no
    public page served by this thread afterwards sees it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        preferences = request.session.get(SESSION_KEY) if is_admin_path(request.path_info) else None
        if not preferences:
            return self.get_response(request)
        if preferences["language"]:
            translation.activate(preferences["language"])
            request.LANGUAGE_CODE = preferences["language"]
        zone = preferences["time_zone"]
        with timezone.override(zone) if zone else nullcontext():
            return self.get_response(request)


def zone_label(moment: datetime | None = None) -> str:
    """ "Asia/Shanghai UTC+08:00": the active zone and its offset now (or at `moment`)."""
    local = timezone.localtime(moment)
    offset = local.strftime("%z")
    return f"{timezone.get_current_timezone_name()} UTC{offset[:3]}:{offset[3:]}"


@require_http_methods(["GET", "POST"])
def preferences_view(request: HttpRequest, admin_site) -> HttpResponse:
    """The staff member's own preferences: language and time zone (admin:staff_preferences)."""
    instance = StaffPreferences.objects.filter(user=request.user).first() or StaffPreferences(
        user=request.user
    )
    form = StaffPreferencesForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        preferences = form.save()
        remember(request.session, preferences)
        with translation.override(preferences.language or settings.LANGUAGE_CODE):  # the page's next language
            messages.success(request, gettext("Your preferences are saved."))
        return redirect("admin:staff_preferences")
    context = {**admin_site.each_context(request), "title": _("My preferences"), "form": form}
    return TemplateResponse(request, "admin/staff_preferences.html", context)
