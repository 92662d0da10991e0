"""Official support channels with their opening hours, and the messages users send support.

Channel and normalize.py are also read by the "is this contact official?" checker
(see /verify/): `Channel.objects.official_matches(form, normalized_value)`. Query logic
lives on the querysets (querysets.py).
"""

from __future__ import annotations

from datetime import time

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from brands.models import Brand
from helpcenter.localized import LocalizedText
from pagecache.invalidation import ContentQuerySet

from . import deflection_models, message_day_models  # noqa: F401 (their models register with the app)
from .normalize import channel_value_form, display_phone, normalize_channel_value
from .querysets import ChannelQuerySet, MessageQuerySet


class Weekday(models.IntegerChoices):
    # 0 = Monday, as date.weekday().
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class Channel(models.Model):
    class Kind(models.TextChoices):
        HOTLINE = "hotline", _("Hotline")
        EMAIL = "email", _("Email")
        CHAT = "chat", _("Online chat")
        WEBSITE = "website", _("Official website")
        APP = "app", _("In-app support")
        WECHAT = "wechat", _("WeChat")
        WEIBO = "weibo", _("Weibo")
        X = "x", _("X")
        FACEBOOK = "facebook", _("Facebook")
        TELEGRAM = "telegram", _("Telegram")

    class GoodFor(models.TextChoices):
        URGENT = "urgent", _("Urgent account problems")
        REFUNDS = "refunds", _("Refunds and payments")
        GENERAL = "general", _("General questions")

    brand = models.ForeignKey(
        Brand, verbose_name=_("brand"), on_delete=models.CASCADE, related_name="channels"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind)
    label = models.CharField(_("label (Chinese)"), max_length=100)
    label_en = models.CharField(
        _("label (English)"),
        max_length=100,
        blank=True,
        help_text=_("Shown on English pages; Chinese if empty."),
    )
    value = models.CharField(
        _("value"),
        max_length=200,
        help_text=_("What users see: a phone number, an email address, a web address or a handle."),
    )
    value_en = models.CharField(
        _("value (English)"),
        max_length=200,
        blank=True,
        help_text=_("Only for in-app support, whose value is the steps to follow: those steps in English."),
    )
    normalized_value = models.CharField(_("normalised value"), max_length=200, db_index=True, editable=False)
    good_for = models.CharField(_("good for"), max_length=16, choices=GoodFor, default=GoodFor.GENERAL)
    reply_time = models.CharField(
        _("typical reply time (Chinese)"),
        max_length=100,
        blank=True,
        help_text=_("For example: 48 小时内回复."),
    )
    reply_time_en = models.CharField(
        _("typical reply time (English)"),
        max_length=100,
        blank=True,
        help_text=_("For example: within 48 hours. Chinese if empty."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    never_calls_first = models.BooleanField(_("never calls you first"), default=True)
    never_asks_password = models.BooleanField(_("never asks for a password or SMS code"), default=True)
    never_asks_transfer = models.BooleanField(_("never asks you to transfer money"), default=True)
    verified_at = models.DateField(_("verified on"), null=True, blank=True)
    follows_china_calendar = models.BooleanField(
        _("follows the mainland-China working calendar"),
        default=False,
        help_text=_("Closed on statutory holidays and open on make-up working days (调休)."),
    )

    objects = ChannelQuerySet.as_manager()

    class Meta:
        ordering = ["brand", "order", "pk"]
        verbose_name = _("channel")
        verbose_name_plural = _("channels")

    localized_label = LocalizedText("label")
    localized_reply_time = LocalizedText("reply_time")
    localized_value = LocalizedText("value")

    def __str__(self) -> str:
        return f"{self.label} ({self.value})"

    def save(self, *args, **kwargs) -> None:
        # Derived from this row only (convention 8): the checker compares normalised values.
        self.normalized_value = normalize_channel_value(self.kind, self.value)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "value" in update_fields:
            kwargs["update_fields"] = {*update_fields, "normalized_value"}
        super().save(*args, **kwargs)

    def clean(self) -> None:
        """A hotline, email or web channel must hold a value that normalises (a valid number, address, URL)."""
        from django.core.exceptions import ValidationError

        if self.kind != self.Kind.APP and self.value and not normalize_channel_value(self.kind, self.value):
            raise ValidationError({"value": _("This is not a valid value for this kind of channel.")})

    @property
    def value_form(self) -> str | None:
        """ "phone", "email", "url" or "handle" (normalize.CHANNEL_KINDS_BY_FORM); None for in-app steps."""
        return channel_value_form(self.kind)

    @property
    def display_value(self) -> str:
        """Phone numbers in national format; in-app steps in the reader's language; the rest as entered."""
        if self.kind == self.Kind.HOTLINE and self.normalized_value:
            return display_phone(self.normalized_value)
        if self.kind == self.Kind.APP:
            return self.localized_value
        return self.value

    @property
    def href(self) -> str:
        if self.kind == self.Kind.HOTLINE and self.normalized_value:
            return f"tel:{self.normalized_value}"
        if self.kind == self.Kind.EMAIL and self.normalized_value:
            return f"mailto:{self.value}"
        if self.kind in {self.Kind.CHAT, self.Kind.WEBSITE} and self.value.startswith("https://"):
            return self.value
        return ""


class OpeningHours(models.Model):
    """One weekly interval. A slot past midnight is two rows; closes_at 00:00 means "until midnight"."""

    channel = models.ForeignKey(
        Channel, verbose_name=_("channel"), on_delete=models.CASCADE, related_name="opening_hours"
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday)
    opens_at = models.TimeField(_("opens at"))
    closes_at = models.TimeField(_("closes at"), help_text=_("00:00 means until midnight."))

    objects = ContentQuerySet.as_manager()

    class Meta:
        ordering = ["weekday", "opens_at"]
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        constraints = [
            # Unlike the style guide's example we allow closes_at = 00:00 for "until
            # midnight", so a whole day (24/7) is one 00:00-00:00 row per weekday.
            models.CheckConstraint(
                condition=Q(opens_at__lt=F("closes_at")) | Q(closes_at=time(0)),
                name="opening_hours_opens_before_closes",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens_at:%H:%M}-{self.closes_at:%H:%M}"


class ChannelException(models.Model):
    """Staff-entered dates that override everything: closed, or special hours (春节, 国庆节)."""

    channel = models.ForeignKey(
        Channel, verbose_name=_("channel"), on_delete=models.CASCADE, related_name="exceptions"
    )
    label = models.CharField(_("label (Chinese)"), max_length=60, help_text=_("For example: 春节 or 国庆节."))
    label_en = models.CharField(
        _("label (English)"),
        max_length=60,
        blank=True,
        help_text=_("For example: Spring Festival. Chinese if empty."),
    )
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    is_closed = models.BooleanField(_("closed all day"), default=True)
    opens_at = models.TimeField(_("opens at"), null=True, blank=True)
    closes_at = models.TimeField(
        _("closes at"), null=True, blank=True, help_text=_("00:00 means until midnight.")
    )

    objects = ContentQuerySet.as_manager()

    class Meta:
        ordering = ["start_date"]
        verbose_name = _("opening-hours exception")
        verbose_name_plural = _("opening-hours exceptions")
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__lte=F("end_date")), name="channel_exception_dates_in_order"
            ),
            models.CheckConstraint(
                condition=Q(is_closed=True)
                | (
                    Q(opens_at__isnull=False, closes_at__isnull=False)
                    & (Q(opens_at__lt=F("closes_at")) | Q(closes_at=time(0)))
                ),
                name="channel_exception_special_hours_complete",
            ),
        ]

    localized_label = LocalizedText("label")

    def __str__(self) -> str:
        return f"{self.label} {self.start_date}–{self.end_date}"


class ContactMessage(models.Model):
    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        IN_PROGRESS = "in_progress", _("In progress")
        WAITING = "waiting", _("Waiting for you")
        RESOLVED = "resolved", _("Resolved")
        # Not "Closed": in Chinese that word (休息中) is the channels' opening-hours word.
        CLOSED = "closed", _("Message closed")

    class Topic(models.TextChoices):
        """What a message is about, for routing it. Contact owns the list; the values are the
        slugs of the knowledge-base categories on the same subjects, so the form's article
        suggestions (faq:suggestions) can stay within the chosen topic."""

        ACCOUNT = "account", _("Account")
        PAYMENTS = "payments", _("Payments")
        REFUNDS = "refunds", _("Refunds")
        SECURITY = "security", _("Security")
        WITHDRAWALS = "withdrawals", _("Withdrawals")
        OTHER = "other", _("Something else")

    class Escalation(models.IntegerChoices):
        NONE = 0, _("Not escalated")
        ESCALATED = 1, _("Escalated")
        URGENT = 2, _("Urgent")

    reference = models.CharField(_("reference"), max_length=20, unique=True)
    brand = models.ForeignKey(
        Brand, verbose_name=_("brand"), on_delete=models.PROTECT, related_name="messages"
    )
    topic = models.CharField(_("topic"), max_length=40, choices=Topic, default=Topic.OTHER)
    name = models.CharField(_("name"), max_length=100)
    email = models.EmailField(_("email"), max_length=254)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    account = models.CharField(_("account"), max_length=100, blank=True)
    subject = models.CharField(_("subject"), max_length=200)
    message = models.TextField(_("message"))
    transaction_reference = models.CharField(_("transaction reference"), max_length=100, blank=True)
    problem_at = models.DateTimeField(_("time of the problem"), null=True, blank=True)
    masked = models.CharField(
        _("masked data"),
        max_length=100,
        blank=True,
        editable=False,
        help_text=_("Kinds of sensitive data masked before the message was stored."),
    )
    language = models.CharField(_("language"), max_length=8, default="zh-hans")
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.RECEIVED)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_messages",
    )
    escalation = models.PositiveSmallIntegerField(
        _("escalation"), choices=Escalation, default=Escalation.NONE
    )
    created_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    confirmation_sent_at = models.DateTimeField(_("confirmation sent"), null=True, blank=True)
    email_attempts = models.PositiveSmallIntegerField(_("email attempts"), default=0)
    last_email_error = models.CharField(_("last email error"), max_length=500, blank=True)
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    rating_comment = models.CharField(_("rating comment"), max_length=1000, blank=True)
    rated_at = models.DateTimeField(_("rated"), null=True, blank=True)
    # Set by the reply service and the admin (inbox.py reads them as durations).
    first_response_at = models.DateTimeField(_("first response"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)

    objects = MessageQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("contact message")
        verbose_name_plural = _("contact messages")
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="contact_message_rating_1_to_5",
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="contact_message_status_idx")]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.RESOLVED, self.Status.CLOSED}

    @property
    def can_rate(self) -> bool:
        """Finished and not rated yet; the status page also asks that support replied (services.py)."""
        return self.is_finished and self.rating is None


class Reply(models.Model):
    """A follow-up from the customer, a public reply from staff, or an internal note."""

    class Kind(models.TextChoices):
        CUSTOMER = "customer", _("Follow-up from the customer")
        STAFF = "staff", _("Reply to the customer")
        NOTE = "note", _("Internal note")

    contact_message = models.ForeignKey(
        ContactMessage, verbose_name=_("contact message"), on_delete=models.CASCADE, related_name="replies"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind, default=Kind.STAFF)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.SET_NULL, null=True, blank=True
    )
    body = models.TextField(_("text"), max_length=5000)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    email_sent_at = models.DateTimeField(_("email sent"), null=True, blank=True)
    email_attempts = models.PositiveSmallIntegerField(_("email attempts"), default=0)
    last_email_error = models.CharField(_("last email error"), max_length=500, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("reply")
        verbose_name_plural = _("replies")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d %H:%M}"


class Attachment(models.Model):
    """A re-encoded image (PNG, JPEG or WebP) stored under a random name outside the static tree."""

    contact_message = models.ForeignKey(
        ContactMessage,
        verbose_name=_("contact message"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    reply = models.ForeignKey(
        Reply,
        verbose_name=_("reply"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attachments",
    )
    file = models.FileField(_("file"), upload_to="contact/%Y/%m/", max_length=200)
    original_name = models.CharField(_("original name"), max_length=200, blank=True)
    content_type = models.CharField(_("content type"), max_length=20)
    size = models.PositiveIntegerField(_("size"), default=0)
    width = models.PositiveIntegerField(_("width"), default=0)
    height = models.PositiveIntegerField(_("height"), default=0)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name or self.file.name

    def get_absolute_url(self) -> str:
        return reverse("contact:attachment", kwargs={"pk": self.pk})


from .saved_replies import SavedReply  # noqa: E402, F401  (registered with the app from here)
