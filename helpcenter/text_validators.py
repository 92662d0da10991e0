"""The one check for text typed into public forms: nothing that disguises what the text says.

Refused, in every text field of every public form (PlainTextFormMixin adds the check):
- C0 control characters (in multi-line fields tab, line feed and carriage return are text),
  DEL and the C1 controls U+0080-U+009F, which no keyboard types and which mail clients and
  terminals interpret; in single-line fields also NEL and the Unicode line and paragraph
  separators, which some mail clients break header lines on;
- the bidirectional embedding, override and isolate controls (LRE, RLE, PDF, LRO, RLO,
  LRI, RLI, FSI, PDI): they reorder the characters that follow them, so "U+202E gpj.exe" shows
  as "exe.jpg" to staff (the "Trojan Source" trick). The implicit marks LRM, RLM and ALM
  are kept: they only nudge neutral characters such as punctuation, cannot reorder letters
  or digits, and right-to-left keyboards insert them in ordinary mixed-direction text;
- a value with no visible character at all (only spaces, zero-width characters, joiners,
  combining marks without a base, Hangul fillers, the blank Braille pattern): it shows as
  an empty name or subject while it is not empty.
Kept: every script people write their names in (Arabic, Hebrew, CJK including the
extension planes), emoji sequences joined with ZWJ, combining accents on a base letter.
"""

from __future__ import annotations

import re
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

_CONTROL_MULTI_LINE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_CONTROL_SINGLE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_BIDI_CONTROLS = re.compile(r"[\u202a-\u202e\u2066-\u2069]")
# Characters that draw nothing although Unicode files them as letters or symbols.
_BLANK_LOOKING = frozenset("\u115f\u1160\u3164\uffa0\u2800\u034f")
_INVISIBLE_CATEGORIES = frozenset({"Zs", "Zl", "Zp", "Cc", "Cf", "Mn", "Me"})


def _is_visible(char: str) -> bool:
    return char not in _BLANK_LOOKING and unicodedata.category(char) not in _INVISIBLE_CATEGORIES


@deconstructible
class PlainTextValidator:
    """Refuses control characters, bidi overrides and all-invisible values (see the module docstring)."""

    def __init__(self, *, multiline: bool):
        self.multiline = multiline

    def __call__(self, value: str) -> None:
        if not value:
            return
        if (_CONTROL_MULTI_LINE if self.multiline else _CONTROL_SINGLE_LINE).search(value):
            if self.multiline:
                raise ValidationError(_("Remove the control characters from the text."), code="control")
            raise ValidationError(_("Use a single line without control characters."), code="single_line")
        if _BIDI_CONTROLS.search(value):
            raise ValidationError(
                _(
                    "Remove the hidden text-direction characters (such as a right-to-left override): "
                    "they make text look different from what it says."
                ),
                code="bidi_control",
            )
        if not any(_is_visible(char) for char in value):
            raise ValidationError(
                _("This contains only invisible characters. Type it with visible letters or digits."),
                code="invisible",
            )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PlainTextValidator) and other.multiline == self.multiline


validate_single_line = PlainTextValidator(multiline=False)
validate_text = PlainTextValidator(multiline=True)


class PlainTextFormMixin:
    """Adds the plain-text check to every text field of a public form (a Textarea is multi-line).

    Applied by the form rather than field by field, so a field added later is covered too.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField):
                multiline = isinstance(field.widget, forms.Textarea)
                field.validators.append(validate_text if multiline else validate_single_line)
