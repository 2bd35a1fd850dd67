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


class NoColon:
    """Labels as written, without Django's trailing colon."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class PlainLabels(NoColon):
    """Labels as written (NoColon); and no invisible control characters in
    any text typed into the project's forms."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField):
                field.validators.append(no_control_characters)


# Dates typed day first ----------------------------------------------------------

# A native date picker shows the order of the browser's own locale (month first
# on a browser set up in the US), so dates are typed as text, day first, in the
# shapes Australians write them; ISO (2025-03-14) too, for links and old forms.
DAY_FIRST_DATES = ["%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]
TIMES = ["%H:%M", "%I:%M%p", "%I%p"]  # 09:30, 21:30, 9:30am, 9am
DAY_FIRST_DATETIMES = [f"{day} {time}" for day in DAY_FIRST_DATES for time in TIMES]
AM_PM = re.compile(r"\s*([ap])\.?\s*m\.?$", re.IGNORECASE)  # " a.m." → "am"


class DayFirstInput:
    """A text box showing a date day first. No inputmode="numeric": a phone's
    number pad has no "/" to type between the day, the month and the year."""

    input_type = "text"
    shown = "%d/%m/%Y"

    def __init__(self, attrs=None):
        attrs = {"autocomplete": "off", "spellcheck": "false", **(attrs or {})}
        super().__init__(attrs=attrs, format=self.shown)


class DayFirstDateInput(DayFirstInput, forms.DateInput):
    shown = "%d/%m/%Y"


class DayFirstDateTimeInput(DayFirstInput, forms.DateTimeInput):
    shown = "%d/%m/%Y %H:%M"


class DayFirstHint:
    """The field's own help text, if any, then how to type it."""

    hint = ""

    def __init__(self, *, help_text="", **kwargs):
        help_text = f"{help_text} {self.hint}" if help_text else self.hint
        super().__init__(help_text=help_text, **kwargs)


class DayFirstDateField(DayFirstHint, forms.DateField):
    """A date typed day first, like 14/03/2025, as the project asks for every
    date a person types."""

    widget = DayFirstDateInput
    input_formats = DAY_FIRST_DATES
    hint = "Day first, like 14/03/2025."
    default_error_messages = {"invalid": "Enter the date day first, like 14/03/2025."}


class DayFirstDateTimeField(DayFirstHint, forms.DateTimeField):
    """A day and a time, like 14/03/2025 09:30 (or 9:30 am)."""

    widget = DayFirstDateTimeInput
    input_formats = DAY_FIRST_DATETIMES
    hint = "Day first, then the time, like 14/03/2025 09:30."
    default_error_messages = {
        "invalid": "Enter the date day first, then the time, like 14/03/2025 09:30.",
        "overflow": "The clocks change then, so that time is missing or happens "
        "twice: choose another time.",
    }

    def to_python(self, value):
        if isinstance(value, str):
            value = AM_PM.sub(r"\1m", value.strip().replace(",", " "))
        return super().to_python(value)


class ClockTimeInput(DayFirstInput, forms.TimeInput):
    shown = "%H:%M"


class ClockTimeField(forms.TimeField):
    """A time of day, like 09:30, 9:30 am or 2pm."""

    widget = ClockTimeInput
    input_formats = TIMES
    default_error_messages = {"invalid": "Enter the time like 09:30 or 2:30 pm."}

    def to_python(self, value):
        if isinstance(value, str):
            value = AM_PM.sub(r"\1m", value.strip())
        return super().to_python(value)
