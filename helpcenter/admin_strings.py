"""Admin strings that Django 5.2's own zh_Hans catalogue leaves in English.

Listed here so `make messages` extracts them into our catalogue (locale/), which Django reads
before its own: every label of the admin then shows in the staff member's language. Their
JavaScript counterparts (the brand picker's "Choose all %s") are in locale/zh_Hans/djangojs.po.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop

DJANGO_ADMIN_STRINGS = [
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
    gettext_noop("Error:"),
    gettext_noop("Forgotten your login credentials?"),
    gettext_noop("In case you’ve forgotten, you are:"),
    gettext_noop("After you’ve created a user, you’ll be able to edit more user options."),
]
