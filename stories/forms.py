import re

from django import forms
from django.contrib.auth import get_user_model
from django.utils.text import slugify
from markdownx.widgets import MarkdownxWidget
from taggit.utils import parse_tags

from common.forms import DayFirstDateTimeField, PlainLabels
from common.markdown import markdown_problem
from communities.models import Community
from framework.models import Stream
from stories.image_slots import attach_pending, make_slots, slots_shown
from stories.models import Status, Visibility

PLACEHOLDER_ALT = "Describe this image"
CONSENT_STATEMENT = (
    "People quoted or pictured agreed to share this, and no child can be "
    "identified without a guardian's consent."
)
CONSENT_MISSING = "Confirm consent before you submit. You can save a draft without it."
CONSENT_KEPT = (
    "Confirm consent: a story keeps it once submitted. To take the story back, "
    "withdraw it, or ask the core team to archive it."
)

# what a slug in a query string may look like before it is looked up (fullmatch:
# a NUL byte, a newline or an overlong value never reaches the database)
SLUG_SHAPE = re.compile(r"[-\w]{1,100}")


class StoryBodyWidget(MarkdownxWidget):
    """The story's text and its live preview, drawn with the story page's
    own classes, side by side on a wide screen."""

    template_name = "stories/includes/_body_widget.html"


class StoryForm(PlainLabels, forms.Form):
    """Write or edit a story. Everything is kept when the form has an error,
    its images too (stories.image_slots), and every error comes at once;
    consent is needed to submit, not to save a draft."""

    title = forms.CharField(max_length=150)
    summary = forms.CharField(
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Plain text, up to 300 characters: what happened, in brief.",
    )
    body = forms.CharField(
        label="The story",
        max_length=50_000,
        widget=StoryBodyWidget(attrs={"rows": 18}),
        help_text="Markdown: **bold**, _italic_, ## headings, - lists, > quotes, "
        "[links](https://…). A preview appears as you type.",
    )
    community = forms.ModelChoiceField(queryset=Community.objects.none())
    co_authors = forms.ModelMultipleChoiceField(
        label="Co-authors",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Members of the same community who can edit this story with you.",
    )
    storytellers = forms.CharField(
        label="Credited storytellers",
        max_length=300,
        required=False,
        help_text="How the people who told this story wish to be credited. "
        "“Anonymous” is fine.",
    )
    streams = forms.MultipleChoiceField(
        label="Streams",
        widget=forms.CheckboxSelectMultiple,
        help_text="One or more streams of the Pathway to Scale.",
    )
    primary_stream = forms.ChoiceField(
        label="Primary stream",
        widget=forms.RadioSelect,
        help_text="The stream this story says most about.",
    )
    tags = forms.CharField(
        max_length=500,
        required=False,
        help_text="Separate with commas, e.g. peer support, fathers. Up to 10.",
    )
    what_worked = forms.CharField(
        label="What worked",
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    what_didnt = forms.CharField(
        label="What didn't work",
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    conditions = forms.CharField(
        label="Conditions that made it possible",
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    year = forms.IntegerField(
        label="Year of the work",
        required=False,
        min_value=1990,
        max_value=2100,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    visibility = forms.ChoiceField(
        choices=Visibility.choices,
        initial=Visibility.PUBLIC,
        widget=forms.RadioSelect,
        help_text="Public: anyone, once it is published. Collective only: "
        "approved members of the Collective, not the public.",
    )
    consent = forms.BooleanField(
        label=CONSENT_STATEMENT,
        required=False,
        help_text="Needed to submit; not needed to save a draft.",
    )

    version = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)

    MAX_TAGS = 10
    MAX_TAG_LENGTH = 50

    def __init__(
        self,
        *args,
        user,
        story=None,
        submitting=False,
        add_slot=False,
        carried=None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.user = user
        self.story = story
        # consent is asked with every other error, in the same round: to
        # submit, and for a story once submitted (the database holds it to that)
        self.submitting = submitting
        self.needs_consent = submitting or (
            story is not None and story.status != Status.DRAFT
        )
        if story is not None and story.status == Status.CHANGES_REQUESTED:
            self.fields["reply"] = forms.CharField(
                label="Your reply to the core team (optional)",
                max_length=5000,
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text="What you changed, or what you'd rather keep and why. "
                "Sent when you submit; shown on the review page and in the "
                "story's history.",
            )
        communities = Community.objects.filter(memberships__user=user)
        if story is not None:
            communities = communities | Community.objects.filter(pk=story.community_id)
        self.fields["community"].queryset = communities.distinct().order_by("name")
        self.fields["community"].empty_label = "Choose a community"
        only = list(self.fields["community"].queryset[:2])
        if len(only) == 1:
            self.fields["community"].initial = only[0].pk
        self.fields["co_authors"].queryset = (
            get_user_model()
            .objects.filter(
                memberships__community__in=self.fields["community"].queryset,
                is_active=True,
            )
            .exclude(pk=user.pk)
            .distinct()
            .order_by("name", "username")
        )
        streams = [(s.slug, s.name) for s in Stream.objects.all()]
        self.fields["streams"].choices = streams
        self.fields["primary_stream"].choices = streams
        self.images = make_slots(self)
        attach_pending(self, self.images)
        self.slot_count = slots_shown(self, self.images, add_slot)
        if carried is not None:  # shown again: `carried`'s kept images and slots
            for slot, before in zip(self.images, carried.images, strict=True):
                slot.pending = before.pending
            self.slot_count = carried.slot_count
        for number, slot in enumerate(self.images, 1):
            slot.shown = number <= self.slot_count

    def clean_tags(self):
        names = parse_tags(self.cleaned_data["tags"])
        if len(names) > self.MAX_TAGS:
            raise forms.ValidationError(f"Use at most {self.MAX_TAGS} tags.")
        long = [name for name in names if len(name) > self.MAX_TAG_LENGTH]
        if long:
            raise forms.ValidationError(
                f"Keep each tag under {self.MAX_TAG_LENGTH} characters."
            )
        empty = [name for name in names if not slugify(name, allow_unicode=True)]
        if empty:
            raise forms.ValidationError(
                "Each tag needs at least one letter or number: "
                + ", ".join(f"“{name}”" for name in empty)
                + " has none."
            )
        return names

    def clean_body(self):
        body = self.cleaned_data["body"]
        if problem := markdown_problem(body):
            raise forms.ValidationError(problem)
        if PLACEHOLDER_ALT in body:
            raise forms.ValidationError(
                f"Describe each image you added: replace “{PLACEHOLDER_ALT}” with "
                "what the image shows."
            )
        return body

    def clean(self):
        cleaned = super().clean()
        streams = cleaned.get("streams") or []
        primary = cleaned.get("primary_stream")
        if primary and streams and primary not in streams:
            self.add_error(
                "primary_stream", "Choose a primary stream from the streams you ticked."
            )
        community = cleaned.get("community")
        for co_author in cleaned.get("co_authors") or []:
            if (
                community
                and not co_author.memberships.filter(community=community).exists()
            ):
                self.add_error(
                    "co_authors",
                    f"{co_author} isn't a member of {community}, so can't be a "
                    "co-author of its story.",
                )
        for slot in self.images:
            slot.clean()
        if self.needs_consent and not cleaned.get("consent"):
            self.add_error(
                "consent", CONSENT_MISSING if self.submitting else CONSENT_KEPT
            )
        return cleaned

    @property
    def more_slots(self):
        return self.slot_count < len(self.images)

    @property
    def kept_images(self):
        """Labels of the slots whose image is kept from an earlier try."""
        return [slot.label for slot in self.images if slot.pending is not None]

    @property
    def default_action(self):
        """What pressing Enter in a field does: save, never "Add another image"."""
        editing_in_review = self.story is not None and self.story.status not in {
            Status.DRAFT,
            Status.CHANGES_REQUESTED,
        }
        return "save" if editing_in_review else "draft"

    def raw_values(self):
        """What was typed, by field, as the widgets read it from the POST:
        the initial values of the same form shown again (no file fields)."""
        return {
            name: self[name].data
            for name, field in self.fields.items()
            if not isinstance(field, forms.FileField)
        }


# The review page's forms ------------------------------------------------------


class ActionForm(PlainLabels, forms.Form):
    note = forms.CharField(
        required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    publish_at = DayFirstDateTimeField(
        label="Publish at (optional)",
        required=False,
        help_text="Leave empty to publish now.",
    )

    def __init__(self, *args, action, **kwargs):
        super().__init__(*args, **kwargs)
        self.action = action
        self.fields["note"].label = "Note" + (
            "" if action.note_required else " (optional)"
        )
        self.fields["note"].required = action.note_required
        self.fields["note"].error_messages["required"] = (
            "Say why: the note is required."
        )
        if action.name != "publish":
            del self.fields["publish_at"]
        if action.destructive:
            self.fields["confirm"] = forms.BooleanField(
                label=action.confirm, required=False
            )

    def clean_confirm(self):
        # asked on the server, with the note's error in the same round, not
        # by the browser (which would stop at the first)
        if not self.cleaned_data.get("confirm"):
            raise forms.ValidationError(
                "Tick the box to confirm that you mean to "
                f"{self.action.label.lower()} this story."
            )
        return True


class CommentForm(PlainLabels, forms.Form):
    body = forms.CharField(
        label="Add to the discussion",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class FlagForm(PlainLabels, forms.Form):
    reason = forms.CharField(
        label="What concerns you about this story?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
