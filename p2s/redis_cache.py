"""Django's Redis cache, with one redis-py client per connection pool.

Django's RedisCacheClient makes a new `redis.Redis` for every cache call, and
redis-py builds its table of about 160 response callbacks in each: a fifth of
a visitor's kept page. A client shares its pool's connections and may be
shared between threads (redis-py's documentation), so one per pool is kept."""

from django.core.cache.backends import redis


class ReusedClient(redis.RedisCacheClient):
    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        clients = self.__dict__.setdefault("_clients_by_pool", {})
        client = clients.get(id(pool))
        if client is None:
            client = clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClient
