"""WebSocket routes of every app, in one list."""

from django.urls import path

from consult.consumers import AccountConsumer

websocket_urlpatterns = [
    path("ws/me/", AccountConsumer.as_asgi()),
]
