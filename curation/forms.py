import re
from urllib.parse import urlsplit

from django import forms
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.text import slugify
from markdownx.widgets import MarkdownxWidget

from common.forms import DayFirstDateField, PlainLabels
from common.markdown import markdown_problem
from curation.models import Collection, Visibility
from stories.models import Status, Story

# the first segment of other pages under /collections/
RESERVED_SLUGS = {"new", "shared", "add-story"}
SLUG = re.compile(r"[-a-zA-Z0-9_]{1,100}")
NOTE_MAX = 2000


def _markdown_or_error(text):
    if problem := markdown_problem(text):
        raise forms.ValidationError(problem)
    return text


class CollectionForm(PlainLabels, forms.ModelForm):
    """A collection's title, address, introduction and who may read it."""

    class Meta:
        model = Collection
        fields = ["title", "slug", "introduction", "visibility"]
        labels = {
            "title": "Title",
            "slug": "Address (optional)",
            "introduction": "Introduction",
            "visibility": "Who may read it",
        }
        help_texts = {
            "slug": "The end of the collection's address, in lower-case letters, "
            "numbers and hyphens. Leave it empty to make one from the title.",
            "introduction": "Why these stories belong together, and for whom. "
            "Markdown: **bold**, _italic_, ## headings, - lists, > quotes, "
            "[links](https://example.org). Raw HTML is shown as text.",
            "visibility": "Public: anyone, listed on the collections page. "
            "Collective only: approved members of the Collective. Anyone with "
            "the link: not listed anywhere; the share link opens it, and you "
            "can revoke it.",
        }
        widgets = {
            "introduction": MarkdownxWidget(attrs={"rows": 8}),
            "visibility": forms.RadioSelect,
        }
        error_messages = {
            "title": {"required": "Give the collection a title."},
            "introduction": {"required": "Write a few lines to introduce it."},
            "slug": {"unique": "Another collection has this address: choose another."},
            "visibility": {"invalid_choice": "Choose one of the options listed."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        self.fields["introduction"].required = True
        self.fields["introduction"].max_length = 20_000
        self.fields["visibility"].choices = Visibility.choices

    def clean_introduction(self):
        return _markdown_or_error(self.cleaned_data["introduction"])

    def clean(self):
        cleaned = super().clean()
        slug = cleaned.get("slug") or slugify(cleaned.get("title") or "")[:100]
        if "slug" in self.errors:
            return cleaned
        if not slug:
            if cleaned.get("title"):  # else the title's own error says enough
                self.add_error("slug", "Give the collection an address.")
        elif slug in RESERVED_SLUGS:
            self.add_error("slug", f"“{slug}” is taken by the site: choose another.")
        else:
            cleaned["slug"] = slug
        return cleaned


def story_slug_from(text):
    """The slug in a story's address (full URL or path), or `text` itself when
    it looks like a slug; None otherwise."""
    text = text.strip()
    if SLUG.fullmatch(text):
        return text
    path = urlsplit(text).path
    try:
        match = resolve(path if path.endswith("/") else path + "/")
    except Resolver404:
        return None
    if match.view_name == "stories:detail":
        return match.kwargs["slug"]
    return None


class NoteField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Curator's note (optional)")
        super().__init__(
            required=False,
            max_length=NOTE_MAX,
            widget=forms.Textarea(attrs={"rows": 3}),
            help_text="Why this story is here, in a few lines. Markdown.",
            **kwargs,
        )


class AddStoryForm(PlainLabels, forms.Form):
    """Add a published story to a collection, by its address or slug."""

    story = forms.CharField(
        label="Story's address or slug",
        max_length=500,
        help_text="Paste the story's address, such as "
        "https://…/stories/a-data-walk-with-families/, or type its slug.",
        error_messages={"required": "Paste a story's address or type its slug."},
    )
    note = NoteField()

    def __init__(self, *args, collection, **kwargs):
        super().__init__(*args, **kwargs)
        self.collection = collection

    def clean_story(self):
        slug = story_slug_from(self.cleaned_data["story"])
        story = Story.objects.filter(slug=slug).first() if slug else None
        if story is None:
            raise forms.ValidationError(
                "No story has this address or slug. Copy the address from the "
                "story's page."
            )
        if story.status != Status.PUBLISHED:
            raise forms.ValidationError(
                f"Only published stories can be added: “{story.title}” is "
                f"“{story.get_status_display()}”."
            )
        if self.collection.items.filter(story=story).exists():
            raise forms.ValidationError(
                f"“{story.title}” is already in this collection."
            )
        return story

    def clean_note(self):
        return _markdown_or_error(self.cleaned_data["note"])


class FindStoryForm(PlainLabels, forms.Form):
    """Find a published story to add by words of its title."""

    FOUND = 10

    find = forms.CharField(
        label="Find a story by its title",
        max_length=200,
        help_text="A few words of the title; published stories only.",
    )

    def matches(self, collection):
        """Up to FOUND published stories not in `collection` whose title has
        every word typed, newest first."""
        stories = Story.objects.published().exclude(
            collection_items__collection=collection
        )
        for word in self.cleaned_data["find"].split()[:8]:
            stories = stories.filter(title__icontains=word)
        return list(stories.select_related("community").latest()[: self.FOUND])


class NoteForm(PlainLabels, forms.Form):
    """The curator's note on one story of a collection."""

    note = NoteField(label="Curator's note")

    def clean_note(self):
        return _markdown_or_error(self.cleaned_data["note"])


class AddToCollectionForm(PlainLabels, forms.Form):
    """On a story's page: add it to one of the collections it isn't in yet."""

    collection = forms.ModelChoiceField(
        label="Collection",
        queryset=Collection.objects.none(),
        empty_label="Choose a collection",
        error_messages={
            "required": "Choose a collection.",
            "invalid_choice": "Choose a collection from the list: the story may "
            "already be in that one.",
        },
    )
    note = NoteField()

    def __init__(self, *args, story, collections=None, **kwargs):
        super().__init__(*args, **kwargs)
        if collections is None:
            collections = Collection.objects.exclude(items__story=story)
        self.fields["collection"].queryset = collections.order_by("title")

    def clean_note(self):
        return _markdown_or_error(self.cleaned_data["note"])


class AsOfForm(PlainLabels, forms.Form):
    """Reconstruct a collection's stories on a past day, from its history."""

    as_of = DayFirstDateField(label="See it as it stood on", required=False)

    def clean_as_of(self):
        day = self.cleaned_data["as_of"]
        if day and day > timezone.localdate():
            raise forms.ValidationError("Choose today or a day before.")
        return day
