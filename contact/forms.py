from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from brands.models import Brand
from helpcenter.forms import LabelsWithoutColonMixin
from helpcenter.text_validators import PlainTextFormMixin

from .images import CleanImage, clean_images
from .models import ContactMessage
from .normalize import normalize_phone


class MultipleImageInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class ImagesField(forms.FileField):
    """Up to five images, checked together and re-encoded by contact.images.clean_images."""

    widget = MultipleImageInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)
        self.widget.attrs.setdefault("accept", "image/png,image/jpeg,image/webp")

    def clean(self, data, initial=None) -> list[CleanImage]:
        uploads = [upload for upload in (data if isinstance(data, list | tuple) else [data]) if upload]
        return clean_images(uploads)


class BrandChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Brand) -> str:
        return obj.name


class ContactMessageForm(LabelsWithoutColonMixin, PlainTextFormMixin, forms.ModelForm):
    # Nothing chosen in advance: a message sent to the first wallet in the list by default
    # reaches the wrong support team. A link from a brand's page (?brand=) fills it in.
    brand = BrandChoiceField(
        label=_("Wallet"),
        queryset=Brand.objects.active(),
        to_field_name="slug",
        empty_label=_("Choose your wallet"),
        error_messages={
            "required": _("Choose the wallet your message is about."),
            "invalid_choice": _("Choose one of the listed wallets."),
        },
    )
    topic = forms.ChoiceField(
        label=_("Topic"),
        choices=[("", _("Choose a topic")), *ContactMessage.Topic.choices],
        error_messages={
            "required": _("Choose what your message is about."),
            "invalid_choice": _("Choose one of the listed topics."),
        },
    )
    phone = forms.CharField(
        label=_("Phone (optional)"),
        required=False,
        max_length=32,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    problem_at = forms.DateTimeField(
        label=_("When did the problem happen? (optional)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
    )
    attachments = ImagesField(
        label=_("Screenshots (optional)"),
        help_text=_("Up to 5 PNG, JPEG or WebP images, 5 MB each."),
    )
    message = forms.CharField(
        label=_("Message"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "What happened, the steps you took and the exact error message. At most 5,000 characters."
        ),
        error_messages={"max_length": _("Keep the message to at most %(limit_value)d characters.")},
    )
    # Honeypot: hidden from people by CSS and aria-hidden, filled in by naive bots.
    website = forms.CharField(label=_("Leave this field empty"), required=False)

    class Meta:
        model = ContactMessage
        # What the customer writes: staff read it in the inbox and never edit it (admin.py).
        fields = [
            "brand",
            "topic",
            "name",
            "email",
            "phone",
            "account",
            "subject",
            "message",
            "transaction_reference",
            "problem_at",
        ]
        labels = {
            "name": _("Your name"),
            "email": _("Email"),
            "account": _("Account (optional)"),
            "subject": _("Subject"),
            "transaction_reference": _("Transaction reference (optional)"),
        }
        help_texts = {
            "account": _("The phone number or user ID of your wallet account. Never enter a password."),
            "email": _("We send the reference number and a private link to follow your message here."),
        }
        widgets = {
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
        }
        error_messages = {
            "subject": {"max_length": _("Keep the subject to at most %(limit_value)d characters.")},
            "email": {"invalid": _("Enter a valid email address, such as name@example.com.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    def clean_phone(self) -> str:
        """Stored in E.164 so staff can dial it; anything phonenumbers does not accept is refused."""
        value = self.cleaned_data["phone"].strip()
        if not value:
            return ""
        e164 = normalize_phone(value)
        if e164 is None:
            raise ValidationError(
                _("Enter a valid phone number, such as 138 0013 8000 or +86 138 0013 8000.")
            )
        return e164

    def clean_email(self) -> str:
        """Domains are case-insensitive: store them lower-cased (the local part is kept as typed)."""
        local, _at, domain = self.cleaned_data["email"].rpartition("@")
        return f"{local}@{domain.lower()}"

    def clean_website(self) -> str:
        """The honeypot: people never see this field, so any value means an automated submission."""
        if self.cleaned_data["website"]:
            raise ValidationError(_("Your message could not be sent. Please try again."), code="honeypot")
        return ""

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        fields = ["brand", "topic", "name", "email", "phone", "account", "subject", "message"]
        return {
            **{field: data[field] for field in fields},
            "transaction_reference": data["transaction_reference"],
            "problem_at": data["problem_at"],
            "images": data["attachments"],
        }


class SensitiveCheckForm(forms.Form):
    """The text typed so far in the contact form (subject, account, message) or a follow-up (body)."""

    message = forms.CharField(required=False, max_length=20000)
    subject = forms.CharField(required=False, max_length=2000)
    account = forms.CharField(required=False, max_length=2000)
    body = forms.CharField(required=False, max_length=20000)


class StatusLookupForm(LabelsWithoutColonMixin, PlainTextFormMixin, forms.Form):
    reference = forms.CharField(
        label=_("Reference number"), max_length=20, help_text=_("For example KD-7F3K-9Q2M.")
    )
    email = forms.EmailField(label=_("Email you wrote from"), max_length=254)


class FollowUpForm(LabelsWithoutColonMixin, PlainTextFormMixin, forms.Form):
    body = forms.CharField(
        label=_("Add information"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": 5000}),
    )
    attachments = ImagesField(
        label=_("Screenshots (optional)"), help_text=_("Up to 5 PNG, JPEG or WebP images, 5 MB each.")
    )


class RatingForm(LabelsWithoutColonMixin, PlainTextFormMixin, forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How well did we help?"),
        coerce=int,
        choices=[(n, str(n)) for n in range(5, 0, -1)],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
