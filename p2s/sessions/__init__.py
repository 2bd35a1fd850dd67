"""Django's database sessions (SESSION_ENGINE "p2s.sessions.db", or
"p2s.sessions.cached_db" in front of Redis), reading a signed-in reader's
session with one query written once instead of built by the ORM on every
request: the same row, the same expiry rule, about half the time."""

import functools

from django.db import connection
from django.utils import timezone

from p2s.db import prepared


class ReadOnce:
    """For a SessionStore of django.contrib.sessions' db backends."""

    def _get_session_from_db(self):
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        sql = prepared(_session_sql(self.model))
        found = list(self.model.objects.raw(sql, [self.session_key, now]))
        if found:
            return found[0]
        self._session_key = None  # as Django's: the key named no live session
        return None


@functools.cache
def _session_sql(model):
    """The live session of a key, in the store's session model."""
    meta, q = model._meta, connection.ops.quote_name
    key, expires = meta.get_field("session_key"), meta.get_field("expire_date")
    # the model's columns by name, never *: a statement prepared on a
    # connection must keep its shape when a migration adds a column
    columns = ", ".join(q(field.column) for field in meta.concrete_fields)
    return (
        f"SELECT {columns} FROM {q(meta.db_table)}"
        f" WHERE {q(key.column)} = %s AND {q(expires.column)} > %s"
    )
