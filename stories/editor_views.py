"""Writing a story: the form for a new story and for an edit, the images
it keeps for its writer when it has a problem, and django-markdownx's preview
and upload endpoints, guarded."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)

from common import ratelimit
from common.markdown import markdown_problem, render_markdown
from communities.models import JoinRequest
from stories.forms import PLACEHOLDER_ALT, StoryForm
from stories.images import clean_image, media_type
from stories.models import PendingUpload, Status, Story
from stories.pending import pending_upload_add
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


def _story_form_response(request, form, story, status, **extra):
    context = {
        "form": form,
        "story": story,
        # the core team's note, at the top of the page that answers it
        "changes_request": story.events.filter(action="request_changes")
        .select_related("actor")
        .order_by("-created_at", "-pk")
        .first()
        if story is not None and story.status == Status.CHANGES_REQUESTED
        else None,
        **extra,
    }
    return render(request, "stories/story_form.html", context, status=status)


def _keep_uploads(request, form):
    """Keep each image that came with a form that won't be saved, for its
    sender, so the form shows it back instead of asking for it again."""
    for slot in form.images:
        if slot.clean_image is not None:
            slot.pending = pending_upload_add(
                owner=request.user, clean=slot.clean_image
            )
            slot.clean_image = None


def _save_from_form(request, form, story):
    submit = request.POST.get("action") == "submit"
    published = story is not None and story.status == Status.PUBLISHED
    try:
        story = story_save(
            author=request.user,
            data=form.cleaned_data,
            images=form.images,
            story=story,
            submit=submit,
            expected_version=(form.cleaned_data.get("version") or 0) if story else None,
            reply=form.cleaned_data.get("reply") or "",
        )
    except EditConflict as conflict:
        _keep_uploads(request, form)
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
    its images too, ready to save on top of the newer version."""
    data = request.POST.copy()
    data["version"] = current.version
    data["image_slots"] = form.slot_count
    for slot in form.images:
        if slot.pending is not None:
            data[f"{slot.prefix}_pending"] = slot.pending.token
    mine = StoryForm(data, user=request.user, story=current)
    mine.is_valid()
    context = {"conflict": True, "theirs": current, "yours": form.cleaned_data}
    return _story_form_response(request, mine, current, 409, **context)


def _one_more_slot(request, form, story):
    """The "Add another image" button without JavaScript: the form again, as
    typed, its images kept, with one more image slot and no errors (nothing
    was sent to be saved)."""
    form.is_valid()  # cleans the images that came with it
    _keep_uploads(request, form)
    again = StoryForm(
        user=request.user, story=story, initial=form.raw_values(), carried=form
    )
    return _story_form_response(request, again, story, 200)


@require_http_methods(["GET", "HEAD", "POST"])
def story_new(request):
    if response := approved_member_required(request):
        return response
    if not request.user.may_share_stories:  # a funder, say: in no community
        waiting = request.user.join_requests.filter(
            status=JoinRequest.Status.PENDING
        ).select_related("community")
        return render(
            request,
            "stories/story_new_no_community.html",
            {"waiting": waiting},
            status=403,
        )
    form = StoryForm(
        request.POST or None,
        request.FILES or None,
        user=request.user,
        **_form_options(request),
    )
    return _story_form_post(request, form, None)


def _form_options(request):
    action = request.POST.get("action")
    return {"submitting": action == "submit", "add_slot": action == "add_image"}


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
        **_form_options(request),
    )
    return _story_form_post(request, form, story)


def _story_form_post(request, form, story):
    """Save a valid POST; otherwise show the form again with what was typed,
    its errors beside the fields (400), or the rate limit's reason (429)."""
    limit = ratelimit.check_form(request, "story", form)
    if request.method == "POST":
        if request.POST.get("action") == "add_image" and not limit:
            return _one_more_slot(request, form, story)
        if form.is_valid():
            return _save_from_form(request, form, story)
        _keep_uploads(request, form)
    status = 400 if form.errors else 200
    response = _story_form_response(request, form, story, status)
    return limit.apply(response)


@require_safe
def pending_image(request, token):
    """An image kept from a story form that had a problem: for the person who
    sent it, and nobody else (not even the core team)."""
    if not request.user.is_authenticated:
        raise Http404("No such image.")
    upload = PendingUpload.objects.filter(owner=request.user, token=token).first()
    if upload is None:
        raise Http404("No such image.")
    try:
        handle = upload.image.storage.open(upload.image.name, "rb")
    except FileNotFoundError as missing:
        raise Http404("No such image.") from missing
    response = FileResponse(handle, content_type=media_type(upload.image.name))
    response["Cache-Control"] = "private, no-store"
    return response


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
