"""Caching that never serves a stale library.

Everything cached here is keyed by the *library version*: a token kept in the
cache and replaced whenever anything of the library is written (a story, its
status, tags, images, lessons, themes, communities, collections), by the signals
below, at once and again when the transaction commits. A newly published story
therefore appears, and an archived one disappears, on the very next request;
entries of older versions are never read again and expire.

Two uses:
- `cache_for_visitors`: whole pages for anonymous visitors without cookies
  (signed-in readers, and anyone holding a session or a message, always get a
  fresh page);
- `cached`: data shared by every reader of one visibility class (public, or
  the Collective), such as browse's facet counts.

With several app servers the cache must be shared (REDIS_URL, docs/
configuration.md): each process's own memory would keep its own version.
"""

import hashlib
import uuid
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.http import HttpResponse

VERSION_KEY = "p2s:library-version"
LIBRARY_APPS = {"stories", "communities", "lessons", "curation", "p2s", "taggit"}


def library_version():
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, None)
        version = cache.get(VERSION_KEY)
    return version


def library_changed():
    """A new version: every page and datum cached before is left behind."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


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


def cached(name, parts, compute, timeout=None):
    """`compute()`, kept under `name` + `parts` for this library version."""
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    key = f"p2s:data:{library_version()}:{name}:{digest}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout or settings.PAGE_CACHE_SECONDS)
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


def _cacheable_request(request):
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and not request.user.is_authenticated
    )


def cache_for_visitors(view):
    """Serve `view` to anonymous visitors from the cache: the same page for the
    same address and library version. Only a plain 200 page that set no cookie
    and used no CSRF token is kept; the middleware still adds its headers."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _cacheable_request(request):
            return view(request, *args, **kwargs)
        # the host and scheme too: pages carry absolute addresses (social
        # meta, feeds), so one host's page is never served on another
        address = request.build_absolute_uri()
        path = hashlib.sha256(address.encode()).hexdigest()[:32]
        key = f"p2s:page:{library_version()}:{path}"
        hit = cache.get(key)
        if hit is not None:
            content_type, content = hit
            return HttpResponse(content, content_type=content_type)
        response = view(request, *args, **kwargs)
        if (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            and not response.has_header("Cache-Control")
        ):
            cache.set(
                key,
                (response["Content-Type"], response.content),
                settings.PAGE_CACHE_SECONDS,
            )
        return response

    return wrapper
