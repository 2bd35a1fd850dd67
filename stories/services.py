"""Writes that touch several models or files. Each is one transaction."""

import re

from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.utils.text import slugify

from common.cache import changes_library
from framework.models import Stream
from stories.images import (
    CleanImage,
    delete_with_renditions,
    make_renditions,
    stored_clean_image,
)
from stories.models import (
    EditorImage,
    Status,
    Story,
    StoryEvent,
    StoryImage,
    StoryRevision,
    StoryStream,
)
from stories.pending import pending_uploads_forget
from stories.signals import stream_links_written
from stories.workflow import AUTHOR, CORE, LEAD, Conflict, roles_of, story_transition

UPLOAD_NAME = re.compile(r"uploads/[0-9a-f]{32}\.(?:jpg|png|webp)")


@changes_library
def image_add(
    *,
    story,
    clean: CleanImage,
    alt_text,
    credit,
    caption="",
    is_cover=False,
    position=0,
):
    """Store a cleaned image and its renditions, and attach it to `story`.
    A new cover replaces the old one."""
    name = default_storage.save(clean.name, clean.content)
    try:
        make_renditions(name)
        with transaction.atomic():
            if is_cover:
                for old in story.images.filter(is_cover=True):
                    image_delete(image=old)
            image = StoryImage(
                story=story,
                alt_text=alt_text,
                credit=credit,
                caption=caption,
                is_cover=is_cover,
                position=position,
                width=clean.width,
                height=clean.height,
            )
            image.image.name = name
            image.save()
    except Exception:
        delete_with_renditions(name)
        raise
    return image


@changes_library
def image_delete(*, image):
    name = image.image.name
    image.delete()
    transaction.on_commit(lambda: delete_with_renditions(name))


def unique_slug(title, *, exclude_pk=None):
    base = slugify(title)[:80].strip("-") or "story"
    slug, number = base, 2
    taken = Story.objects.exclude(pk=exclude_pk)
    while taken.filter(slug=slug).exists():
        slug = f"{base}-{number}"
        number += 1
    return slug


STORY_FIELDS = [
    "title",
    "summary",
    "body",
    "community",
    "storytellers",
    "what_worked",
    "what_didnt",
    "conditions",
    "year",
    "visibility",
    "consent",
]


class EditConflict(Exception):
    """Someone saved the story after the editor opened it."""

    def __init__(self, current):
        super().__init__("The story was changed by someone else.")
        self.current = current


@changes_library
@transaction.atomic
def story_save(
    *,
    author,
    data,
    images=(),
    story=None,
    submit=False,
    expected_version=None,
    reply="",
):
    """Create or update a story from the story form's cleaned data, keeping a
    revision of every save.

    `expected_version` is the version the editor started from: if someone saved
    since, EditConflict is raised and nothing is written. Editing a published
    story only stages a revision: the public page stays as it is until that
    revision is signed off and published. With `submit`, the story then goes
    to the core team through the workflow, with `reply` as its note (the
    authors' answer to a request for changes).
    """
    creating = story is None
    if not creating and expected_version is not None:
        # claim the next version only if nobody saved since the editor opened it
        if not Story.objects.filter(pk=story.pk, version=expected_version).update(
            version=F("version") + 1
        ):
            raise EditConflict(Story.objects.get(pk=story.pk))
        story.version = expected_version + 1
    if not creating and story.status == Status.PUBLISHED:
        _stage(story, author, snapshot_from_form(data, story))
        return story
    if creating:
        story = Story(status=Status.DRAFT, slug=unique_slug(data["title"]))
    for field in STORY_FIELDS:
        setattr(story, field, data.get(field))
    story.storytellers = story.storytellers or ""
    for field in ["what_worked", "what_didnt", "conditions"]:
        setattr(story, field, getattr(story, field) or "")
    story.save()
    _set_authors(story, author, data.get("co_authors") or [], creating)
    _set_streams(story, data["streams"], data["primary_stream"])
    story.tags.set(data.get("tags") or [], clear=True)
    _link_editor_images(story, author)
    _add_slot_images(story, author, images)
    record_revision(story, author, snapshot_of(story))
    if submit and story.status in {Status.DRAFT, Status.CHANGES_REQUESTED}:
        story_transition(story=story, actor=author, action="submit", note=reply)
    return story


def _add_slot_images(story, author, slots):
    """The images the form's slots bring (a new file, or one kept from an
    earlier try, which is then no longer kept)."""
    position = story.images.count()
    taken = []
    for slot in slots:
        clean, pending = slot.clean_image, slot.pending
        if clean is None and pending is None:
            continue
        if clean is None:
            clean = stored_clean_image(
                pending.image.name, pending.width, pending.height
            )
        image_add(
            story=story,
            clean=clean,
            alt_text=slot.alt,
            credit=slot.credit,
            is_cover=slot.cover,
            position=0 if slot.cover else position,
        )
        position += 1
        taken += [pending] if pending is not None else []
    pending_uploads_forget([upload for upload in taken if upload.owner_id == author.pk])


SNAPSHOT_FIELDS = [
    "title",
    "summary",
    "body",
    "storytellers",
    "what_worked",
    "what_didnt",
    "conditions",
    "year",
    "visibility",
]


def snapshot_of(story):
    """What a revision keeps: the text and the data of the story as saved."""
    links = list(story.story_streams.select_related("stream").order_by("-is_primary"))
    return {
        **{field: getattr(story, field) for field in SNAPSHOT_FIELDS},
        "streams": [link.stream.slug for link in links],
        "primary_stream": next((ln.stream.slug for ln in links if ln.is_primary), None),
        "tags": sorted((tag.name for tag in story.tags.all()), key=str.casefold),
    }


def snapshot_from_form(data, story):
    return {
        **{field: data.get(field) for field in SNAPSHOT_FIELDS},
        "streams": list(data["streams"]),
        "primary_stream": data["primary_stream"],
        "tags": sorted(data.get("tags") or [], key=str.casefold),
    }


def record_revision(story, author, data, kind=StoryRevision.Kind.SAVED):
    last = story.revisions.order_by("-number").values_list("number", flat=True).first()
    return StoryRevision.objects.create(
        story=story, number=(last or 0) + 1, author=author, kind=kind, data=data
    )


def _apply_snapshot(story, data):
    for field in SNAPSHOT_FIELDS:
        if field in data:
            setattr(
                story,
                field,
                data[field]
                if data[field] is not None
                else (None if field == "year" else ""),
            )
    story.version = F("version") + 1
    story.save(update_fields=[*SNAPSHOT_FIELDS, "version", "updated_at"])
    story.refresh_from_db()
    _set_streams(story, data.get("streams") or [], data.get("primary_stream"))
    story.tags.set(data.get("tags") or [], clear=True)


def _stage(story, author, data):
    """Keep an edit of a published story as a staged revision: the public page
    stays as it is until it is signed off and published."""
    revision = record_revision(story, author, data, StoryRevision.Kind.STAGED)
    Story.objects.filter(pk=story.pk).update(staged_revision=revision)
    story.staged_revision = revision
    return revision


@changes_library
@transaction.atomic
def revision_restore(*, story, revision, actor):
    """Bring back an earlier revision as a new one (staged, if published)."""
    if story.status == Status.PUBLISHED:
        return _stage(story, actor, revision.data)
    _apply_snapshot(story, revision.data)
    return record_revision(story, actor, revision.data, StoryRevision.Kind.RESTORED)


@transaction.atomic
def staged_sign_off(*, story, actor):
    if not ({AUTHOR, LEAD} & roles_of(actor, story)) or not story.staged_revision:
        raise PermissionDenied("Only its authors or community lead can sign it off.")
    StoryRevision.objects.filter(pk=story.staged_revision_id).update(
        signed_off_by=actor
    )
    _edit_event(
        story,
        actor,
        "sign_off_edit",
        f"Signed off revision {story.staged_revision.number}.",
    )


@changes_library
@transaction.atomic
def staged_publish(*, story, actor):
    revision = story.staged_revision
    if CORE not in roles_of(actor, story) or revision is None:
        raise PermissionDenied("Only the core team publishes an edit.")
    if revision.signed_off_by_id is None:
        raise PermissionDenied("The community hasn't signed off this edit yet.")
    if not Story.objects.filter(pk=story.pk, staged_revision=revision).update(
        staged_revision=None
    ):
        raise Conflict("Someone else published or discarded this edit first.")
    _apply_snapshot(story, revision.data)
    _edit_event(story, actor, "publish_edit", f"Published revision {revision.number}.")


@transaction.atomic
def staged_discard(*, story, actor):
    if not roles_of(actor, story) or story.staged_revision is None:
        raise PermissionDenied("You can't discard this edit.")
    number = story.staged_revision.number
    Story.objects.filter(pk=story.pk).update(staged_revision=None)
    _edit_event(story, actor, "discard_edit", f"Discarded revision {number}.")


def _edit_event(story, actor, action, note):
    """The audit event of a step of a staged edit (the status doesn't move)."""
    StoryEvent.objects.create(
        story=story,
        actor=actor,
        action=action,
        from_status=story.status,
        to_status=story.status,
        note=note,
    )


def _set_authors(story, editor, co_authors, creating):
    """The editor stays an author if they were one (or made the story); the
    co-authors are as ticked; nobody else is added or silently removed."""
    current = set(story.authors.values_list("pk", flat=True))
    authors = {user.pk for user in co_authors}
    if creating or editor.pk in current:
        authors.add(editor.pk)
    ticked_elsewhere = current - authors - {editor.pk}
    still_members = set(
        story.community.memberships.filter(user__in=ticked_elsewhere).values_list(
            "user", flat=True
        )
    )
    # someone no longer in the community stays an author: the form couldn't show them
    authors |= ticked_elsewhere - still_members
    story.authors.set(authors)


def _set_streams(story, slugs, primary):
    streams = {stream.slug: stream for stream in Stream.objects.filter(slug__in=slugs)}
    story.story_streams.all().delete()
    StoryStream.objects.bulk_create(
        StoryStream(story=story, stream=streams[slug], is_primary=slug == primary)
        for slug in slugs
        if slug in streams
    )
    # bulk_create sends no post_save: the search index is told (its facet keys)
    stream_links_written.send(sender=StoryStream, story=story)


def _link_editor_images(story, author):
    """Images the editor uploaded and the text now uses become readable with it."""
    names = set(UPLOAD_NAME.findall(story.body))
    linked = EditorImage.objects.filter(image__in=names).filter(
        owner=author
    ) | story.editor_images.filter(image__in=names)
    story.editor_images.set(linked.distinct())


def editor_images_orphaned_forget():
    """Delete the editor's images whose uploader's account is gone and that no
    story uses (nobody but the core team could see them); their files go
    once that commits. Returns how many."""
    orphans = EditorImage.objects.filter(owner=None, stories=None)
    names = list(orphans.values_list("image", flat=True))
    orphans.delete()

    def delete_files():
        for name in names:
            default_storage.delete(name)

    transaction.on_commit(delete_files)
    return len(names)


def editor_image_add(*, owner, clean: CleanImage):
    name = default_storage.save(
        clean.name.replace("stories/", "uploads/", 1), clean.content
    )
    return EditorImage.objects.create(
        owner=owner, image=name, width=clean.width, height=clean.height
    )
