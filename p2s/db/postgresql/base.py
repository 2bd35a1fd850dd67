"""Django's PostgreSQL backend, with the health check asked only of a
connection that has sat idle (p2s.db.IdleHealthCheck)."""

from django.db.backends.postgresql import base

from p2s.db import IdleHealthCheck


class DatabaseWrapper(IdleHealthCheck, base.DatabaseWrapper):
    pass
