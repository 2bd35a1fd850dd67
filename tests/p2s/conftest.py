import pytest
from django.core.cache import caches


class Trips(list):
    """The names of the cache calls made, in order; `asked` holds each with
    its first argument (the key, or the keys)."""

    def __init__(self):
        super().__init__()
        self.asked = []

    def clear(self):
        super().clear()
        self.asked.clear()


@pytest.fixture
def round_trips(monkeypatch):
    """Each call made to the cache: a round trip to Redis in production
    (locmem's get_many calls its own get inside, which isn't one)."""
    backend = caches["default"]
    trips, depth = Trips(), [0]

    def spy(name):
        real = getattr(backend, name)

        def call(*args, **kwargs):
            if not depth[0]:
                trips.append(name)
                trips.asked.append((name, args[0] if args else None))
            depth[0] += 1
            try:
                return real(*args, **kwargs)
            finally:
                depth[0] -= 1

        monkeypatch.setattr(backend, name, call)

    for name in ("get", "get_many", "set", "add", "set_many", "delete"):
        spy(name)
    return trips
