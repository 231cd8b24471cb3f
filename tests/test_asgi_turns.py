"""The HTTP side of config/asgi.py: a crowd of requests is served a few at a time, each one's synchronous code in
one thread of a small kept pool, and every request is answered."""

import asyncio
import threading

from asgiref.sync import ThreadSensitiveContext, sync_to_async

from config.asgi import TakeTurns


class Recorder:
    """An ASGI app whose "view" runs in the thread-sensitive thread, as Django's does."""

    def __init__(self):
        self.threads: set[int] = set()
        self.inside = self.most = 0
        self.lock = threading.Lock()

    def view(self, n: int) -> bytes:
        with self.lock:
            self.inside += 1
            self.most = max(self.most, self.inside)
            self.threads.add(threading.get_ident())
        threading.Event().wait(0.002)  # some work, so that requests overlap
        with self.lock:
            self.inside -= 1
        return f"answer {n}".encode()

    async def __call__(self, scope, receive, send):
        async with ThreadSensitiveContext():  # as Django's handler does for every request
            await self.handle(scope, receive, send)

    async def handle(self, scope, receive, send):
        first = await sync_to_async(self.view, thread_sensitive=True)(scope["n"])
        again = await sync_to_async(threading.get_ident, thread_sensitive=True)()
        assert again in self.threads  # the same request's sync code stays in its thread
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": first})


async def _get(app, n: int) -> bytes:
    sent: list[dict] = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    await app({"type": "http", "n": n}, receive, send)
    return sent[-1]["body"]


async def test_a_crowd_is_served_a_few_at_a_time_by_kept_threads_and_everyone_is_answered():
    recorder = Recorder()
    app = TakeTurns(recorder, 4)
    answers = await asyncio.gather(*(_get(app, n) for n in range(200)))
    assert answers == [f"answer {n}".encode() for n in range(200)]
    assert recorder.most <= 4
    assert len(recorder.threads) <= 4  # not a thread per request: the pool's, used again and again
    again = await asyncio.gather(*(_get(app, n) for n in range(20)))
    assert len(again) == 20 and len(recorder.threads) <= 4


async def test_a_request_that_fails_gives_its_thread_back():
    class Failing(Recorder):
        async def handle(self, scope, receive, send):
            await sync_to_async(self.view, thread_sensitive=True)(scope["n"])
            if scope["n"] % 2:
                raise RuntimeError("a view that fails")
            await super().handle(scope, receive, send)

    recorder = Failing()
    app = TakeTurns(recorder, 2)
    results = await asyncio.gather(*(_get(app, n) for n in range(30)), return_exceptions=True)
    assert sum(isinstance(r, RuntimeError) for r in results) == 15
    assert [r for r in results if isinstance(r, bytes)] == [f"answer {n}".encode() for n in range(0, 30, 2)]
    assert len(recorder.threads) <= 2
