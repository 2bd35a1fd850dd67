"""p2s.redis_cache: Django's Redis cache with one client per connection pool,
against the real Redis CI starts (P2S_TEST_REDIS_URL, database 7 by default)."""

import os
import threading

import pytest

from p2s.redis_cache import RedisCache

REDIS_URL = os.environ.get("P2S_TEST_REDIS_URL", "redis://127.0.0.1:6379/7")


@pytest.fixture
def redis_cache():
    import redis

    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.ConnectionError:
        pytest.fail(f"Redis isn't answering at {REDIS_URL}: CI starts it")
    cache = RedisCache(REDIS_URL, {"KEY_PREFIX": "p2s-test-client"})
    yield cache
    cache.delete_many(["a", "b", "counter"])


def test_it_keeps_reads_and_forgets_like_djangos(redis_cache):
    redis_cache.set("a", {"page": b"<h1>Hi</h1>"}, 30)
    redis_cache.set("b", 2, 30)
    assert redis_cache.get("a") == {"page": b"<h1>Hi</h1>"}
    assert redis_cache.get_many(["a", "b", "missing"]) == {
        "a": {"page": b"<h1>Hi</h1>"},
        "b": 2,
    }
    assert redis_cache.add("b", 3) is False
    redis_cache.delete("a")
    assert redis_cache.get("a") is None


def test_one_client_serves_every_call(redis_cache):
    client = redis_cache._cache.get_client()
    assert redis_cache._cache.get_client() is client
    assert redis_cache._cache.get_client(write=True) is client  # one server


def test_the_shared_client_counts_right_from_many_threads(redis_cache):
    redis_cache.set("counter", 0, 30)

    def count():
        for _ in range(50):
            redis_cache.incr("counter")

    threads = [threading.Thread(target=count) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert redis_cache.get("counter") == 200
