"""Writing an assessment: starting it, splitting it into groups, a group's
answers saved as it goes (with a conflict, not an overwrite, when two people
save from the same revision), closing it and sharing it. Who may do what is
decided here, for the views and anything else that writes.

Nothing here changes what the library's cached pages show: an assessment is
never kept in a cache, and every page of it is sent `no-store`."""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from assessments.models import Answer, Assessment, Group, Status
from communities import services as communities_services
from communities.models import Community, Membership, Role
from framework.models import FrameworkVersion, Practice, Stream

WHOLE_TABLE = "The whole table"


class AssessmentError(Exception):
    """Why a change can't be made, in words for the person making it."""


@dataclass
class GroupConflict(Exception):
    """Someone saved the group's answers since this person's page was loaded:
    nothing of theirs is written; `group` holds what is saved now."""

    group: Group


def is_member(user, community_id):
    return (
        user.is_authenticated
        and user.is_collective_member
        and Membership.objects.filter(user=user, community_id=community_id).exists()
    )


def is_lead(user, community_id):
    """The community's lead, approved (communities' own rule for who leads)."""
    return (
        user.is_authenticated
        and user.is_collective_member
        and communities_services.is_lead(user, community_id)
    )


def can_start(user, community):
    """A backbone lead starts their own community's assessments."""
    return is_lead(user, community.pk)


def can_edit(user, assessment):
    """Any member of the community writes its groups' answers while it's open;
    the core team reads, but the assessment is the community's own."""
    return assessment.is_open and is_member(user, assessment.community_id)


def can_lead(user, assessment):
    """Split into groups, close, share: the community's lead."""
    return is_lead(user, assessment.community_id)


def lead_communities(user):
    """The communities `user` may start an assessment for."""
    if not (user.is_authenticated and user.is_collective_member):
        return Community.objects.none()
    return Community.objects.filter(memberships__user=user, memberships__role=Role.LEAD)


def _refuse_unless(allowed, message):
    if not allowed:
        raise AssessmentError(message)


@transaction.atomic
def assessment_start(*, community, actor, title, held_on, participants=""):
    """A new assessment of the current framework version, with one group per
    stream (the whole table) that the lead may rename, split or replace."""
    _refuse_unless(can_start(actor, community), "Only the community's lead starts one.")
    version = FrameworkVersion.objects.current()
    _refuse_unless(version is not None, "The framework has no published version yet.")
    assessment = Assessment.objects.create(
        community=community,
        version=version,
        title=title,
        held_on=held_on,
        participants=participants,
        started_by=actor,
    )
    streams = Stream.objects.filter(practices__version=version).distinct()
    Group.objects.bulk_create(
        Group(assessment=assessment, stream=stream, name=WHOLE_TABLE)
        for stream in streams
    )
    return assessment


def _open_for(assessment, actor, *, lead):
    allowed = can_lead(actor, assessment) if lead else can_edit(actor, assessment)
    _refuse_unless(allowed, "You can't change this assessment.")
    _refuse_unless(assessment.is_open, "This assessment is closed: it can't change.")


@transaction.atomic
def group_add(*, assessment, actor, stream, name, member=None):
    _open_for(assessment, actor, lead=True)
    _refuse_unless(
        member is None or is_member(member, assessment.community_id),
        "The member writing for a group must be a member of the community.",
    )
    if assessment.groups.filter(stream=stream, name__iexact=name).exists():
        raise AssessmentError(f"{stream.name} already has a group called “{name}”.")
    return Group.objects.create(
        assessment=assessment, stream=stream, name=name, member=member
    )


@transaction.atomic
def group_remove(*, group, actor):
    """Take a group off the assessment, with its answers; a stream keeps at
    least one group."""
    _open_for(group.assessment, actor, lead=True)
    others = group.assessment.groups.filter(stream=group.stream_id).exclude(pk=group.pk)
    _refuse_unless(
        others.exists(), f"{group.stream.name} needs a group: add another first."
    )
    group.delete()


ANSWER_FIELDS = ["level", "evidence", "target_level", "target_date"]


@transaction.atomic
def group_save(*, group, actor, revision, answers, done=False):
    """Save `answers` ({practice pk: {level, evidence, target_level,
    target_date}}) for `group`, as of the `revision` its page was loaded
    from. With `done`, every practice must have a level and the group is
    done; a save that leaves a level empty makes it not done again.
    Returns the group as saved; raises GroupConflict when someone saved
    first, AssessmentError when it can't change."""
    _open_for(group.assessment, actor, lead=False)
    practices = set(
        Practice.objects.filter(
            version=group.assessment.version_id, stream=group.stream_id
        ).values_list("pk", flat=True)
    )
    _refuse_unless(set(answers) <= practices, "An answer is for another practice.")
    complete = practices <= {pk for pk, a in answers.items() if a.get("level")}
    _refuse_unless(complete or not done, "Give every practice a level first.")
    now = timezone.now()
    moved = Group.objects.filter(pk=group.pk, revision=revision).update(
        revision=F("revision") + 1,
        saved_at=now,
        saved_by=actor,
        done_at=(now if done else group.done_at) if complete else None,
    )
    if not moved:
        raise GroupConflict(Group.objects.get(pk=group.pk))
    for practice_id, answer in answers.items():
        Answer.objects.update_or_create(
            group_id=group.pk,
            practice_id=practice_id,
            defaults={field: answer.get(field) for field in ANSWER_FIELDS}
            | {"evidence": answer.get("evidence") or ""},
        )
    return Group.objects.get(pk=group.pk)


def streams_not_done(assessment):
    """The streams with a group still at work, by name."""
    return list(
        Stream.objects.filter(
            pk__in=assessment.groups.filter(done_at=None).values("stream")
        ).values_list("name", flat=True)
    )


@transaction.atomic
def assessment_close(*, assessment, actor):
    """The lead closes it once every stream is done; from then on it is
    read-only. False if it was closed already (a double click)."""
    _refuse_unless(can_lead(actor, assessment), "Only the community's lead closes it.")
    if waiting := streams_not_done(assessment):
        raise AssessmentError(
            "Every stream must be done first; still at work: "
            + ", ".join(waiting)
            + "."
        )
    now = timezone.now()
    closed = Assessment.objects.filter(pk=assessment.pk, status=Status.OPEN).update(
        status=Status.CLOSED, closed_at=now
    )
    if closed:
        assessment.status, assessment.closed_at = Status.CLOSED, now
    return bool(closed)


@transaction.atomic
def assessment_share(*, assessment, actor, shared):
    """The lead shares a closed assessment with the whole Collective, or
    takes it back to the community and the core team."""
    _refuse_unless(can_lead(actor, assessment), "Only the community's lead shares it.")
    saved = Assessment.objects.select_for_update().get(pk=assessment.pk)
    _refuse_unless(not saved.is_open, "Close the assessment before sharing it.")
    saved.is_shared = shared
    saved.save(update_fields=["is_shared"])
    assessment.is_shared = shared
    return saved
