import functools

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.db import connection

from p2s.db import prepared


def find_account(identifier):
    """The account an email address (any case) or a username names, if any."""
    User = get_user_model()
    field = "email__iexact" if "@" in identifier else "username"
    return User._default_manager.filter(**{field: identifier}).first()


def login_name(request, credentials=None):
    """What django-axes counts failures against: the account's username when
    the typed email or name matches one (so "Ari@…" and "ari@…" are one
    account, and a successful login clears the count), else the typed text."""
    typed = ""
    if credentials:
        typed = credentials.get("username") or ""
    elif request is not None:
        typed = request.POST.get("username", "")
    typed = str(typed).strip()
    account = find_account(typed) if typed else None
    return account.get_username() if account else typed.casefold()


class EmailBackend(ModelBackend):
    """Log in with an email address (or, for the demo accounts, a username)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        identifier = (username or kwargs.get("email") or "").strip()
        if not identifier or password is None:
            return None
        user = find_account(identifier)
        if user is None:
            get_user_model()().set_password(
                password
            )  # same work either way: no timing hint
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def get_user(self, user_id):
        """The signed-in reader of a request, with whether they are on the core
        team asked in the same query: nearly every page wants to know. Every
        request of a signed-in reader asks, so the query is written once
        rather than built by the ORM each time (a third of the time)."""
        from communities.models import CORE_TEAM

        User = get_user_model()
        try:
            user_id = User._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        if not BIGINT[0] <= user_id <= BIGINT[1]:  # no id any account could have
            return None
        sql = prepared(_reader_sql())
        found = list(User._default_manager.raw(sql, [CORE_TEAM, user_id]))
        if not found or not self.user_can_authenticate(found[0]):
            return None
        user = found[0]
        user.in_core_group = bool(user.in_core_group)  # SQLite's IN is 0/1
        return user


# the ids a BigAutoField (and SQLite's INTEGER) can hold
BIGINT = (-(2**63), 2**63 - 1)


@functools.cache
def _reader_sql():
    """SELECT one account, and whether it is in the named group, by id."""
    User = get_user_model()
    member_of = User.groups.through._meta
    group = member_of.get_field("group")
    user = member_of.get_field(User._meta.model_name)
    q = connection.ops.quote_name
    # the model's columns by name, never *: a statement prepared on a
    # connection must keep its shape when a migration adds a column
    columns = ", ".join(f"u.{q(field.column)}" for field in User._meta.concrete_fields)
    # IN (the group's members) rather than EXISTS (this account's row among
    # them): the same answer, which PostgreSQL plans in less time
    return (
        f"SELECT {columns}, u.{q(User._meta.pk.column)} IN"
        f" (SELECT m.{q(user.column)} FROM {q(member_of.db_table)} m"
        f" INNER JOIN {q(group.related_model._meta.db_table)} g"
        f" ON g.{q(group.target_field.column)} = m.{q(group.column)}"
        f" WHERE g.name = %s)"
        f" AS in_core_group FROM {q(User._meta.db_table)} u"
        f" WHERE u.{q(User._meta.pk.column)} = %s"
    )
