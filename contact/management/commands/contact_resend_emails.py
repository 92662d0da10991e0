from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from contact.services import contact_emails_resend
from helpcenter.request import absolute_url


class Command(BaseCommand):
    help = "Enqueue again the confirmation and reply emails that have not been sent (the worker sends them)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--base-url",
            default=None,
            help="The site's public address for the private links in the emails (default: DJANGO_SITE_URL).",
        )

    def handle(self, *args, base_url: str | None, **options) -> None:
        # Run from cron, outside any request: without DJANGO_SITE_URL there is no address to
        # link to, and a guessed one (localhost) would reach customers as a broken link.
        try:
            base_url = base_url or absolute_url("/")
        except ImproperlyConfigured as exc:
            raise CommandError(f"{exc} Or pass --base-url.") from exc
        count = contact_emails_resend(base_url=base_url)
        self.stdout.write(f"Enqueued {count} unsent email(s).")
