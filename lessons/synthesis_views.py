"""The synthesis: patterns across the library, as server-drawn charts with
their numbers in tables, each number linked to the lessons or stories it
counts, filtered by state and year; and every lesson as CSV.

Members of the Collective see the whole library they may read. Anyone else
(a visitor, an account waiting for approval) sees the public summary: the
same counts over the published public stories only, read as a visitor reads
them, and no CSV."""

import csv
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from common.cache import cached
from common.spreadsheet import Echo, safe_cell
from communities.models import State
from framework.models import Stream
from lessons import selectors
from lessons.chart_colours import KIND_SWATCHES
from lessons.models import Lesson, Theme
from lessons.synthesis import (
    address,
    filters_said,
    lessons_address,
    synthesis_context,
)
from lessons.synthesis_forms import LessonFilterForm, SynthesisFilterForm
from notifications.mail import absolute_url

CSV_CHUNK = 2000
LESSONS_PER_PAGE = 50
CSV_HEADER = [
    "lesson",
    "kind",
    "stream",
    "condition",
    "themes",
    "story",
    "story url",
    "community",
    "state",
    "year",
]


def members_only(view):
    """Signed-in members of the Collective only: visitors sign in first, and an
    account still waiting for approval is told so (403)."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not request.user.is_collective_member:
            raise PermissionDenied(
                "The lessons CSV is for members of the Collective. It opens to "
                "your account once the core team approves it."
            )
        return view(request, *args, **kwargs)

    return wrapper


def is_member(user):
    return user.is_authenticated and user.is_collective_member


def reader_of(request):
    """Whose reading the synthesis counts: a member's own, anyone else's as a
    visitor's (a pending account reads no more than a visitor; its class is
    the visitors' too, so what is kept for one is right for the other)."""
    return request.user if is_member(request.user) else AnonymousUser()


def _years(request, reader):
    return cached(request, "synthesis-years", (), lambda: selectors.story_years(reader))


def _sign_in_address(request):
    query = QueryDict.fromkeys(["next"], request.get_full_path())
    return f"{reverse('accounts:login')}?{query.urlencode(safe='/')}"


@require_http_methods(["GET", "HEAD"])
def synthesis(request):
    reader = reader_of(request)
    form = SynthesisFilterForm(request.GET or None, years=_years(request, reader))
    filters = form.filters()
    counts = cached(
        request,
        "synthesis",
        (sorted(filters.items()),),
        lambda: selectors.synthesis_counts(reader, **filters),
    )
    context = {
        **synthesis_context(counts, filters),
        "form": form,
        "filters": filters,
        "filters_said": filters_said(filters),
        "public_summary": not is_member(request.user),
        "sign_in_url": _sign_in_address(request),
        "csv_url": address("synthesis:csv", **filters),
    }
    status = 400 if form.errors else 200
    return render(request, "lessons/synthesis.html", context, status=status)


@require_http_methods(["GET", "HEAD"])
def synthesis_lessons(request):
    """The lessons behind one number of the synthesis, by the same filters,
    each with the story it comes from; a page at a time."""
    reader = reader_of(request)
    streams, themes = cached(
        request,
        "synthesis-rows",
        (),
        lambda: (list(Stream.objects.all()), list(Theme.objects.only("name", "slug"))),
    )
    form = LessonFilterForm(
        request.GET or None,
        years=_years(request, reader),
        streams=streams,
        themes=themes,
    )
    filters = form.filters()
    lessons = selectors.lessons_behind(reader, filters)
    page = Paginator(lessons, LESSONS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page_obj": page,
        "lessons": list(page.object_list),
        "query": lessons_address(**filters).partition("?")[2],
        "chosen": _chosen(form, filters),
        "synthesis_url": address("synthesis:page", **_story_filters(filters)),
        "public_summary": not is_member(request.user),
        "sign_in_url": _sign_in_address(request),
        "swatches": list(KIND_SWATCHES.values()),
    }
    status = 400 if form.errors else 200
    return render(request, "lessons/synthesis_lessons.html", context, status=status)


def _story_filters(filters):
    return {key: filters[key] for key in ("state", "year") if key in filters}


def _chosen(form, filters):
    """[(label, chosen value's name)] of the filters in use, in the form's order."""
    return [
        (form[name].label, dict(form.fields[name].choices)[str(filters[name])])
        for name in form.fields
        if name in filters
    ]


def lesson_rows(lessons, theme_names):
    """The CSV's rows; `theme_names` maps a lesson's id to its themes' names."""
    yield CSV_HEADER
    states = dict(State.choices)
    for lesson in lessons:
        story = lesson.story
        yield [
            safe_cell(cell)
            for cell in (
                lesson.statement,
                lesson.get_kind_display(),
                lesson.stream.name,
                lesson.get_condition_display(),
                "; ".join(theme_names.get(lesson.pk, ())),
                story.title,
                absolute_url(None, story.get_absolute_url()),
                story.community.name,
                states.get(story.community.state, story.community.state),
                story.year,
            )
        ]


@require_http_methods(["GET", "HEAD"])
@members_only
def lessons_csv(request):
    """Every lesson the member may read, or those of the synthesis's filters."""
    years = _years(request, request.user) if request.GET else []
    form = SynthesisFilterForm(request.GET or None, years=years)
    if form.is_bound and not form.is_valid():
        errors = "; ".join(e for field in form.errors.values() for e in field)
        return HttpResponse(
            f"No CSV for these filters: {errors}",
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    visible = selectors.narrow_lessons(
        Lesson.objects.visible_to(request.user), **form.filters()
    )
    theme_names = selectors.theme_names_by_lesson(visible)
    lessons = (
        visible.select_related("story__community", "stream")
        .order_by("story__community__name", "story__title", "position", "pk")
        .iterator(chunk_size=CSV_CHUNK)
    )
    writer = csv.writer(Echo())
    response = StreamingHttpResponse(
        (writer.writerow(row) for row in lesson_rows(lessons, theme_names)),
        content_type="text/csv; charset=utf-8",
    )
    filename = f"p2s-lessons-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
