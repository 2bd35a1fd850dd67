"""Curated collections: ordered sets of stories with an introduction and a
curator's note on each, for funders, policy makers and peers."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Count, F, Q
from django.db.models.functions import Length
from django.db.models.lookups import GreaterThanOrEqual
from django.urls import reverse
from django.utils import timezone
from markdownx.models import MarkdownxField

from stories.models import Story

# 32 random bytes (256 bits), as 43 URL-safe characters
TOKEN_BYTES = 32
TOKEN_MIN_LENGTH = 43


def new_share_token():
    return secrets.token_urlsafe(TOKEN_BYTES)


class Visibility(models.TextChoices):
    PUBLIC = "public", "Public"
    COLLECTIVE = "collective", "Collective only"
    LINK = "link", "Anyone with the link"


class CollectionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_at__isnull=False)

    def visible_to(self, user):
        """The collections `user` may open by their address. The one rule: the
        core team sees every collection, drafts and link-only ones included;
        everyone else sees published public ones, and approved members of the
        Collective (the story rule's `is_collective_member`) the published
        Collective-only ones too. A link-only collection is never listed nor
        found by its slug for anyone else: only its share link opens it."""
        if user is not None and user.is_authenticated and user.is_core_team:
            return self.all()
        shown = [Visibility.PUBLIC]
        if user is not None and getattr(user, "is_collective_member", False):
            shown.append(Visibility.COLLECTIVE)
        return self.published().filter(visibility__in=shown)

    def listed(self):
        """What may be listed to readers (the home page): published, and not
        link-only, even for the core team, who see everything elsewhere."""
        return self.published().exclude(visibility=Visibility.LINK)

    def shared(self, token):
        """The published link-only collection this share token opens, if any."""
        if not token:
            return self.none()
        return self.published().filter(visibility=Visibility.LINK, share_token=token)

    def with_story_counts(self, stories):
        """Annotate `story_count`: how many of `stories` (already filtered for
        the viewer) each collection holds, in the same query."""
        return self.annotate(
            story_count=Count("items", filter=Q(items__story__in=stories))
        )

    def in_list_order(self):
        """Drafts first (only the core team sees them), then newest published."""
        return self.order_by(F("published_at").desc(nulls_first=True), "title")


class Collection(models.Model):
    """A curated, ordered set of stories with an introduction, made by the core
    team and published for the public, the Collective, or anyone with its link."""

    title = models.CharField(max_length=150)
    slug = models.SlugField(
        max_length=100,
        unique=True,
        help_text="The collection's address: lower-case letters, numbers and hyphens.",
    )
    introduction = MarkdownxField(
        blank=True,
        help_text="Markdown: why these stories belong together, and for whom.",
    )
    curator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="curated_collections",
    )
    visibility = models.CharField(
        max_length=10, choices=Visibility, default=Visibility.PUBLIC
    )
    share_token = models.CharField(
        max_length=64,
        unique=True,
        null=True,
        blank=True,
        editable=False,
        help_text="The secret in the share link of a link-only collection.",
    )
    published_at = models.DateTimeField(
        null=True, blank=True, help_text="Empty: a draft only the core team sees."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CollectionQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(visibility__in=Visibility.values),
                name="collection_visibility_valid",
            ),
            models.CheckConstraint(
                condition=Q(share_token__isnull=True) | Q(visibility=Visibility.LINK),
                name="collection_token_only_for_links",
            ),
            models.CheckConstraint(
                condition=Q(share_token__isnull=True)
                | GreaterThanOrEqual(Length("share_token"), TOKEN_MIN_LENGTH),
                name="collection_token_unguessable",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("collections:detail", kwargs={"slug": self.slug})

    def get_print_url(self):
        return reverse("collections:print", kwargs={"slug": self.slug})

    def get_curate_url(self):
        return reverse("collections:edit", kwargs={"slug": self.slug})

    def get_share_url(self):
        """The share link's path, or "" when the collection has none."""
        if not self.share_token:
            return ""
        return reverse("collections:shared", kwargs={"token": self.share_token})

    @property
    def is_published(self):
        return self.published_at is not None

    @property
    def is_public(self):
        """Published for everyone: may be kept by shared caches."""
        return self.is_published and self.visibility == Visibility.PUBLIC

    def items_for(self, user):
        """This collection's items whose stories `user` may read, in order,
        with what a story card needs in a fixed number of queries."""
        return (
            self.items.filter(story__in=Story.objects.visible_to(user))
            .prefetch_related(
                models.Prefetch("story", queryset=Story.objects.for_cards())
            )
            .order_by("position", "pk")
        )


class CollectionItem(models.Model):
    """A story's place in a collection, with the curator's note on why it is
    there. Stories enter only through curation.services, published."""

    collection = models.ForeignKey(
        Collection, on_delete=models.CASCADE, related_name="items"
    )
    story = models.ForeignKey(
        "stories.Story", on_delete=models.CASCADE, related_name="collection_items"
    )
    position = models.PositiveIntegerField(default=0)
    note = models.TextField(
        "curator's note",
        blank=True,
        help_text="Why this story is here, in a few lines (Markdown).",
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    notified_at = models.DateTimeField(
        "authors told at",
        null=True,
        blank=True,
        help_text="When the story's authors were told it is in this collection.",
    )

    class Meta:
        ordering = ["collection", "position", "pk"]
        indexes = [
            models.Index(fields=["collection", "position"], name="collectionitem_order")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["collection", "story"], name="collectionitem_story_once"
            ),
        ]

    def __str__(self):
        return f"{self.story} in {self.collection}"


class Action(models.TextChoices):
    CREATED = "created", "Created"
    EDITED = "edited", "Details edited"
    ADDED = "added", "Story added"
    REMOVED = "removed", "Story removed"
    MOVED = "moved", "Story moved"
    NOTED = "noted", "Curator's note edited"
    PUBLISHED = "published", "Published"
    UNPUBLISHED = "unpublished", "Unpublished"
    LINK_MADE = "link_made", "Share link made"
    LINK_REGENERATED = "link_regenerated", "Share link regenerated"
    LINK_REVOKED = "link_revoked", "Share link revoked"
    AUTHORS_TOLD = "authors_told", "Authors told"


# Events about one story: shown only to someone who may read that story.
STORY_ACTIONS = [
    Action.ADDED,
    Action.REMOVED,
    Action.MOVED,
    Action.NOTED,
    Action.AUTHORS_TOLD,
]
# What a reader's history of a collection tells: what came and went, and when.
READER_HISTORY = [Action.ADDED, Action.REMOVED, Action.PUBLISHED, Action.UNPUBLISHED]
# What changes what a reader sees, for the page's "as of" date.
CONTENT_CHANGES = [
    Action.CREATED,
    Action.EDITED,
    Action.ADDED,
    Action.REMOVED,
    Action.MOVED,
    Action.NOTED,
    Action.PUBLISHED,
]


class CollectionEventQuerySet(models.QuerySet):
    def visible_to(self, user):
        """History `user` may read: events about the collection itself, and
        events about stories they may read (the story rule decides). An event
        about a story that is gone, or hidden from them, is left out."""
        return self.filter(
            Q(story__in=Story.objects.visible_to(user))
            | (Q(story=None) & ~Q(action__in=STORY_ACTIONS))
        )


class CollectionEvent(models.Model):
    """The history of a collection: what was added, removed, published and
    shared, by whom and when. Written once by curation.services."""

    collection = models.ForeignKey(
        Collection, on_delete=models.CASCADE, related_name="events"
    )
    story = models.ForeignKey(
        "stories.Story",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    story_title = models.CharField(
        max_length=150, blank=True, help_text="The story's title at the time."
    )
    action = models.CharField(max_length=20, choices=Action)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = CollectionEventQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(
                fields=["collection", "created_at"], name="collectionevent_when"
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=Action.values),
                name="collectionevent_action_valid",
            ),
        ]

    def __str__(self):
        what = self.get_action_display()
        return f"{what}: {self.story_title}" if self.story_title else what
