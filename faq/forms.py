from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

MAX_QUERY_LENGTH = 200


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search the help center"),
        max_length=MAX_QUERY_LENGTH,
        error_messages={
            "max_length": _("Please shorten your question to %(limit_value)d characters or fewer.")
        },
        widget=forms.SearchInput(
            attrs={
                "placeholder": _("e.g. forgot password, when will my refund arrive"),
                "autocomplete": "off",
            }
        ),
    )


class FeedbackVoteForm(forms.Form):
    is_helpful = forms.TypedChoiceField(
        label=_("Was this article helpful?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        error_messages={
            "invalid_choice": _("Please answer yes or no."),
            "required": _("Please answer yes or no."),
        },
    )


class FeedbackCommentForm(forms.Form):
    comment = forms.CharField(
        label=_("What was missing or unclear?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional. Please do not include passwords, verification codes or card numbers."),
        error_messages={"required": _("Please write a comment or skip this step.")},
    )
