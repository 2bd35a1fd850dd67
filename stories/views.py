import re
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe
from taggit.models import Tag

from communities.models import Community
from p2s.models import Stream
from stories.forms import StoryFilterForm
from stories.models import Story, StoryImage, Visibility, prefetch_stream_links

PAGE_SIZE = 20
CONTENT_TYPES = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}


def paginate(request, queryset):
    """A page of story cards; `page=abc` gives page 1 and `page=99999` the last."""
    return Paginator(queryset.for_cards(), PAGE_SIZE).get_page(request.GET.get("page"))


def tags_of(stories):
    """Tags used by at least one of `stories`, by name."""
    return Tag.objects.filter(story__in=stories).distinct().order_by("name")


@require_safe
def story_list(request):
    visible = Story.objects.visible_to(request.user)
    streams = list(Stream.objects.all())
    form = StoryFilterForm(
        request.GET,
        streams=streams,
        communities=Community.objects.order_by("name").only("slug", "name"),
        tags=tags_of(visible).only("slug", "name"),
        years=visible.exclude(year=None)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct(),
    )
    request._p2s_streams = streams
    status = 200
    if form.is_valid():
        stories = filter_stories(visible, form.cleaned_data).latest()
    else:
        stories = Story.objects.none()
        status = 404
    page = paginate(request, stories)
    context = {
        "form": form,
        "page_obj": page,
        "active_filters": [
            (label, value, url_without(request, name))
            for name, label, value in form.active()
        ],
        "query_without_page": url_without(request, "page", query_only=True),
    }
    return render(request, "stories/story_list.html", context, status=status)


def filter_stories(stories, filters):
    if filters.get("stream"):
        stories = stories.filter(streams__slug=filters["stream"])
    if filters.get("community"):
        stories = stories.filter(community__slug=filters["community"])
    if filters.get("state"):
        stories = stories.filter(community__state=filters["state"])
    if filters.get("tag"):
        stories = stories.filter(tags__slug=filters["tag"])
    if filters.get("year"):
        stories = stories.filter(year=int(filters["year"]))
    return stories


def url_without(request, name, query_only=False):
    """The current query string without `name` (and without `page`)."""
    params = [
        (key, value)
        for key, value in request.GET.items()
        if key not in {name, "page"} and value
    ]
    query = urlencode(params)
    if query_only:
        return query
    return f"{request.path}?{query}" if query else request.path


@require_safe
def story_detail(request, slug):
    story = get_object_or_404(
        Story.objects.visible_to(request.user)
        .select_related("community")
        .prefetch_related(prefetch_stream_links(), "tags", "images"),
        slug=slug,
    )
    context = {
        "story": story,
        "related": story.related(request.user),
    }
    return render(request, "stories/story_detail.html", context)


@require_safe
def stream_detail(request, slug):
    stream = get_object_or_404(Stream, slug=slug)
    stories = Story.objects.visible_to(request.user).filter(streams=stream).latest()
    context = {"stream": stream, "page_obj": paginate(request, stories)}
    return render(request, "stories/stream_detail.html", context)


@require_safe
def tag_detail(request, slug):
    visible = Story.objects.visible_to(request.user)
    tag = get_object_or_404(tags_of(visible), slug=slug)
    stories = visible.filter(tags=tag).latest()
    context = {"tag": tag, "page_obj": paginate(request, stories)}
    return render(request, "stories/tag_detail.html", context)


MEDIA_NAME = re.compile(
    r"^(?P<stem>stories/[0-9a-f]{32})(?:\.(?:card|page|social))?\.(?P<ext>jpg|png|webp)$"
)


@require_safe
def story_image(request, name):
    """Serve an image, or one of its renditions, only to someone who may read
    its story."""
    match = MEDIA_NAME.match(name)
    if not match:
        raise Http404("No such image.")
    original = f"{match['stem']}.{match['ext']}"
    image = (
        StoryImage.objects.filter(
            image=original, story__in=Story.objects.visible_to(request.user)
        )
        .select_related("story")
        .first()
    )
    if image is None:
        raise Http404("No such image.")
    try:
        handle = image.image.storage.open(name, "rb")
    except FileNotFoundError as missing:
        raise Http404("No such image.") from missing
    content_type = CONTENT_TYPES[match["ext"]]
    response = FileResponse(handle, content_type=content_type)
    if image.story.visibility == Visibility.PUBLIC:
        response["Cache-Control"] = "public, max-age=3600"
    else:
        response["Cache-Control"] = "private, no-store"
    return response
