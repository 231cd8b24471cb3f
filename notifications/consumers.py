"""The account socket: a signed-in person's open pages hear of new notifications."""

from typing import Any

from django.utils.translation import gettext as _

from core.fanout import MAX_FRAME_BYTES, FanoutConsumer
from core.realtime import user_group


class AccountConsumer(FanoutConsumer):
    """``/ws/me/``: events addressed to the signed-in user. Anonymous sockets are refused."""

    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated or not user.is_active:
            await self.close(code=4401)
            return
        await self.fanout_join(user_group(user.pk))
        await self.accept()
        await self.send_json(
            {"type": "welcome", "user": {"id": user.pk, "display_name": user.public_name}}
        )
        await self.fanout_ready()

    async def disconnect(self, code: int) -> None:
        await self.fanout_leave()

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if text_data is None or len(text_data.encode("utf-8", "surrogatepass")) > MAX_FRAME_BYTES:
            await self.send_json({"type": "error", "message": _("Frames must be JSON text of at most 4 KB.")})
            return
        try:
            await super().receive(text_data=text_data)
        except (ValueError, RecursionError):  # not JSON, a number too long to read, or nested too deep
            await self.send_json({"type": "error", "message": _("Frames must be JSON objects.")})

    async def receive_json(self, content: Any, **kwargs) -> None:
        kind = content.get("type") if isinstance(content, dict) else None
        if kind == "ping":
            await self.send_json({"type": "pong"})
        else:
            await self.send_json({"type": "error", "message": _("Unknown frame type.")})
