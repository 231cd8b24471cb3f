"""Django's Redis cache through ``config/cache.py``: one redis-py client per connection pool, shared by threads."""

from concurrent.futures import ThreadPoolExecutor

from config.cache import SharedClientRedisCache


def test_threads_share_one_client_and_each_reads_back_what_it_wrote(redis_url):
    cache = SharedClientRedisCache(redis_url, {"KEY_PREFIX": "test-shared-client", "OPTIONS": {"max_connections": 8}})

    def write_and_read(n: int):
        cache.set(f"value-{n}", {"n": n, "text": "议事" * n}, 30)
        return cache.get(f"value-{n}"), cache._cache.get_client(write=True)

    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(write_and_read, range(200)))
    assert [value for value, _client in answers] == [{"n": n, "text": "议事" * n} for n in range(200)]
    assert len({id(client) for _value, client in answers}) == 1  # one server: one pool, one client
    assert cache.get_many([f"value-{n}" for n in (3, 4)]) == {"value-3": {"n": 3, "text": "议事" * 3},
                                                               "value-4": {"n": 4, "text": "议事" * 4}}
    cache.delete_many([f"value-{n}" for n in range(200)])
    assert cache.get("value-3") is None
