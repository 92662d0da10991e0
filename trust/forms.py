"""Forms of the verify page and the scam report."""

from __future__ import annotations

import secrets
import warnings
from io import BytesIO

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from brands.models import Brand
from helpcenter.text_validators import PlainTextFormMixin

from .models import ScamReport
from .verify import MAX_INPUT_LENGTH

SCREENSHOT_MAX_BYTES = 5 * 1024 * 1024
# A screenshot of a 4K screen is 8.3 Mpx; larger images are refused before decoding.
SCREENSHOT_MAX_PIXELS = 40_000_000
SCREENSHOT_FORMATS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp"}


class VerifyForm(forms.Form):
    value = forms.CharField(
        label=_("Phone number, email, link or account"),
        max_length=MAX_INPUT_LENGTH,
        help_text=_("Paste exactly what you were given, for example 400 000 0101, a web link or @okpay."),
        error_messages={
            "required": _("Paste the number, address, link or account you want to check."),
            "max_length": _("That is too long to be a phone number, address or link."),
        },
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "inputmode": "text"}),
    )


class ScamReportForm(PlainTextFormMixin, forms.ModelForm):
    brand = forms.ModelChoiceField(
        label=_("Which wallet did it pretend to be?"),
        queryset=Brand.objects.active(),
        required=False,
        empty_label=_("I don't know"),
    )
    # Honeypot: hidden from people by CSS and aria-hidden, so only bots fill it in.
    website = forms.CharField(required=False, label=_("Leave this field empty"))

    class Meta:
        model = ScamReport
        fields = ["value", "brand", "seen_where", "description", "screenshot"]
        labels = {
            "value": _("The suspicious number, address, link or account"),
            "seen_where": _("Where did you see it?"),
            "description": _("What happened? (optional)"),
            "screenshot": _("Screenshot (optional)"),
        }
        help_texts = {
            "description": _("Never type your password, SMS codes or full card number here."),
            "screenshot": _("PNG, JPEG or WebP, up to 5 MB. We remove the photo's location and device data."),
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 4, "maxlength": 2000})}

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
        """Accept only a real PNG, JPEG or WebP image, re-encoded so its EXIF (location, device) is dropped.

        The file name and declared type are never trusted; the stored name is random.
        """
        upload = self.cleaned_data.get("screenshot")
        if not upload:
            return upload
        if upload.size > SCREENSHOT_MAX_BYTES:
            raise ValidationError(_("The screenshot is larger than 5 MB."), code="too_large")
        upload.seek(0)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                with Image.open(upload) as image:
                    image_format = image.format
                    if image_format not in SCREENSHOT_FORMATS:
                        raise ValidationError(_("Upload a PNG, JPEG or WebP image."), code="format")
                    if image.width * image.height > SCREENSHOT_MAX_PIXELS:
                        raise ValidationError(
                            _("The screenshot has too many pixels."), code="too_many_pixels"
                        )
                    image = ImageOps.exif_transpose(image)
                    if image_format == "JPEG" and image.mode not in {"RGB", "L"}:
                        image = image.convert("RGB")
                    buffer = BytesIO()
                    image.save(buffer, format=image_format)
        except ValidationError:
            raise
        except (
            UnidentifiedImageError,
            OSError,
            ValueError,
            SyntaxError,
            Image.DecompressionBombError,
            Warning,
        ) as error:
            raise ValidationError(_("Upload a PNG, JPEG or WebP image."), code="invalid_image") from error
        return ContentFile(
            buffer.getvalue(), name=f"{secrets.token_hex(16)}.{SCREENSHOT_FORMATS[image_format]}"
        )
