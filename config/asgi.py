"""ASGI entry point: HTTP through Django, WebSockets through Channels.

Sockets pass the origin check (ALLOWED_HOSTS) and session authentication
before any consumer sees them.
"""

import asyncio
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django_application = get_asgi_application()


class TakeTurns:
    """At most ``limit`` HTTP requests inside Django at once per process; the rest wait their turn.

    Django runs each request's view in a thread of its own. A crowd arriving together (everyone
    voting the moment a poll opens) would otherwise mean a thousand threads fighting for one
    interpreter lock and one database, each slower than the last; a fixed number of requests
    at work, as a threaded server's pool would have, serves the same crowd several times faster.
    Waiting costs nothing but a place in the event loop's queue; sockets are not limited here.
    """

    def __init__(self, app, limit: int):
        self.app, self.limit = app, limit
        self.turns: dict[asyncio.AbstractEventLoop, asyncio.Semaphore] = {}

    async def __call__(self, scope, receive, send):
        loop = asyncio.get_running_loop()
        turns = self.turns.get(loop) or self.turns.setdefault(loop, asyncio.Semaphore(self.limit))
        async with turns:
            await self.app(scope, receive, send)


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
