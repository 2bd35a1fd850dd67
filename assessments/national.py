"""The national picture for the core team: across each community's latest
closed assessment, which practices are most often gaps, by stream and by
state. It counts every community; it names only those that shared their
assessment with the Collective."""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import OuterRef, Subquery

from assessments.models import Answer, Assessment
from assessments.results import PracticeResult
from communities.models import State
from framework.models import Stream


@dataclass
class PracticeGaps:
    stream: Stream
    name: str
    assessed: int = 0  # communities whose latest assessment has the practice
    gaps: int = 0
    by_state: Counter = field(default_factory=Counter)
    named: list = field(default_factory=list)  # communities that shared
    state_counts: list = field(default_factory=list)  # in Picture.states' order

    @property
    def share(self):
        return round(100 * self.gaps / self.assessed) if self.assessed else 0


@dataclass
class Picture:
    communities: int
    states: list  # (code, label) of the states with an assessment
    practices: list  # PracticeGaps, most often a gap first


def latest_closed():
    """Each community's latest closed assessment (one query, a subquery)."""
    latest = (
        Assessment.objects.closed()
        .filter(community=OuterRef("community"))
        .order_by("-held_on", "-pk")
        .values("pk")[:1]
    )
    return Assessment.objects.closed().filter(pk=Subquery(latest))


def national_picture():
    """In two queries, whatever the number of communities."""
    assessments = {
        a.pk: a for a in latest_closed().select_related("community").order_by()
    }
    rows = (
        Answer.objects.filter(group__assessment__in=list(assessments))
        .exclude(level=None)
        .select_related("practice__stream", "group")
    )
    given = {}
    for answer in rows:
        key = (answer.group.assessment_id, answer.practice.stream, answer.practice.name)
        given.setdefault(key, []).append(answer)
    practices = {}
    for (assessment_id, stream, name), its_answers in given.items():
        gaps = practices.setdefault(
            (stream.order, name), PracticeGaps(stream=stream, name=name)
        )
        community = assessments[assessment_id].community
        gaps.assessed += 1
        if PracticeResult(its_answers[0].practice, its_answers).is_gap:
            gaps.gaps += 1
            gaps.by_state[community.state] += 1
            if assessments[assessment_id].is_shared:
                gaps.named.append(community)
    states = sorted({a.community.state for a in assessments.values()})
    for gaps in practices.values():
        gaps.state_counts = [gaps.by_state[code] for code in states]
    return Picture(
        communities=len(assessments),
        states=[(code, State(code).label) for code in states],
        practices=sorted(
            practices.values(),
            key=lambda p: (-p.share, -p.gaps, p.stream.order, p.name),
        ),
    )
