"""Rate limits on the writes a robot would repeat: signing up, saving stories,
previewing and uploading.

Counts live in Django's cache, in fixed windows, per signed-in account or, for
visitors, per client address (`common.client_ip`, which a forged X-Forwarded-For
cannot change). With a shared cache (Redis) every app server counts together.
The limits are `settings.RATE_LIMITS`: scope -> (requests, seconds).
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, JsonResponse

from common.client_ip import client_ip

MESSAGE = (
    "You've done this many times in a short while, so we've paused it to keep "
    "the library safe from robots. Please wait {wait} and try again; nothing "
    "you typed is lost."
)


def _wait_words(seconds):
    minutes = max(1, round(seconds / 60))
    return "a minute" if minutes == 1 else f"{minutes} minutes"


class Limit:
    """The outcome of counting one request against a scope."""

    def __init__(self, exceeded, retry_after):
        self.exceeded = exceeded
        self.retry_after = retry_after

    def __bool__(self):
        return self.exceeded

    @property
    def message(self):
        return MESSAGE.format(wait=_wait_words(self.retry_after))

    def apply(self, response):
        """Past the limit, mark `response` as the refusal: 429 with
        Retry-After. Within it, `response` is left as it is."""
        if self.exceeded:
            response.status_code = 429
            response["Retry-After"] = str(self.retry_after)
        return response


def hit(request, scope):
    """Count this request against `scope`; the result is truthy once the
    client has gone past the limit in the current window."""
    limit, period = settings.RATE_LIMITS[scope]
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        who = f"user:{user.pk}"
    else:
        who = f"ip:{client_ip(request)}"
    now = time.time()
    window = int(now // period)
    key = f"ratelimit:{scope}:{who}:{window}"
    cache.add(key, 0, timeout=period + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # the key expired between add and incr
        cache.set(key, 1, timeout=period + 1)
        count = 1
    retry_after = max(1, int((window + 1) * period - now))
    if count is None:  # the cache (Redis) isn't answering: fail open
        return Limit(False, retry_after)
    return Limit(count > limit, retry_after)


def check_form(request, scope, form):
    """Count a POST of `form` against `scope`; past the limit, the reason goes
    on the form, which then shows it with what was typed. A GET isn't
    counted. Apply the result to the response (`limit.apply(response)`)."""
    if request.method != "POST":
        return Limit(False, 0)
    limit = hit(request, scope)
    if limit:
        form.add_error(None, limit.message)
    return limit


def refused_text(limit):
    """The refusal for an endpoint that answers plain text (the live preview)."""
    response = HttpResponse(limit.message, content_type="text/plain")
    return limit.apply(response)


def refused_json(limit, field):
    """The refusal for an endpoint that answers JSON (the editor's upload)."""
    return limit.apply(JsonResponse({field: [limit.message]}))
