"""Structured logs: one JSON line per request, with its id, who, what, the
status and the time taken; a 500's exception; no query strings or secret
tokens."""

import io
import json
import logging
import os
import re
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from p2s.logging import JSONFormatter, loggable_path
from tests.factories import make_collection, make_story

pytestmark = pytest.mark.django_db

HEX_ID = re.compile(r"[0-9a-f]{32}")


@pytest.fixture
def log_lines(caplog):
    """Every line logged from now on, written by the project's JSON formatter as
    it happens (within the request, as in production), parsed back."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JSONFormatter())
    caplog.set_level(logging.INFO)
    root = logging.getLogger()
    root.addHandler(handler)

    def lines(logger=None):
        parsed = [json.loads(line) for line in stream.getvalue().splitlines()]
        return [line for line in parsed if logger in (None, line["logger"])]

    yield lines
    root.removeHandler(handler)


def request_line(log_lines):
    [line] = log_lines("p2s.request")
    return line


def test_a_page_logs_one_line_with_every_field(client, log_lines):
    make_story()
    response = client.get("/")
    assert response.status_code == 200
    line = request_line(log_lines)
    assert set(line) == {
        "timestamp", "level", "logger", "message", "request_id", "user_id",
        "method", "path", "status", "duration_ms",
    }  # fmt: skip
    assert re.fullmatch(
        r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00", line["timestamp"]
    )
    assert line["level"] == "INFO"
    assert line["message"] == "GET / 200"
    assert line["method"] == "GET" and line["path"] == "/" and line["status"] == 200
    assert line["user_id"] is None
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert HEX_ID.fullmatch(line["request_id"])
    assert response["X-Request-ID"] == line["request_id"]


def test_every_request_has_its_own_id(client, log_lines):
    first, second = client.get("/healthz"), client.get("/healthz")
    ids = [line["request_id"] for line in log_lines("p2s.request")]
    assert ids == [first["X-Request-ID"], second["X-Request-ID"]]
    assert ids[0] != ids[1]


def test_a_404_is_logged_without_its_query_string(client, log_lines):
    response = client.get("/no/such/page/", {"q": "my private search"})
    assert response.status_code == 404
    line = request_line(log_lines)
    assert line["status"] == 404 and line["level"] == "INFO"
    assert line["path"] == "/no/such/page/"
    text = json.dumps(log_lines())
    assert "private" not in text and "q=" not in text


def test_a_signed_in_request_names_the_account(member_client, member, log_lines):
    assert member_client.get("/me/").status_code == 200
    line = request_line(log_lines)
    assert line["user_id"] == member.pk
    assert line["path"] == "/me/"


def test_a_shared_link_never_reaches_the_log(client, log_lines):
    collection = make_collection(stories=[make_story()], visibility="link")
    token = collection.share_token
    for url in [f"/collections/shared/{token}/", f"/collections/shared/{token}/print/"]:
        assert client.get(url).status_code == 200
    assert client.get("/collections/shared/not-a-real-token/").status_code == 404
    paths = [line["path"] for line in log_lines("p2s.request")]
    assert paths == [
        "/collections/shared/<token>/",
        "/collections/shared/<token>/print/",
        "/collections/shared/<token>/",
    ]
    text = json.dumps(log_lines())
    assert token not in text and "not-a-real-token" not in text


def _routes(patterns, prefix=""):
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _routes(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            yield route


def test_every_address_with_a_secret_in_it_is_cleaned():
    """A guard: any URL of the site with a token (or a password reset's user
    id) in its path has it replaced in the logs, however it is written."""
    secret = re.compile(r"<(?:\w+:)?(\w*token\w*|uidb64)>")
    routes = [r for r in _routes(get_resolver().url_patterns) if secret.search(r)]
    assert any("stories/pending" in r for r in routes)
    assert len(routes) >= 4  # shared collections (2), invitations, password reset
    for route in routes:
        # a regex route's named groups read as a path's parameters
        route = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"<\1>", route).strip("^$")
        path = "/" + secret.sub(lambda m: f"S3CRET{m[1]}", route)
        path = re.sub(r"<(?:\w+:)?\w+>", "x", path)
        assert "S3CRET" not in loggable_path(path), route


def test_a_secret_path_named_in_a_message_is_cleaned_too(log_lines):
    logging.getLogger("django.security.csrf").warning(
        "Forbidden (%s): %s", "CSRF token missing.", "/accounts/invitations/Xy-9_z/"
    )
    [line] = log_lines("django.security.csrf")
    assert line["message"] == (
        "Forbidden (CSRF token missing.): /accounts/invitations/<token>/"
    )


def test_a_long_path_is_cut_short():
    assert len(loggable_path("/stories/" + "a" * 5000)) <= 301


@pytest.mark.parametrize(
    "incoming, kept",
    [
        ("3f2a9c1e-8b7d-4e2f-9a1c-0b5d6e7f8a9b", True),
        ("edge-proxy_req.12345678", True),
        ("short", False),
        ("x" * 65, False),
        ("has space inside it", False),
        ('"><script>alert(1)</script>', False),
        ("id\nforged log line", False),
    ],
)
def test_a_request_id_from_the_proxy_is_kept_only_when_safe(
    client, log_lines, incoming, kept
):
    response = client.get("/healthz", HTTP_X_REQUEST_ID=incoming)
    line = request_line(log_lines)
    assert line["request_id"] == response["X-Request-ID"]
    if kept:
        assert line["request_id"] == incoming
    else:
        assert HEX_ID.fullmatch(line["request_id"])


@pytest.mark.urls("tests.p2s.failing_urls")
def test_a_500_logs_its_exception_with_the_request(member, log_lines):
    client = Client(raise_request_exception=False)
    client.force_login(member)
    response = client.get("/test/broken/", {"token": "not-for-the-log"})
    assert response.status_code == 500
    assert b"Something went wrong on our side" in response.content
    line = request_line(log_lines)
    assert line["level"] == "ERROR"
    assert line["status"] == 500 and line["path"] == "/test/broken/"
    assert line["user_id"] == member.pk
    assert line["request_id"] == response["X-Request-ID"]
    exception = line["exception"]
    assert exception["type"] == "RuntimeError"
    assert exception["message"] == "boom for the log"
    assert exception["traceback"].startswith("Traceback (most recent call last):")
    assert 'raise RuntimeError("boom for the log")' in exception["traceback"]
    assert "not-for-the-log" not in json.dumps(log_lines())


@pytest.mark.urls("tests.p2s.failing_urls")
def test_what_is_logged_during_a_request_carries_its_id(client, log_lines):
    response = client.get("/test/database-gone/")
    assert response.status_code == 503
    database, request = log_lines()
    assert database["logger"] == "p2s.database" and database["level"] == "ERROR"
    assert database["exception"]["type"] == "django.db.utils.OperationalError"
    assert request["logger"] == "p2s.request" and request["status"] == 503
    assert "exception" not in request  # told once, by the line above
    assert database["request_id"] == request["request_id"] == response["X-Request-ID"]


def test_lines_outside_a_request_have_no_request_id(log_lines):
    logging.getLogger("p2s.test").warning("Nothing to do with a request")
    [line] = log_lines("p2s.test")
    assert line["request_id"] is None
    assert line["message"] == "Nothing to do with a request"


def test_the_deployed_settings_write_json_to_stdout():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "p2s.settings.production",
        "SECRET_KEY": "x" * 60,
        "ALLOWED_HOSTS": "stories.example.org",
    }
    code = (
        "import django, logging; django.setup(); "
        "logging.getLogger('p2s.check').info('Written as %s', 'JSON')"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=settings.BASE_DIR, env=env,
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    line = json.loads(result.stdout)
    assert line["message"] == "Written as JSON"
    assert line["logger"] == "p2s.check" and line["level"] == "INFO"
