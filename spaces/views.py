"""The communities of practice: the list, a space's page, asking to join and
deciding who joins.

Signed in only; a space a reader may not list is a 404, whoever they are,
so nobody learns that it exists. Every page is sent `no-store` and kept by
no cache: what a space shows depends on who reads it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Prefetch
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from spaces import services
from spaces.forms import SpaceJoinForm
from spaces.models import Space, SpaceJoinRequest, SpaceMember, SpaceRole


def facilitators():
    members = SpaceMember.objects.filter(role=SpaceRole.FACILITATOR)
    return Prefetch(
        "members", queryset=members.select_related("user"), to_attr="facilitators"
    )


@never_cache
@login_required
@require_safe
def space_list(request):
    user = request.user
    if not user.is_collective_member:
        raise PermissionDenied("Communities of practice are for approved members.")
    mine = SpaceMember.objects.filter(space=OuterRef("pk"), user=user)
    waiting = SpaceJoinRequest.objects.filter(
        space=OuterRef("pk"), user=user, status=SpaceJoinRequest.Status.PENDING
    )
    spaces = (
        Space.objects.listed_for(user)
        .annotate(
            is_mine=Exists(mine),
            is_waiting=Exists(waiting),
            member_count=Count("members", distinct=True),
        )
        .prefetch_related(facilitators())
    )
    spaces = list(spaces)
    context = {
        "mine": [space for space in spaces if space.is_mine],
        "others": [space for space in spaces if not space.is_mine],
        "sees_all": user.is_core_team,
    }
    return render(request, "spaces/space_list.html", context)


def detail_context(request, space, form=None):
    """What a space's page shows `request.user`: to its members and the core
    team, who belongs and (to those who decide) who asks to join; to other
    approved members, its purpose, its facilitators and the way to ask."""
    user = request.user
    inside = Space.objects.open_to(user).filter(pk=space.pk).exists()
    members = list(space.members.select_related("user").order_by("role", "pk"))
    deciding = inside and services.may_decide(user, space)
    waiting = space.join_requests.filter(status=SpaceJoinRequest.Status.PENDING)
    return {
        "space": space,
        "facilitators": [m.user for m in members if m.role == SpaceRole.FACILITATOR],
        "inside": inside,
        "is_member": any(m.user_id == user.pk for m in members),
        "members": members if inside else [],
        "deciding": deciding,
        "requests": list(waiting.select_related("user")) if deciding else [],
        "my_request": waiting.filter(user=user).first(),
        "form": form or SpaceJoinForm(),
    }


@never_cache
@login_required
@require_safe
def space_detail(request, slug):
    space = get_object_or_404(Space.objects.listed_for(request.user), slug=slug)
    return render(request, "spaces/space_detail.html", detail_context(request, space))


@never_cache
@login_required
@require_POST
def space_join(request, slug):
    space = get_object_or_404(Space.objects.listed_for(request.user), slug=slug)
    form = SpaceJoinForm(request.POST)
    if not form.is_valid():
        context = detail_context(request, space, form)
        return render(request, "spaces/space_detail.html", context, status=400)
    try:
        services.join_request_create(
            user=request.user,
            space=space,
            message=form.cleaned_data["message"],
            request=request,
        )
    except services.AlreadyMember:
        messages.info(request, f"You are already a member of {space}.")
    else:
        messages.success(
            request,
            f"Your request to join {space} is with its facilitators. "
            "We'll email you when they decide.",
        )
    return redirect(space)


@never_cache
@login_required
@require_POST
def join_request_decide(request, slug, pk):
    space = get_object_or_404(Space.objects.listed_for(request.user), slug=slug)
    if not services.may_decide(request.user, space):
        raise PermissionDenied("Only the space's facilitators and the core team.")
    join_request = get_object_or_404(
        SpaceJoinRequest.objects.select_related("user", "space"), pk=pk, space=space
    )
    decision = request.POST.get("decision")
    if decision not in ("approve", "decline"):
        return HttpResponseBadRequest("Choose to approve or to decline.")
    approve = decision == "approve"
    changed = services.join_request_decide(
        join_request=join_request, actor=request.user, approve=approve, request=request
    )
    who = join_request.user
    if not changed:
        messages.info(request, f"{who}'s request was already decided.")
    elif approve:
        messages.success(request, f"{who} is now a member of {space}.")
    else:
        messages.success(request, f"{who}'s request was declined.")
    return redirect(space)
