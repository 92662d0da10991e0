from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from brands.models import Brand
from helpcenter.text_validators import PlainTextFormMixin

from .markdown import MAX_BODY_LENGTH
from .models import Category, Language

MAX_QUERY_LENGTH = 200
# Suggestions look at the subject and the start of the message only.
SUGGESTION_TEXT_LENGTH = 300


class SearchForm(forms.Form):
    """A search: the words (up to 200 characters) and optionally one wallet brand.

    Empty and one-character queries are valid: the page answers them with a hint,
    not an error. Only a query too long to be a question, or an unknown brand, is bad input.
    """

    q = forms.CharField(
        label=_("Search the help center"),
        max_length=MAX_QUERY_LENGTH,
        required=False,
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
    brand = forms.ModelChoiceField(
        queryset=Brand.objects.active(),
        to_field_name="slug",
        required=False,
        error_messages={"invalid_choice": _("There is no wallet with that name.")},
    )
    # "Search instead for …" after a spelling correction: search exactly what was typed.
    as_typed = forms.BooleanField(required=False, widget=forms.HiddenInput)


class SuggestionForm(forms.Form):
    """What the contact form sends while someone writes: subject and message, both optional."""

    q = forms.CharField(required=False, max_length=SUGGESTION_TEXT_LENGTH)
    subject = forms.CharField(required=False, max_length=SUGGESTION_TEXT_LENGTH)
    message = forms.CharField(required=False, max_length=20_000)
    body = forms.CharField(required=False, max_length=20_000)
    brand = forms.ModelChoiceField(queryset=Brand.objects.active(), to_field_name="slug", required=False)
    # The contact form's topic is a category slug ("other" matches none, so it does not narrow).
    topic = forms.CharField(required=False, max_length=50)

    def category(self) -> Category | None:
        """The category the chosen topic names, if any: suggestions stay within it."""
        slug = self.cleaned_data["topic"]
        return Category.objects.filter(slug=slug).first() if slug else None

    def text(self) -> str:
        """The words to look up: the subject first, then the start of the message."""
        data = self.cleaned_data
        parts = [data["q"], data["subject"], data["message"] or data["body"]]
        return " ".join(part for part in parts if part)[:SUGGESTION_TEXT_LENGTH]


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


class FeedbackCommentForm(PlainTextFormMixin, forms.Form):
    comment = forms.CharField(
        label=_("What was missing or unclear?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional. Please do not include passwords, verification codes or card numbers."),
        error_messages={"required": _("Please write a comment or skip this step.")},
    )


class SearchReportForm(forms.Form):
    """The period (and language) of the admin's search report; the last 30 days by default."""

    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(
        label=_("To (inclusive)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    language = forms.ChoiceField(
        label=_("Language"), choices=[("", _("All")), *Language.choices], required=False
    )

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError(_("The start date must not be after the end date."))
        return data

    def period(self, today: date | None = None) -> tuple[datetime, datetime]:
        """[start, end) as aware datetimes in the site's time zone."""
        today = today or timezone.localdate()
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        end = data.get("end") or today
        start = data.get("start") or end - timedelta(days=29)
        tz = timezone.get_current_timezone()
        return (
            datetime.combine(start, time.min, tzinfo=tz),
            datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz),
        )


class MarkdownPreviewForm(forms.Form):
    """What the editor's live preview sends: the article body being written."""

    content = forms.CharField(
        strip=False,
        max_length=MAX_BODY_LENGTH,
        error_messages={
            "required": _("There is no text to preview."),
            "max_length": _("The article is longer than %(limit_value)d characters; split it up."),
        },
    )
