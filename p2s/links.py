"""Addresses that never change while the process runs, worked out once:
reverse() is a good part of drawing a page's layout otherwise."""

import functools

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse

# The layout's links, drawn on every page: name in templates -> URL name
NAV = {
    "home": "home",
    "stories": "stories:list",
    "communities": "communities:list",
    "themes": "themes:list",
    "collections": "collections:list",
    "synthesis": "synthesis:page",
    "me": "me",
    "share": "stories:new",
    "sign_out": "accounts:logout",
    "sign_in": "accounts:login",
    "join": "accounts:signup",
    "feed": "feeds:stories",
}


def fixed_url(name, **kwargs):
    """`reverse(name, kwargs=kwargs)`, worked out once per process: the URL
    patterns don't change while it runs (the prefix and URLconf it was
    reversed under are part of what is remembered)."""
    return _reversed(get_urlconf(), get_script_prefix(), name, tuple(kwargs.items()))


@functools.lru_cache(maxsize=256)
def _reversed(urlconf, prefix, name, kwargs):
    return reverse(name, urlconf=urlconf, kwargs=dict(kwargs))


class NavLinks:
    """`{{ nav.home }}` and the rest of NAV, for the layout."""

    def __getitem__(self, key):
        return fixed_url(NAV[key])


NAV_LINKS = NavLinks()


@receiver(setting_changed, dispatch_uid="p2s-links-urlconf")
def _forget_addresses(setting, **kwargs):
    """A test that swaps ROOT_URLCONF gets the new patterns' addresses."""
    if setting == "ROOT_URLCONF":
        _reversed.cache_clear()
