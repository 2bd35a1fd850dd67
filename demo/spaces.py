"""The demo's communities of practice, from fixtures/demo/spaces.toml: the
Collective's three spaces with their facilitators and members, a request to
join waiting for a facilitator, sessions held and coming, placed around
the day the demo loads, and the links and files they share. Made afresh
each time the demo loads."""

import tomllib
from datetime import datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files import File
from django.core.files.storage import default_storage
from django.utils import timezone

from common.timezones import local
from framework.models import Stream
from spaces import services
from spaces.documents import clean_document
from spaces.models import Session, Space, SpaceJoinRequest, SpaceMember, SpaceRole

SPACES_FILE = settings.BASE_DIR / "fixtures" / "demo" / "spaces.toml"
RESOURCE_FILES = settings.BASE_DIR / "fixtures" / "demo" / "resources"


def load_spaces(users, path=SPACES_FILE):
    """The spaces of `path`; `users` are the demo logins by username, and
    the file's other people are made accounts nobody can sign in to."""
    with open(path, "rb") as handle:
        data = tomllib.load(handle)
    people = {**users, **{row["username"]: _person(row) for row in data["person"]}}
    return [_space(row, people) for row in data["space"]]


def _person(row):
    user, _ = get_user_model().objects.update_or_create(
        username=row["username"],
        defaults={
            "name": row["name"],
            "organisation": row["organisation"],
            "email": f"{row['username']}@example.org",
            "is_approved": True,
        },
    )
    user.set_unusable_password()
    user.save()
    return user


def _session(space, row, people, today):
    """A session `row["in_days"]` days from `today` at `row["time"]` on the
    clock of `row["zone"]`."""
    hour, minute = map(int, row["time"].split(":"))
    day = today + timedelta(days=row["in_days"])
    starts = local(datetime.combine(day, time(hour, minute)), row["zone"])
    return Session(
        space=space,
        title=row["title"],
        starts_at=starts,
        duration=row.get("duration", 60),
        video_link=row.get("video_link", ""),
        agenda=row.get("agenda", "").strip(),
        notes=row.get("notes", "").strip(),
        created_by=people[row["by"]],
    )


def _space(row, people):
    space, _ = Space.objects.update_or_create(
        slug=row["slug"],
        defaults={"name": row["name"], "purpose": row["purpose"].strip()},
    )
    space.members.all().delete()
    space.join_requests.all().delete()
    space.sessions.all().delete()
    for name in space.resources.exclude(file="").values_list("file", flat=True):
        default_storage.delete(name)
    space.resources.all().delete()
    roles = [(name, SpaceRole.FACILITATOR) for name in row["facilitators"]]
    roles += [(name, SpaceRole.MEMBER) for name in row["members"]]
    SpaceMember.objects.bulk_create(
        SpaceMember(space=space, user=people[name], role=role) for name, role in roles
    )
    SpaceJoinRequest.objects.bulk_create(
        SpaceJoinRequest(
            space=space, user=people[ask["username"]], message=ask["message"]
        )
        for ask in row.get("asking", [])
    )
    today = timezone.localdate()
    Session.objects.bulk_create(
        _session(space, session, people, today) for session in row.get("session", [])
    )
    for resource in row.get("resource", []):
        _resource(space, resource, people)
    return space


def resource_owner(resource):
    """Who may remove a demo resource: its sharer, else a facilitator."""
    return (
        resource.shared_by or resource.space.members.filter(role="facilitator")[0].user
    )


def _resource(space, row, people):
    """A resource shared through the members' own path: a file is checked
    by spaces.documents as any upload is."""
    document = None
    if "file" in row:
        path = RESOURCE_FILES / row["file"]
        with open(path, "rb") as handle:
            document = clean_document(File(handle, name=path.name))
    services.resource_save(
        space=space,
        actor=people[row["by"]],
        values={
            "title": row["title"],
            "description": row["description"],
            "stream": Stream.objects.get(slug=row["stream"]),
            "link": row.get("link", ""),
        },
        tags=row.get("tags", []),
        document=document,
    )
