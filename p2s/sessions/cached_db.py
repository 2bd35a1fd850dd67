from django.contrib.sessions.backends import cached_db

from p2s.sessions import ReadOnce


class SessionStore(ReadOnce, cached_db.SessionStore):
    pass
