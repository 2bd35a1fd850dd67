"""What the lessons pages read: always through the one read rule
(`visible_to`), so a count never includes what its reader may not read."""

from dataclasses import dataclass

from django.db.models import Count

from framework.models import Stream
from lessons.models import Lesson, Theme
from stories.models import Story


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


def synthesis_counts(user):
    """Everything the synthesis counts of what `user` may read, in six queries
    whatever the library's size."""
    lessons = Lesson.objects.visible_to(user)
    stories = Story.objects.visible_to(user)
    return SynthesisCounts(
        streams=list(Stream.objects.all()),
        themes=list(Theme.objects.only("name", "slug")),
        by_stream_theme=_counts(lessons, "stream", "themes"),
        by_stream_kind=_counts(lessons, "stream", "kind"),
        by_state=_counts(stories, "community__state"),
        by_year=_counts(stories, "year"),
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
