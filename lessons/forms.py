from django import forms
from django.db.models import Exists, OuterRef

from common.forms import PlainLabels
from framework.models import FrameworkVersion, Practice, Stream
from lessons.models import Condition, Kind, Theme, practice_problem
from stories.models import StoryStream


def practices_to_tie():
    """The practices of the framework's current version, a lesson's choices
    of what it helps with, in one query."""
    current = FrameworkVersion.objects.newest_published()
    return list(
        Practice.objects.filter(version__in=current)
        .select_related("stream")
        .order_by("stream__order", "position", "pk")
    )


def streams_for(story):
    """The five streams, each marked `is_primary` for `story`: the choices of a
    lesson's stream and its default, in one query."""
    primary = StoryStream.objects.filter(
        story=story, stream=OuterRef("pk"), is_primary=True
    )
    return list(Stream.objects.annotate(is_primary=Exists(primary)))


class LessonForm(PlainLabels, forms.Form):
    """One lesson of a story, as the core team writes it on the review page."""

    statement = forms.CharField(
        label="Lesson",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="What the story teaches, in one plain sentence (300 characters "
        "at most).",
        error_messages={"required": "Write the lesson in a sentence."},
    )
    kind = forms.ChoiceField(
        label="Kind",
        choices=Kind,
        widget=forms.RadioSelect,
        help_text="Whether it worked, didn't work, or made other things possible.",
        error_messages={
            "required": "Choose the kind of lesson.",
            "invalid_choice": "Choose one of the kinds listed.",
        },
    )
    stream = forms.ModelChoiceField(
        label="Stream",
        queryset=Stream.objects.all(),
        empty_label=None,
        help_text="The stream of the Pathway to Scale it belongs to. It starts as "
        "the story's main stream.",
        error_messages={
            "required": "Choose a stream.",
            "invalid_choice": "Choose one of the five streams.",
        },
    )
    condition = forms.ChoiceField(
        label="Condition of collective impact (optional)",
        choices=[("", "No condition named")] + list(Condition.choices),
        required=False,
        help_text="The condition it speaks to, if there is one.",
        error_messages={"invalid_choice": "Choose one of the conditions listed."},
    )
    practice = forms.ModelChoiceField(
        label="Practice of the self-assessment (optional)",
        queryset=Practice.objects.all(),
        required=False,
        empty_label="No practice named",
        help_text="The practice this lesson helps a community with, in its stream.",
        error_messages={"invalid_choice": "Choose one of the practices listed."},
    )
    themes = forms.ModelMultipleChoiceField(
        label="Themes (optional)",
        queryset=Theme.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The learning themes this lesson is evidence for.",
        error_messages={
            "invalid_choice": "There is no such theme: choose from the list.",
            "invalid_pk_value": "There is no such theme: choose from the list.",
        },
    )

    def __init__(self, *args, streams, themes=None, practices=None, **kwargs):
        """`streams` comes from `streams_for(story)`: the stream choices are the
        rows already read, and a new lesson starts in the story's main stream.
        `themes` and `practices` (`practices_to_tie()`), when given, are rows
        already read, so that a page with a form for every lesson reads them
        once."""
        super().__init__(*args, **kwargs)
        if practices is None:
            practices = practices_to_tie()
        by_stream = {}
        for practice in practices:
            by_stream.setdefault(practice.stream.name, []).append(
                (practice.pk, practice.name)
            )
        field = self.fields["practice"]
        # the queryset checks a choice; the choices are the rows already read
        # (set after it, which would otherwise read them again)
        field.queryset = Practice.objects.filter(pk__in=[p.pk for p in practices])
        field.choices = [("", "None"), *by_stream.items()]
        field = self.fields["stream"]
        field.choices = [(stream.pk, stream.name) for stream in streams]
        primary = [stream.pk for stream in streams if stream.is_primary]
        field.initial = (primary or [stream.pk for stream in streams] or [None])[0]
        if themes is not None:
            self.fields["themes"].choices = [(theme.pk, theme.name) for theme in themes]

    @classmethod
    def for_lesson(cls, lesson, *args, streams, **kwargs):
        """A form holding `lesson` as it is, to edit it. Its ids carry the
        lesson's number, so the review page can hold one form per lesson."""
        kwargs.setdefault("auto_id", f"id_lesson{lesson.pk}_%s")
        initial = {
            "statement": lesson.statement,
            "kind": lesson.kind,
            "stream": lesson.stream_id,
            "condition": lesson.condition,
            "themes": [theme.pk for theme in lesson.themes.all()],
            "practice": lesson.practice_id,
        }
        practices = kwargs.pop("practices", None)
        if practices is None:
            practices = practices_to_tie()
        if lesson.practice_id and lesson.practice not in practices:
            practices = [*practices, lesson.practice]  # of an older version
        return cls(
            *args, initial=initial, streams=streams, practices=practices, **kwargs
        )

    def clean(self):
        cleaned = super().clean()
        stream = cleaned.get("stream")
        if stream and (problem := practice_problem(cleaned.get("practice"), stream)):
            self.add_error("practice", problem)
        return cleaned
