"""The confirmation email cannot be used to relay a stranger's text from our address."""

from __future__ import annotations

import pytest
from django.core import mail

from contact.models import ContactMessage
from tests.helpers import en_url, zh_url

pytestmark = pytest.mark.django_db

PHISHING_NAME = "Your KDPAY wallet is frozen, call 170 0000 0999"
PHISHING_SUBJECT = "Verify now at http://evil.example/kdpay or lose your balance"
IGNORE_ZH = "如果您没有给我们写信，请忽略这封邮件"
IGNORE_EN = "If you did not write to us, please ignore this email"


def _send(client, valid_data, url, django_capture_on_commit_callbacks, **changes):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {**valid_data, **changes, "email": "victim@mail.example"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    return mail.outbox[0], ContactMessage.objects.get()


@pytest.mark.parametrize("url", [en_url("contact:message_create"), zh_url("contact:message_create")])
def test_the_confirmation_carries_no_free_text_from_the_visitor(
    client, valid_data, immediate_tasks, django_capture_on_commit_callbacks, url
):
    """The attack as reported: name and subject were emailed from our address to any address."""
    email, message = _send(
        client,
        valid_data,
        url,
        django_capture_on_commit_callbacks,
        name=PHISHING_NAME,
        subject=PHISHING_SUBJECT,
        message="Click http://evil.example now",
    )
    sent = email.subject + "\n" + email.body
    for typed in (PHISHING_NAME, PHISHING_SUBJECT, "evil.example", "170 0000 0999", "Click"):
        assert typed not in sent
    # What the visitor needs: the reference, the topic (a category staff named) and the private link.
    assert message.reference in email.subject and message.reference in email.body
    assert ("Refunds" if url.startswith("/en/") else "退款") in email.body
    assert f"/contact/status/{message.reference}/" in email.body


@pytest.mark.parametrize("url", [en_url("contact:message_create"), zh_url("contact:message_create")])
def test_the_confirmation_says_in_both_languages_that_a_stranger_can_ignore_it(
    client, valid_data, immediate_tasks, django_capture_on_commit_callbacks, url
):
    email, _message = _send(client, valid_data, url, django_capture_on_commit_callbacks)
    assert IGNORE_ZH in email.body
    assert IGNORE_EN in email.body
