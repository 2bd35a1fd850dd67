"""Collections as readers see them, by address or by share link, and their
print views. A published Collective-only collection tells a reader who may not
open it that it is for members of the Collective (403, with sign-in); any other
collection a reader may not see is a plain 404, so a draft or a link-only one
is never known to exist. The core team's curating is in curate_views."""

from datetime import datetime, time, timedelta

from django.http import Http404, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import (
    require_safe,
)

from curation import services
from curation.forms import (
    AsOfForm,
)
from curation.models import (
    CONTENT_CHANGES,
    READER_HISTORY,
    Action,
    Collection,
    Visibility,
)
from stories.models import Story

HISTORY_ACTIONS = sorted({*CONTENT_CHANGES, *READER_HISTORY})


@require_safe
def collection_list(request):
    visible_stories = Story.objects.visible_to(request.user)
    collections = (
        Collection.objects.visible_to(request.user)
        .with_story_counts(visible_stories)
        .in_list_order()
    )
    context = {
        "collections": list(collections),
        "can_curate": services.can_curate(request.user),
    }
    return render(request, "curation/collection_list.html", context)


@require_safe
def collection_detail(request, slug):
    collection = Collection.objects.visible_to(request.user).filter(slug=slug).first()
    if collection is None:
        return _members_only_or_404(request, slug)
    return _collection_page(request, collection, shared=False)


@require_safe
def shared_detail(request, token):
    collection = _shared_collection(token)
    return _link_only(_collection_page(request, collection, shared=True))


@require_safe
def collection_print(request, slug):
    collection = Collection.objects.visible_to(request.user).filter(slug=slug).first()
    if collection is None:
        return _members_only_or_404(request, slug)
    return _print_page(request, collection, shared=False)


def _members_only_or_404(request, slug):
    """What a reader who may not open the collection at `slug` is told. Only a
    published Collective-only one is named as existing, and only by its
    address (its title may say more than its readers would like): it is for
    members of the Collective, who sign in to read it. A draft, a link-only
    collection and a made-up address are the same plain 404."""
    for_members = (
        Collection.objects.published()
        .filter(slug=slug, visibility=Visibility.COLLECTIVE)
        .exists()
    )
    if not for_members:
        raise Http404("No such collection.")
    context = {"login_url": f"{reverse('accounts:login')}?{_next(request)}"}
    response = render(
        request, "curation/collection_members_only.html", context, status=403
    )
    patch_cache_control(response, private=True, no_store=True)
    return response


def _next(request):
    return QueryDict.fromkeys(["next"], request.get_full_path()).urlencode(safe="/")


@require_safe
def shared_print(request, token):
    collection = _shared_collection(token)
    return _link_only(_print_page(request, collection, shared=True))


def _shared_collection(token):
    """A revoked, regenerated or made-up token is a plain 404."""
    collection = Collection.objects.shared(token).first()
    if collection is None:
        raise Http404("No such collection.")
    return collection


def _link_only(response):
    """A share link must not travel further than it was given: no referrer
    carries it to the pages it links to, no search engine keeps it, and no
    cache keeps a copy after it is revoked."""
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    patch_cache_control(response, private=True, no_store=True)
    return response


def _private_unless_public(response, collection):
    """A draft or a Collective-only collection is never kept by a cache (the
    middleware already says so to anyone signed in; this says it here too)."""
    if not collection.is_public:
        patch_cache_control(response, private=True, no_store=True)
    return response


def _collection_page(request, collection, *, shared):
    """The collection as this viewer may read it: its items filtered by the
    story rule, its history without lines about stories hidden from them."""
    events = list(
        collection.events.visible_to(request.user)
        .filter(action__in=HISTORY_ACTIONS)
        .select_related("story")
        .order_by("created_at", "pk")
    )
    changes = [event.created_at for event in events if event.action in CONTENT_CHANGES]
    form = AsOfForm(request.GET if "as_of" in request.GET else None)
    context = {
        "collection": collection,
        "items": list(collection.items_for(request.user)),
        "history": [e for e in reversed(events) if e.action in READER_HISTORY],
        "last_change": max(changes, default=collection.updated_at),
        "as_of_form": form,
        "shared": shared,
        "print_url": _print_url(collection, shared),
        "can_curate": not shared and services.can_curate(request.user),
    }
    if not shared and collection.is_public:  # link previews; never for a token
        context["social_image"] = _social_image(context["items"])
    status = 200
    if form.is_bound and not form.is_valid():
        status = 400
    elif form.is_bound and form.cleaned_data["as_of"]:
        day = form.cleaned_data["as_of"]
        context["as_of"] = day
        context["as_of_stories"] = _stories_on(request.user, events, day)
    response = render(
        request, "curation/collection_detail.html", context, status=status
    )
    return _private_unless_public(response, collection)


def _social_image(items):
    """The cover of the first public story in the collection that has one, as
    (social rendition, alt text), or None."""
    for item in items:
        cover = item.story.cover
        if item.story.is_public and cover:
            return cover.social, cover.alt_text
    return None


def _stories_on(user, events, day):
    """The stories `user` may read that were in the collection at the end of
    `day`, in the order they were added: replayed from its history."""
    end = timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))
    added = {}
    for event in events:
        if event.created_at >= end:
            break
        if event.action == Action.ADDED:
            added[event.story_id] = event.created_at
        elif event.action == Action.REMOVED:
            added.pop(event.story_id, None)
    stories = Story.objects.visible_to(user).filter(pk__in=added).for_cards()
    return sorted(stories, key=lambda story: (added[story.pk], story.pk))


def _print_url(collection, shared):
    if shared:
        return reverse("collections:shared-print", args=[collection.share_token])
    return collection.get_print_url()


def _print_page(request, collection, *, shared):
    context = {
        "collection": collection,
        "items": list(collection.items_for(request.user)),
        "last_change": collection.events.visible_to(request.user)
        .filter(action__in=CONTENT_CHANGES)
        .order_by("-created_at", "-pk")
        .values_list("created_at", flat=True)
        .first()
        or collection.updated_at,
        "back_url": collection.get_share_url()
        if shared
        else collection.get_absolute_url(),
    }
    response = render(request, "curation/collection_print.html", context)
    return _private_unless_public(response, collection)
