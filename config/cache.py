"""Django's Redis cache, with one redis-py client per connection pool instead of one per command.

Django's ``RedisCacheClient.get_client`` builds a new ``redis.Redis`` for every cache call, and
building one fills its table of reply parsers (about 170 entries): on a cached page that reads
two values, that is most of what the cache costs. A ``redis.Redis`` is safe to share between
threads (each command borrows a connection from the pool), so each pool keeps one.
"""

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class SharedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class SharedClientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = SharedClientRedisCacheClient
