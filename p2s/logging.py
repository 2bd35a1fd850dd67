"""Structured logs: one JSON object per line on stdout, each tagged with the
request it belongs to (docs/configuration.md#logs).

`RequestLog` (p2s/middleware.py) gives every request an id, keeps it here for
the duration of the request so that any line logged meanwhile carries it, and
writes the request's own line when it is answered."""

import contextvars
import json
import logging
import re
import secrets
import traceback
from datetime import UTC, datetime

_request_id = contextvars.ContextVar("p2s_request_id", default=None)

# An id a proxy in front may already have given the request (nginx's
# $request_id, a load balancer's, a UUID): kept when it is short and plain, so
# the proxy's logs and ours line up; anything else is replaced with our own.
SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{7,63}")

# Paths whose segments are secrets (anyone holding them may read or act):
# shared collection links, invitations, password resets, pending uploads.
# They never reach a log, whether as a request's path or inside a message
# (Django's CSRF refusal names the path, for one). Not anchored: the site
# may live under a prefix.
SEGMENT = r"[^/\s?#]+"
SECRET_PATHS = [
    (re.compile(rf"(/collections/shared/){SEGMENT}"), r"\1<token>"),
    (re.compile(rf"(/accounts/invitations/){SEGMENT}"), r"\1<token>"),
    (re.compile(rf"(/accounts/reset/){SEGMENT}/{SEGMENT}"), r"\1<uidb64>/<token>"),
    # someone's upload kept through a failed submit (owner-only, but its
    # address is theirs alone)
    (re.compile(rf"(/stories/pending/){SEGMENT}(?=/)"), r"\1<token>"),
]
MAX_PATH = 300


def request_id_for(incoming):
    """The id of a request: the proxy's when it is safe to repeat, else new."""
    if incoming and SAFE_REQUEST_ID.fullmatch(incoming):
        return incoming
    return secrets.token_hex(16)


def current_request_id():
    return _request_id.get()


def begin_request(request_id):
    """Tag every line logged from now on with `request_id`; returns what
    `end_request` needs to stop."""
    return _request_id.set(request_id)


def end_request(token):
    _request_id.reset(token)


def without_secrets(text):
    for pattern, placeholder in SECRET_PATHS:
        text = pattern.sub(placeholder, text)
    return text


def loggable_path(path):
    """`path` as it may be written down: secret tokens replaced, and cut short.
    (The query string is never logged: it holds search terms.)"""
    path = without_secrets(path)
    if len(path) > MAX_PATH:
        path = path[:MAX_PATH] + "…"
    return path


class JSONFormatter(logging.Formatter):
    """One line of JSON per record: when, how bad, which logger, the message,
    the request it happened in, the request's own fields when the record is a
    request line, and the exception (type, message, traceback) when there is
    one."""

    REQUEST_FIELDS = ("user_id", "method", "path", "status", "duration_ms")

    def format(self, record):
        entry = {
            "timestamp": datetime.fromtimestamp(record.created, UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": without_secrets(record.getMessage()),
            "request_id": getattr(record, "request_id", None) or _request_id.get(),
        }
        for field in self.REQUEST_FIELDS:
            if hasattr(record, field):
                entry[field] = getattr(record, field)
        if record.exc_info and record.exc_info[1] is not None:
            kind, error, trace = record.exc_info
            module = "" if kind.__module__ == "builtins" else f"{kind.__module__}."
            entry["exception"] = {
                "type": module + kind.__qualname__,
                "message": str(error),
                "traceback": "".join(traceback.format_exception(kind, error, trace)),
            }
        elif record.stack_info:
            entry["stack"] = record.stack_info
        return json.dumps(entry, default=str, ensure_ascii=False)
