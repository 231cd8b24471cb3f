"""The account socket: a signed-in person's own live channel (notifications, decisions)."""

from typing import Any

from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.utils.translation import gettext as _

from consult.realtime import user_group

MAX_FRAME_BYTES = 4096


class AccountConsumer(AsyncJsonWebsocketConsumer):
    """``/ws/me/``: events addressed to the signed-in user. Anonymous sockets are refused."""

    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated or not user.is_active:
            await self.close(code=4401)
            return
        self.group = user_group(user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await self.send_json(
            {"type": "welcome", "user": {"id": user.pk, "display_name": user.public_name}}
        )

    async def disconnect(self, code: int) -> None:
        if hasattr(self, "group"):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if text_data is None or len(text_data.encode()) > MAX_FRAME_BYTES:
            await self.send_json({"type": "error", "message": _("Frames must be JSON text of at most 4 KB.")})
            return
        try:
            await super().receive(text_data=text_data)
        except ValueError:
            await self.send_json({"type": "error", "message": _("Frames must be JSON objects.")})

    async def receive_json(self, content: Any, **kwargs) -> None:
        kind = content.get("type") if isinstance(content, dict) else None
        if kind == "ping":
            await self.send_json({"type": "pong"})
        else:
            await self.send_json({"type": "error", "message": _("Unknown frame type.")})

    async def forward(self, message: dict[str, Any]) -> None:
        await self.send_json(message["event"])
