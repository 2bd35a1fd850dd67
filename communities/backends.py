from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class EmailBackend(ModelBackend):
    """Log in with an email address (or, for the demo accounts, a username)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        identifier = (username or kwargs.get("email") or "").strip()
        if not identifier or password is None:
            return None
        User = get_user_model()
        field = "email__iexact" if "@" in identifier else "username"
        user = User._default_manager.filter(**{field: identifier}).first()
        if user is None:
            User().set_password(password)  # same work either way: no timing hint
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
