"""From a gap to the field's evidence: the lessons codified against the
practice (or, until the core team has tied some, the lessons of its stream),
the stories behind them and then the stream's other stories, best evidence
first, and the learning themes they feed. Everything is read through the
library's one read rule (`visible_to`), so no reader is shown a story they
may not read."""

from dataclasses import dataclass

from django.db.models import Case, Count, IntegerField, Q, Value, When

from lessons.models import Kind, Lesson, Theme
from stories.models import Story

STORIES, LESSONS, THEMES = 6, 8, 5
CANDIDATES = 40  # stories weighed for spread across communities and states


@dataclass
class Evidence:
    practice: object
    tied: bool  # lessons tied to the practice itself, not only its stream
    lessons: list
    stories: list
    themes: list
    weight: dict


def _strong_first():
    """Works and enabling conditions before what didn't work."""
    return Case(
        When(kind__in=[Kind.WORKS, Kind.ENABLING], then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )


def _spread(stories, limit):
    """The strongest stories, preferring a community and then a state not yet
    shown: evidence from several places before more of one."""
    chosen, communities, states = [], set(), set()
    for rule in (
        lambda s: s.community_id not in communities and s.community.state not in states,
        lambda s: s.community_id not in communities,
        lambda s: True,
    ):
        for story in stories:
            if len(chosen) == limit:
                return chosen
            if story not in chosen and rule(story):
                chosen.append(story)
                communities.add(story.community_id)
                states.add(story.community.state)
    return chosen


def evidence_for(practice, user):
    """What the library holds for a gap in `practice`, as `user` may read it.
    A practice is matched by stream and name, so lessons tied to a practice
    of an earlier version of the framework still count."""
    lessons = Lesson.objects.visible_to(user).filter(stream=practice.stream_id)
    of_practice = lessons.filter(
        practice__stream=practice.stream_id, practice__name=practice.name
    )
    tied = of_practice.exists()
    if tied:
        lessons = of_practice
    # the stories whose lessons speak to it, strongest first; then the stream's
    strong = Q(lessons__in=lessons, lessons__kind__in=[Kind.WORKS, Kind.ENABLING])
    candidates = (
        Story.objects.visible_to(user)
        .filter(streams=practice.stream_id)
        .annotate(
            strong=Count("lessons", filter=strong, distinct=True),
            speaks=Count("lessons", filter=Q(lessons__in=lessons), distinct=True),
        )
        .order_by("-strong", "-speaks", "-published_at", "-pk")
        .for_cards()[:CANDIDATES]
    )
    return Evidence(
        practice=practice,
        tied=tied,
        lessons=list(
            lessons.select_related("story__community").order_by(
                _strong_first(), "-story__published_at", "pk"
            )[:LESSONS]
        ),
        stories=_spread(list(candidates), STORIES),
        themes=list(Theme.objects.leading(lessons, limit=THEMES)),
        weight=lessons.evidence(),
    )
