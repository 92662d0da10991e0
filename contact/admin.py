"""The staff side: channels with their hours, and the support inbox."""

from __future__ import annotations

import csv
from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.timesince import timesince
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from helpcenter.history_admin import HistoryAdmin
from helpcenter.request import absolute_url
from helpcenter.text_validators import validate_text

from .forms import ContactMessageForm
from .inbox import duration_since, language_name, set_status_times, staff_time
from .inbox_admin import ReplyBoxAdminMixin, WaitingFilter, conversation, saved_reply_field
from .message_days import message_days, message_days_recount
from .models import Attachment, Channel, ChannelException, ContactMessage, OpeningHours, Reply
from .saved_replies import SavedReply
from .services import contact_emails_resend


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    extra = 0


class ChannelExceptionInline(admin.TabularInline):
    model = ChannelException
    extra = 0


@admin.register(Channel)
class ChannelAdmin(HistoryAdmin, admin.ModelAdmin):
    list_display = [
        "label",
        "brand",
        "kind",
        "value",
        "normalized_value",
        "is_active",
        "verified_at",
        "order",
    ]
    list_filter = ["brand", "kind", "is_active", "follows_china_calendar"]
    list_editable = ["order"]
    search_fields = ["label", "label_en", "value", "normalized_value"]
    readonly_fields = ["normalized_value"]
    # Chinese and English side by side (helpcenter/localized.py).
    fields = [
        "brand",
        "kind",
        ("label", "label_en"),
        ("value", "value_en"),
        "normalized_value",
        "good_for",
        ("reply_time", "reply_time_en"),
        ("never_calls_first", "never_asks_password", "never_asks_transfer"),
        "verified_at",
        "follows_china_calendar",
        ("order", "is_active"),
    ]

    class Media:
        css = {"all": ["css/admin-bilingual.css"]}

    inlines = [OpeningHoursInline, ChannelExceptionInline]
    list_select_related = ["brand"]


class AgeFilter(admin.SimpleListFilter):
    title = _("age")
    parameter_name = "age"

    def lookups(self, request, model_admin):
        return [("1", _("Older than 1 day")), ("3", _("Older than 3 days")), ("7", _("Older than 7 days"))]

    def queryset(self, request, queryset):
        if self.value() in {"1", "3", "7"}:
            return queryset.filter(created_at__lt=timezone.now() - timedelta(days=int(self.value())))
        return queryset


class EmailStateFilter(admin.SimpleListFilter):
    title = _("confirmation email")
    parameter_name = "email_state"

    def lookups(self, request, model_admin):
        return [("unsent", _("Not sent")), ("sent", _("Sent"))]

    def queryset(self, request, queryset):
        if self.value() == "unsent":
            return queryset.filter(confirmation_sent_at__isnull=True)
        if self.value() == "sent":
            return queryset.filter(confirmation_sent_at__isnull=False)
        return queryset


class ContactMessageAdminForm(forms.ModelForm):
    reply = forms.CharField(
        label=_("Reply or note"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        validators=[validate_text],
        help_text=_(
            "A reply is emailed to the customer and shown on their status page; a note stays internal."
        ),
    )
    reply_kind = forms.ChoiceField(
        label=_("Send as"),
        choices=[(Reply.Kind.STAFF, Reply.Kind.STAFF.label), (Reply.Kind.NOTE, Reply.Kind.NOTE.label)],
        initial=Reply.Kind.STAFF,
        required=False,
    )
    saved_reply = saved_reply_field()

    class Meta:
        model = ContactMessage
        fields = ["status", "assignee", "escalation"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "assignee" in self.fields:
            self.fields["assignee"].queryset = get_user_model().objects.filter(is_staff=True, is_active=True)
        if self.instance.pk:
            self.fields["saved_reply"].queryset = SavedReply.objects.for_message(self.instance)

    def clean(self):
        cleaned = super().clean()
        # Without JavaScript the picker cannot fill the box: an empty box sends the saved text.
        saved = cleaned.get("saved_reply")
        if saved and not (cleaned.get("reply") or "").strip():
            cleaned["reply"] = saved.body
        return cleaned


DELIVERY_FIELDS = [
    "received",
    "first_response_time",
    "resolution_time",
    "confirmation_sent",
    "email_attempts",
    "last_email_error",
    "rating",
    "rating_comment",
]
CSV_COLUMNS = [
    "reference",
    "created_at",
    "brand",
    "topic",
    "status",
    "escalation",
    "assignee",
    "email",
    "subject",
]


def _csv_row(message: ContactMessage) -> list:
    row = [
        message.reference,
        message.created_at.isoformat(),
        message.brand.slug,
        message.topic,
        message.status,
        message.escalation,
        message.assignee.get_username() if message.assignee else "",
        message.email,
        message.subject,
    ]
    # A leading =, +, - or @ would run as a formula in a spreadsheet.
    return ["'" + v if isinstance(v, str) and v[:1] in "=+-@\t\r" else v for v in row]


@admin.register(ContactMessage)
class ContactMessageAdmin(ReplyBoxAdminMixin, admin.ModelAdmin):
    form = ContactMessageAdminForm
    # The message, the conversation in time order, then the reply box (templates/contact/admin/).
    change_form_template = "contact/admin/message_change_form.html"

    class Media:
        css = {"all": ["css/admin-inbox.css"]}
        js = ["js/admin-saved-replies.js"]

    list_display = [
        "reference",
        "subject",
        "brand",
        "topic",
        "language_name",
        "status",
        "assignee",
        "escalation",
        "age",
        "first_response_time",
        "resolution_time",
        "email_state",
        "rating",
    ]
    list_filter = [
        WaitingFilter,
        "status",
        "brand",
        "topic",
        "assignee",
        "escalation",
        AgeFilter,
        EmailStateFilter,
    ]
    search_fields = ["reference", "email", "name", "subject", "message", "replies__body"]
    list_select_related = ["brand", "assignee"]
    date_hierarchy = "created_at"
    ordering = ["-escalation", "-created_at"]
    actions = ["export_csv", "assign_to_me", "escalate", "mark_resolved", "resend_emails"]
    readonly_fields = [
        "reference",
        *ContactMessageForm.Meta.fields,
        "masked",
        "attachment_previews",
        "language_name",
        "problem_time",
        *DELIVERY_FIELDS,
    ]
    fieldsets = [
        (None, {"fields": ["reference", "status", "assignee", "escalation"]}),
        (_("Customer"), {"fields": ["name", "email", "phone", "account", "language_name"]}),
        (_("Delivery and rating"), {"fields": DELIVERY_FIELDS}),
        (
            _("Message"),
            {
                "fields": [
                    "brand",
                    "topic",
                    "subject",
                    "message",
                    "attachment_previews",
                    "transaction_reference",
                    "problem_time",
                    "masked",
                ]
            },
        ),
        # The template puts the conversation after "Message" and the reply box, last, after it.
        (_("Answer"), {"fields": ["saved_reply", "reply", "reply_kind"]}),
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Messages come from customers through the form, never typed in by staff.
        return False

    # Deleting messages changes their days' counts (contact/message_days.py).
    def delete_model(self, request: HttpRequest, obj: ContactMessage) -> None:
        self.delete_queryset(request, ContactMessage.objects.filter(pk=obj.pk))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[ContactMessage]) -> None:
        days = message_days(queryset)
        super().delete_queryset(request, queryset)
        message_days_recount(days)

    @admin.display(description=_("age"), ordering="created_at")
    def age(self, obj: ContactMessage) -> str:
        return timesince(obj.created_at, depth=1)

    @admin.display(description=_("language"), ordering="language")
    def language_name(self, obj: ContactMessage) -> str:
        return language_name(obj.language)

    @admin.display(description=_("received"), ordering="created_at")
    def received(self, obj: ContactMessage) -> str:
        return staff_time(obj.created_at)

    @admin.display(description=_("confirmation sent"))
    def confirmation_sent(self, obj: ContactMessage) -> str:
        return staff_time(obj.confirmation_sent_at)

    @admin.display(description=_("time of the problem"))
    def problem_time(self, obj: ContactMessage) -> str:
        return staff_time(obj.problem_at)

    @admin.display(description=_("first response time"), ordering="first_response_at")
    def first_response_time(self, obj: ContactMessage) -> str:
        return duration_since(obj.created_at, obj.first_response_at)

    @admin.display(description=_("resolution time"), ordering="resolved_at")
    def resolution_time(self, obj: ContactMessage) -> str:
        return duration_since(obj.created_at, obj.resolved_at)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        message = self.get_object(request, object_id)
        extra = {"conversation": conversation(message) if message else []}
        return super().change_view(request, object_id, form_url, {**extra, **(extra_context or {})})

    @admin.display(description=_("confirmation email"), boolean=True)
    def email_state(self, obj: ContactMessage) -> bool:
        return obj.confirmation_sent_at is not None

    @admin.display(description=_("attachments"))
    def attachment_previews(self, obj: ContactMessage) -> str:
        attachments = obj.attachments.all()
        if not attachments:
            return "—"
        return format_html_join(
            " ",
            '<a href="{}" target="_blank" rel="noopener"><img src="{}" alt="{}" height="120"></a>',
            ((a.get_absolute_url(), a.get_absolute_url(), a.original_name) for a in attachments),
        )

    def save_model(self, request: HttpRequest, obj: ContactMessage, form, change: bool) -> None:
        set_status_times(obj)  # a status changed in the form moves resolved_at with it
        super().save_model(request, obj, form, change)
        self.save_reply(request, obj, form)

    @admin.action(description=_("Export the selected messages as CSV"), permissions=["view"])
    def export_csv(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="contact-messages.csv"'
        response.write("\ufeff")  # so spreadsheet programs read the Chinese text as UTF-8
        writer = csv.writer(response)
        writer.writerow(CSV_COLUMNS)
        for message in queryset.select_related("brand", "assignee").order_by("created_at"):
            writer.writerow(_csv_row(message))
        return response

    @admin.action(description=_("Assign the selected messages to me"), permissions=["change"])
    def assign_to_me(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = queryset.update(assignee=request.user, updated_at=timezone.now())
        self.message_user(request, ngettext("%d message assigned.", "%d messages assigned.", count) % count)

    @admin.action(description=_("Escalate the selected messages"), permissions=["change"])
    def escalate(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = queryset.filter(escalation=ContactMessage.Escalation.NONE).update(
            escalation=ContactMessage.Escalation.ESCALATED, updated_at=timezone.now()
        )
        self.message_user(request, ngettext("%d message escalated.", "%d messages escalated.", count) % count)

    @admin.action(description=_("Mark the selected messages as resolved"), permissions=["change"])
    def mark_resolved(self, request: HttpRequest, queryset: QuerySet) -> None:
        now = timezone.now()
        queryset.filter(resolved_at__isnull=True).update(resolved_at=now)
        count = queryset.update(status=ContactMessage.Status.RESOLVED, updated_at=now)
        self.message_user(request, ngettext("%d message resolved.", "%d messages resolved.", count) % count)

    @admin.action(description=_("Send unsent emails again"), permissions=["change"])
    def resend_emails(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = contact_emails_resend(base_url=absolute_url("/", request))
        self.message_user(
            request,
            ngettext("%d unsent email enqueued again.", "%d unsent emails enqueued again.", count) % count,
            messages.SUCCESS,
        )


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ["original_name", "contact_message", "content_type", "size", "created_at"]
    list_select_related = ["contact_message"]
    readonly_fields = [
        "contact_message",
        "reply",
        "preview",
        "original_name",
        "content_type",
        "size",
        "width",
        "height",
    ]
    fields = readonly_fields
    search_fields = ["contact_message__reference", "original_name"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.display(description=_("preview"))
    def preview(self, obj: Attachment) -> str:
        return format_html('<a href="{0}"><img src="{0}" alt="" height="240"></a>', obj.get_absolute_url())
