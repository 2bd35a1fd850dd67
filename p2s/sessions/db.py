from django.contrib.sessions.backends import db

from p2s.sessions import ReadOnce


class SessionStore(ReadOnce, db.SessionStore):
    pass
