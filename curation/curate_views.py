"""The core team's curating: making, editing and publishing a collection,
its stories in order with their notes, its share link. Every change is a
plain form POST that works without JavaScript; whoever may not curate gets
403 (or the login page, signed out) on GET and POST alike."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
)

from curation import services
from curation.forms import (
    AddStoryForm,
    AddToCollectionForm,
    CollectionForm,
    FindStoryForm,
    NoteForm,
)
from curation.models import (
    Collection,
    CollectionItem,
)
from stories.models import Story


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
    find = FindStoryForm(request.GET or None)
    context = {
        "collection": collection,
        "find_form": find,
        "found": find.matches(collection) if find.is_valid() else None,
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
