"""A column of the story that the database gives its own type."""

from django.contrib.postgres.fields import ArrayField


class FacetKeysField(ArrayField):
    """An array of short keys on PostgreSQL; elsewhere (SQLite, which has no
    arrays) a text column that stays empty."""

    def db_type(self, connection):
        if connection.vendor != "postgresql":
            return "text"
        return super().db_type(connection)

    def get_placeholder(self, value, compiler, connection):
        if connection.vendor != "postgresql":
            return "%s"
        return super().get_placeholder(value, compiler, connection)
