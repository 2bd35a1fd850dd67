"""The exporter's people and places: the streams, groups with their
permissions, accounts (their password hashes only when asked), communities,
memberships, join requests and invitations, as a mixin of the exporter in
`library_io.exporting`, whose `person` it uses and whose `usernames` it
fills."""

from collections import defaultdict
from operator import attrgetter, itemgetter

from django.contrib.auth.models import Group

from communities.models import Community, Invitation, JoinRequest, Membership, User
from framework.models import Stream
from library_io.layout import when
from library_io.ordering import sorted_by


def _permission_names(rows, key):
    names = defaultdict(list)
    for row in rows:
        names[row[key]].append(
            f"{row['permission__content_type__app_label']}."
            f"{row['permission__codename']}"
        )
    return {owner: sorted(found) for owner, found in names.items()}


class PeopleExporter:
    """Who is in the library and where they belong. The accounts come before
    anything else that names people, since they map ids to usernames (a public
    export has none, and names nobody)."""

    def streams(self):
        return list(
            Stream.objects.order_by("order").values(
                "slug", "name", "order", "tagline", "description", "colour"
            )
        )

    def groups(self):
        permissions = _permission_names(
            Group.permissions.through.objects.values(
                "group_id",
                "permission__content_type__app_label",
                "permission__codename",
            ),
            "group_id",
        )
        return [
            {"name": group.name, "permissions": permissions.get(group.pk, [])}
            for group in sorted(Group.objects.all(), key=attrgetter("name"))
        ]

    def accounts(self):
        groups = defaultdict(list)
        for row in User.groups.through.objects.values("user_id", "group__name"):
            groups[row["user_id"]].append(row["group__name"])
        permissions = _permission_names(
            User.user_permissions.through.objects.values(
                "user_id",
                "permission__content_type__app_label",
                "permission__codename",
            ),
            "user_id",
        )
        records = []
        for user in sorted(User.objects.values(), key=itemgetter("username")):
            self.usernames[user["id"]] = user["username"]
            record = {
                "username": user["username"],
                "email": user["email"],
                "name": user["name"],
                "first_name": user["first_name"],
                "last_name": user["last_name"],
                "organisation": user["organisation"],
                "is_approved": user["is_approved"],
                "time_zone": user["time_zone"],
                "is_active": user["is_active"],
                "is_staff": user["is_staff"],
                "is_superuser": user["is_superuser"],
                "date_joined": when(user["date_joined"]),
                "last_login": when(user["last_login"]),
                "groups": sorted(groups.get(user["id"], [])),
                "permissions": permissions.get(user["id"], []),
            }
            if self.with_accounts:
                record["password"] = user["password"]
            records.append(record)
        return records

    def communities(self):
        return sorted_by(
            "slug",
            Community.objects.values(
                "slug",
                "name",
                "state",
                "place",
                "backbone_organisation",
                "description",
                "website",
                "is_demo",
            ),
        )

    def memberships(self):
        records = [
            {
                "user": self.person(row["user_id"]),
                "community": row["community__slug"],
                "role": row["role"],
                "created_at": when(row["created_at"]),
            }
            for row in Membership.objects.values(
                "user_id", "community__slug", "role", "created_at"
            )
        ]
        return sorted(records, key=itemgetter("community", "user"))

    def join_requests(self):
        return [
            {
                "user": self.person(row["user_id"]),
                "community": row["community__slug"],
                "message": row["message"],
                "status": row["status"],
                "decided_by": self.person(row["decided_by_id"]),
                "decided_at": when(row["decided_at"]),
                "created_at": when(row["created_at"]),
            }
            for row in JoinRequest.objects.order_by("created_at", "pk").values(
                "user_id",
                "community__slug",
                "message",
                "status",
                "decided_by_id",
                "decided_at",
                "created_at",
            )
        ]

    def invitations(self):
        records = []
        for row in Invitation.objects.order_by("created_at", "pk").values(
            "email",
            "community__slug",
            "role",
            "token_hash",
            "created_by_id",
            "created_at",
            "expires_at",
            "revoked",
            "used_at",
            "used_by_id",
        ):
            record = {
                "email": row["email"],
                "community": row["community__slug"],
                "role": row["role"],
                "created_by": self.person(row["created_by_id"]),
                "created_at": when(row["created_at"]),
                "expires_at": when(row["expires_at"]),
                "revoked": row["revoked"],
                "used_at": when(row["used_at"]),
                "used_by": self.person(row["used_by_id"]),
            }
            if self.with_accounts:
                record["token_hash"] = row["token_hash"]
            records.append(record)
        return records
