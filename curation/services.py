"""Curating collections: every change the core team makes to one.

Each function is one transaction that locks the collection's row first (so two
curators ordering or publishing at once keep positions dense and publish once)
and records a CollectionEvent. The authors of a story are told, after commit,
the first time it is in a published collection: once per collection and story,
even if it is removed and added again.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from common.cache import changes_library
from common.ordering import move, renumber
from curation.models import (
    Action,
    Collection,
    CollectionEvent,
    CollectionItem,
    Visibility,
    new_share_token,
)
from notifications.mail import absolute_url, mail_after_commit
from stories.models import Status, Story

FIELDS = ["title", "slug", "introduction", "visibility"]


class CurationError(Exception):
    """A change that can't be made as asked, with the reason in plain words."""


def can_curate(user):
    return bool(user is not None and user.is_authenticated and user.is_core_team)


def _require_curator(actor):
    if not can_curate(actor):
        raise PermissionDenied("Only the core team curates collections.")


def _locked(collection, actor):
    """The collection's row, locked for this transaction, once `actor` may
    curate it."""
    _require_curator(actor)
    return Collection.objects.select_for_update().get(pk=collection.pk)


def _record(collection, action, actor, story=None):
    return CollectionEvent.objects.create(
        collection=collection,
        action=action,
        actor=actor,
        story=story,
        story_title=story.title if story else "",
    )


@changes_library
@transaction.atomic
def collection_create(*, actor, data):
    """A new draft; a link-only one gets its share link at once."""
    _require_curator(actor)
    collection = Collection.objects.create(
        curator=actor, **{field: data[field] for field in FIELDS}
    )
    _record(collection, Action.CREATED, actor)
    if collection.visibility == Visibility.LINK:
        collection.share_token = new_share_token()
        collection.save(update_fields=["share_token"])
        _record(collection, Action.LINK_MADE, actor)
    return collection


@changes_library
@transaction.atomic
def collection_update(*, collection, actor, data):
    """Title, slug, introduction and visibility. Becoming link-only makes a
    share link; ceasing to be link-only revokes it, so an old link never opens
    a collection that is now listed or Collective only."""
    collection = _locked(collection, actor)
    was_link = collection.visibility == Visibility.LINK
    for field in FIELDS:
        setattr(collection, field, data[field])
    is_link = collection.visibility == Visibility.LINK
    link_event = None
    if is_link and not collection.share_token:
        collection.share_token = new_share_token()
        link_event = Action.LINK_MADE
    elif was_link and not is_link and collection.share_token:
        collection.share_token = None
        link_event = Action.LINK_REVOKED
    collection.save()
    _record(collection, Action.EDITED, actor)
    if link_event:
        _record(collection, link_event, actor)
    return collection


@changes_library
@transaction.atomic
def collection_add(*, collection, story, actor, note="", request=None):
    """Add a published story at the end, with the curator's note. Raises
    CurationError when the story isn't published or is already there."""
    collection = _locked(collection, actor)
    story = Story.objects.get(pk=story.pk)
    if story.status != Status.PUBLISHED:
        raise CurationError(
            f"Only published stories can be added: “{story.title}” is "
            f"“{story.get_status_display()}”."
        )
    if collection.items.filter(story=story).exists():
        raise CurationError(f"“{story.title}” is already in this collection.")
    item = CollectionItem.objects.create(
        collection=collection,
        story=story,
        note=note,
        added_by=actor,
        position=collection.items.count(),
    )
    _record(collection, Action.ADDED, actor, story)
    if collection.is_published:
        _tell_authors(collection, [item], request)
    return item


@changes_library
@transaction.atomic
def collection_remove(*, item, actor):
    collection = _locked(item.collection, actor)
    story = item.story
    item.delete()
    renumber(list(collection.items.order_by("position", "pk")))
    _record(collection, Action.REMOVED, actor, story)


@changes_library
@transaction.atomic
def collection_move(*, item, actor, direction):
    """Swap `item` with its neighbour above ("up") or below ("down"). Returns
    False when it is already at that end and nothing moved."""
    collection = _locked(item.collection, actor)
    if not move(collection.items.order_by("position", "pk"), item, direction):
        return False
    _record(collection, Action.MOVED, actor, item.story)
    return True


@changes_library
@transaction.atomic
def collection_annotate(*, item, actor, note):
    """Save the curator's note on one story. Returns False when it is unchanged."""
    collection = _locked(item.collection, actor)
    item = CollectionItem.objects.select_related("story").get(pk=item.pk)
    if item.note == note:
        return False
    item.note = note
    item.save(update_fields=["note"])
    _record(collection, Action.NOTED, actor, item.story)
    return True


@changes_library
@transaction.atomic
def collection_publish(*, collection, actor, request=None):
    """Publish a draft and tell the authors of its stories. Returns False when
    it was already published (a double click publishes once)."""
    collection = _locked(collection, actor)
    if collection.is_published:
        return False
    collection.published_at = timezone.now()
    collection.save(update_fields=["published_at", "updated_at"])
    _record(collection, Action.PUBLISHED, actor)
    items = collection.items.filter(
        notified_at=None, story__status=Status.PUBLISHED
    ).select_related("story")
    _tell_authors(collection, list(items), request)
    return True


@changes_library
@transaction.atomic
def collection_unpublish(*, collection, actor):
    """Back to a draft only the core team sees. Returns False if it was one."""
    collection = _locked(collection, actor)
    if not collection.is_published:
        return False
    collection.published_at = None
    collection.save(update_fields=["published_at", "updated_at"])
    _record(collection, Action.UNPUBLISHED, actor)
    return True


@changes_library
@transaction.atomic
def collection_regenerate_link(*, collection, actor):
    """A new share link for a link-only collection; the old one stops working
    at once. Returns the collection with its new token."""
    collection = _locked(collection, actor)
    if collection.visibility != Visibility.LINK:
        raise CurationError(
            "Only a collection shared with anyone with the link has a share link."
        )
    had_link = bool(collection.share_token)
    collection.share_token = new_share_token()
    collection.save(update_fields=["share_token", "updated_at"])
    action = Action.LINK_REGENERATED if had_link else Action.LINK_MADE
    _record(collection, action, actor)
    return collection


@changes_library
@transaction.atomic
def collection_revoke_link(*, collection, actor):
    """The share link stops working; the collection stays, for the core team,
    until a new link is made. Returns False when there was no link."""
    collection = _locked(collection, actor)
    if not collection.share_token:
        return False
    collection.share_token = None
    collection.save(update_fields=["share_token", "updated_at"])
    _record(collection, Action.LINK_REVOKED, actor)
    return True


# Telling the authors ----------------------------------------------------------


def _tell_authors(collection, items, request):
    """Email the authors of each item's story, once per collection and story:
    `notified_at` marks the item, and an AUTHORS_TOLD event survives the item
    being removed and added again."""
    now = timezone.now()
    told_before = set(
        CollectionEvent.objects.filter(
            collection=collection,
            action=Action.AUTHORS_TOLD,
            story__in=[item.story_id for item in items],
        ).values_list("story_id", flat=True)
    )
    for item in items:
        if item.notified_at is not None:
            continue
        item.notified_at = now
        item.save(update_fields=["notified_at"])
        if item.story_id in told_before:
            continue
        _record(collection, Action.AUTHORS_TOLD, None, item.story)
        _email_authors(collection, item, request)


def _email_authors(collection, item, request):
    story = item.story
    recipients = story.authors.exclude(email="").values_list("email", flat=True)
    if collection.visibility == Visibility.LINK:
        # the share link is the core team's to give: the authors get their story's
        link = absolute_url(request, story.get_absolute_url())
    else:
        link = absolute_url(request, collection.get_absolute_url())
    context = {
        "collection": collection,
        "item": item,
        "story": story,
        "link": link,
        "by_link": collection.visibility == Visibility.LINK,
    }
    subject = render_to_string("curation/email/cited_subject.txt", context)
    body = render_to_string("curation/email/cited_body.txt", context)
    what = f"collection email for story {story.pk}"
    mail_after_commit(subject, body, recipients, what=what)
