"""ASGI entry point: HTTP through Django, WebSockets through Channels.

Sockets pass the origin check (ALLOWED_HOSTS) and session authentication
before any consumer sees them.
"""

import asyncio
import os
from concurrent.futures import ThreadPoolExecutor

import django
from asgiref.sync import ThreadSensitiveContext, sync_to_async
from django.core.handlers.asgi import ASGIHandler
from django.core.handlers.base import BaseHandler
from django.http import FileResponse

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup(set_prefix=False)


class OneThreadHandler(ASGIHandler):
    """Django's ASGI handler, with the middleware and the view run in one go in the request's thread.

    Our middleware and views are all synchronous. Django's stock handler builds an asynchronous chain
    around them, which crosses between the event loop and the request's thread three times per
    request (the middleware, back to the loop for the handler, the view), each crossing copying the
    request's context; that was a fifth of a vote's time. Here the chain is the synchronous one a WSGI
    server would run, entered once. Reading the body, the request signals, sending the answer and
    noticing a client that went away are Django's own.
    """

    def __init__(self):
        BaseHandler.__init__(self)
        self.load_middleware(is_async=False)

    async def run_get_response(self, request):
        response = await sync_to_async(self.get_response, thread_sensitive=True)(request)
        response._handler_class = self.__class__
        if isinstance(response, FileResponse):
            response.block_size = self.chunk_size
        return response


django_application = OneThreadHandler()


class TakeTurns:
    """At most ``limit`` HTTP requests inside Django at once per process; the rest wait their turn.

    A crowd arriving together (everyone voting the moment a poll opens) would otherwise mean a
    thousand threads fighting for one interpreter lock and one database, each slower than the last;
    a fixed number of requests at work, as a threaded server's pool would have, serves the same
    crowd several times faster. Waiting costs nothing but a place in the event loop's queue; sockets
    are not limited here.

    Each request at work runs its synchronous code in one thread of a pool of ``limit`` (asgiref's
    thread-sensitive context, given that thread), not in a thread started and joined for it alone as
    stock Django does. A thread whose request was abandoned while its view still runs finishes that
    first; the next request given it waits for that.
    """

    def __init__(self, app, limit: int):
        self.app, self.limit = app, limit
        self.turns: dict[asyncio.AbstractEventLoop, asyncio.Semaphore] = {}
        self.threads: dict[asyncio.AbstractEventLoop, list[ThreadPoolExecutor]] = {}

    async def __call__(self, scope, receive, send):
        loop = asyncio.get_running_loop()
        turns = self.turns.get(loop) or self.turns.setdefault(loop, asyncio.Semaphore(self.limit))
        async with turns:
            idle = self.threads.setdefault(loop, [])
            thread = idle.pop() if idle else ThreadPoolExecutor(max_workers=1, thread_name_prefix="http")
            try:
                async with ThreadSensitiveContext(executor=thread):
                    await self.app(scope, receive, send)
            finally:
                idle.append(thread)


http_application = TakeTurns(django_application, int(os.environ.get("YISHI_HTTP_CONCURRENCY", "") or 8))

# Imported after Django is set up: the routing imports models.
from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from config.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": http_application,
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(URLRouter(websocket_urlpatterns))
        ),
    }
)
