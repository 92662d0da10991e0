"""What every public form shares in how it is laid out."""

from __future__ import annotations


class LabelsWithoutColonMixin:
    """Labels with no suffix: Django's ":" after a Chinese label ("钱包:", "哪个钱包？:") is wrong,
    and with each label above its field (templates/includes/_field.html) none is needed."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
