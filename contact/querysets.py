"""The contact app's query logic: which channels the public sees, which messages a page reads."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.utils import timezone

from pagecache.invalidation import ContentQuerySet

from .normalize import CHANNEL_KINDS_BY_FORM

if TYPE_CHECKING:
    from .models import ContactMessage


class ChannelQuerySet(ContentQuerySet):
    def active(self) -> ChannelQuerySet:
        """Channels shown to the public: active, of an active brand, in display order."""
        return self.filter(is_active=True, brand__is_active=True).order_by("brand__order", "order", "pk")

    def of_form(self, *forms: str) -> ChannelQuerySet:
        """Channels whose value takes one of `forms` ("phone", "email", "url", "handle": normalize.py)."""
        return self.filter(kind__in=[kind for form in forms for kind in CHANNEL_KINDS_BY_FORM.get(form, ())])

    def official_matches(self, form: str, normalized_value: str) -> ChannelQuerySet:
        """Active channels of a `form` whose normalised value is `normalized_value` (normalize.py)."""
        if not normalized_value:
            return self.none()
        return self.active().of_form(form).filter(normalized_value=normalized_value).select_related("brand")

    def for_contact_page(self) -> ChannelQuerySet:
        """Active channels with brand, weekly hours and exceptions, fetched in a fixed number of queries."""
        from .models import ChannelException  # models.py imports this module

        today = timezone.localdate()
        return (
            self.active()
            .select_related("brand")
            .prefetch_related(
                "opening_hours",
                models.Prefetch(
                    "exceptions",
                    queryset=ChannelException.objects.filter(end_date__gte=today).order_by("start_date"),
                ),
            )
        )


class MessageQuerySet(models.QuerySet):
    def unsent_confirmations(self) -> MessageQuerySet:
        """Messages whose confirmation email has not gone out (mail server down, worker stopped)."""
        return self.filter(confirmation_sent_at__isnull=True)

    def for_status_page(self) -> MessageQuerySet:
        """With what the customer's status page reads: brand, replies, attachments."""
        from .models import Reply  # models.py imports this module

        return self.select_related("brand").prefetch_related(
            models.Prefetch("replies", queryset=Reply.objects.prefetch_related("attachments")),
            "attachments",
        )

    def with_last_public_kind(self) -> MessageQuerySet:
        """Annotated `last_public_kind`: "customer" or "staff" for the latest public reply, None without one."""
        from .models import Reply  # models.py imports this module

        latest = Reply.objects.filter(contact_message=models.OuterRef("pk")).exclude(kind=Reply.Kind.NOTE)
        return self.annotate(
            last_public_kind=models.Subquery(latest.order_by("-created_at", "-pk").values("kind")[:1])
        )

    def open(self) -> MessageQuerySet:
        return self.exclude(status__in=["resolved", "closed"])

    def waiting_for_us(self) -> MessageQuerySet:
        """Open, and the customer spoke last: no public reply yet, or their follow-up is the latest."""
        annotated = self.open().with_last_public_kind()
        return annotated.filter(
            models.Q(last_public_kind__isnull=True) | models.Q(last_public_kind="customer")
        )

    def waiting_for_customer(self) -> MessageQuerySet:
        """Open, and staff spoke last in public (internal notes do not count)."""
        return self.open().with_last_public_kind().filter(last_public_kind="staff")

    def matching(self, *, reference: str, email: str) -> ContactMessage | None:
        """The message with this reference sent from this email (case-insensitive), else None."""
        if not reference or not email:
            return None
        return self.filter(reference=reference, email__iexact=email.strip()).first()
