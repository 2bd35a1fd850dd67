"""Reading stories: a story, its images, and the reader's own page (/me/).
Browse and the stream, tag and community pages are discovery's (browse_views,
views); writing a story is in editor_views, the core team's review in
moderation_views (the page put together by stories/review.py)."""

import re

from django.contrib.auth.decorators import login_required
from django.db.models import prefetch_related_objects
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from stories import story_page
from stories.dashboard import dashboard
from stories.models import (
    EditorImage,
    Status,
    Story,
    StoryImage,
    prefetch_stream_links,
)
from stories.paging import Later

CONTENT_TYPES = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}


@require_safe
def story_detail(request, slug):
    """One story. Its own parts (social meta, streams, facts, text, images,
    tags, related stories) are kept for every reader of the visibility class
    (`{% cachedpart %}` in the template); who may open it and edit it is asked
    on every request."""
    user = request.user
    story = Story.objects.opened_by(user).defer("search_vector")
    story = story.select_related("community").filter(slug=slug)
    story = story.annotate(signed_off_at=story_page.signed_off_at())
    story = story.first()
    if story is None:
        raise Http404("No story here.")
    address = request.build_absolute_uri(story.get_absolute_url())
    published = story.status == Status.PUBLISHED
    context = {
        "story": story,
        "related": Later(lambda: story.related(user)),
        "can_edit": story.can_edit,
        # the storyteller's impact page (p2s.impact_views): its authors, its
        # community's lead and the core team
        "sees_impact": story.is_own,
        # read once, and only when a part isn't kept ({% cachedpart %})
        "prepare_parts": lambda: prefetch_related_objects(
            [story], prefetch_stream_links(), "tags", "images"
        ),
        # the same for every reader; the citation's "accessed" is today's
        "address": address,
        "share_links": story_page.share_links(story, address) if published else [],
        "citation": story_page.citation(story, address, timezone.localdate())
        if published
        else "",
    }
    # a non-public story is only shown to signed-in readers: the
    # PrivateWhenSignedIn middleware keeps it out of every cache
    return render(request, "stories/story_detail.html", context)


MEDIA_NAME = re.compile(
    r"^(?P<stem>stories/[0-9a-f]{32})(?:\.(?:card|page|social))?\.(?P<ext>jpg|png|webp)$"
)
UPLOAD_NAME = re.compile(r"^uploads/[0-9a-f]{32}\.(?P<ext>jpg|png|webp)$")


@require_safe
def story_image(request, name):
    """Serve an image, or one of its renditions, only to someone who may read
    its story."""
    if upload := UPLOAD_NAME.match(name):
        return editor_image(request, name, upload["ext"])
    match = MEDIA_NAME.match(name)
    if not match:
        raise Http404("No such image.")
    original = f"{match['stem']}.{match['ext']}"
    image = (
        StoryImage.objects.filter(
            image=original, story__in=Story.objects.readable_by(request.user)
        )
        .select_related("story")
        .first()
    )
    if image is None:
        raise Http404("No such image.")
    return _file_response(image.image.storage, name, match["ext"], image.story)


def editor_image(request, name, extension):
    images = EditorImage.objects.filter(image=name)
    user = request.user
    if not (
        user.is_authenticated
        and (user.is_core_team or images.filter(owner=user).exists())
    ):
        readable = Story.objects.readable_by(user)
        images = images.filter(stories__in=readable)
    image = images.first()
    if image is None:
        raise Http404("No such image.")
    story = Story.objects.visible_to(None).filter(editor_images=image).first()
    return _file_response(image.image.storage, name, extension, story)


def _file_response(storage, name, extension, story):
    """`story` decides caching: shared caches only for public, published stories."""
    try:
        handle = storage.open(name, "rb")
    except FileNotFoundError as missing:
        raise Http404("No such image.") from missing
    response = FileResponse(handle, content_type=CONTENT_TYPES[extension])
    if story is not None and story.is_public:
        response["Cache-Control"] = "public, max-age=3600"
    else:
        response["Cache-Control"] = "private, no-store"
    return response


@require_safe
@login_required
def me(request):
    context = dashboard(request.user)
    return render(request, "stories/me.html", context)
