"""The demo community's self-assessments, from fixtures/demo/assessments.toml:
two closed a year apart (the later shared with the Collective) and one still
in the workshop. Written through the assessments' own services, as the lead
and a member would write them, so the same rules hold; made afresh on every
load, and their times set back to the days they were held."""

import tomllib
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from assessments.models import Assessment, Group
from assessments.services import (
    WHOLE_TABLE,
    assessment_close,
    assessment_share,
    assessment_start,
    group_add,
    group_remove,
    group_save,
)
from framework.models import FrameworkVersion, Practice, Stream

ASSESSMENTS_FILE = settings.BASE_DIR / "fixtures" / "demo" / "assessments.toml"
CLOSED_AFTER = timedelta(days=7)  # the lead closes it a week after the workshop


def current_practices():
    """{(stream slug, practice name): practice} of the framework's current
    version: what the demo's assessments and lessons name. Empty when the
    framework has no published version (a database a test has emptied, its
    streams put back but not the framework's data)."""
    return {
        (practice.stream.slug, practice.name): practice
        for practice in Practice.objects.filter(
            version__in=FrameworkVersion.objects.newest_published()
        ).select_related("stream")
    }


def practice_named(practices, stream, name):
    """The practice of `stream` called `name`; None for no name, or where
    there are no practices at all."""
    if name is None or not practices:
        return None
    try:
        return practices[(stream, name)]
    except KeyError:
        raise ImproperlyConfigured(
            f"The demo names “{name}”, which is no practice of the {stream} "
            "stream in the framework's current version."
        ) from None


def load_assessments(community, users, path=ASSESSMENTS_FILE):
    """`community`'s demo assessments made afresh (its other assessments are
    left alone); `users` are the demo accounts by username. Returns them
    in the file's order; none without a published framework to assess
    against."""
    with open(path, "rb") as handle:
        rows = tomllib.load(handle)["assessment"]
    Assessment.objects.filter(
        community=community, title__in=[row["title"] for row in rows]
    ).delete()
    practices = current_practices()
    if not practices:
        return []
    streams = {stream.slug: stream for stream in Stream.objects.all()}
    return [_assessment(row, community, users, practices, streams) for row in rows]


def _assessment(row, community, users, practices, streams):
    lead = users["lead"]
    assessment = assessment_start(
        community=community,
        actor=lead,
        title=row["title"],
        held_on=row["held_on"],
        participants=row.get("participants", "").strip(),
    )
    named, whole = set(), set()
    for spec in row.get("group", []):
        group = _group(assessment, spec, streams[spec["stream"]], users)
        _answers(group, spec, practices, users)
        (whole if group.name == WHOLE_TABLE else named).add(group.stream_id)
    # a stream given named groups only has no whole table
    for group in assessment.groups.filter(stream__in=named - whole, name=WHOLE_TABLE):
        group_remove(group=group, actor=lead)
    if row.get("closed"):
        assessment_close(assessment=assessment, actor=lead)
        if row.get("shared"):
            assessment_share(assessment=assessment, actor=lead, shared=True)
    _back_to_the_day(assessment, closed=row.get("closed", False))
    return assessment


def _group(assessment, spec, stream, users):
    """The stream's whole table, or a named group added to it."""
    name = spec.get("name", WHOLE_TABLE)
    if name == WHOLE_TABLE:
        return assessment.groups.get(stream=stream, name=WHOLE_TABLE)
    return group_add(
        assessment=assessment,
        actor=users["lead"],
        stream=stream,
        name=name,
        member=users[spec["member"]] if "member" in spec else None,
    )


def _answers(group, spec, practices, users):
    """The group's answers saved once, by the member writing for it (or the
    lead), done if the file says so."""
    answers = {
        practice_named(practices, spec["stream"], answer["practice"]).pk: {
            "level": answer.get("level"),
            "evidence": answer.get("evidence", "").strip(),
            "target_level": answer.get("target_level"),
            "target_date": answer.get("target_date"),
        }
        for answer in spec.get("answer", [])
    }
    if answers:
        group_save(
            group=group,
            actor=users[spec.get("member", "lead")],
            revision=group.revision,
            answers=answers,
            done=spec.get("done", False),
        )


def _back_to_the_day(assessment, *, closed):
    """Started on the day it was held; a closed one's groups saved that day
    and the assessment closed a week later. An open one's groups keep the
    times they were saved, as they are still at work."""
    day = timezone.make_aware(datetime.combine(assessment.held_on, time(9, 0)))
    Assessment.objects.filter(pk=assessment.pk).update(created_at=day)
    if closed:
        afternoon = day + timedelta(hours=6)  # every group of a closed one is done
        Group.objects.filter(assessment=assessment).update(
            saved_at=afternoon, done_at=afternoon
        )
        Assessment.objects.filter(pk=assessment.pk).update(closed_at=day + CLOSED_AFTER)
    assessment.refresh_from_db()
