from django import forms

from common.forms import PlainLabels


class SpaceJoinForm(PlainLabels, forms.Form):
    message = forms.CharField(
        label="A note to the facilitators (optional)",
        help_text="What you hope to bring and to learn; up to 1,000 characters.",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
