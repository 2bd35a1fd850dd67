"""One synthetic story for demo/generate.py, composed from the words in
demo/vocabulary.py: its title, text and reflections, its streams, and where it
stands in the workflow. Unsaved, so that the generator writes stories in batches.
"""

import itertools
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.utils.text import slugify

from demo.vocabulary import (
    ACTIVITIES,
    CLOSINGS,
    CONDITIONS,
    DIDNT,
    FIRST_NAMES,
    MIDDLES,
    OPENINGS,
    OUTCOMES,
    PARTNERS,
    QUOTES,
    STEPS,
    STREAM_SLUGS,
    TITLES,
    WORKED,
)
from stories.models import Status, Story, Visibility

# Published stories dominate; the rest spread over the workflow.
STATUSES = [
    (Status.PUBLISHED, 85),
    (Status.DRAFT, 4),
    (Status.SUBMITTED, 3),
    (Status.CHANGES_REQUESTED, 1),
    (Status.AWAITING_SIGNOFF, 2),
    (Status.APPROVED, 1),
    (Status.REJECTED, 1),
    (Status.WITHDRAWN, 1),
    (Status.ARCHIVED, 2),
]
_STATUSES = [status for status, _ in STATUSES]
_STATUS_TOTALS = list(itertools.accumulate(weight for _, weight in STATUSES))
COLLECTIVE_SHARE = 0.12
FEATURED_SHARE = 0.002
FIRST_YEAR, LAST_YEAR = 2012, 2025


@dataclass
class Draft:
    """A story not yet saved, with the streams and tags to link to it once the
    batch it is in has been written and it has a primary key."""

    story: Story
    streams: list
    tags: list


def compose_story(rng, *, number, community, tags):
    """A story of `community`, tagged `tags`, drawn from `rng`; `number` makes
    its slug unique."""
    activity, stream = rng.choice(ACTIVITIES)
    place = community.place
    title = rng.choice(TITLES).format(
        place=place, activity=activity, Activity=activity[0].upper() + activity[1:]
    )
    year = rng.randint(FIRST_YEAR, LAST_YEAR)
    status = rng.choices(_STATUSES, cum_weights=_STATUS_TOTALS)[0]
    published_at = None
    if status in (Status.PUBLISHED, Status.ARCHIVED):
        start = datetime(min(year + 1, LAST_YEAR), 1, 1, tzinfo=UTC)
        published_at = start + timedelta(seconds=rng.randint(0, 365 * 24 * 3600))
    partner, partner2 = rng.sample(PARTNERS, 2)
    outcome = rng.choice(OUTCOMES)
    summary = f"{community.name} worked with {partner} on {activity}. {outcome}"
    words = dict(
        place=place,
        community=community.name,
        activity=activity,
        year=year,
        partner=partner,
        partner2=partner2,
        outcome=outcome,
    )
    others = [slug for slug in STREAM_SLUGS if slug != stream]
    streams = [stream] + rng.sample(others, rng.choice((0, 0, 1, 1, 2)))
    story = Story(
        title=title,
        slug=f"{slugify(title)[:80]}-{number}",
        summary=summary[:300],
        body=_body(rng, words),
        community=community,
        storytellers=_storytellers(rng, community),
        what_worked=rng.choice(WORKED) if rng.random() < 0.7 else "",
        what_didnt=rng.choice(DIDNT) if rng.random() < 0.6 else "",
        conditions=rng.choice(CONDITIONS) if rng.random() < 0.5 else "",
        year=year,
        visibility=(
            Visibility.COLLECTIVE
            if rng.random() < COLLECTIVE_SHARE
            else Visibility.PUBLIC
        ),
        status=status,
        consent=status not in (Status.DRAFT, Status.WITHDRAWN) or rng.random() < 0.5,
        is_featured=status == Status.PUBLISHED and rng.random() < FEATURED_SHARE,
        is_demo=True,
        published_at=published_at,
        status_changed_at=published_at or datetime(year, 6, 1, tzinfo=UTC),
    )
    return Draft(story=story, streams=streams, tags=tags)


def _storytellers(rng, community):
    return rng.choice(
        [
            "",
            "Anonymous",
            f"The {community.name} backbone team",
            f"Parents and carers in {community.place}",
            rng.choice(FIRST_NAMES),
        ]
    )


def _body(rng, words):
    paragraphs = [rng.choice(OPENINGS).format(**words)]
    paragraphs.append("## What we did")
    paragraphs += [
        text.format(**words) for text in rng.sample(MIDDLES, rng.randint(1, 3))
    ]
    if rng.random() < 0.5:
        steps = rng.sample(STEPS, rng.randint(3, 5))
        paragraphs.append("\n".join(f"1. {step}" for step in steps))
    if rng.random() < 0.5:
        paragraphs.append(f"> {rng.choice(QUOTES)}")
    paragraphs.append("## What changed")
    paragraphs.append(rng.choice(CLOSINGS).format(**words))
    return "\n\n".join(paragraphs)
