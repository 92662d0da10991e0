"""The admin side of revision history: a history page with who, when and what changed, and a
one-click restore (a POST button) that is itself stored as a revision (helpcenter/history.py).

Admins inherit `HistoryAdmin` ahead of their ModelAdmin: django-reversion's VersionAdmin
records a revision (author, time, the change message) for every add and change made through
the admin, with the rows of its inlines (a channel's opening hours)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.admin import ModelAdmin
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from reversion.admin import VersionAdmin
from reversion.models import Version

from .history import history, restore


class HistoryAdmin(VersionAdmin):
    #: Fields a restore leaves as they are now (an article's publishing status).
    history_restore_keep: tuple[str, ...] = ()
    # VersionAdmin's own revert and recover pages save the stored rows raw: no rendered HTML or
    # search columns (they are not stored), old status and counters. Restoring goes through
    # restore_view only; the list keeps Django's plain template (no "recover deleted" button).
    change_list_template = None

    def revision_view(self, request: HttpRequest, object_id: str, version_id: str, extra_context=None):
        return HttpResponseRedirect(
            self._admin_url("history", get_object_or_404(self.model, pk=unquote(object_id)))
        )

    def recoverlist_view(self, request: HttpRequest, extra_context=None):
        raise Http404

    def recover_view(self, request: HttpRequest, version_id: str, extra_context=None):
        raise Http404

    # VersionAdmin copies Django's change message ("Changed Body (Markdown)") into the revision's
    # comment, in English wherever Django's capitalised field label has no translation; the
    # history page shows each change in the reader's language instead, so revisions carry only
    # the comments we write (a restore, a bulk action).
    def log_addition(self, request: HttpRequest, obj, message):
        return ModelAdmin.log_addition(self, request, obj, message)

    def log_change(self, request: HttpRequest, obj, message):
        return ModelAdmin.log_change(self, request, obj, message)

    def get_urls(self):
        opts = self.model._meta
        restore_view = self.admin_site.admin_view(require_POST(self.restore_view))
        name = f"{opts.app_label}_{opts.model_name}_restore"
        return [
            path("<path:object_id>/history/<int:version_id>/restore/", restore_view, name=name),
            *super().get_urls(),
        ]

    def history_view(self, request: HttpRequest, object_id: str, extra_context=None) -> HttpResponse:
        """Every stored version, newest first, with what changed and a restore button."""
        obj = get_object_or_404(self.model, pk=unquote(object_id))
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        opts = self.model._meta
        context = {
            **self.admin_site.each_context(request),
            "title": _("History: %(object)s") % {"object": obj},
            "subtitle": None,
            "opts": opts,
            "object": obj,
            "entries": history(obj),
            "can_restore": self.has_change_permission(request, obj),
            "restore_url_name": f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_restore",
            "object_id": quote(obj.pk),
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/history/object_history.html", context)

    def restore_view(self, request: HttpRequest, object_id: str, version_id: int) -> HttpResponse:
        obj = get_object_or_404(self.model, pk=unquote(object_id))
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        version = Version.objects.get_for_object(obj).filter(pk=version_id).first()
        if version is None:
            raise Http404(_("This object has no such version."))
        try:
            restore(version, user=request.user, keep=self.history_restore_keep)
        except ValidationError as error:
            message = _("This version cannot be restored: %(reason)s") % {"reason": " ".join(error.messages)}
            self.message_user(request, message, messages.ERROR)
            return HttpResponseRedirect(self._admin_url("history", obj))
        self.message_user(
            request,
            _("The earlier version is back; the restore is kept in the history too."),
            messages.SUCCESS,
        )
        return HttpResponseRedirect(self._admin_url("change", obj))

    def _admin_url(self, view: str, obj) -> str:
        opts = self.model._meta
        return reverse(
            f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_{view}", args=[quote(obj.pk)]
        )
