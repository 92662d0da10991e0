"""The admin site: a home page that starts with each staff member's own work (articles for
Editors and Publishers, the inbox for Support agents) and keeps the technical sections (login
lockouts, the task queue, ...) for superusers. Installed in place of django.contrib.admin
(INSTALLED_APPS "helpcenter.admin_site.AdminConfig"), so every `admin.site.register` uses it."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig
from django.http import HttpRequest
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:  # auth models cannot be imported while apps load, and this module loads with them
    from django.contrib.auth.models import AbstractBaseUser

#: Apps only superusers see on the admin home, whatever permissions others are given.
TECHNICAL_APPS = frozenset({"axes", "django_tasks_database", "reversion"})
#: Each kind of staff work: the permission that marks it, its app and the model to list first.
WORK = [
    ("faq.change_article", "faq", "article"),
    ("contact.change_contactmessage", "contact", "contactmessage"),
]


def home_order(user: AbstractBaseUser) -> list[tuple[str, str]]:
    """(app, model) of the staff member's own work, in WORK's order, for the top of the home page."""
    return [(app, model) for permission, app, model in WORK if user.has_perm(permission)]


def arrange_apps(app_list: list[dict], user: AbstractBaseUser) -> list[dict]:
    """The admin's app list with the user's work first (and its main model first within its app),
    without the technical apps unless the user is a superuser."""
    if not user.is_superuser:
        app_list = [app for app in app_list if app["app_label"] not in TECHNICAL_APPS]
    first = home_order(user)
    rank = {app: index for index, (app, _model) in enumerate(first)}
    for app in app_list:
        main = dict(first).get(app["app_label"])
        app["models"].sort(key=lambda model: model["object_name"].lower() != main)
    return sorted(app_list, key=lambda app: rank.get(app["app_label"], len(rank)))


def dashboards_url(user: AbstractBaseUser) -> str | None:
    """The dashboards index's address, if the staff member may open at least one dashboard."""
    from .dashboards import visible_dashboards

    return reverse("admin:dashboards") if visible_dashboards(user) else None


class HelpCenterAdminSite(admin.AdminSite):
    # Lazy, so each staff member reads them in their own language.
    site_header = _("Wallet Help Center")
    site_title = _("Help Center admin")
    index_title = _("Site administration")
    index_template = "admin/helpcenter_index.html"

    def get_urls(self):
        from .dashboards import dashboard_urls
        from .staff_preferences import preferences_view

        preferences = self.admin_view(partial(preferences_view, admin_site=self))
        return [
            path("preferences/", preferences, name="staff_preferences"),
            *dashboard_urls(self.admin_view),
            *super().get_urls(),
        ]

    def each_context(self, request: HttpRequest) -> dict:
        from .staff_preferences import zone_label

        # The header names the zone every time on the page is written in (helpcenter/staff_preferences.py).
        return {**super().each_context(request), "staff_zone": zone_label()}

    def get_app_list(self, request: HttpRequest, app_label: str | None = None) -> list[dict]:
        return arrange_apps(super().get_app_list(request, app_label), request.user)

    def index(self, request: HttpRequest, extra_context: dict | None = None):
        from faq.models import Article

        user = request.user
        context = {"work": [app for app, _model in home_order(user)], "dashboards_url": dashboards_url(user)}
        if user.has_perm("faq.change_article"):
            context["articles_in_review"] = Article.objects.filter(status=Article.Status.IN_REVIEW).count()
        return super().index(request, {**context, **(extra_context or {})})


class AdminConfig(DjangoAdminConfig):
    default_site = "helpcenter.admin_site.HelpCenterAdminSite"
