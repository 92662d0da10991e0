"""Private status links: /contact/status/<reference>/<token>/.

Like Django's password-reset tokens, the token is an HMAC of the message's identity
keyed by SECRET_KEY, so nothing stored in the database (the message row or the
queued email task) can be turned into a link, and every email for one message
carries the same link. Keys in SECRET_KEY_FALLBACKS keep older links working after
a key rotation.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.crypto import constant_time_compare, salted_hmac

SALT = "contact.links.status"


def _token(message, secret: str) -> str:
    value = f"{message.pk}:{message.reference}:{message.created_at.timestamp():.0f}"
    return salted_hmac(SALT, value, secret=secret, algorithm="sha256").hexdigest()[:32]


def status_token(message) -> str:
    return _token(message, settings.SECRET_KEY)


def check_status_token(message, token: str) -> bool:
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return any(constant_time_compare(_token(message, secret), token) for secret in secrets)


def status_path(message) -> str:
    """The private link's path, in the language the message was written in."""
    with translation.override(message.language):
        return reverse(
            "contact:status_link", kwargs={"reference": message.reference, "token": status_token(message)}
        )
