"""Writes that touch several models or files. Each is one transaction."""

from django.core.files.storage import default_storage
from django.db import transaction

from stories.images import CleanImage, delete_with_renditions, make_renditions
from stories.models import StoryImage


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
