"""Collections: the pages readers see, by address or by share link, and the
core team's curating, every change a plain form POST that works without
JavaScript. Whoever may not curate gets 403 (or the login page, signed out) on
GET and POST alike; a collection a reader may not see is a 404."""

from datetime import datetime, time, timedelta
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)

from curation import services
from curation.forms import (
    AddStoryForm,
    AddToCollectionForm,
    AsOfForm,
    CollectionForm,
    NoteForm,
)
from curation.models import (
    CONTENT_CHANGES,
    READER_HISTORY,
    Action,
    Collection,
    CollectionItem,
)
from stories.models import Story

HISTORY_ACTIONS = sorted({*CONTENT_CHANGES, *READER_HISTORY})


def core_team_required(view):
    """Signed out: the login page. Signed in but not core team: 403."""

    @wraps(view)
    def guarded(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not services.can_curate(request.user):
            raise PermissionDenied("Only the core team curates collections.")
        return view(request, *args, **kwargs)

    return guarded


# Reading -----------------------------------------------------------------------


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
    collection = get_object_or_404(
        Collection.objects.visible_to(request.user), slug=slug
    )
    return _collection_page(request, collection, shared=False)


@require_safe
def shared_detail(request, token):
    collection = _shared_collection(token)
    return _link_only(_collection_page(request, collection, shared=True))


@require_safe
def collection_print(request, slug):
    collection = get_object_or_404(
        Collection.objects.visible_to(request.user), slug=slug
    )
    return _print_page(request, collection, shared=False)


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


# Curating ----------------------------------------------------------------------


def _curated(slug):
    return get_object_or_404(Collection, slug=slug)


def _item_of(collection, pk):
    return get_object_or_404(
        CollectionItem.objects.select_related("story", "collection"),
        pk=pk,
        collection=collection,
    )


def _back_to(collection, anchor=""):
    return redirect(collection.get_curate_url() + (f"#{anchor}" if anchor else ""))


@require_http_methods(["GET", "HEAD", "POST"])
@core_team_required
def collection_new(request):
    form = CollectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        collection = services.collection_create(
            actor=request.user, data=form.cleaned_data
        )
        messages.success(
            request,
            f"“{collection.title}” is made, as a draft. Add stories to it, then "
            "publish it.",
        )
        return _back_to(collection)
    status = 400 if form.errors else 200
    return render(
        request, "curation/collection_form.html", {"form": form}, status=status
    )


@require_http_methods(["GET", "HEAD", "POST"])
@core_team_required
def collection_edit(request, slug):
    """The curating page: details, stories, notes, order, publishing, link.
    A POST here saves the details."""
    collection = _curated(slug)
    if request.method != "POST":
        return _curate_page(request, collection)
    # a copy: the form writes what was typed onto its instance, and with a
    # mistake the page must still show the collection as it is saved
    saved = Collection.objects.get(pk=collection.pk)
    form = CollectionForm(request.POST, instance=saved)
    if not form.is_valid():
        return _curate_page(request, collection, details_form=form, status=400)
    collection = services.collection_update(
        collection=collection, actor=request.user, data=form.cleaned_data
    )
    messages.success(request, "The collection's details are saved.")
    return _back_to(collection)


@require_POST
@core_team_required
def collection_add(request, slug):
    collection = _curated(slug)
    form = AddStoryForm(request.POST, collection=collection)
    if form.is_valid():
        try:
            item = services.collection_add(
                collection=collection,
                story=form.cleaned_data["story"],
                actor=request.user,
                note=form.cleaned_data["note"],
                request=request,
            )
        except services.CurationError as error:
            form.add_error("story", str(error))
        else:
            messages.success(request, f"“{item.story.title}” is added.")
            return _back_to(collection, "stories")
    return _curate_page(request, collection, add_form=form, status=400)


@require_POST
@core_team_required
def collection_remove(request, slug, pk):
    collection = _curated(slug)
    item = _item_of(collection, pk)
    services.collection_remove(item=item, actor=request.user)
    messages.success(request, f"“{item.story.title}” is removed from the collection.")
    return _back_to(collection, "stories")


@require_POST
@core_team_required
def collection_move(request, slug, pk, direction):
    if direction not in ("up", "down"):
        raise Http404("No such direction.")
    collection = _curated(slug)
    item = _item_of(collection, pk)
    if services.collection_move(item=item, actor=request.user, direction=direction):
        messages.success(request, f"“{item.story.title}” is moved {direction}.")
    else:
        where = "first" if direction == "up" else "last"
        messages.info(request, f"“{item.story.title}” is already {where}.")
    return _back_to(collection, f"item-{item.pk}")


@require_POST
@core_team_required
def collection_note(request, slug, pk):
    collection = _curated(slug)
    item = _item_of(collection, pk)
    form = NoteForm(request.POST, prefix=f"item-{item.pk}")
    if not form.is_valid():
        return _curate_page(request, collection, note_forms={item.pk: form}, status=400)
    if services.collection_annotate(
        item=item, actor=request.user, note=form.cleaned_data["note"]
    ):
        messages.success(request, f"The note on “{item.story.title}” is saved.")
    else:
        messages.info(request, f"The note on “{item.story.title}” is unchanged.")
    return _back_to(collection, f"item-{item.pk}")


@require_POST
@core_team_required
def collection_publish(request, slug):
    collection = _curated(slug)
    if services.collection_publish(
        collection=collection, actor=request.user, request=request
    ):
        messages.success(request, "The collection is published.")
    else:
        messages.info(request, "The collection was already published.")
    return _back_to(collection)


@require_POST
@core_team_required
def collection_unpublish(request, slug):
    collection = _curated(slug)
    if services.collection_unpublish(collection=collection, actor=request.user):
        messages.success(
            request, "The collection is a draft again: only the core team sees it."
        )
    else:
        messages.info(request, "The collection was already a draft.")
    return _back_to(collection)


@require_POST
@core_team_required
def link_regenerate(request, slug):
    collection = _curated(slug)
    try:
        services.collection_regenerate_link(collection=collection, actor=request.user)
    except services.CurationError as error:
        messages.error(request, str(error))
        return _curate_page(request, collection, status=400)
    messages.success(
        request, "There is a new share link. The old one, if any, no longer works."
    )
    return _back_to(collection, "sharing")


@require_POST
@core_team_required
def link_revoke(request, slug):
    collection = _curated(slug)
    if services.collection_revoke_link(collection=collection, actor=request.user):
        messages.success(request, "The share link is revoked: it no longer works.")
    else:
        messages.info(request, "The collection had no share link.")
    return _back_to(collection, "sharing")


def _curate_page(
    request,
    collection,
    *,
    details_form=None,
    add_form=None,
    note_forms=None,
    status=200,
):
    items = list(
        collection.items.select_related("story__community").order_by("position", "pk")
    )
    note_forms = note_forms or {}
    for item in items:
        item.note_form = note_forms.get(item.pk) or NoteForm(
            initial={"note": item.note}, prefix=f"item-{item.pk}"
        )
        # one label per story, so each note box says which story it is about
        item.note_form.fields["note"].label = f"Curator's note on “{item.story.title}”"
    share_url = collection.get_share_url()
    context = {
        "collection": collection,
        "details_form": details_form or CollectionForm(instance=collection),
        "add_form": add_form or AddStoryForm(collection=collection),
        "items": items,
        "events": collection.events.select_related("actor").order_by(
            "-created_at", "-pk"
        ),
        "share_link": request.build_absolute_uri(share_url) if share_url else "",
    }
    return render(request, "curation/collection_curate.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@core_team_required
def add_from_story(request, story_slug):
    """The story page's "Add to a collection" form lands here; with a mistake
    the form comes back on a page of its own (400), as typed."""
    story = get_object_or_404(Story, slug=story_slug)
    form = AddToCollectionForm(request.POST or None, story=story)
    if request.method == "POST" and form.is_valid():
        collection = form.cleaned_data["collection"]
        try:
            services.collection_add(
                collection=collection,
                story=story,
                actor=request.user,
                note=form.cleaned_data["note"],
                request=request,
            )
        except services.CurationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, f"“{story.title}” is added to “{collection.title}”."
            )
            return redirect(story)
    status = 400 if form.errors else 200
    context = {"story": story, "form": form}
    return render(request, "curation/add_to_collection.html", context, status=status)
