"""A story and the rules of who may read and edit it: its statuses and
visibility, the read conditions, and the queries every page goes through
(`Story.objects.visible_to`)."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import (
    Count,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.urls import reverse
from django.utils import timezone
from markdownx.models import MarkdownxField
from taggit.managers import TaggableManager
from taggit.models import TaggedItem

from communities.models import Membership, Role
from framework.models import Stream
from stories.models.fields import FacetKeysField
from stories.models.images import StoryImage
from stories.models.streams import prefetch_stream_links


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    AWAITING_SIGNOFF = "awaiting_signoff", "Awaiting sign-off"
    APPROVED = "approved", "Approved"
    PUBLISHED = "published", "Published"
    REJECTED = "rejected", "Rejected"
    WITHDRAWN = "withdrawn", "Withdrawn"
    ARCHIVED = "archived", "Archived"


EDITABLE_STATUSES = [Status.DRAFT, Status.CHANGES_REQUESTED, Status.PUBLISHED]
CORE_EDITABLE_STATUSES = [
    *EDITABLE_STATUSES,
    Status.SUBMITTED,
    Status.AWAITING_SIGNOFF,
    Status.APPROVED,
]


class Visibility(models.TextChoices):
    PUBLIC = "public", "Public"
    COLLECTIVE = "collective", "Collective only"


LONG_TEXTS = ("body", "what_worked", "what_didnt", "conditions")


def _authored_or_led_by(user):
    """A story's condition: `user` is one of its authors or leads its
    community. Asked story by story (EXISTS): no join that repeats a story
    for each author and lead, so no DISTINCT."""
    authored = Story.authors.through.objects.filter(story=OuterRef("pk"), user=user)
    leads = Membership.objects.filter(
        community=OuterRef("community_id"), user=user, role=Role.LEAD
    )
    return Exists(authored) | Exists(leads)


def visible_condition(user):
    """The condition a story meets when `user` may read it (`visible_to`)."""
    if user is not None and getattr(user, "is_collective_member", False):
        shown = [Visibility.PUBLIC, Visibility.COLLECTIVE]
        return Q(status=Status.PUBLISHED, visibility__in=shown)
    return Q(status=Status.PUBLISHED, visibility=Visibility.PUBLIC)


def _is_member(user):
    return user is not None and user.is_authenticated and user.is_collective_member


def readable_condition(user, own=None):
    """The condition a story meets when `user` may open it by URL
    (`readable_by`); `own` is `_authored_or_led_by(user)` if already built."""
    if user is None or not user.is_authenticated or not user.is_active:
        return visible_condition(user)
    if user.is_core_team:
        return Q()
    # row by row (EXISTS), never "pk IN (every visible story)": opening one
    # story by its slug then reads that one row
    return visible_condition(user) | (own or _authored_or_led_by(user))


def editable_condition(user, own=None):
    """The condition a story meets when `user` may edit it (`editable_by`);
    `own` as for `readable_condition`."""
    if not _is_member(user):
        return Q(pk__in=[])
    if user.is_core_team:
        return Q(status__in=CORE_EDITABLE_STATUSES)
    return Q(status__in=EDITABLE_STATUSES) & (own or _authored_or_led_by(user))


def _boolean(condition):
    return ExpressionWrapper(condition, output_field=models.BooleanField())


class StoryQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Status.PUBLISHED)

    def visible_to(self, user):
        """The stories `user` may read. Every page, count, feed and file goes
        through here: this is the one place that decides."""
        return self.filter(visible_condition(user))

    def readable_by(self, user):
        """What `user` may open by URL: what they may read, plus their own
        stories in any state, their community's stories if they lead it, and
        everything for the core team. Lists use `visible_to`, not this."""
        return self.filter(readable_condition(user))

    def editable_by(self, user):
        """What `user` may edit: drafts, stories sent back for changes and
        published stories (as a staged revision) for their authors and their
        community's lead; every story still in play for the core team."""
        return self.filter(editable_condition(user))

    def opened_by(self, user):
        """`readable_by(user)`, each story with `can_edit` (`editable_by`) and
        `is_own` (the reader is one of its authors or leads its community; the
        whole core team counts): what a story's own page asks, in one query."""
        if not _is_member(user):
            no = Value(False)
            return self.readable_by(user).annotate(can_edit=no, is_own=no)
        if user.is_core_team:
            return self.annotate(
                can_edit=_boolean(editable_condition(user)), is_own=Value(True)
            )
        # the rules share their costliest condition: built once
        own = _authored_or_led_by(user)
        return self.filter(readable_condition(user, own)).annotate(
            can_edit=_boolean(editable_condition(user, own)), is_own=_boolean(own)
        )

    def tagged(self, tag):
        """The stories carrying `tag` (a Tag or its slug), asked story by story
        (EXISTS) rather than through taggit's join, which compares its integer
        object_id to the story's id through a cast that no index can serve: a
        tag's newest 20 are then a walk down the latest-first index."""
        lookup = {"tag__slug": tag} if isinstance(tag, str) else {"tag": tag}
        items = TaggedItem.objects.filter(
            content_type=story_content_type(), object_id=OuterRef("pk"), **lookup
        )
        return self.filter(Exists(items))

    def for_cards(self):
        """What a story card shows, in a fixed number of queries (the search
        vector, which no page shows, left in the database)."""
        return (
            self.defer("search_vector")
            .select_related("community")
            .prefetch_related(
                prefetch_stream_links(),
                Prefetch(
                    "images",
                    queryset=StoryImage.objects.filter(is_cover=True),
                    to_attr="cover_images",
                ),
            )
        )

    def card_list(self):
        """Cards only: `for_cards` without the long texts a list never shows."""
        return self.for_cards().defer(*LONG_TEXTS)

    def latest(self):
        return self.order_by("-published_at", "-pk")


class Story(models.Model):
    """A story from the field: a narrative and structured data at once."""

    title = models.CharField(max_length=150)
    slug = models.SlugField(max_length=100, unique=True)
    summary = models.CharField(
        max_length=300, help_text="Plain text, up to 300 characters."
    )
    body = MarkdownxField(help_text="Markdown. Raw HTML is shown as text.")
    community = models.ForeignKey(
        "communities.Community", on_delete=models.PROTECT, related_name="stories"
    )
    authors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="authored_stories"
    )
    storytellers = models.CharField(
        "credited storytellers",
        max_length=300,
        blank=True,
        help_text="As they wish to be credited; may be anonymous.",
    )
    streams = models.ManyToManyField(
        Stream, through="StoryStream", related_name="stories"
    )
    tags = TaggableManager(blank=True)
    what_worked = models.TextField(blank=True)
    what_didnt = models.TextField("what didn't work", blank=True)
    conditions = models.TextField("conditions that made it possible", blank=True)
    year = models.PositiveSmallIntegerField("year of the work", null=True, blank=True)
    visibility = models.CharField(
        max_length=10, choices=Visibility, default=Visibility.PUBLIC
    )
    status = models.CharField(max_length=20, choices=Status, default=Status.DRAFT)
    consent = models.BooleanField(
        "consent confirmed",
        default=False,
        help_text="People quoted or pictured agreed; no child is identifiable "
        "without a guardian's consent.",
    )
    is_featured = models.BooleanField("featured", default=False)
    is_demo = models.BooleanField(
        "demo content", default=False, help_text="Made up for the demo; not real."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(
        default=1, editable=False, help_text="Goes up with every saved edit."
    )
    status_changed_at = models.DateTimeField(default=timezone.now, editable=False)
    publish_at = models.DateTimeField(
        "publish at", null=True, blank=True, help_text="Scheduled publication."
    )
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who in the core team is reviewing it.",
    )
    search_vector = SearchVectorField(
        null=True,
        editable=False,
        help_text="Title, summary, tags, body, reflections and lessons, weighted "
        "for search; kept current by discovery/search.py (PostgreSQL only).",
    )
    facet_keys = FacetKeysField(
        models.CharField(max_length=24),
        null=True,
        editable=False,
        help_text="Its streams, tags, lessons' themes, community and year as keys "
        "(s<id>, t<id>, h<id>, c<id>-<year>), for browse's counts; kept current "
        "with the search vector (PostgreSQL only).",
    )
    staged_revision = models.ForeignKey(
        "StoryRevision",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="An edit of a published story, waiting for sign-off.",
    )

    objects = StoryQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "stories"
        ordering = ["-published_at", "-pk"]
        indexes = [
            models.Index(
                fields=["status", "visibility", "-published_at"],
                name="story_browse_idx",
            ),
            # the lists' order, latest first, walked from the top for page 1
            # and page 500 alike; with the visibility beside it, a page's ids
            # are read from the index alone (stories.paging)
            models.Index(
                fields=["-published_at", "-id"],
                include=["visibility"],
                condition=Q(status="published"),
                name="story_latest_idx",
            ),
            models.Index(fields=["year"], name="story_year_idx"),
            GinIndex(fields=["search_vector"], name="story_search_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="story_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(visibility__in=Visibility.values),
                name="story_visibility_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=[Status.DRAFT, Status.WITHDRAWN])
                | Q(consent=True),
                name="story_consent_before_submission",
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.PUBLISHED) | Q(published_at__isnull=False),
                name="story_published_has_date",
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("summary"), 300),
                name="story_summary_max_300",
            ),
            models.CheckConstraint(
                condition=Q(year__isnull=True) | Q(year__gte=1900, year__lte=2100),
                name="story_year_range",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("stories:detail", kwargs={"slug": self.slug})

    def get_review_url(self):
        return reverse("moderation:review", kwargs={"slug": self.slug})

    @property
    def ordered_stream_links(self):
        """Stream links, primary first (prefetched by `for_cards`)."""
        if hasattr(self, "stream_links"):
            return self.stream_links
        return list(
            self.story_streams.select_related("stream").order_by(
                "-is_primary", "stream__order"
            )
        )

    @property
    def primary_stream(self):
        links = self.ordered_stream_links
        return links[0].stream if links and links[0].is_primary else None

    @property
    def cover(self):
        if hasattr(self, "cover_images"):
            return self.cover_images[0] if self.cover_images else None
        if "images" in getattr(self, "_prefetched_objects_cache", {}):
            return next((i for i in self.images.all() if i.is_cover), None)
        return self.images.filter(is_cover=True).first()

    @property
    def is_public(self):
        """Published for everyone: may be cached by shared caches."""
        return self.status == Status.PUBLISHED and self.visibility == Visibility.PUBLIC

    @property
    def has_reflections(self):
        return bool(self.what_worked or self.what_didnt or self.conditions)

    def related(self, user, limit=3):
        """Other stories `user` may read that share streams or tags with this one,
        most shared first. Ranking them reads much of the library: the story
        page keeps what it draws of them for the reader's visibility class."""
        stream_ids = [link.stream_id for link in self.ordered_stream_links]
        tag_ids = [tag.pk for tag in self.tags.all()]

        chosen = list(
            Story.objects.visible_to(user)
            .exclude(pk=self.pk)
            .filter(Q(streams__in=stream_ids) | Q(tags__in=tag_ids))
            .annotate(
                shared_streams=Count(
                    "streams", filter=Q(streams__in=stream_ids), distinct=True
                ),
                shared_tags=Count("tags", filter=Q(tags__in=tag_ids), distinct=True),
            )
            .order_by("-shared_tags", "-shared_streams", "-published_at", "-pk")
            .values_list("pk", flat=True)[:limit]
        )
        by_pk = {
            story.pk: story for story in Story.objects.filter(pk__in=chosen).card_list()
        }
        return [by_pk[pk] for pk in chosen if pk in by_pk]


def story_content_type():
    """The content type of stories, as a subquery: taggit's rows are matched
    on its id as a value PostgreSQL plans with, not through a join to
    django_content_type that it misjudges (and no query of its own)."""
    story_type = ContentType.objects.filter(app_label="stories", model="story")
    return Subquery(story_type.values("pk")[:1])
