"""What the lessons pages read: always through the one read rule
(`visible_to`), so a count never includes what its reader may not read."""

from dataclasses import dataclass

from django.db.models import Count, Prefetch

from framework.models import Stream
from lessons.models import Lesson, Theme
from stories.models import Story

NO_THEME = "_none"  # the theme filter's value for lessons under no theme yet


@dataclass(frozen=True)
class SynthesisCounts:
    """What the synthesis page counts, before it is laid out as tables and
    charts. Each `by_…` maps a tuple of grouped values to how many."""

    streams: list
    themes: list
    by_stream_theme: dict  # {(stream pk, theme pk or None): lessons}
    by_stream_kind: dict  # {(stream pk, kind): lessons}
    by_state: dict  # {(state,): stories}
    by_year: dict  # {(year or None,): stories}


def synthesis_counts(user, *, state=None, year=None):
    """Everything the synthesis counts of what `user` may read, in six queries
    whatever the library's size; with `state` or `year`, of the stories of
    that state or territory, or that year, and their lessons only."""
    lessons = narrow_lessons(Lesson.objects.visible_to(user), state=state, year=year)
    stories = narrow_stories(Story.objects.visible_to(user), state=state, year=year)
    return SynthesisCounts(
        streams=list(Stream.objects.all()),
        themes=list(Theme.objects.only("name", "slug")),
        by_stream_theme=_counts(lessons, "stream", "themes"),
        by_stream_kind=_counts(lessons, "stream", "kind"),
        by_state=_counts(stories, "community__state"),
        by_year=_counts(stories, "year"),
    )


def narrow_stories(stories, *, state=None, year=None):
    if state:
        stories = stories.filter(community__state=state)
    if year:
        stories = stories.filter(year=year)
    return stories


def narrow_lessons(lessons, *, state=None, year=None, **lesson_filters):
    """`lessons` of the stories of `state` and `year`, and of the `stream`
    (a slug), `kind` and `theme` (a slug, or NO_THEME for none) given."""
    if state:
        lessons = lessons.filter(story__community__state=state)
    if year:
        lessons = lessons.filter(story__year=year)
    if lesson_filters.get("stream"):
        lessons = lessons.filter(stream__slug=lesson_filters["stream"])
    if lesson_filters.get("kind"):
        lessons = lessons.filter(kind=lesson_filters["kind"])
    theme = lesson_filters.get("theme")
    if theme == NO_THEME:
        lessons = lessons.filter(themes__isnull=True)
    elif theme:
        lessons = lessons.filter(themes__slug=theme)
    return lessons


def story_years(user):
    """The years of the stories `user` may read, newest first (one query)."""
    years = Story.objects.visible_to(user).order_by().values_list("year", flat=True)
    return sorted({year for year in years.distinct() if year is not None}, reverse=True)


def lessons_behind(user, filters):
    """The lessons `user` may read that one number of the synthesis counts:
    `filters` as for `narrow_lessons`, with what their list shows (their
    stream, story and community; their themes in one more query)."""
    lessons = narrow_lessons(Lesson.objects.visible_to(user), **filters)
    return (
        lessons.select_related("stream", "story__community")
        .prefetch_related(Prefetch("themes", Theme.objects.only("name", "slug")))
        .in_reading_order()
    )


def _counts(queryset, *fields):
    """{(field values...): n} from one GROUP BY query."""
    rows = queryset.order_by().values_list(*fields).annotate(n=Count("pk"))
    return {tuple(row[:-1]): row[-1] for row in rows}


def theme_names_by_lesson(lessons):
    """{lesson id: [its themes' names, by name]} for `lessons`, in one query
    however many there are (a prefetch would add one per chunk of them)."""
    theme_names = {}
    pairs = Lesson.themes.through.objects.filter(lesson__in=lessons).order_by(
        "lesson_id", "theme__name"
    )
    for lesson_id, name in pairs.values_list("lesson_id", "theme__name"):
        theme_names.setdefault(lesson_id, []).append(name)
    return theme_names
