"""The inbox's admin parts: the waiting filters, the saved-reply picker, the conversation and
the reply box's save with its confirmation."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from helpcenter.request import absolute_url

from .inbox import staff_time
from .models import Reply
from .saved_replies import SavedReply
from .services import contact_reply_create

#: Set on the request by a save that wrote a reply or note: its confirmation replaces Django's.
REPLIED = "inbox_replied"


class WaitingFilter(admin.SimpleListFilter):
    """Who has the next word on an open message: us, or the customer."""

    title = _("waiting")
    parameter_name = "waiting"

    def lookups(self, request, model_admin):
        return [("us", _("Waiting for us")), ("customer", _("Waiting for the customer"))]

    def queryset(self, request, queryset):
        if self.value() == "us":
            return queryset.waiting_for_us()
        if self.value() == "customer":
            return queryset.waiting_for_customer()
        return queryset


class SavedReplySelect(forms.Select):
    """Each option carries its text, so the enhancement script can put it in the reply box."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        instance = getattr(value, "instance", None)
        if instance is not None:
            option["attrs"]["data-body"] = instance.body
        return option


def saved_reply_field() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=_("Saved reply"),
        queryset=SavedReply.objects.none(),
        required=False,
        widget=SavedReplySelect,
        empty_label=_("No saved reply"),
        help_text=_("With an empty reply box, the chosen saved reply is sent as it is."),
    )


def conversation(message) -> list[dict]:
    """The replies and notes after the message, oldest first, each time in the staff member's zone."""
    return [
        {
            "kind": reply.kind,
            "kind_label": reply.get_kind_display(),
            "author": reply.author.get_username() if reply.author else message.name,
            "time": staff_time(reply.created_at),
            "body": reply.body,
            "email_sent": staff_time(reply.email_sent_at) if reply.kind == "staff" else "",
        }
        for reply in message.replies.select_related("author").order_by("created_at", "pk")
    ]


@admin.register(SavedReply)
class SavedReplyAdmin(admin.ModelAdmin):
    list_display = ["title", "brand", "topic", "is_active"]
    list_filter = ["brand", "topic", "is_active"]
    search_fields = ["title", "body"]
    list_select_related = ["brand"]
    fields = ["title", "brand", "topic", "body", "is_active"]


def reply_confirmation(email: str, kind: str, emailed: bool) -> tuple[int, str]:
    """(level, text) telling the agent what happened: a note stays internal; a reply was emailed
    to the customer, or could not be yet and waits for its automatic retry."""
    if kind == Reply.Kind.NOTE:
        return messages.SUCCESS, gettext(
            "Internal note saved. It stays internal: the customer neither sees it nor gets an email."
        )
    if emailed:
        return messages.SUCCESS, gettext("Replied, and emailed to %(email)s.") % {"email": email}
    return messages.WARNING, gettext(
        "Replied. The email to %(email)s could not be sent yet: it is queued and will be retried automatically."
    ) % {"email": email}


def confirm_reply(request: HttpRequest, email: str, reply: Reply) -> None:
    """Add the confirmation once the reply is committed and its email was tried."""
    emailed = Reply.objects.filter(pk=reply.pk, email_sent_at__isnull=False).exists()
    level, text = reply_confirmation(email, reply.kind, emailed)
    messages.add_message(request, level, text)


class ReplyBoxAdminMixin:
    """The reply box's save: the reply or note, then one confirmation that says what happened to
    the email, in place of Django's generic "was changed successfully" (which says nothing of it).
    The agent sees the customer's full address on the page, so the confirmation names it in full:
    a typo in it is then easy to spot."""

    def save_reply(self, request: HttpRequest, message, form) -> None:
        body = form.cleaned_data.get("reply", "").strip()
        if not body:
            return
        reply = contact_reply_create(
            contact_message=message,
            author=request.user,
            body=body,
            kind=form.cleaned_data.get("reply_kind") or Reply.Kind.STAFF,
            base_url=absolute_url("/", request),
            send_now=True,
        )
        setattr(request, REPLIED, True)
        # Registered after the reply's own email callback, so it runs once the email was tried.
        transaction.on_commit(lambda: confirm_reply(request, message.email, reply))

    def message_user(self, request, message, level=messages.INFO, *args, **kwargs) -> None:
        if getattr(request, REPLIED, False) and level == messages.SUCCESS:
            return  # Django's generic change message: the reply's confirmation says more
        super().message_user(request, message, level, *args, **kwargs)
