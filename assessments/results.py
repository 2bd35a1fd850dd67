"""What an assessment says, computed from its answers: each practice's
level (the groups' mean where several groups took its stream), each
stream's standing, the strengths, the gaps and where the table disagreed,
and what moved since the community's previous assessment.

The rules, in plain words (docs/assessments.md):
- a *gap* is a practice at one of the two lowest levels, or below its target;
- a *strength* is a practice at the top level, or one that meets a target of
  *developing* or above;
- the table *disagreed* on a practice when its groups are two levels or more
  apart.
"""

from dataclasses import dataclass, field
from statistics import fmean

from django.db.models import Prefetch

from assessments.models import Answer, Assessment, Group
from framework.models import Level, Practice, Stream

GAP_AT_OR_BELOW = Level.EMERGING
DISAGREE_BY = 2


@dataclass
class PracticeResult:
    practice: Practice
    answers: list  # one Answer per group that gave a level
    level: float | None = None
    target: int | None = None
    target_date: object = None
    spread: int = 0

    def __post_init__(self):
        levels = [a.level for a in self.answers]
        if levels:
            self.level = round(fmean(levels), 1)
            self.spread = max(levels) - min(levels)
        targets = [a for a in self.answers if a.target_level]
        if targets:
            highest = max(targets, key=lambda a: a.target_level)
            self.target, self.target_date = highest.target_level, highest.target_date

    @property
    def key(self):
        """What identifies the practice from one version to the next."""
        return (self.practice.stream_id, self.practice.name)

    @property
    def is_gap(self):
        if self.level is None:
            return False
        return self.level <= GAP_AT_OR_BELOW or bool(
            self.target and self.level < self.target
        )

    @property
    def is_strength(self):
        if self.level is None or self.is_gap:
            return False
        return self.level >= Level.EMBEDDED or bool(
            self.target and self.target >= Level.DEVELOPING
        )

    @property
    def disagreed(self):
        return self.spread >= DISAGREE_BY

    @property
    def level_label(self):
        return label_of(self.level)


def label_of(level):
    """The label of the nearest level, for a mean such as 2.5 (rounded up)."""
    if level is None:
        return "Not answered"
    return Level(min(4, max(1, int(level + 0.5)))).label


@dataclass
class StreamResult:
    stream: Stream
    practices: list
    groups: list

    @property
    def standing(self):
        levels = [p.level for p in self.practices if p.level is not None]
        return round(fmean(levels), 1) if levels else None

    @property
    def standing_label(self):
        return label_of(self.standing)


@dataclass
class Results:
    assessment: Assessment
    streams: list
    practices: dict = field(default_factory=dict)

    def __post_init__(self):
        self.practices = {p.key: p for s in self.streams for p in s.practices}

    def _where(self, test):
        return [p for s in self.streams for p in s.practices if test(p)]

    @property
    def gaps(self):
        return self._where(lambda p: p.is_gap)

    @property
    def strengths(self):
        return self._where(lambda p: p.is_strength)

    @property
    def disagreements(self):
        return self._where(lambda p: p.disagreed)


def results_of(assessment):
    """The results of `assessment`, in four queries whatever its size."""
    answered = Answer.objects.exclude(level=None)
    groups = list(
        Group.objects.filter(assessment=assessment)
        .select_related("member")
        .prefetch_related(Prefetch("answers", queryset=answered))
    )
    practices = list(
        Practice.objects.filter(version=assessment.version_id).select_related("stream")
    )
    by_stream = {}
    for practice in practices:
        by_stream.setdefault(practice.stream, []).append(practice)
    streams = []
    for stream, its_practices in by_stream.items():
        its_groups = [g for g in groups if g.stream_id == stream.pk]
        given = {}
        for group in its_groups:
            for answer in group.answers.all():
                answer.group = group
                given.setdefault(answer.practice_id, []).append(answer)
        streams.append(
            StreamResult(
                stream,
                [PracticeResult(p, given.get(p.pk, [])) for p in its_practices],
                its_groups,
            )
        )
    return Results(assessment, streams)


def answer_sheet(assessment):
    """(stream, practice, group, its answer or None) for every group and
    every practice of its stream, answered or not: the meeting's sheet."""
    groups = list(
        Group.objects.filter(assessment=assessment)
        .select_related("stream")
        .prefetch_related("answers")
    )
    practices = list(
        Practice.objects.filter(version=assessment.version_id).select_related("stream")
    )
    for practice in practices:
        for group in groups:
            if group.stream_id == practice.stream_id:
                given = {a.practice_id: a for a in group.answers.all()}
                yield practice.stream, practice, group, given.get(practice.pk)


def previous_of(assessment):
    """The community's closed assessment before this one, or None."""
    return (
        Assessment.objects.closed()
        .filter(community=assessment.community_id, held_on__lt=assessment.held_on)
        .select_related("version")
        .order_by("-held_on", "-pk")
        .first()
    )


@dataclass
class Change:
    now: PracticeResult
    before: PracticeResult

    @property
    def moved(self):
        if self.now.level is None or self.before.level is None:
            return None
        return round(self.now.level - self.before.level, 1)

    @property
    def distance(self):
        return None if self.moved is None else abs(self.moved)

    @property
    def target_met(self):
        """None when no target was set last time."""
        if not self.before.target or self.now.level is None:
            return None
        return self.now.level >= self.before.target


def compare(now, before):
    """Practice by practice (matched by stream and name, so a new version of
    the framework still compares), what moved and which targets were met."""
    return [
        Change(result, before.practices[key])
        for key, result in now.practices.items()
        if key in before.practices
    ]
