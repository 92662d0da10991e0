from __future__ import annotations

from django.core.management.base import BaseCommand

from contact.services import contact_emails_resend


class Command(BaseCommand):
    help = "Enqueue again the confirmation and reply emails that have not been sent (the worker sends them)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--base-url",
            default="http://127.0.0.1:8000/",
            help="The site's public address, used for the private links in the emails.",
        )

    def handle(self, *args, base_url: str, **options) -> None:
        count = contact_emails_resend(base_url=base_url)
        self.stdout.write(f"Enqueued {count} unsent email(s).")
