"""The communities of practice, with their members and requests to join, to
and from a full export: `SpaceExporter`, a mixin of the exporter, whose
`person` it uses, and `SpaceLoader`, one of the loader, whose `create` and
`person` it uses (library_io.exporting, .importing). A space is its members'
own: a public export never holds one, nor says how many there are."""

from library_io.layout import parse_when, when
from library_io.ordering import grouped, sorted_by
from spaces.models import Space, SpaceJoinRequest, SpaceMember


class SpaceExporter:
    """Every space by slug; each one's members by account, and its requests
    to join by the time they were made."""

    def spaces(self):
        members = grouped(
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
        requests = grouped(
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
                }
                for row in Space.objects.order_by("pk").values(
                    "id", "slug", "name", "purpose", "created_at"
                )
            ],
        )


class SpaceLoader:
    """The spaces, loaded once the accounts they name are in; an export from
    before they were kept (format 3 or older) has none."""

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
