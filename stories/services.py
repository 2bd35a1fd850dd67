"""Writes that touch several models or files. Each is one transaction."""

import re

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.text import slugify

from p2s.models import Stream
from stories.images import CleanImage, delete_with_renditions, make_renditions
from stories.models import EditorImage, Status, Story, StoryImage, StoryStream

UPLOAD_NAME = re.compile(r"uploads/[0-9a-f]{32}\.(?:jpg|png|webp)")


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
    "title", "summary", "body", "community", "storytellers", "what_worked",
    "what_didnt", "conditions", "year", "visibility", "consent",
]  # fmt: skip


@transaction.atomic
def story_save(*, author, data, images=(), story=None, submit=False):
    """Create or update a story from the story form's cleaned data.

    `images` are (ImageSlot-like) objects with clean_image, alt, credit, cover.
    With `submit`, a draft or a story sent back for changes goes to the core
    team's queue (consent is checked by the form before).
    """
    creating = story is None
    if creating:
        story = Story(status=Status.DRAFT, slug=unique_slug(data["title"]))
    for field in STORY_FIELDS:
        setattr(story, field, data.get(field))
    story.storytellers = story.storytellers or ""
    for field in ["what_worked", "what_didnt", "conditions"]:
        setattr(story, field, getattr(story, field) or "")
    if submit and story.status in {Status.DRAFT, Status.CHANGES_REQUESTED}:
        story.status = Status.SUBMITTED
    story.save()
    _set_authors(story, author, data.get("co_authors") or [], creating)
    _set_streams(story, data["streams"], data["primary_stream"])
    story.tags.set(data.get("tags") or [], clear=True)
    _link_editor_images(story, author)
    position = story.images.count()
    for slot in images:
        if slot.clean_image is None:
            continue
        image_add(
            story=story,
            clean=slot.clean_image,
            alt_text=slot.alt,
            credit=slot.credit,
            is_cover=slot.cover,
            position=0 if slot.cover else position,
        )
        position += 1
    return story


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


def _link_editor_images(story, author):
    """Images the editor uploaded and the text now uses become readable with it."""
    names = set(UPLOAD_NAME.findall(story.body))
    linked = EditorImage.objects.filter(image__in=names).filter(
        owner=author
    ) | story.editor_images.filter(image__in=names)
    story.editor_images.set(linked.distinct())


def editor_image_add(*, owner, clean: CleanImage):
    name = default_storage.save(
        clean.name.replace("stories/", "uploads/", 1), clean.content
    )
    return EditorImage.objects.create(
        owner=owner, image=name, width=clean.width, height=clean.height
    )
