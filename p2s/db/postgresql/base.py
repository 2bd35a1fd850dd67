"""Django's PostgreSQL backend, with the health check asked only of a
connection that has sat idle and the hot statements prepared (p2s.db)."""

from django.db.backends.postgresql import base

from p2s.db import IdleHealthCheck, PreparedStatements


class DatabaseWrapper(IdleHealthCheck, PreparedStatements, base.DatabaseWrapper):
    pass
