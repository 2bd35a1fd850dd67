from p2s.cache import cached
from p2s.links import NAV_LINKS
from p2s.models import Stream


def all_streams():
    """The five streams, in order. They change almost never: kept under the
    library version (p2s/cache.py)."""
    return cached("streams", (), lambda: list(Stream.objects.all()))


def streams(request):
    """The five streams for the site navigation, fetched once per request
    and only if a template uses them; and the layout's other links."""

    def load():
        if not hasattr(request, "_p2s_streams"):
            request._p2s_streams = all_streams()
        return request._p2s_streams

    return {"nav_streams": load, "nav": NAV_LINKS}
