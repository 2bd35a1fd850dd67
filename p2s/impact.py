"""What the storyteller's impact page reads (p2s/impact_views.py): where one
story has been used across the library, from the apps above stories (its
lessons and the themes they feed, the collections it is in). Each read is
one query, however many lessons, themes and collections there are."""

from dataclasses import dataclass

from curation.models import Collection, CollectionItem, Visibility
from lessons.models import Citation, Lesson, Theme


@dataclass(frozen=True)
class UsedIn:
    """A collection holding the story: `href` is "" where the reader can't
    open it by its address (a link-only one, whose share link stays with
    whoever it was given to)."""

    collection: Collection
    added_at: object
    href: str


def impact_of(story, user):
    """The story's lessons (all of them: its authors see them on the review
    page too), the themes they feed, and the published collections it is
    in, for `user`, one of its authors, its community's lead or the core
    team."""
    lessons = list(
        story.lessons.select_related("stream")
        .prefetch_related("themes")
        .order_by("position", "pk")
    )
    return {
        "lessons": lessons,
        "themes": _themes(story, lessons, user),
        "collections": _collections(story, user),
    }


def _themes(story, lessons, user):
    """The themes of `lessons`, by name, each with `cited_at` (when the story
    was first cited under it, or its earliest lesson there) and the weight
    of evidence it gathers of what `user` may read (`with_evidence`)."""
    since = {}
    for lesson in lessons:
        for theme in lesson.themes.all():
            first = since.get(theme.pk)
            since[theme.pk] = (
                min(first, lesson.created_at) if first else lesson.created_at
            )
    if not since:
        return []
    cited = Citation.objects.filter(story=story, theme__in=since.keys())
    since.update(cited.values_list("theme_id", "created_at"))
    themes = Theme.objects.filter(pk__in=since.keys()).with_evidence(
        Lesson.objects.visible_to(user)
    )
    themes = list(themes)
    for theme in themes:
        theme.cited_at = since[theme.pk]
    return themes


def _collections(story, user):
    """The published collections holding `story`, latest added first; a
    draft is not listed (nothing of it is used yet), a link-only one is
    named without its link."""
    items = list(
        CollectionItem.objects.filter(
            story=story, collection__published_at__isnull=False
        )
        .select_related("collection")
        .order_by("-created_at", "pk")
    )
    ids = [item.collection_id for item in items]
    openable = set()
    if ids:
        openable = set(
            Collection.objects.visible_to(user)
            .filter(pk__in=ids)
            .exclude(visibility=Visibility.LINK)
            .values_list("pk", flat=True)
        )
    return [
        UsedIn(
            collection=item.collection,
            added_at=item.created_at,
            href=item.collection.get_absolute_url()
            if item.collection_id in openable
            else "",
        )
        for item in items
    ]
