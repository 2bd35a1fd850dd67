"""How the exporter orders what it reads so that two exports of one library
compare equal, file for file, on any database: rows grouped by the row they
belong to in the order the query gave, rows sorted by their text code point by
code point rather than by the database's collation, and JSON with its objects'
keys sorted."""

from collections import defaultdict
from operator import itemgetter


def grouped(rows, key):
    """Rows (dicts, in query order) by `key`, as lists."""
    groups = defaultdict(list)
    for row in rows:
        groups[row.pop(key)].append(row)
    return groups


def sorted_by(key, rows):
    """Rows in the order of `key`'s text, by code point: the same on every
    database, whatever its collation, so that exports compare equal."""
    return sorted(rows, key=itemgetter(key))


def canonical(value):
    """JSON with its objects' keys sorted: PostgreSQL's jsonb keeps its own
    order, SQLite the order written."""
    if isinstance(value, dict):
        return {key: canonical(value[key]) for key in sorted(value)}
    if isinstance(value, list):
        return [canonical(item) for item in value]
    return value
