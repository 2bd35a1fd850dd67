"""The communities of practice: the list, a space's page, asking to join and
deciding who joins; its sessions, their pages and calendar files.

Signed in only; a space a reader may not list is a 404, whoever they are,
so nobody learns that it exists. Every page is sent `no-store` and kept by
no cache: what a space shows depends on who reads it."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)

from common.timezones import city
from spaces import calendar, services
from spaces.access import facilitated_space, inside_space
from spaces.forms import SessionForm, SpaceJoinForm
from spaces.models import Session, Space, SpaceJoinRequest, SpaceMember, SpaceRole
from spaces.times import everywhere, when

RECENT_PAST = 5  # past sessions on a space's page; the rest on its sessions page
SESSIONS_PER_PAGE = 25
RECENT_RESOURCES = 3  # the latest shared, on a space's page


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
    team, who belongs and (to those who decide) who asks to join, its
    sessions and resources; to other approved members, its purpose, its
    facilitators and the way to ask."""
    user = request.user
    inside = Space.objects.open_to(user).filter(pk=space.pk).exists()
    members = list(space.members.select_related("user").order_by("role", "pk"))
    facilitators = [m.user for m in members if m.role == SpaceRole.FACILITATOR]
    # as services.may_facilitate asks, from the members already read
    deciding = inside and (user.is_core_team or user in facilitators)
    waiting = space.join_requests.filter(status=SpaceJoinRequest.Status.PENDING)
    context = {
        "space": space,
        "facilitators": facilitators,
        "inside": inside,
        "is_member": any(m.user_id == user.pk for m in members),
        "members": members if inside else [],
        "deciding": deciding,
        "requests": list(waiting.select_related("user")) if deciding else [],
        "my_request": None if inside else waiting.filter(user=user).first(),
        "form": form or SpaceJoinForm(),
    }
    if inside:
        context.update(inside_context(space, user.shown_time_zone))
    return context


def inside_context(space, zone_key):
    """A space's sessions, in the reader's zone, and its latest resources."""
    upcoming, past, past_count = sessions_around(space)
    resources = list(space.resources.listed()[:RECENT_RESOURCES])
    fewer = len(resources) < RECENT_RESOURCES
    return {
        "upcoming": [(session, when(session, zone_key)) for session in upcoming],
        "past": [(session, when(session, zone_key)) for session in past],
        "past_count": past_count,
        "resources": resources,
        "resource_count": len(resources) if fewer else space.resources.count(),
        "zone_city": city(zone_key),
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
    if not services.may_facilitate(request.user, space):
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


# sessions ------------------------------------------------------------------------


def sessions_around(space):
    """`space`'s sessions not yet over, soonest first; its latest RECENT_PAST
    that are, latest first; and how many are over."""
    now = timezone.now()
    longest = max(minutes for minutes, _ in Session.DURATIONS)
    recent = space.sessions.filter(starts_at__gte=now - timedelta(minutes=longest))
    upcoming = [session for session in recent if session.ends_at > now]
    over = space.sessions.exclude(pk__in=[session.pk for session in upcoming])
    past = list(
        over.filter(starts_at__lt=now).order_by("-starts_at", "-pk")[:RECENT_PAST]
    )
    return upcoming, past, space.sessions.count() - len(upcoming)


def session_of(space, pk):
    """The session `pk` of `space` (404 for another space's), knowing it."""
    session = get_object_or_404(space.sessions, pk=pk)
    session.space = space
    return session


@never_cache
@login_required
@require_safe
def session_list(request, slug):
    space = inside_space(request, slug)
    zone_key = request.user.shown_time_zone
    sessions = space.sessions.order_by("-starts_at", "-pk")
    page = Paginator(sessions, SESSIONS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "space": space,
        "page_obj": page,
        "sessions": [(session, when(session, zone_key)) for session in page],
        "facilitating": services.may_facilitate(request.user, space),
        "zone_city": city(zone_key),
    }
    return render(request, "spaces/session_list.html", context)


@never_cache
@login_required
@require_safe
def session_detail(request, slug, pk):
    space = inside_space(request, slug)
    session = session_of(space, pk)
    zone_key = request.user.shown_time_zone
    context = {
        "space": space,
        "session": session,
        "when": when(session, zone_key),
        "everywhere": everywhere(session),
        "is_over": session.ends_at <= timezone.now(),
        "facilitating": services.may_facilitate(request.user, space),
        "zone_city": city(zone_key),
    }
    return render(request, "spaces/session_detail.html", context)


def session_form_page(request, space, session=None):
    zone_key = request.user.shown_time_zone
    if request.method == "POST":
        form = SessionForm(request.POST, session=session, zone_key=zone_key)
        if form.is_valid():
            saved = services.session_save(
                space=space, actor=request.user, values=form.values(), session=session
            )
            saved.space = space
            done = "changed" if session else "planned"
            messages.success(request, f"The session “{saved.title}” is {done}.")
            return redirect(saved)
    else:
        form = SessionForm(session=session, zone_key=zone_key)
    context = {"space": space, "session": session, "form": form}
    status = 400 if form.is_bound else 200
    return render(request, "spaces/session_form.html", context, status=status)


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def session_new(request, slug):
    return session_form_page(request, facilitated_space(request, slug))


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def session_edit(request, slug, pk):
    space = facilitated_space(request, slug)
    return session_form_page(request, space, session_of(space, pk))


@never_cache
@login_required
@require_POST
def session_delete(request, slug, pk):
    space = facilitated_space(request, slug)
    session = session_of(space, pk)
    services.session_delete(session=session, actor=request.user)
    messages.success(request, f"The session “{session.title}” is deleted.")
    return redirect(space)


def calendar_response(request, sessions, name, filename):
    host = request.get_host().split(":")[0]
    events = [
        calendar.event(
            session, request.build_absolute_uri(session.get_absolute_url()), host
        )
        for session in sessions
    ]
    response = HttpResponse(
        calendar.calendar(events, name), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@never_cache
@login_required
@require_safe
def session_calendar(request, slug, pk):
    space = inside_space(request, slug)
    session = session_of(space, pk)
    filename = f"{space.slug}-{session.starts_at:%Y-%m-%d}.ics"
    return calendar_response(request, [session], str(space), filename)


@never_cache
@login_required
@require_safe
def space_calendar(request, slug):
    space = inside_space(request, slug)
    sessions = list(space.sessions.all())
    for session in sessions:
        session.space = space
    return calendar_response(request, sessions, str(space), f"{space.slug}.ics")
