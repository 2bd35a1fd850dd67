"""A space's resources: the list, searched within the space; sharing a link
or a file, changing and removing one; and a file's download, served only to
those who may see inside the space. Signed in only, kept by no cache."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)

from common import ratelimit
from spaces import services
from spaces.access import inside_space
from spaces.documents import KINDS
from spaces.forms import ResourceForm, ResourceSearchForm
from spaces.models import ResourceTag

RESOURCES_PER_PAGE = 25


def searched(resources, form):
    """`resources` narrowed by the search form's words, stream and tag."""
    data = form.cleaned_data
    for word in data["q"].split()[:8]:
        resources = resources.filter(
            Q(title__icontains=word)
            | Q(description__icontains=word)
            | Q(tags__name__icontains=word)
        ).distinct()
    if data["stream"]:
        resources = resources.filter(stream=data["stream"])
    if data["tag"]:
        resources = resources.filter(tags__name__iexact=data["tag"]).distinct()
    return resources


@never_cache
@login_required
@require_safe
def resource_list(request, slug):
    space = inside_space(request, slug)
    form = ResourceSearchForm(request.GET)
    resources = space.resources.listed()
    if form.is_valid():
        resources = searched(resources, form)
    else:
        resources = resources.none()
    page = Paginator(resources, RESOURCES_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    tags = ResourceTag.objects.filter(items__content_object__space=space).distinct()
    context = {
        "space": space,
        "form": form,
        "page_obj": page,
        "resources": list(page),
        "tags": tags.order_by("name"),
        "searching": any(request.GET.get(key) for key in ("q", "stream", "tag")),
        "query": query.urlencode(),
        "changeable": changeable(request.user, space, page),
    }
    status = 200 if form.is_valid() else 400
    return render(request, "spaces/resource_list.html", context, status=status)


def changeable(user, space, resources):
    """The pks of `resources` that `user` may change."""
    if services.may_facilitate(user, space):
        return {resource.pk for resource in resources}
    return {resource.pk for resource in resources if resource.shared_by_id == user.pk}


def resource_form_page(request, space, resource=None):
    """The form, saved when valid; a file sent counts against the upload
    rate limit (429 past it, with what was typed)."""
    limit = ratelimit.Limit(False, 0)
    if request.method == "POST":
        form = ResourceForm(request.POST, request.FILES, resource=resource)
        if request.FILES:
            limit = ratelimit.check_form(request, "upload", form)
        if form.is_valid():
            services.resource_save(
                space=space,
                actor=request.user,
                values=form.values(),
                tags=form.cleaned_data["tags"],
                document=form.cleaned_data["file"],
                resource=resource,
            )
            done = "changed" if resource else "shared"
            messages.success(request, f"“{form.cleaned_data['title']}” is {done}.")
            return redirect(reverse("spaces:resources", args=[space.slug]))
    else:
        form = ResourceForm(resource=resource)
    context = {"space": space, "resource": resource, "form": form}
    status = 400 if form.is_bound else 200
    response = render(request, "spaces/resource_form.html", context, status=status)
    return limit.apply(response)


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def resource_new(request, slug):
    return resource_form_page(request, inside_space(request, slug))


def changed_resource(request, slug, pk):
    space = inside_space(request, slug)
    resource = get_object_or_404(space.resources, pk=pk)
    resource.space = space
    if not services.may_change_resource(request.user, resource):
        raise PermissionDenied("Only who shared it, the facilitators or the core team.")
    return space, resource


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def resource_edit(request, slug, pk):
    space, resource = changed_resource(request, slug, pk)
    return resource_form_page(request, space, resource)


@never_cache
@login_required
@require_POST
def resource_delete(request, slug, pk):
    space, resource = changed_resource(request, slug, pk)
    services.resource_delete(resource=resource, actor=request.user)
    messages.success(request, f"“{resource.title}” is removed.")
    return redirect(reverse("spaces:resources", args=[space.slug]))


@never_cache
@login_required
@require_safe
def resource_file(request, slug, pk):
    """A shared file, as a download, to those who may see inside its space:
    its type from the allow-list (never the sender's), never sniffed."""
    space = inside_space(request, slug)
    resource = get_object_or_404(space.resources.exclude(file=""), pk=pk)
    try:
        handle = resource.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404("This file is missing.") from missing
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=resource.filename or f"file.{resource.kind}",
        content_type=KINDS[resource.kind][0],
    )
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response
