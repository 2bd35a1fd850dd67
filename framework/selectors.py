"""What the pages read of the framework."""

from framework.models import Stream
from p2s.cache import cached


def all_streams(request):
    """The five streams, in order. They change almost never: kept for every
    reader (p2s/cache.py)."""
    return cached(request, "streams", (), lambda: list(Stream.objects.all()))
