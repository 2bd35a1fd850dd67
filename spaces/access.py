"""Who reaches a space's inside, asked by every view of it: a space the
reader may not see inside is a 404, as one that doesn't exist; a facilitator's
page refused to a member is a 403."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from spaces import services
from spaces.models import Space


def inside_space(request, slug):
    """The space `slug` if `request.user` may see inside it, else 404."""
    return get_object_or_404(Space.objects.open_to(request.user), slug=slug)


def facilitated_space(request, slug):
    """The space `slug` if `request.user` facilitates it; 404 if they may
    not see inside it, 403 if they may but don't facilitate it."""
    space = inside_space(request, slug)
    if not services.may_facilitate(request.user, space):
        raise PermissionDenied("Only the space's facilitators and the core team.")
    return space
