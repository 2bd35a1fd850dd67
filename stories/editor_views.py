"""Writing a story: the form for a new story and for an edit, and
django-markdownx's preview and upload endpoints, guarded."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from common import ratelimit
from common.markdown import markdown_problem, render_markdown
from communities.models import Membership
from stories.forms import PLACEHOLDER_ALT, StoryForm
from stories.images import clean_image
from stories.models import Status, Story
from stories.services import STORY_FIELDS, EditConflict, editor_image_add, story_save


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
