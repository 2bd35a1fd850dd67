"""Running the workshop: the lead starts an assessment, splits it into
groups and closes it; each group writes its stream's answers, saved as it
goes. Whoever may see an assessment but not make the change gets 403, on GET
and POST alike; whoever may not see it, 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from assessments import services
from assessments.forms import GroupForm, StartForm, answer_forms
from assessments.models import Group
from assessments.selectors import assessment_for
from framework.models import Practice


def writes(view, methods=("GET", "HEAD", "POST")):
    return never_cache(login_required(require_http_methods(list(methods))(view)))


def posts(view):
    return never_cache(login_required(require_POST(view)))


@writes
def assessment_start(request):
    communities = services.lead_communities(request.user)
    if not communities.exists():
        raise PermissionDenied("Only a community's backbone lead starts one.")
    form = StartForm(request.POST or None, communities=communities)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        assessment = services.assessment_start(
            community=data["community"],
            actor=request.user,
            title=data["title"],
            held_on=data["held_on"],
            participants=data["participants"],
        )
        messages.success(
            request,
            "The assessment is started, with one group per stream. Split the "
            "table into groups below, or let each group open its stream.",
        )
        return redirect(assessment)
    status = 400 if form.errors else 200
    return render(
        request, "assessments/assessment_start.html", {"form": form}, status=status
    )


def _group_of(request, pk, group):
    assessment = assessment_for(request.user, pk)
    group = get_object_or_404(
        Group.objects.select_related("stream", "member", "saved_by"),
        pk=group,
        assessment=assessment,
    )
    group.assessment = assessment
    return group


def _group_page(request, group, forms, *, conflict=None, status=200):
    """The group's page; after a conflict its form carries the revision now
    saved (to save again is to keep one's own answers), after a mistake the
    revision it was loaded from."""
    if conflict:
        revision = conflict.revision
    elif request.method == "POST":
        revision = _revision(request)
    else:
        revision = group.revision
    context = {
        "assessment": group.assessment,
        "group": group,
        "forms": forms,
        "revision": revision,
        "errors": [
            (form.practice, field, error)
            for form in forms
            for field in form
            for error in field.errors
        ],
        "conflict": conflict,
        "can_edit": services.can_edit(request.user, group.assessment),
    }
    return render(request, "assessments/group_form.html", context, status=status)


@writes
def group_answers(request, pk, group):
    """A group's stream: each practice's level, evidence and target. Anyone
    who may see the assessment reads it; its community's members write it
    while it is open."""
    group = _group_of(request, pk, group)
    practices = _practices_of(group)
    if request.method != "POST":
        return _group_page(request, group, answer_forms(group, practices))
    if not services.can_edit(request.user, group.assessment):
        raise PermissionDenied("You can't change this assessment.")
    forms = answer_forms(group, practices, request.POST)
    if not all([form.is_valid() for form in forms]):
        return _group_page(request, group, forms, status=400)
    done = "done" in request.POST
    try:
        saved = _save(request, group, forms, done=done)
    except services.GroupConflict as conflict:
        return _group_page(request, group, forms, conflict=conflict.group, status=409)
    except services.AssessmentError as error:
        for form in forms:
            if done and not form.cleaned_data.get("level"):
                form.add_error("level", "Choose a level to mark the stream done.")
        messages.error(request, str(error))
        return _group_page(request, group, forms, status=400)
    saved.assessment = group.assessment
    messages.success(
        request,
        f"Saved{' and marked done' if saved.is_done else ''}: {group.stream.name}, "
        f"{group.name}.",
    )
    return redirect(group.assessment if saved.is_done else saved.get_absolute_url())


def _practices_of(group):
    return list(
        Practice.objects.filter(
            version=group.assessment.version_id, stream=group.stream_id
        )
    )


@posts
def group_autosave(request, pk, group):
    """What the page's script sends a moment after someone types: saved as
    Save saves it (never marking the stream done), answered in JSON. The
    page works without it; it only spares a lost answer."""
    group = _group_of(request, pk, group)
    if not services.can_edit(request.user, group.assessment):
        raise PermissionDenied("You can't change this assessment.")
    forms = answer_forms(group, _practices_of(group), request.POST)
    if not all([form.is_valid() for form in forms]):
        message = "Not saved yet: an answer needs a change. Press Save to see which."
        return JsonResponse({"message": message}, status=400)
    try:
        saved = _save(request, group, forms)
    except services.GroupConflict as conflict:
        who = conflict.group.saved_by or "Someone"
        message = (
            f"Not saved: {who} saved this stream meanwhile. Press Save to see "
            "their answers beside yours; nothing you typed is lost."
        )
        return JsonResponse({"message": message}, status=409)
    except services.AssessmentError as error:
        return JsonResponse({"message": str(error)}, status=400)
    saved_at = timezone.localtime(saved.saved_at)
    return JsonResponse(
        {"revision": saved.revision, "message": f"Saved at {saved_at:%H:%M}."}
    )


def _save(request, group, forms, *, done=False):
    """What the valid `forms` hold, saved as of the revision the page posted."""
    return services.group_save(
        group=group,
        actor=request.user,
        revision=_revision(request),
        answers={form.practice.pk: form.answer() for form in forms},
        done=done,
    )


def _revision(request):
    try:
        return int(request.POST.get("revision", ""))
    except ValueError:
        return -1  # a conflict: the page can't say what it was loaded from


def _lead_only(request, pk):
    assessment = assessment_for(request.user, pk)
    if not services.can_lead(request.user, assessment):
        raise PermissionDenied("Only the community's lead does this.")
    return assessment


@writes
def group_add(request, pk):
    assessment = _lead_only(request, pk)
    form = GroupForm(request.POST or None, assessment=assessment)
    if request.method == "POST" and form.is_valid():
        try:
            group = services.group_add(
                assessment=assessment, actor=request.user, **form.cleaned_data
            )
        except services.AssessmentError as error:
            form.add_error("name", str(error))
        else:
            messages.success(request, f"“{group.name}” will assess {group.stream}.")
            return redirect(assessment)
    status = 400 if form.errors else 200
    context = {"assessment": assessment, "form": form}
    return render(request, "assessments/group_add.html", context, status=status)


@posts
def group_remove(request, pk, group):
    assessment = _lead_only(request, pk)
    group = get_object_or_404(Group, pk=group, assessment=assessment)
    try:
        services.group_remove(group=group, actor=request.user)
    except services.AssessmentError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"“{group.name}” is taken off {group.stream}.")
    return redirect(assessment)


@posts
def assessment_close(request, pk):
    assessment = _lead_only(request, pk)
    try:
        services.assessment_close(assessment=assessment, actor=request.user)
    except services.AssessmentError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "The assessment is closed: here are its results.")
    return redirect(assessment)


@posts
def assessment_share(request, pk):
    assessment = _lead_only(request, pk)
    shared = request.POST.get("shared") == "1"
    try:
        services.assessment_share(
            assessment=assessment, actor=request.user, shared=shared
        )
    except services.AssessmentError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            "Shared with the whole Collective."
            if shared
            else "Only the community and the core team see it now.",
        )
    return redirect(assessment)
