"""The inbox's admin parts: the waiting filters, the saved-reply picker and the conversation."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .inbox import staff_time
from .saved_replies import SavedReply


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
