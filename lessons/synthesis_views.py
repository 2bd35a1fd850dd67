"""The synthesis: patterns across the library for the Collective, as
server-drawn charts with their numbers in tables, and every lesson as CSV."""

import csv
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from common.spreadsheet import Echo, safe_cell
from communities.models import State
from lessons import charts, selectors
from lessons.models import Kind, Lesson
from notifications.mail import absolute_url

KIND_COLOURS = {
    Kind.WORKS: "#22703a",
    Kind.DOESNT_WORK: "#a3234f",
    Kind.ENABLING: "#1d5a96",
}
NO_THEME = "No theme yet"
NO_YEAR = "Year not given"
NO_YEAR_SHORT = "No year"
CSV_CHUNK = 2000
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
                "The synthesis is for members of the Collective. It opens to "
                "your account once the core team approves it."
            )
        return view(request, *args, **kwargs)

    return wrapper


def synthesis_context(user):
    """Every number on the page, from six queries whatever the library's size."""
    counts = selectors.synthesis_counts(user)
    streams = counts.streams
    matrix, grid = _themes_by_stream(streams, counts.themes, counts.by_stream_theme)
    kinds = [(kind.value, kind.label, KIND_COLOURS[kind]) for kind in Kind]
    kind_rows, kind_totals, kind_chart = _kinds_by_stream(
        streams, kinds, counts.by_stream_kind
    )
    states = [(state.label, counts.by_state.get((state.value,), 0)) for state in State]
    years = _stories_by_year(counts.by_year)
    return {
        "streams": streams,
        "lesson_total": sum(kind_totals),
        "story_total": sum(n for _, n in states),
        "matrix": matrix,
        "grid": grid,
        "kinds": [{"label": label, "colour": colour} for _, label, colour in kinds],
        "kind_rows": kind_rows,
        "kind_totals": kind_totals,
        "kind_chart": kind_chart,
        "states": states,
        "state_chart": charts.horizontal_bars(states),
        "years": years,
        "year_chart": charts.columns(
            [(NO_YEAR_SHORT if y == NO_YEAR else y, n) for y, n in years]
        ),
    }


def _themes_by_stream(streams, themes, by_stream_theme):
    """Lessons by theme (a row each, and one for lessons without a theme if
    there are any) and stream (a column each): the table's rows and the grid."""
    stream_colours = [
        charts.usable_colour(stream.colour, charts.PALETTE[i % len(charts.PALETTE)])
        for i, stream in enumerate(streams)
    ]
    matrix_rows = [(theme.name, theme.pk) for theme in themes]
    if any(theme is None for _, theme in by_stream_theme):
        matrix_rows.append((NO_THEME, None))
    matrix = [
        {
            "label": label,
            "counts": [by_stream_theme.get((s.pk, key), 0) for s in streams],
        }
        for label, key in matrix_rows
    ]
    for row in matrix:
        row["total"] = sum(row["counts"])
    grid = charts.heat_grid(
        [row["label"] for row in matrix],
        [stream.name for stream in streams],
        stream_colours,
        {
            (r, c): value
            for r, row in enumerate(matrix)
            for c, value in enumerate(row["counts"])
        },
    )
    return matrix, grid


def _kinds_by_stream(streams, kinds, by_stream_kind):
    """Lessons by stream (a row each) and kind (a column each): the table's
    rows, each kind's total and the stacked bars."""
    kind_rows = [
        {
            "stream": stream,
            "counts": [by_stream_kind.get((stream.pk, key), 0) for key, _, _ in kinds],
        }
        for stream in streams
    ]
    for row in kind_rows:
        row["total"] = sum(row["counts"])
    kind_totals = [
        sum(row["counts"][i] for row in kind_rows) for i in range(len(kinds))
    ]
    kind_chart = charts.stacked_bars(
        [
            (
                row["stream"].name,
                dict(zip([k for k, _, _ in kinds], row["counts"], strict=True)),
            )
            for row in kind_rows
        ],
        kinds,
    )
    return kind_rows, kind_totals, kind_chart


def _stories_by_year(by_year):
    """(year, stories) oldest first, then the stories without a year if any."""
    years = sorted((year, n) for (year,), n in by_year.items() if year is not None)
    no_year = by_year.get((None,), 0)
    return [*years, (NO_YEAR, no_year)] if no_year else years


@require_http_methods(["GET", "HEAD"])
@members_only
def synthesis(request):
    return render(request, "lessons/synthesis.html", synthesis_context(request.user))


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
    visible = Lesson.objects.visible_to(request.user)
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
