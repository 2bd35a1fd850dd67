"""Caching that never serves a stale library.

Everything cached here belongs to a *library version*: a token kept in the
cache and replaced whenever anything of the library is written (a story, its
status, tags, images, lessons, themes, communities, collections), by the signals
below, at once and again when the transaction commits. A newly published story
therefore appears, and an archived one disappears, on the very next request;
entries of older versions are never served again and expire.

Two uses:
- whole pages for anonymous visitors without cookies (signed-in readers, and
  anyone holding a session or a message, always get a fresh page). A view
  decorated with `cache_for_visitors` marks its page as fit to keep; the
  `KeptPages` middleware, near the top of MIDDLEWARE, keeps it with the
  headers the rest of the stack gave it, and replays it to the next visitor
  before sessions, CSRF, auth and the view run, in one cache round trip;
- `cached`: data shared by every reader of one visibility class (public, or
  the Collective), such as browse's facet counts.

With several app servers the cache must be shared (REDIS_URL, docs/
configuration.md): each process's own memory would keep its own version.
"""

import hashlib
import logging
import threading
import time
import uuid
from collections import OrderedDict
from contextvars import ContextVar
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.core.signals import request_started
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.http import HttpResponse

VERSION_KEY = "p2s:library-version"
logger = logging.getLogger(__name__)
LIBRARY_APPS = {"stories", "communities", "lessons", "curation", "p2s", "taggit"}


# The version as this request first read it: one cache round trip a request,
# not one for each thing kept. Forgotten when a request starts; replaced when
# the request itself writes.
_this_request = ContextVar("p2s_library_version", default=None)


@receiver(request_started, dispatch_uid="p2s-cache-request-started")
def _forget_version(**kwargs):
    _this_request.set(None)


def library_version():
    version = _this_request.get()
    if version is None:
        version = cache.get(VERSION_KEY)
        if version is None:
            cache.add(VERSION_KEY, uuid.uuid4().hex, None)
            version = cache.get(VERSION_KEY)
        _this_request.set(version)
    return version


def version_seen(version):
    """The library version as another read of the cache brought it along
    (the session's, in the same round trip): this request's, unless it has
    one already."""
    if version is not None and _this_request.get() is None:
        _this_request.set(version)


def library_changed():
    """A new version: every page and datum cached before is left behind."""
    version = uuid.uuid4().hex
    cache.set(VERSION_KEY, version, None)
    _this_request.set(version)


# Writes that change nothing any page shows: signing in stamps the account.
UNSHOWN_WRITES = {frozenset({"last_login"})}


def _changed(sender, **kwargs):
    if kwargs.get("raw") or sender._meta.app_label not in LIBRARY_APPS:
        return
    fields = kwargs.get("update_fields")
    if fields is not None and frozenset(fields) in UNSHOWN_WRITES:
        return
    library_changed()
    # and again after commit (once per transaction), so that a page cached
    # from the old rows while the transaction was open isn't kept
    connection = transaction.get_connection()
    if connection.in_atomic_block and not any(
        entry[1] is library_changed for entry in connection.run_on_commit
    ):
        transaction.on_commit(library_changed)


post_save.connect(_changed, dispatch_uid="p2s-cache-saved")
post_delete.connect(_changed, dispatch_uid="p2s-cache-deleted")


@receiver(m2m_changed, dispatch_uid="p2s-cache-m2m")
def _m2m_changed(sender, action, **kwargs):
    if action.startswith("post_"):
        _changed(sender)


def visibility_class(user):
    """Readers who see the same library: "public" (visitors and pending
    accounts) or "collective" (approved members)."""
    return "collective" if getattr(user, "is_collective_member", False) else "public"


class Recent:
    """The last few pages and page contents this process served, in its own
    memory, in front of the shared cache: a kept page or browse's content is
    then one small round trip (the library version) instead of a large one.

    Only what can't go stale is kept here: values filed under their library
    version (so a write anywhere, which replaces the version, leaves them
    behind at once on every server), for at most PAGE_CACHE_SECONDS from
    when this process got them, and only text and bytes, which no request
    can change."""

    def __init__(self, size):
        self.size = size
        self.items = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key):
        with self.lock:
            found = self.items.get(key)
            if found is None:
                return None
            expires, value = found
            if expires <= time.monotonic():
                del self.items[key]
                return None
            self.items.move_to_end(key)
            return value

    def set(self, key, value, timeout):
        with self.lock:
            self.items[key] = (time.monotonic() + timeout, value)
            self.items.move_to_end(key)
            while len(self.items) > self.size:
                self.items.popitem(last=False)

    def clear(self):
        with self.lock:
            self.items.clear()


# about 200 pages of up to 75 KB: at most some 15 MB a process
RECENT = Recent(200)


def cached(name, parts, compute, timeout=None, keep=None, recent=False):
    """`compute()`, kept under `name` + `parts` for this library version (only
    if `keep(value)`, when given); with `recent`, also in this process's own
    memory (`Recent`: text, bytes, or tuples of text and numbers, only)."""
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    key = f"p2s:data:{library_version()}:{name}:{digest}"
    timeout = timeout or settings.PAGE_CACHE_SECONDS
    value = RECENT.get(key) if recent else None
    if value is not None:
        return value
    value = cache.get(key)
    if value is None:
        value = compute()
        if keep is None or keep(value):
            cache.set(key, value, timeout)
        else:
            return value
    if recent:
        RECENT.set(key, value, timeout)
    return value


def cached_count(user, queryset):
    """`queryset.count()` of a queryset narrowed by `visible_to(user)`, kept for
    every reader of the same visibility class."""
    from django.core.exceptions import EmptyResultSet

    try:
        sql = str(queryset.query)
    except EmptyResultSet:
        return 0
    return cached("count", (visibility_class(user), sql), queryset.count)


def page_key(address):
    """Where the page for `address` is kept. The host and scheme count too:
    pages carry absolute addresses (social meta, feeds), so one host's page is
    never served on another."""
    return "p2s:page:" + hashlib.sha256(address.encode()).hexdigest()[:32]


def _could_be_kept(request):
    """Before auth runs: without a session cookie the reader is anonymous, and
    one with a message waiting must be shown it."""
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
    )


def _cacheable_request(request):
    return _could_be_kept(request) and not request.user.is_authenticated


def cache_for_visitors(view):
    """Mark `view`'s page as one `KeptPages` may keep for anonymous visitors:
    only a plain 200 page that set no cookie, used no CSRF token and said
    nothing of caching itself. Undecorated views are never kept."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if (
            _cacheable_request(request)
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            and not response.has_header("Cache-Control")
        ):
            response.p2s_keep = True
        return response

    return wrapper


# Never kept, so spared the round trip: static files and images (WhiteNoise
# and the image views, further in) and the health check, which must answer
# for the database whatever the cache is doing.
NEVER_KEPT = (settings.STATIC_URL, settings.MEDIA_URL, "/healthz")

# RequestLog adds a fresh id outside; a cookie is never anyone else's
UNKEPT_HEADERS = {"x-request-id", "set-cookie"}


class KeptPages:
    """Anonymous visitors' pages answered as early as possible, for throughput:
    a kept page skips sessions, CSRF, auth, messages, CSP and the view, and
    costs one cache round trip (the version and the page fetched together).

    Placed right after RequestLog, so every answer is still logged. A page is
    kept with the status and headers it left the rest of the stack with, so a
    kept page carries exactly the headers a fresh one did. Kept only when the
    view marked it (`cache_for_visitors`) and nothing below made it personal:
    no cookie set (session, CSRF, messages), nothing private or no-store. The
    key is the address alone, so no middleware below may vary a page on other
    request headers (compression, language) without joining the key."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _could_be_kept(request) or request.path.startswith(NEVER_KEPT):
            return self.get_response(request)
        try:
            key = page_key(request.build_absolute_uri())
        except DisallowedHost:  # Django answers 400 further in
            return self.get_response(request)
        # this process's own copy, if it has one, is checked against the
        # shared version alone; otherwise the version and the page together
        mine = RECENT.get(key)
        try:
            found = cache.get_many([VERSION_KEY] if mine else [VERSION_KEY, key])
            version = found.get(VERSION_KEY)
            if mine and version is not None and mine[0] != version:
                # left behind by a write: another process may have kept it afresh
                mine, found[key] = None, cache.get(key)
        except Exception:  # the cache is down: the page is made as usual
            logger.warning("kept pages: the cache did not answer", exc_info=True)
            return self.get_response(request)
        kept = mine or found.get(key)
        if version is not None and kept is not None and kept[0] == version:
            if not mine:
                RECENT.set(key, kept, settings.PAGE_CACHE_SECONDS)
            _, status, headers, content = kept
            return HttpResponse(content, status=status, headers=headers)
        # the version from before the view: a write while it runs leaves the
        # page stale, to be made again, never kept as current
        if version is None:
            version = library_version()
        else:  # and the view needn't ask again
            _this_request.set(version)
        response = self.get_response(request)
        if _keepable(response):
            headers = tuple(
                (name, value)
                for name, value in response.items()
                if name.lower() not in UNKEPT_HEADERS
            )
            kept = (version, response.status_code, headers, response.content)
            cache.set(key, kept, settings.PAGE_CACHE_SECONDS)
            RECENT.set(key, kept, settings.PAGE_CACHE_SECONDS)
        return response


def _keepable(response):
    directives = {
        directive.split("=")[0].strip().lower()
        for directive in response.get("Cache-Control", "").split(",")
    }
    return (
        getattr(response, "p2s_keep", False)
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not directives & {"private", "no-store"}
    )
