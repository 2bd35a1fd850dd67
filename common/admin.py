"""What every ModelAdmin of the project shares."""

from django import forms

from common.forms import no_control_characters


class NoControlCharacters:
    """The admin's forms refuse invisible control characters in typed text,
    as the project's own forms do (common.forms.PlainLabels): the admin's
    ModelForms are made by Django, so the check joins each text field as the
    admin makes it. For ModelAdmins and inlines alike."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if isinstance(field, forms.CharField):
            field.validators.append(no_control_characters)
        return field
