"""The health check is asked only of a connection that has sat idle
(p2s.db.IdleHealthCheck): a busy server saves a round trip a request, and a
connection that died while unused is still replaced before it is used."""

import time

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

import p2s.db
from p2s.db import IdleHealthCheck, PreparedStatements

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs the suite on PostgreSQL (DATABASE_URL=postgres://…): a real "
    "server to drop the connection",
)


@pytest.fixture
def clock(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(p2s.db.time, "monotonic", lambda: now[0])
    return now


@pytest.fixture
def second():
    """A second connection to the test database, of the project's backend
    (on SQLite, Django's with the same change), with health checks on."""
    wrapper = type(connections["default"])
    if not issubclass(wrapper, IdleHealthCheck):
        wrapper = type("Wrapper", (IdleHealthCheck, wrapper), {})
    db = wrapper({**connection.settings_dict, "CONN_HEALTH_CHECKS": True}, "second")
    yield db
    db.close()


def request(db):
    """What Django does around a request: close_old_connections, then a
    query, as a view would."""
    db.close_if_unusable_or_obsolete()
    with db.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone()


def test_postgresql_uses_the_projects_backend():
    if connection.vendor == "postgresql":
        assert isinstance(connections["default"], IdleHealthCheck)
        assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True


def test_a_connection_idle_for_a_while_is_checked_and_a_busy_one_is_not(second, clock):
    checks = []
    alive = [True]
    second.is_usable = lambda: checks.append(clock[0]) or alive[0]
    closed, close = [], second.close
    second.close = lambda: closed.append(clock[0]) or close()
    assert request(second) == (1,)
    first = second.connection

    clock[0] += 0.5  # busy: used half a second ago
    assert request(second) == (1,)
    assert checks == [] and closed == [] and second.connection is first

    clock[0] += 5  # idle for five seconds: asked, and it answers
    assert request(second) == (1,)
    assert checks == [clock[0]] and second.connection is first

    clock[0] += 5  # idle, and gone: replaced before the query
    alive[0] = False
    assert request(second) == (1,)
    assert len(checks) == 2 and closed == [checks[-1]]
    if connection.vendor == "postgresql":  # SQLite keeps its memory database
        assert second.connection is not first

    clock[0] += 5  # one check a request, however many queries
    second.close_if_unusable_or_obsolete()
    for _ in range(3):
        with second.cursor() as cursor:
            cursor.execute("SELECT 1")
    assert len(checks) == 3


def backend_pid(db):
    with db.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def drop(pid):
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])


@on_postgresql
def test_a_connection_dropped_while_idle_is_replaced_unseen(second, clock):
    request(second)
    pid = backend_pid(second)
    drop(pid)
    clock[0] += 60  # a quiet minute, say while the server restarted
    assert request(second) == (1,)
    assert backend_pid(second) != pid


@on_postgresql
def test_a_connection_dropped_while_busy_is_noticed_without_a_round_trip(second, clock):
    """A server ending a connection says so on its socket: seen between two
    requests however soon the next comes, and the connection replaced."""
    request(second)
    pid = backend_pid(second)
    drop(pid)
    deadline = time.monotonic() + 5
    while not second.heard_from_server() and time.monotonic() < deadline:
        time.sleep(0.01)  # the server's goodbye is on its way
    clock[0] += 0.1  # busy: answered a tenth of a second ago
    assert request(second) == (1,)
    assert backend_pid(second) != pid


@on_postgresql
def test_a_busy_connection_that_heard_nothing_is_not_asked(second, clock):
    request(second)
    asked = []
    second.is_usable = lambda: asked.append(1) or True
    clock[0] += 0.1
    assert not second.heard_from_server()
    assert request(second) == (1,) and asked == []


@on_postgresql
@pytest.mark.django_db(transaction=True)  # to close the connection
def test_a_signed_in_requests_statements_are_prepared_once_per_connection(
    member_client,
):
    """The session and the reader: prepared on a connection's first request,
    only executed after that, and prepared again on a new connection."""

    def statements():
        connection.close()  # a new connection, as a new worker would have
        for _ in range(2):
            with CaptureQueriesContext(connection) as captured:
                assert member_client.get("/me/").status_code == 200
            yield [query["sql"].split()[0] for query in captured]

    for first, then in [statements(), statements()]:
        assert first.count("PREPARE") == 2
        assert "PREPARE" not in then and then.count("EXECUTE") == 2
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT statement FROM pg_prepared_statements WHERE name LIKE 'p2s_%%'"
        )
        prepared = " ".join(row[0] for row in cursor.fetchall())
    assert "django_session" in prepared and "communities_user" in prepared


@on_postgresql
@pytest.mark.django_db(transaction=True)  # the connection is dropped
def test_statements_are_prepared_again_on_the_connection_that_replaces_a_dead_one(
    member_client, second
):
    assert member_client.get("/me/").status_code == 200  # prepared
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    with second.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    deadline = time.monotonic() + 5
    while not connections["default"].heard_from_server():
        assert time.monotonic() < deadline
        time.sleep(0.01)
    # what the request_started signal does in production (the test client
    # leaves it out)
    connections["default"].close_if_unusable_or_obsolete()
    with CaptureQueriesContext(connection) as captured:
        assert member_client.get("/me/").status_code == 200
    assert [query["sql"].split()[0] for query in captured].count("PREPARE") == 2


@on_postgresql
def test_prepared_statements_outlive_a_migration_that_adds_a_column(member_client):
    """A deploy migrates while the old workers' connections hold their
    prepared statements: those name their columns, so they keep working."""
    assert member_client.get("/me/").status_code == 200  # prepared
    with connection.cursor() as cursor:
        for table in ("communities_user", "django_session"):
            cursor.execute(f"ALTER TABLE {table} ADD COLUMN added_later integer")
    assert member_client.get("/me/").status_code == 200
    assert member_client.get("/me/").status_code == 200


def test_prepared_sql_numbers_the_parameters_and_can_be_switched_off(
    second, monkeypatch
):
    ran = []
    monkeypatch.setattr(second, "cursor", lambda: Recorder(ran))
    sql = "SELECT a FROM t WHERE b = %s AND c > %s"
    wrapper = type(connections["default"])
    if connection.vendor != "postgresql":  # the mixin, on any database
        wrapper = type("Prepares", (PreparedStatements, wrapper), {})
    second.__class__ = wrapper
    second.prepared = set()
    executed = second.prepared_sql(sql)
    assert executed.startswith("EXECUTE p2s_") and executed.endswith("(%s, %s)")
    name = executed.split()[1].split("(")[0]
    assert ran == [f"PREPARE {name} AS SELECT a FROM t WHERE b = $1 AND c > $2"]
    assert second.prepared_sql(sql) == executed and len(ran) == 1  # once
    second.settings_dict["CONN_MAX_AGE"] = 0  # a connection a request
    assert second.prepared_sql(sql) == sql
    second.settings_dict["CONN_MAX_AGE"] = 60
    assert second.prepared_sql(sql) == executed
    second.settings_dict["PREPARED_STATEMENTS"] = False
    assert second.prepared_sql(sql) == sql


class Recorder:
    def __init__(self, ran):
        self.ran = ran

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def execute(self, sql):
        self.ran.append(sql)


def settings_shown(expression, **env):
    """`expression` printed by a fresh process with the test settings and
    `env` (None removes a variable)."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "p2s.settings.test", **env}
    env = {name: value for name, value in env.items() if value is not None}
    code = f"from django.conf import settings; print({expression})"
    return subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True,
        cwd=Path(__file__).resolve().parents[2],
    )  # fmt: skip


@pytest.mark.parametrize("value, expected", [(None, True), ("1", True), ("0", False)])
def test_postgresql_settings_name_the_projects_backend(value, expected):
    """DATABASE_URL=postgres://… gives p2s.db.postgresql, with prepared
    statements unless DATABASE_PREPARED_STATEMENTS=0."""
    default = "settings.DATABASES['default']"
    shown = settings_shown(
        f"{default}['ENGINE'], {default}['PREPARED_STATEMENTS'], "
        f"{default}['CONN_HEALTH_CHECKS']",
        DATABASE_URL="postgres://someone@db.example:5432/p2s",
        DATABASE_PREPARED_STATEMENTS=value,
    )
    assert shown.returncode == 0, shown.stderr[-500:]
    assert shown.stdout.split() == ["p2s.db.postgresql", str(expected), "True"]


def test_settings_load_with_an_empty_database_url():
    """As CI's deployment check runs them (DATABASE_URL= gives no ENGINE)."""
    shown = settings_shown(
        "settings.DATABASES['default'].get('ENGINE')", DATABASE_URL=""
    )
    assert shown.returncode == 0, shown.stderr[-500:]
