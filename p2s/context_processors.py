import functools

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils.functional import SimpleLazyObject

from p2s.cache import cached
from p2s.links import NAV_LINKS
from p2s.models import Stream

NAMESPACES = {"communities", "themes", "collections", "synthesis"}


def all_streams():
    """The five streams, in order. They change almost never: kept under the
    library version (p2s/cache.py)."""
    return cached("streams", (), lambda: list(Stream.objects.all()))


def streams(request):
    """The layout's links, and its main navigation (drawn only if a template
    shows it)."""

    def main_nav():
        member = getattr(request.user, "is_collective_member", False)
        prefix = get_script_prefix()
        shown = cached("streams-nav", (prefix,), nav_streams, recent=True)
        return _main_nav(shown, section(request), member, prefix)

    return {"nav": NAV_LINKS, "main_nav": SimpleLazyObject(main_nav)}


def nav_streams():
    """(slug, name, address) of each stream, in order: text only, so this
    process may keep its own copy (p2s.cache.Recent)."""
    return tuple((s.slug, s.name, s.get_absolute_url()) for s in all_streams())


def section(request):
    """Which of the main navigation's places this page is (aria-current): a
    stream's address, a namespace, "stories" for browse, or ""."""
    match = request.resolver_match
    if match is None:
        return ""
    if match.namespace == "stories":
        if match.url_name == "list":
            return "stories"
        return request.path if match.url_name == "stream" else ""
    return match.namespace if match.namespace in NAMESPACES else ""


@functools.lru_cache(maxsize=512)
def _main_nav(streams, section, member, prefix):
    """The same for every reader of one kind on one section: drawn once per
    process (the streams' names and addresses are part of what is
    remembered, so a renamed stream is drawn again)."""
    return render_to_string(
        "includes/_main_nav.html",
        {"nav": NAV_LINKS, "streams": streams, "section": section, "member": member},
    )


@receiver(setting_changed, dispatch_uid="p2s-main-nav-urlconf")
def _forget_main_nav(setting, **kwargs):
    """A test that swaps ROOT_URLCONF gets a navigation of its patterns."""
    if setting == "ROOT_URLCONF":
        _main_nav.cache_clear()
