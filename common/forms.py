import re

from django import forms
from django.core.exceptions import ValidationError

# C0 control characters other than tab, newline and carriage return, and DEL:
# invisible, they break feeds (XML forbids them) and exports. NUL has Django's
# own check and message.
CONTROL = re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]")


def no_control_characters(value):
    if isinstance(value, str) and CONTROL.search(value):
        raise ValidationError(
            "Remove the invisible control character from this text "
            "(it can come with a copy and paste).",
            code="control_character",
        )


class PlainLabels:
    """Labels as written, without Django's trailing colon; and no invisible
    control characters in any text typed into the project's forms."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField):
                field.validators.append(no_control_characters)
