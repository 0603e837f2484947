"""Django's Redis cache backend, reusing one `redis.Redis` client per connection pool.

Django's RedisCacheClient builds a new `redis.Redis` for every cache operation; redis-py's constructor
fills a table of ~170 response callbacks each time, which the bench's profile showed at ~3 % of a
signed-in page (sessions and cached reads each make one cache call). A `redis.Redis` is safe to share: it
only holds the pool, which hands out connections per command and notices a fork.
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class _ReusingClient(RedisCacheClient):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = _ReusingClient
