"""Writing the framework's versions: a draft is copied from a version, edited
in the admin, then published; a published version is never changed again, so
an assessment keeps the practices it was given against."""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from common.cache import changes_library
from framework.models import (
    LEVEL_FIELDS,
    PRACTICE_FIELDS,
    FrameworkVersion,
    Practice,
    Stream,
)

COPIED_FIELDS = ["stream_id", *PRACTICE_FIELDS]


class FrameworkError(Exception):
    """Why a version can't be published, in words for the core team."""


@changes_library
@transaction.atomic
def version_copy(*, version):
    """A new draft version holding a copy of `version`'s practices, numbered
    after the newest."""
    newest = FrameworkVersion.objects.aggregate(n=Max("number"))["n"] or 0
    draft = FrameworkVersion.objects.create(
        number=newest + 1,
        name=version.name,
        notes=f"Copied from version {version.number}.",
    )
    Practice.objects.bulk_create(
        Practice(version=draft, **{f: getattr(p, f) for f in COPIED_FIELDS})
        for p in version.practices.all()
    )
    return draft


def problems_of(version):
    """What stops `version` from being published: a stream with no practice,
    or a practice with a level left undescribed."""
    practices = list(version.practices.select_related("stream"))
    covered = {practice.stream_id for practice in practices}
    problems = [
        f"{stream.name} has no practice yet."
        for stream in Stream.objects.all()
        if stream.pk not in covered
    ]
    for practice in practices:
        if not all(getattr(practice, field).strip() for field in LEVEL_FIELDS):
            problems.append(f"“{practice.name}” doesn't describe all four levels.")
    return problems


@changes_library
@transaction.atomic
def version_publish(*, version):
    """Make the draft `version` the one new assessments use. Refused, with
    the reasons, when a stream has no practice or a level is left empty;
    False when it was already published."""
    version = FrameworkVersion.objects.select_for_update().get(pk=version.pk)
    if version.is_published:
        return False
    if problems := problems_of(version):
        raise FrameworkError(" ".join(problems))
    version.published_at = timezone.now()
    version.save(update_fields=["published_at"])
    return True
