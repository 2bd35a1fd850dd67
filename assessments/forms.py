"""The assessment's forms. A bad submit gives its message beside the field
and the page again with everything typed."""

from datetime import date

from django import forms
from django.contrib.auth import get_user_model

from assessments.models import Answer, Assessment, Group
from common.forms import DayFirstDateField, PlainLabels
from framework.models import Level, Stream

EARLIEST = date(2000, 1, 1)


class StartForm(PlainLabels, forms.ModelForm):
    """What the lead writes to start: the community (if they lead several),
    a title, the day and who took part."""

    community = forms.ModelChoiceField(queryset=None, empty_label=None)

    class Meta:
        model = Assessment
        fields = ["community", "title", "held_on", "participants"]
        labels = {"title": "Title", "held_on": "Date"}
        help_texts = {"title": "For example “Leadership table workshop, March”."}
        field_classes = {"held_on": DayFirstDateField}
        widgets = {"participants": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, communities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities
        if len(only := list(communities[:2])) == 1:
            self.fields["community"].widget = forms.HiddenInput()
            self.fields["community"].initial = only[0].pk

    def clean_held_on(self):
        held_on = self.cleaned_data["held_on"]
        if held_on < EARLIEST:
            raise forms.ValidationError("Give the day of the workshop, from 2000 on.")
        return held_on


class GroupForm(PlainLabels, forms.ModelForm):
    """A group at the table for one stream: a name and, optionally, the
    member who writes for it."""

    class Meta:
        model = Group
        fields = ["stream", "name", "member"]
        labels = {"name": "Who is in the group", "member": "Member writing for it"}

    def __init__(self, *args, assessment, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stream"].queryset = Stream.objects.filter(
            practices__version=assessment.version_id
        ).distinct()
        self.fields["stream"].empty_label = None
        self.fields["member"].queryset = (
            get_user_model()
            .objects.filter(
                memberships__community=assessment.community_id, is_active=True
            )
            .order_by("name", "username")
        )
        self.fields["member"].required = False
        self.fields["member"].empty_label = "Nobody in particular"


class AnswerForm(PlainLabels, forms.ModelForm):
    """One practice's answer, prefixed by the practice; a level is needed only
    to mark the group done."""

    level = forms.TypedChoiceField(
        choices=Level.choices,
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.RadioSelect,
        label="Where we stand",
    )
    target_level = forms.TypedChoiceField(
        choices=[("", "No target"), *Level.choices],
        coerce=int,
        required=False,
        empty_value=None,
        label="Target level (optional)",
    )

    class Meta:
        model = Answer
        fields = ["level", "evidence", "target_level", "target_date"]
        labels = {
            "evidence": "What we have done",
            "target_date": "Target date (optional)",
        }
        help_texts = {"evidence": "The evidence for the level: what the work shows."}
        field_classes = {"target_date": DayFirstDateField}
        widgets = {"evidence": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, practice, **kwargs):
        kwargs.setdefault("prefix", f"p{practice.pk}")
        super().__init__(*args, **kwargs)
        self.practice = practice
        self.fields["level"].choices = [
            (level.value, f"{label}: {text}") for level, label, text in practice.levels
        ]

    def clean(self):
        data = super().clean()
        level, target = data.get("level"), data.get("target_level")
        if data.get("target_date") and not target:
            self.add_error("target_level", "Choose the level the date is a target for.")
        if level and target and target < level:
            self.add_error(
                "target_level",
                "A target is where you aim to be: at or above where you stand.",
            )
        return data

    def answer(self):
        return {field: self.cleaned_data.get(field) for field in self.Meta.fields}


def answer_forms(group, practices, data=None):
    """One form per practice, filled with what the group has saved."""
    saved = {answer.practice_id: answer for answer in group.answers.all()}
    return [
        AnswerForm(data, practice=practice, instance=saved.get(practice.pk))
        for practice in practices
    ]
