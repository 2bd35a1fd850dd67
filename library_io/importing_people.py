"""The importer's people and places: the streams, groups with their
permissions, accounts, communities, memberships, join requests and
invitations, as a mixin of the loader in `library_io.importing`, whose
`create`, `ref` and `person` it uses."""

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from communities.models import (
    Community,
    Invitation,
    JoinRequest,
    Membership,
    User,
    hash_token,
)
from framework.models import Stream
from library_io.layout import parse_when


class PeopleLoader:
    """Who is in the library and where they belong, loaded before the stories
    that point at them."""

    def permission(self, key, owner):
        if key not in self.permissions:
            self.result.warnings.append(
                f"The permission {key} of {owner} doesn't exist here; left out."
            )
        return self.permissions.get(key)

    def streams(self):
        """The export's streams replace those the migrations made, each
        written over the one of its slug (the framework's practices point at
        them) or added."""
        for row in self.library.get("streams", []):
            fields = {key: value for key, value in row.items() if key != "slug"}
            Stream.objects.update_or_create(slug=row["slug"], defaults=fields)
        self.stream_ids = {stream.slug: stream.pk for stream in Stream.objects.all()}

    def groups(self):
        rows = self.library.get("groups", [])
        groups = self.create(Group, [Group(name=row["name"]) for row in rows])
        self.group_ids = {group.name: group.pk for group in groups}
        links = []
        for group, row in zip(groups, rows, strict=True):
            for key in row.get("permissions", []):
                if pk := self.permission(key, f"group {group.name}"):
                    links.append(
                        Group.permissions.through(group_id=group.pk, permission_id=pk)
                    )
        self.create(Group.permissions.through, links)

    def accounts(self):
        rows = self.library.get("accounts", [])
        users = self.create(
            User,
            [
                User(
                    username=row["username"],
                    email=row["email"],
                    name=row["name"],
                    first_name=row["first_name"],
                    last_name=row["last_name"],
                    organisation=row["organisation"],
                    is_approved=row["is_approved"],
                    time_zone=row.get("time_zone", ""),
                    is_active=row["is_active"],
                    is_staff=row["is_staff"],
                    is_superuser=row["is_superuser"],
                    date_joined=parse_when(row["date_joined"]),
                    last_login=parse_when(row["last_login"]),
                    # without the hash, nobody can log in until they reset it
                    password=row.get("password") or make_password(None),
                )
                for row in rows
            ],
        )
        self.users = {user.username: user.pk for user in users}
        groups, permissions = [], []
        for user, row in zip(users, rows, strict=True):
            for name in row.get("groups", []):
                groups.append(
                    User.groups.through(
                        user_id=user.pk,
                        group_id=self.ref(self.group_ids, name, "group"),
                    )
                )
            for key in row.get("permissions", []):
                if pk := self.permission(key, user.username):
                    permissions.append(
                        User.user_permissions.through(user_id=user.pk, permission_id=pk)
                    )
        self.create(User.groups.through, groups)
        self.create(User.user_permissions.through, permissions)

    def communities(self):
        rows = self.library.get("communities", [])
        made = self.create(Community, [Community(**row) for row in rows])
        self.community_ids = {community.slug: community.pk for community in made}

    def community(self, slug, *, optional=False):
        return self.ref(self.community_ids, slug, "community", optional=optional)

    def memberships(self):
        self.create(
            Membership,
            [
                Membership(
                    user_id=self.person(row["user"]),
                    community_id=self.community(row["community"]),
                    role=row["role"],
                    created_at=parse_when(row["created_at"]),
                )
                for row in self.library.get("memberships", [])
            ],
        )

    def join_requests(self):
        self.create(
            JoinRequest,
            [
                JoinRequest(
                    user_id=self.person(row["user"]),
                    community_id=self.community(row["community"]),
                    message=row["message"],
                    status=row["status"],
                    decided_by_id=self.person(row["decided_by"]),
                    decided_at=parse_when(row["decided_at"]),
                    created_at=parse_when(row["created_at"]),
                )
                for row in self.library.get("join_requests", [])
            ],
        )

    def invitations(self):
        self.create(
            Invitation,
            [
                Invitation(
                    email=row["email"],
                    community_id=self.community(row["community"], optional=True),
                    role=row["role"],
                    # without the hash the old link can't work: a token nobody has
                    token_hash=row.get("token_hash")
                    or hash_token(Invitation.new_token()),
                    created_by_id=self.person(row["created_by"]),
                    created_at=parse_when(row["created_at"]),
                    expires_at=parse_when(row["expires_at"]),
                    revoked=row["revoked"],
                    used_at=parse_when(row["used_at"]),
                    used_by_id=self.person(row["used_by"]),
                )
                for row in self.library.get("invitations", [])
            ],
        )
