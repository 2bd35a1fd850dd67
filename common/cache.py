"""Caching, in one rule: read through `visible_to`, write through a service.

Everything kept belongs to a *library version*, a token in the shared
`default` cache. A service that changes what a reader can see calls
`library_changed()` (or is decorated with `@changes_library`), which replaces
the version once its transaction commits; everything kept under the old one
is never read again and expires. Django's admin, which writes without our
services, does the same through one signal on its log (`_admin_wrote`).

What is kept lives in the `pages` cache, whose KEY_FUNCTION
(`versioned_key`) files every key under the version:
- visitors' whole pages, by Django's own cache middleware
  (`FetchVisitorsPages`, `UpdateCacheMiddleware`), keyed by address and by
  the request headers the page varies on (`Vary: Cookie`);
- parts of pages shared by every reader of one visibility class, through
  `cached()` or the `{% cachedpart %}` tag, which add the reader's class and
  the site themselves.

Both caches are shared by every process: Django's database cache by default,
Redis with REDIS_URL (docs/caching.md).
"""

import functools
import hashlib
import logging
import uuid
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import caches
from django.core.signals import request_started
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.middleware.cache import FetchFromCacheMiddleware

VERSION_KEY = "p2s:library-version"
PUBLIC, COLLECTIVE, CORE = "public", "collective", "core"
logger = logging.getLogger(__name__)

# The version as this request first read it, so that everything the request
# keeps or looks up is filed under one version: the one read before any data.
_this_request = ContextVar("p2s_library_version", default=None)


@receiver(request_started, dispatch_uid="p2s-cache-request-started")
def _forget_version(**kwargs):
    _this_request.set(None)


def library_version():
    """This request's library version, or None when the cache can't say (then
    nothing is kept or looked up)."""
    version = _this_request.get()
    if version is None:
        shared = caches["default"]
        try:
            version = shared.get(VERSION_KEY)
            if version is None:
                shared.add(VERSION_KEY, uuid.uuid4().hex, None)
                version = shared.get(VERSION_KEY)
        except Exception:
            logger.warning("the cache did not give the library version", exc_info=True)
            return None
        _this_request.set(version)
    return version


def _new_version():
    version = uuid.uuid4().hex
    try:
        caches["default"].set(VERSION_KEY, version, None)
    except Exception:
        logger.error("the library version could not be replaced", exc_info=True)
    # this request keeps the version it began with: what it read before the
    # write is filed under the old one, which is never read again


def library_changed():
    """What readers see has changed: a new library version once the current
    transaction commits (at once outside one), so nothing kept from the old
    rows is read again. Called by every service and command that writes."""
    transaction.on_commit(_new_version, robust=True)


def changes_library(service):
    """Decorate a service that changes what readers see: it retires the
    library version after it commits (`library_changed`)."""

    @functools.wraps(service)
    def wrapper(*args, **kwargs):
        result = service(*args, **kwargs)
        library_changed()
        return result

    wrapper.changes_library = True
    return wrapper


@receiver(post_save, sender="admin.LogEntry", dispatch_uid="p2s-cache-admin")
def _admin_wrote(sender, **kwargs):
    """The safety net: Django's admin logs every change it makes, after it."""
    library_changed()


def versioned_key(key, key_prefix, version):
    """The `pages` cache's KEY_FUNCTION: every key under the library version."""
    return f"{key_prefix}:{version}:{library_version() or uuid.uuid4().hex}:{key}"


def visibility_class(user):
    """Readers who see the same library: the core team, who see everything;
    approved members of the Collective; and the public (visitors and pending
    accounts)."""
    if user is None or not user.is_authenticated:
        return PUBLIC
    if user.is_core_team:
        return CORE
    return COLLECTIVE if user.is_collective_member else PUBLIC


def part_key(request, name, parts):
    """The one key of a part kept for every reader of the request's class on
    this site (pages carry absolute addresses); the `pages` cache adds the
    version."""
    site = f"{request.scheme}://{request.get_host()}"
    digest = hashlib.sha256(repr((site, tuple(parts))).encode()).hexdigest()[:32]
    return f"part:{visibility_class(request.user)}:{name}:{digest}"


def cached(request, name, parts, compute, *, keep=None):
    """`compute()`, kept for every reader of the request's visibility class
    under `name` and `parts` (only when `keep(value)`, if given). Whatever
    `compute` reads must be what that class may read: `visible_to`."""
    pages = caches["pages"]
    if library_version() is None:
        return compute()
    key = part_key(request, name, parts)
    value = pages.get(key)
    if value is None:
        value = compute()
        if keep is None or keep(value):
            pages.set(key, value, settings.PAGE_CACHE_SECONDS)
    return value


class FetchVisitorsPages(FetchFromCacheMiddleware):
    """Django's page cache, for visitors only: a request that carries a
    session or a message is never answered from it (nor, since it isn't
    looked up, kept by UpdateCacheMiddleware)."""

    def __init__(self, get_response):
        super().__init__(get_response)
        self.cookies = (settings.SESSION_COOKIE_NAME, "messages")

    def process_request(self, request):
        # before anything of the library is read: whatever this request keeps
        # is filed under the version from before its reads, so a write that
        # lands while it runs leaves it stale, never current
        library_version()
        if any(name in request.COOKIES for name in self.cookies):
            return None
        return super().process_request(request)
