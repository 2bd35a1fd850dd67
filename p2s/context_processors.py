from p2s.cache import cached
from p2s.models import Stream


def streams(request):
    """The five streams for the site navigation, fetched once per request
    and only if a template uses them."""

    def load():
        if not hasattr(request, "_p2s_streams"):
            # the five rows change almost never: kept under the library version
            request._p2s_streams = cached(
                "nav-streams", (), lambda: list(Stream.objects.all())
            )
        return request._p2s_streams

    return {"nav_streams": load}
