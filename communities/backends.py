import functools

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef

from communities.models import CORE_TEAM, Membership


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
        team and whether they belong to a community (so may share a story)
        asked in the same query: nearly every page wants to know."""
        try:
            user = with_standing().get(pk=user_id)
        except (
            get_user_model().DoesNotExist,
            ValidationError,
            ValueError,
            OverflowError,  # an id beyond the database's integers
        ):
            return None
        return user if self.user_can_authenticate(user) else None


def with_standing():
    """Accounts, each with its core-team standing and whether it belongs to a
    community: a fresh, unevaluated query each call."""
    return _standing_query().all()


@functools.cache
def _standing_query():
    """The query of `with_standing`, built once per process: resolving its two
    EXISTS conditions cost every signed-in request about 1 ms
    (docs/performance.md). It is never evaluated itself, so it keeps no rows."""
    User = get_user_model()
    core = User.groups.through.objects.filter(
        user=OuterRef("pk"), group__name=CORE_TEAM
    )
    member = Membership.objects.filter(user=OuterRef("pk"))
    return User._default_manager.annotate(
        in_core_group=Exists(core), in_a_community=Exists(member)
    )
