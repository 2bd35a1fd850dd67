"""Small middleware of the project's own."""

import logging
import sys
import time

from django.contrib.auth.models import AnonymousUser
from django.core.signals import got_request_exception
from django.db import DatabaseError, InterfaceError, OperationalError
from django.dispatch import receiver
from django.http import HttpResponse
from django.template import loader
from django.utils.cache import add_never_cache_headers, patch_cache_control

from p2s.logging import begin_request, end_request, loggable_path, request_id_for

DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30

database_log = logging.getLogger("p2s.database")

request_log = logging.getLogger("p2s.request")


class PrivateWhenSignedIn:
    """A signed-in reader may be shown Collective-only or unpublished stories
    on any page, so nothing answered to them may be kept by a shared cache or
    by the browser: `Cache-Control: private, no-store`. Visitors only ever see
    public content, which may be cached as usual."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response


class BrowsersAskAgain:
    """Django's page cache tells browsers and proxies that a page it keeps
    may be kept for as long (`max-age`, `Expires`). Here a write shows on the
    very next request, so a page the library makes may be stored by them but
    is asked for again each time (`no-cache`). Files (static files, images:
    streamed) and private answers keep what they say."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not response.streaming and "private" not in response.get(
            "Cache-Control", ""
        ):
            response["Cache-Control"] = "no-cache"
            del response["Expires"]
        return response


class RequestLog:
    """One JSON line per request (p2s/logging.py): its id, who asked, what, the
    status, how long it took, and for a 500 the exception behind it. First in
    MIDDLEWARE, so it times everything and logs every answer, the redirects and
    refusals of the other middleware included. The id is also sent back as
    `X-Request-ID`, for a reader to quote and an operator to find."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        request.request_id = request_id_for(request.headers.get("X-Request-ID"))
        context = begin_request(request.request_id)
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request.request_id
            status = response.status_code
            path = loggable_path(request.path)
            method = request.method[:16]
            exception = getattr(request, "p2s_exception", None)
            request_log.log(
                logging.ERROR if status >= 500 else logging.INFO,
                "%s %s %s",
                method,
                path,
                status,
                exc_info=exception if status == 500 else None,
                extra={
                    "user_id": _user_id(request),
                    "method": method,
                    "path": path,
                    "status": status,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
        finally:
            end_request(context)
        return response


def _user_id(request):
    user = getattr(request, "user", None)
    try:
        return user.pk if user is not None and user.is_authenticated else None
    except DatabaseError:  # the session or the account couldn't be read
        return None


@receiver(got_request_exception, dispatch_uid="p2s-request-log-exception")
def _remember_exception(sender, request=None, **kwargs):
    """Django tells of every exception that becomes a 500 here, wherever it was
    raised (a view, a template, a middleware); the request line reports it."""
    if request is not None:
        request.p2s_exception = sys.exc_info()[1]


class DatabaseUnavailable:
    """While the database can't be reached, the reader gets the short 503 page
    (templates/503.html, with Retry-After) rather than a 500, and the error is
    logged. Django turns an exception raised inside any middleware into a
    response before an outer one could catch it, so this catches what the view
    and its templates raise, and the 500 handler (p2s.views.server_error)
    answers the same page for what the session and auth middleware raise.
    Service comes back by itself: Django closes a connection that failed at the
    end of the request, and the next one connects anew."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_UNAVAILABLE):
            return database_unavailable(request, exception)
        return None


def database_unavailable(request, error):
    """The 503 page, from a plain template with no request context: no context
    processor or tag that could ask the database again. Whoever the reader is
    can't be looked up now, so nothing after this (the middleware on the way
    out) tries: they are treated as a visitor, and the page is never kept."""
    database_log.error("The database is unavailable: %s", error, exc_info=error)
    request.user = AnonymousUser()
    response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response
