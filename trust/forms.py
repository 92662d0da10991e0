"""Forms of the verify page and the scam report."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _

from brands.models import Brand
from contact.images import clean_image
from helpcenter.forms import LabelsWithoutColonMixin
from helpcenter.text_validators import PlainTextFormMixin

from .models import ScamReport
from .verify import MAX_MESSAGE_LENGTH


class VerifyForm(LabelsWithoutColonMixin, forms.Form):
    value = forms.CharField(
        label=_("Phone number, email, link or account, or the whole message"),
        max_length=MAX_MESSAGE_LENGTH,
        help_text=_(
            "Paste exactly what you were given, for example 400 000 0101, a web link or @okpay, "
            "or the whole SMS or chat message: we check every number, address and link in it."
        ),
        error_messages={
            "required": _("Paste the number, address, link or account you want to check."),
            "max_length": _("That is too long: paste at most %(limit_value)d characters."),
        },
        # Two rows: a pasted message stays readable; a single value fits the first row.
        widget=forms.Textarea(
            attrs={"rows": 2, "autocomplete": "off", "spellcheck": "false", "data-submit-on-enter": ""}
        ),
    )


class ScamReportForm(LabelsWithoutColonMixin, PlainTextFormMixin, forms.ModelForm):
    brand = forms.ModelChoiceField(
        label=_("Which wallet did it pretend to be?"),
        queryset=Brand.objects.active(),
        required=False,
        empty_label=_("I don't know"),
    )
    # A plain file field: the model's ImageField would have Pillow open the upload before
    # clean_screenshot and answer with Django's own message; the sanitiser does all the checks.
    screenshot = forms.FileField(
        label=_("Screenshot (optional)"),
        required=False,
        help_text=_("PNG, JPEG or WebP, up to 5 MB. We remove the photo's location and device data."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
    )
    # Honeypot: hidden from people by CSS and aria-hidden, so only bots fill it in.
    website = forms.CharField(
        required=False,
        label=_("Leave this field empty"),
        # Out of the tab order too, as on the contact form: aria-hidden content must not take focus.
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    class Meta:
        model = ScamReport
        fields = ["value", "brand", "seen_where", "description", "screenshot"]
        labels = {
            "value": _("The suspicious number, address, link or account"),
            "seen_where": _("Where did you see it?"),
            "description": _("What happened? (optional)"),
        }
        help_texts = {
            "description": _("Never type your password, SMS codes or full card number here."),
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 4, "maxlength": 2000})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Say what to do rather than Django's "---------"; choosing none is an error.
        self.fields["seen_where"].choices = [
            ("", _("Choose where you saw it")),
            *ScamReport.SeenWhere.choices,
        ]

    def clean_value(self) -> str:
        """The reported contact must contain something to compare; blank-looking input is refused."""
        value = self.cleaned_data["value"].strip()
        if not any(ch.isalnum() for ch in value):
            raise ValidationError(_("Enter the number, address, link or account you saw."), code="empty")
        return value

    def clean_website(self) -> str:
        """The honeypot: people never see this field, so any value means an automated submission."""
        if self.cleaned_data.get("website"):
            raise ValidationError(_("Your report could not be sent. Please try again."), code="honeypot")
        return ""

    def clean_screenshot(self):
        """The screenshot goes through the site's one upload sanitiser (contact/images.py):
        a real PNG, JPEG or WebP within its byte and pixel limits, re-encoded without metadata,
        under a random name."""
        upload = self.cleaned_data.get("screenshot")
        if not upload:
            return upload
        image = clean_image(upload)
        return ContentFile(image.content, name=image.storage_name())
