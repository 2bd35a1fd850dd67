import re

from django import forms
from django.contrib.auth import get_user_model
from django.utils.text import slugify
from markdownx.widgets import MarkdownxWidget
from taggit.utils import parse_tags

from common.forms import PlainLabels
from common.markdown import markdown_problem
from communities.models import Community
from framework.models import Stream
from stories.images import clean_image
from stories.models import Visibility

PLACEHOLDER_ALT = "Describe this image"

# what a slug in a query string may look like before it is looked up (fullmatch:
# a NUL byte, a newline or an overlong value never reaches the database)
SLUG_SHAPE = re.compile(r"[-\w]{1,100}")


class StoryForm(PlainLabels, forms.Form):
    """Write or edit a story. Everything is kept when the form has an error;
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
        widget=MarkdownxWidget(attrs={"rows": 18}),
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
        help_text="Collective only: approved members of the Collective, "
        "not the public.",
    )
    consent = forms.BooleanField(
        label="People quoted or pictured agreed to share this, and no child can be "
        "identified without a guardian's consent.",
        required=False,
        help_text="Needed to submit; not needed to save a draft.",
    )

    version = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)

    MAX_TAGS = 10
    MAX_TAG_LENGTH = 50

    def __init__(self, *args, user, story=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.story = story
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
        self.images = [ImageSlot(self, "cover", "Cover image", cover=True)] + [
            ImageSlot(self, f"gallery_{n}", f"Gallery image {n}") for n in (1, 2, 3)
        ]

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
        return cleaned

    def require_consent(self):
        """Submitting needs consent; call after is_valid()."""
        if not self.cleaned_data.get("consent"):
            self.add_error(
                "consent",
                "Confirm consent before you submit. You can save a draft without it.",
            )
            return False
        return True

    def files_to_attach_again(self):
        """Labels of image slots whose file was sent with a form that had errors."""
        return [slot.label for slot in self.images if slot.file_sent]


class ImageSlot:
    """One image in the story form: file, alt text and credit, checked together
    and re-encoded by the one image pipeline."""

    def __init__(self, form, prefix, label, cover=False):
        self.form, self.prefix, self.label, self.cover = form, prefix, label, cover
        form.fields[f"{prefix}_image"] = forms.FileField(
            label=label,
            required=False,
            widget=forms.ClearableFileInput(
                attrs={"accept": "image/jpeg,image/png,image/webp"}
            ),
            help_text="JPEG, PNG or WebP, up to 10 MB.",
        )
        form.fields[f"{prefix}_alt"] = forms.CharField(
            label=f"{label}: alt text",
            max_length=250,
            required=False,
            help_text="What the image shows, for people who can't see it.",
        )
        form.fields[f"{prefix}_credit"] = forms.CharField(
            label=f"{label}: credit",
            max_length=200,
            required=False,
            help_text="Who made it, e.g. Photo: Sam Lee.",
        )
        self.clean_image = None

    @property
    def alt(self):
        return (self.form.cleaned_data.get(f"{self.prefix}_alt") or "").strip()

    @property
    def credit(self):
        return (self.form.cleaned_data.get(f"{self.prefix}_credit") or "").strip()

    @property
    def file_sent(self):
        return bool(self.form.files.get(f"{self.prefix}_image"))

    @property
    def image_field(self):
        return self.form[f"{self.prefix}_image"]

    @property
    def alt_field(self):
        return self.form[f"{self.prefix}_alt"]

    @property
    def credit_field(self):
        return self.form[f"{self.prefix}_credit"]

    def clean(self):
        data = self.form.cleaned_data
        upload = data.get(f"{self.prefix}_image")
        if not upload:
            return
        alt = (data.get(f"{self.prefix}_alt") or "").strip()
        credit = (data.get(f"{self.prefix}_credit") or "").strip()
        if not alt:
            self.form.add_error(
                f"{self.prefix}_alt", "Describe the image for people who can't see it."
            )
        if not credit:
            self.form.add_error(f"{self.prefix}_credit", "Say who made the image.")
        try:
            self.clean_image = clean_image(upload)
        except forms.ValidationError as error:
            self.form.add_error(f"{self.prefix}_image", error)


# The review page's forms ------------------------------------------------------


class ActionForm(PlainLabels, forms.Form):
    note = forms.CharField(
        required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    publish_at = forms.DateTimeField(
        label="Publish at (optional)",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
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
