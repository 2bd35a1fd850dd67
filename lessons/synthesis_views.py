"""The synthesis: patterns across the library for the Collective, as
server-drawn charts with their numbers in tables, and every lesson as CSV."""

import csv
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from communities.models import State
from lessons import charts
from lessons.models import Kind, Lesson, Theme
from p2s.mail import absolute_url
from p2s.models import Stream
from stories.models import Story

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
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


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


def _counts(queryset, *fields):
    """{(field values...): n} from one GROUP BY query."""
    rows = queryset.order_by().values_list(*fields).annotate(n=Count("pk"))
    return {tuple(row[:-1]): row[-1] for row in rows}


def synthesis_context(user):
    """Every number on the page, from six queries whatever the library's size."""
    streams = list(Stream.objects.all())
    themes = list(Theme.objects.only("name", "slug"))
    lessons = Lesson.objects.visible_to(user)
    stories = Story.objects.visible_to(user)
    by_stream_theme = _counts(lessons, "stream", "themes")
    by_stream_kind = _counts(lessons, "stream", "kind")
    by_state = _counts(stories, "community__state")
    by_year = _counts(stories, "year")

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

    kinds = [(kind.value, kind.label, KIND_COLOURS[kind]) for kind in Kind]
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

    states = [(state.label, by_state.get((state.value,), 0)) for state in State]
    years = sorted((year, n) for (year,), n in by_year.items() if year is not None)
    no_year = by_year.get((None,), 0)
    year_items = [*years, (NO_YEAR, no_year)] if no_year else years

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
        "years": year_items,
        "year_chart": charts.columns(
            [(NO_YEAR_SHORT if y == NO_YEAR else y, n) for y, n in year_items]
        ),
    }


@require_http_methods(["GET", "HEAD"])
@members_only
def synthesis(request):
    return render(request, "lessons/synthesis.html", synthesis_context(request.user))


def safe_cell(value):
    """A spreadsheet runs a cell that starts like a formula: make it text."""
    if value is None:
        return ""
    value = str(value)
    return "'" + value if value.startswith(FORMULA_STARTS) else value


class _Echo:
    """csv.writer writes to this and gets the line back to stream it."""

    def write(self, value):
        return value


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
    # Every lesson's themes in one query (a prefetch would add one per chunk),
    # so the export costs the same number of queries whatever its size.
    theme_names = {}
    pairs = Lesson.themes.through.objects.filter(lesson__in=visible).order_by(
        "lesson_id", "theme__name"
    )
    for lesson_id, name in pairs.values_list("lesson_id", "theme__name"):
        theme_names.setdefault(lesson_id, []).append(name)
    lessons = (
        visible.select_related("story__community", "stream")
        .order_by("story__community__name", "story__title", "position", "pk")
        .iterator(chunk_size=CSV_CHUNK)
    )
    writer = csv.writer(_Echo())
    response = StreamingHttpResponse(
        (writer.writerow(row) for row in lesson_rows(lessons, theme_names)),
        content_type="text/csv; charset=utf-8",
    )
    filename = f"p2s-lessons-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
