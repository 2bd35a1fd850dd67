import re
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import EmptyResultSet, PermissionDenied, ValidationError
from django.db.models import (
    OuterRef,
    Q,
    Subquery,
    prefetch_related_objects,
)
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)
from taggit.models import Tag

from communities.models import Community, JoinRequest, Membership, Role, State
from lessons.models import Lesson, Theme
from p2s import ratelimit
from p2s.cache import cached
from p2s.context_processors import all_streams
from p2s.markdown import markdown_problem, render_markdown
from p2s.models import Stream
from stories.facets import count_facets, narrow
from stories.forms import PLACEHOLDER_ALT, SLUG_SHAPE, StoryFilterForm, StoryForm
from stories.images import clean_image
from stories.models import (
    EditorImage,
    Status,
    Story,
    StoryEvent,
    StoryImage,
    prefetch_stream_links,
)
from stories.paging import Later, LatestFirst, Ranked, page_of
from stories.search import clean_query, matching
from stories.services import STORY_FIELDS, EditConflict, editor_image_add, story_save

PAGE_SIZE = 20
STREAM_LESSONS = 10  # the latest few; the themes lead on to the rest
CONTENT_TYPES = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}


def paginate(request, queryset):
    """A page of story cards; `page=abc` gives page 1 and `page=99999` the last.
    `queryset` is what the reader may read (`visible_to`), so its count is the
    same for every reader of their visibility class and is kept (p2s/cache.py)."""
    try:
        sql = str(queryset.query)
    except EmptyResultSet:
        count = 0
    else:
        count = cached(request, "count", (sql,), queryset.count)
    stories = LatestFirst(queryset, count)
    return page_of(request, stories, PAGE_SIZE)


def tags_of(stories):
    """Tags used by at least one of `stories`, by name."""
    return Tag.objects.filter(story__in=stories).distinct().order_by("name")


@require_safe
def story_list(request):
    """Browse: search, filters with their counts, one page of cards. All of it
    but the layout is the same for every reader of one visibility class, so
    it is drawn once per class, address and library version and kept
    (p2s/cache.py); the layout around it (the reader's menu, messages) is
    drawn for each request."""
    q = clean_query(request.GET.get("q", ""))
    # a refusal (an unknown filter) is drawn each time, never kept
    status, content = cached(
        request,
        "browse",
        (request.path, sorted(request.GET.items())),
        lambda: _browse(request, q),
        keep=lambda made: made[0] == 200,
    )
    context = {"query": q, "content": content}
    return render(request, "stories/story_list.html", context, status=status)


def _browse(request, q):
    """(status, HTML) of browse's content: nothing in it is the reader's own."""
    visible = Story.objects.visible_to(request.user)
    streams = all_streams(request)
    communities = cached(request, "browse-communities", (), _browse_communities)
    wanted = _plausible_filters(request.GET, streams, communities)
    facets = cached(
        request,
        "facets",
        (sorted(wanted.items()), q),
        lambda: count_facets(
            visible,
            wanted,
            q,
            [(pk, slug, st) for pk, slug, _, st in communities],
            [(stream.pk, stream.slug) for stream in streams],
        ),
    )
    form = StoryFilterForm(
        request.GET,
        streams=streams,
        communities=communities,
        facets=facets,
        extra=_chosen_but_uncounted(visible, wanted, facets),
    )
    status = 200
    if form.is_valid():
        # counted with the facets: no COUNT(*) of its own
        total = facets["total"]
        chosen = form.filters()
        stories = narrow(visible, chosen)
        if q:
            key = (sorted(chosen.items()), q)
            stories = Ranked(request, stories, q, visible, key, total)
        else:
            stories = LatestFirst(stories.latest(), total)
    else:
        stories, total, status = [], 0, 404
    page = page_of(request, stories, PAGE_SIZE)
    # the filters hold hundreds of choices: their HTML is kept like the counts
    asked = sorted((k, v) for k, v in request.GET.items() if k != "page")
    filters = cached(
        request,
        "filters-html",
        (asked,),
        lambda: render_to_string(
            "stories/includes/_browse_filters.html", {"form": form, "query": q}
        ),
    )
    context = {
        "form": form,
        "filters": filters,
        "page_obj": page,
        "query": q,
        "active_filters": [
            (label, value, url_without(request, name))
            for name, label, value in form.active()
        ],
        "suggestions": _suggestions(request, form, facets, visible, q)
        if status == 200 and not total
        else [],
        "query_without_page": url_without(request, "page", query_only=True),
    }
    return status, render_to_string("stories/includes/_browse.html", context)


def _browse_communities():
    return list(
        Community.objects.order_by("name").values_list("pk", "slug", "name", "state")
    )


def _plausible_filters(params, streams, communities):
    """The filters asked for that could be real; the others count nothing and
    the form refuses them."""
    checks = {
        "stream": lambda v: v in {s.slug for s in streams},
        "community": lambda v: v in {slug for _, slug, _, _ in communities},
        "state": lambda v: v in State.values,
        "tag": lambda v: bool(SLUG_SHAPE.fullmatch(v)),
        "theme": lambda v: bool(SLUG_SHAPE.fullmatch(v)),
        "year": lambda v: v.isascii() and v.isdigit() and len(v) <= 4,
    }
    wanted = {}
    for name, check in checks.items():
        value = params.get(name, "")
        if value and check(value):
            wanted[name] = value
    return wanted


def _chosen_but_uncounted(visible, wanted, facets):
    """A chosen tag, theme or year that the other filters leave no story of is
    still a choice if the reader may read a story with it (one query, only
    then)."""
    extra = {}
    readable = {"tag": (Tag, "story__in"), "theme": (Theme, "lessons__story__in")}
    for facet, (model, of_stories) in readable.items():
        slug = wanted.get(facet)
        if slug and slug not in facets[facet]:
            found = model.objects.filter(slug=slug, **{of_stories: visible})
            found = found.values_list("slug", "name")[:1]
            if found:
                extra[facet] = tuple(found[0])
    year = wanted.get("year")
    if year and int(year) not in facets["year"]:
        if visible.filter(year=int(year)).exists():
            extra["year"] = int(year)
    return extra


def _suggestions(request, form, facets, visible, q):
    """When nothing matches: which one search or filter to drop, and how many
    stories that would give. The filters' counts are known from the facets
    (each ignores its own filter); the search's costs one count, and so does
    a tag's or a theme's whose facet is empty (a story with no tag, or no
    lesson under a theme, counts under none of them)."""
    suggestions = []
    filters = form.filters()
    for name, label, value in form.active():
        if name == "q":
            count = narrow(visible, filters).count()
        elif name in ("stream", "tag", "theme"):  # a story may count under several
            count = None if any(_counts(facets[name]).values()) else 0
            if count == 0 and name != "stream":  # every story has a stream
                others = {key: v for key, v in filters.items() if key != name}
                count = narrow(matching(visible, q), others).count()
        else:
            count = sum(_counts(facets[name]).values())
        if count != 0:
            suggestions.append((label, value, url_without(request, name), count))
    return suggestions


def _counts(facet):
    return {key: (n[1] if isinstance(n, tuple) else n) for key, n in facet.items()}


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
    """One story. Its own parts (social meta, streams, facts, text, images,
    tags, related stories) are kept for every reader of the visibility class
    (`{% cachedpart %}` in the template); who may open it and edit it is asked
    on every request."""
    user = request.user
    story = Story.objects.opened_by(user).defer("search_vector")
    story = story.select_related("community").filter(slug=slug)
    story = story.first()
    if story is None:
        raise Http404("No story here.")
    context = {
        "story": story,
        "related": Later(lambda: story.related(user)),
        "can_edit": story.can_edit,
        # read once, and only when a part isn't kept ({% cachedpart %})
        "prepare_parts": lambda: prefetch_related_objects(
            [story], prefetch_stream_links(), "tags", "images"
        ),
    }
    # a non-public story is only shown to signed-in readers: the
    # PrivateWhenSignedIn middleware keeps it out of every cache
    return render(request, "stories/story_detail.html", context)


@require_safe
def stream_detail(request, slug):
    stream = get_object_or_404(Stream, slug=slug)
    stories = Story.objects.visible_to(request.user).filter(streams=stream).latest()
    lessons = Lesson.objects.visible_to(request.user).filter(stream=stream)
    # counted over the whole library: kept per visibility class and version
    latest_lessons, lesson_count, leading_themes = cached(
        request,
        "stream-lessons",
        (stream.pk,),
        lambda: (
            list(
                lessons.select_related("story__community").order_by(
                    "-created_at", "-pk"
                )[:STREAM_LESSONS]
            ),
            lessons.count(),
            list(Theme.objects.leading(lessons)),
        ),
    )
    context = {
        "stream": stream,
        "page_obj": paginate(request, stories),
        "lessons": latest_lessons,
        "lesson_count": lesson_count,
        "leading_themes": leading_themes,
    }
    return render(request, "stories/stream_detail.html", context)


@require_safe
def tag_detail(request, slug):
    visible = Story.objects.visible_to(request.user)
    tag = cached(
        request,
        "tag",
        (slug,),
        lambda: tags_of(visible).filter(slug=slug).first() or False,
    )
    if not tag:
        raise Http404("No such tag.")
    stories = visible.tagged(tag).latest()
    context = {"tag": tag, "page_obj": paginate(request, stories)}
    return render(request, "stories/tag_detail.html", context)


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


# Writing stories ---------------------------------------------------------------


def approved_member_required(request):
    """None if the user may write; otherwise the response to send."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not request.user.is_collective_member:
        raise PermissionDenied(
            "Your account is waiting for approval. You can write stories once it "
            "is approved."
        )
    return None


def _story_form_response(request, form, story, status):
    context = {
        "form": form,
        "story": story,
        "reattach": form.files_to_attach_again() if form.errors else [],
    }
    return render(request, "stories/story_form.html", context, status=status)


def _save_from_form(request, form, story):
    submit = request.POST.get("action") == "submit"
    past_draft = story is not None and story.status not in {
        Status.DRAFT,
        Status.CHANGES_REQUESTED,
    }
    if (submit or past_draft) and not form.require_consent():
        return None
    published = story is not None and story.status == Status.PUBLISHED
    try:
        story = story_save(
            author=request.user,
            data=form.cleaned_data,
            images=form.images,
            story=story,
            submit=submit,
            expected_version=(form.cleaned_data.get("version") or 0) if story else None,
        )
    except EditConflict as conflict:
        return _conflict_response(request, form, conflict.current)
    if published:
        messages.success(
            request,
            f"Your edit of “{story.title}” is staged: the public page stays as it "
            "is until the community signs it off and the core team publishes it.",
        )
        return redirect(story.get_review_url())
    if submit:
        messages.success(request, f"“{story.title}” is submitted to the core team.")
    elif story.status in {Status.DRAFT, Status.CHANGES_REQUESTED}:
        messages.success(request, f"Draft of “{story.title}” saved.")
    else:  # the core team editing a story in review
        messages.success(request, f"Changes to “{story.title}” saved.")
        return redirect(story.get_review_url())
    return redirect("me")


def _conflict_response(request, form, current):
    """Someone saved first: show both texts and keep the editor's in the form,
    ready to save on top of the newer version."""
    data = request.POST.copy()
    data["version"] = current.version
    mine = StoryForm(data, user=request.user, story=current)
    mine.is_valid()
    context = {
        "form": mine,
        "story": current,
        "conflict": True,
        "theirs": current,
        "yours": form.cleaned_data,
        "reattach": form.files_to_attach_again(),
    }
    return render(request, "stories/story_form.html", context, status=409)


@require_http_methods(["GET", "HEAD", "POST"])
def story_new(request):
    if response := approved_member_required(request):
        return response
    if not Membership.objects.filter(user=request.user).exists():
        raise PermissionDenied(
            "Join a community first: stories are told with a community."
        )
    form = StoryForm(request.POST or None, request.FILES or None, user=request.user)
    return _story_form_post(request, form, None)


@require_http_methods(["GET", "HEAD", "POST"])
def story_edit(request, slug):
    if response := approved_member_required(request):
        return response
    story = get_object_or_404(Story.objects.editable_by(request.user), slug=slug)
    initial = {
        **{field: getattr(story, field) for field in STORY_FIELDS},
        "version": story.version,
        "community": story.community_id,
        "co_authors": list(story.authors.exclude(pk=request.user.pk)),
        "streams": [link.stream.slug for link in story.ordered_stream_links],
        "primary_stream": story.primary_stream.slug if story.primary_stream else None,
        "tags": ", ".join(sorted(tag.name for tag in story.tags.all())),
    }
    form = StoryForm(
        request.POST or None,
        request.FILES or None,
        user=request.user,
        story=story,
        initial=initial,
    )
    return _story_form_post(request, form, story)


def _story_form_post(request, form, story):
    """Save a valid POST; otherwise show the form again with what was typed,
    its errors beside the fields (400), or the rate limit's reason (429)."""
    limit = ratelimit.check_form(request, "story", form)
    if request.method == "POST" and form.is_valid():
        if response := _save_from_form(request, form, story):
            return response
    status = 400 if form.errors else 200
    response = _story_form_response(request, form, story, status)
    return limit.apply(response)


@require_safe
@login_required
def me(request):
    mine = (
        Story.objects.filter(authors=request.user)
        .select_related("community")
        .order_by("-updated_at")
    )
    by_status = {}
    for story in mine:
        by_status.setdefault(story.get_status_display(), []).append(story)
    memberships = request.user.memberships.select_related("community")
    leads = [m.community for m in memberships if m.role == Role.LEAD]
    waiting = JoinRequest.objects.filter(status=JoinRequest.Status.PENDING)
    if not request.user.is_core_team:
        waiting = waiting.filter(community__in=leads)
    signoff = Story.objects.filter(status=Status.AWAITING_SIGNOFF).filter(
        Q(authors=request.user) | Q(community__in=leads)
    )
    changes = Story.objects.filter(
        status=Status.CHANGES_REQUESTED, authors=request.user
    ).annotate(
        request_note=Subquery(
            StoryEvent.objects.filter(story=OuterRef("pk"), action="request_changes")
            .order_by("-created_at")
            .values("note")[:1]
        )
    )
    context = {
        "signoff": signoff.distinct().select_related("community")
        if request.user.is_collective_member
        else [],
        "changes": changes,
        "by_status": by_status,
        "memberships": memberships,
        "join_requests": waiting.select_related("user", "community")
        if request.user.is_collective_member
        else [],
        "my_requests": request.user.join_requests.filter(
            status=JoinRequest.Status.PENDING
        ).select_related("community"),
    }
    return render(request, "stories/me.html", context)


# django-markdownx's endpoints, guarded --------------------------------------------

PREVIEW_MAX_CHARS = 60_000


@require_POST
def markdown_preview(request):
    """Live preview for the editor: approved members only, through the one
    sanitising renderer, bounded in size."""
    if not request.user.is_authenticated or not request.user.is_collective_member:
        raise PermissionDenied("Sign in with an approved account to preview.")
    if limit := ratelimit.hit(request, "preview"):
        return ratelimit.refused_text(limit)
    content = request.POST.get("content", "")
    if len(content) > PREVIEW_MAX_CHARS:
        return HttpResponse(
            "This text is too long to preview.", status=413, content_type="text/plain"
        )
    if problem := markdown_problem(content):
        return HttpResponse(problem, status=400, content_type="text/plain")
    return HttpResponse(render_markdown(content))


@require_POST
def editor_upload(request):
    """An image dropped into the editor, through the same pipeline as the form."""
    if not request.user.is_authenticated or not request.user.is_collective_member:
        raise PermissionDenied("Sign in with an approved account to upload.")
    if limit := ratelimit.hit(request, "upload"):
        return ratelimit.refused_json(limit, "image")
    upload = request.FILES.get("image")
    if upload is None:
        return JsonResponse({"image": ["Choose an image to upload."]}, status=400)
    try:
        clean = clean_image(upload)
    except ValidationError as error:
        return JsonResponse({"image": error.messages}, status=400)
    image = editor_image_add(owner=request.user, clean=clean)
    return JsonResponse({"image_code": f"![{PLACEHOLDER_ALT}]({image.image.url})"})
