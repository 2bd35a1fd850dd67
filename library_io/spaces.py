"""The communities of practice, with their members, requests to join and
sessions, to and from a full export: `SpaceExporter`, a mixin of the exporter, whose
`person` it uses, and `SpaceLoader`, one of the loader, whose `create` and
`person` it uses (library_io.exporting, .importing). A space is its members'
own: a public export never holds one, nor says how many there are."""

import re

from django.core.exceptions import ValidationError

from framework.models import Stream
from library_io.layout import FILE_FOLDER, LibraryError, inside, parse_when, when
from library_io.ordering import grouped, sorted_by
from spaces.documents import KINDS, MAX_BYTES, detect, is_image
from spaces.models import Resource, Session, Space, SpaceJoinRequest, SpaceMember

# a shared file's storage name as spaces.documents makes it
RESOURCE_NAME = re.compile(r"^resources/[0-9a-f]{32}\.(?P<kind>[a-z]{3,4})$")
IMAGE_KINDS = {"jpg", "png", "webp"}


class SpaceExporter:
    """Every space by slug; each one's members by account, its requests to
    join by the time they were made, and its sessions by their time."""

    def spaces(self):
        members = self.space_members()
        requests = self.space_join_requests()
        sessions = self.space_sessions()
        resources = self.space_resources()
        return sorted_by(
            "slug",
            [
                {
                    "slug": row["slug"],
                    "name": row["name"],
                    "purpose": row["purpose"],
                    "created_at": when(row["created_at"]),
                    "members": sorted_by("account", members.get(row["id"], [])),
                    "join_requests": requests.get(row["id"], []),
                    "sessions": sessions.get(row["id"], []),
                    "resources": resources.get(row["id"], []),
                }
                for row in Space.objects.order_by("pk").values(
                    "id", "slug", "name", "purpose", "created_at"
                )
            ],
        )

    def space_members(self):
        """Each space's members, by its id."""
        return grouped(
            (
                {
                    "space_id": row["space_id"],
                    "account": self.person(row["user_id"]),
                    "role": row["role"],
                    "created_at": when(row["created_at"]),
                }
                for row in SpaceMember.objects.order_by("pk").values(
                    "space_id", "user_id", "role", "created_at"
                )
            ),
            "space_id",
        )

    def space_join_requests(self):
        """Each space's requests to join, oldest first, by its id."""
        return grouped(
            (
                {
                    "space_id": row["space_id"],
                    "account": self.person(row["user_id"]),
                    "message": row["message"],
                    "status": row["status"],
                    "decided_by": self.person(row["decided_by_id"]),
                    "decided_at": when(row["decided_at"]),
                    "created_at": when(row["created_at"]),
                }
                for row in SpaceJoinRequest.objects.order_by("created_at", "pk").values(
                    "space_id",
                    "user_id",
                    "message",
                    "status",
                    "decided_by_id",
                    "decided_at",
                    "created_at",
                )
            ),
            "space_id",
        )

    def space_sessions(self):
        """Each space's sessions, by their time, by its id."""
        return grouped(
            (
                {
                    "space_id": row["space_id"],
                    "title": row["title"],
                    "starts_at": when(row["starts_at"]),
                    "duration": row["duration"],
                    "video_link": row["video_link"],
                    "agenda": row["agenda"],
                    "notes": row["notes"],
                    "created_by": self.person(row["created_by_id"]),
                    "created_at": when(row["created_at"]),
                    "updated_at": when(row["updated_at"]),
                }
                for row in Session.objects.order_by("starts_at", "pk").values(
                    "space_id",
                    "title",
                    "starts_at",
                    "duration",
                    "video_link",
                    "agenda",
                    "notes",
                    "created_by_id",
                    "created_at",
                    "updated_at",
                )
            ),
            "space_id",
        )

    def space_resources(self):
        """Each space's resources, oldest first, by its id; a file copied into
        files/ under its storage name."""
        resources = Resource.objects.select_related("stream").prefetch_related("tags")
        return grouped(
            (
                {
                    "space_id": resource.space_id,
                    "title": resource.title,
                    "description": resource.description,
                    "stream": resource.stream.slug,
                    "tags": sorted(tag.name for tag in resource.tags.all()),
                    "link": resource.link,
                    "file": self.copy_stored(
                        resource.file.name, f"{FILE_FOLDER}/{resource.file.name}"
                    )
                    if resource.file
                    else None,
                    "filename": resource.filename,
                    "kind": resource.kind,
                    "size": resource.size,
                    "shared_by": self.person(resource.shared_by_id),
                    "created_at": when(resource.created_at),
                    "updated_at": when(resource.updated_at),
                }
                for resource in resources.order_by("created_at", "pk")
            ),
            "space_id",
        )


def resource_files(root, library):
    """Storage name -> file in the folder, for every shared file of the
    spaces, each named as the library names them and, read from its bytes,
    of the kind its record says (spaces.documents)."""
    files = {}
    for space in library.get("spaces", []):
        for record in space.get("resources", []):
            if record["file"] is None:
                continue
            name = record["file"].removeprefix(f"{FILE_FOLDER}/")
            match = RESOURCE_NAME.match(name)
            if not match or match["kind"] != record["kind"] or name == record["file"]:
                raise LibraryError(f"{record['file']!r} isn't a shared file's name.")
            source = inside(root, record["file"])
            if not source.is_file():
                raise LibraryError(f"The shared file {record['file']} is missing.")
            check_resource(source, record["kind"])
            files[name] = source
    return files


def check_resource(source, kind):
    if source.stat().st_size > MAX_BYTES:
        raise LibraryError(f"The file {source.name} is larger than files may be.")
    data = source.read_bytes()
    if kind in IMAGE_KINDS:
        found = kind if is_image(data) else "?"
    else:
        try:
            found = detect(data, f"file.{kind}")
        except ValidationError as refused:
            raise LibraryError(f"{source.name}: {refused.messages[0]}") from refused
    if found != kind or kind not in KINDS:
        raise LibraryError(f"{source.name} isn't the {kind} file its record says.")


class SpaceLoader:
    """The spaces, loaded once the accounts they name are in; an export from
    before they were kept (format 3 or older) has none, and one from before
    sessions were (format 4) has no sessions."""

    def spaces(self):
        rows = self.library.get("spaces", [])
        spaces = self.create(
            Space,
            [
                Space(
                    slug=row["slug"],
                    name=row["name"],
                    purpose=row["purpose"],
                    created_at=parse_when(row["created_at"]),
                )
                for row in rows
            ],
        )
        pairs = list(zip(spaces, rows, strict=True))
        self.space_members(pairs)
        self.space_sessions(pairs)
        self.space_resources(pairs)

    def space_members(self, pairs):
        """The members and requests to join of each (space, row) of `pairs`."""
        self.create(
            SpaceMember,
            [
                SpaceMember(
                    space_id=space.pk,
                    user_id=self.person(member["account"]),
                    role=member["role"],
                    created_at=parse_when(member["created_at"]),
                )
                for space, row in pairs
                for member in row["members"]
            ],
        )
        self.create(
            SpaceJoinRequest,
            [
                SpaceJoinRequest(
                    space_id=space.pk,
                    user_id=self.person(asked["account"]),
                    message=asked["message"],
                    status=asked["status"],
                    decided_by_id=self.person(asked["decided_by"]),
                    decided_at=parse_when(asked["decided_at"]),
                    created_at=parse_when(asked["created_at"]),
                )
                for space, row in pairs
                for asked in row["join_requests"]
            ],
        )

    def space_sessions(self, pairs):
        """The sessions of each (space, row) of `pairs`."""
        self.create(
            Session,
            [
                Session(
                    space_id=space.pk,
                    title=held["title"],
                    starts_at=parse_when(held["starts_at"]),
                    duration=held["duration"],
                    video_link=held["video_link"],
                    agenda=held["agenda"],
                    notes=held["notes"],
                    created_by_id=self.person(held["created_by"]),
                    created_at=parse_when(held["created_at"]),
                    updated_at=parse_when(held["updated_at"]),
                )
                for space, row in pairs
                for held in row.get("sessions", [])
            ],
        )

    def space_resources(self, pairs):
        """The resources of each (space, row) of `pairs`, whose files are in
        storage already (library_io.importing), with their tags."""
        streams = dict(Stream.objects.values_list("slug", "pk"))
        rows = [shared for _, row in pairs for shared in row.get("resources", [])]
        resources = self.create(
            Resource,
            [
                Resource(
                    space_id=space.pk,
                    title=shared["title"],
                    description=shared["description"],
                    stream_id=streams[shared["stream"]],
                    link=shared["link"],
                    file=(shared["file"] or "").removeprefix(f"{FILE_FOLDER}/"),
                    filename=shared["filename"],
                    kind=shared["kind"],
                    size=shared["size"],
                    shared_by_id=self.person(shared["shared_by"]),
                    created_at=parse_when(shared["created_at"]),
                    updated_at=parse_when(shared["updated_at"]),
                )
                for space, row in pairs
                for shared in row.get("resources", [])
            ],
        )
        for resource, shared in zip(resources, rows, strict=True):
            if shared["tags"]:
                resource.tags.set(shared["tags"])
