"""The live meeting room: ``/ws/meetings/<id>/?since=N``. The protocol is in docs/realtime.md.

The consumer only translates frames: every write goes through ``meetings.services``, which
commits first and broadcasts after, so what a client receives is always saved.
"""

import asyncio
import json
import logging
import time
import uuid
from collections import deque
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from community import permissions as community_permissions
from core.fanout import FanoutConsumer, coalesce, group_message
from core.limits import RateLimited
from core.realtime import COALESCE_SECONDS
from core.text import whole_number
from meetings import fragments, permissions
from meetings.actions import BY_FRAME
from meetings.models import Meeting, Presence, RoomEvent
from meetings.realtime import meeting_group

log = logging.getLogger(__name__)
MAX_FRAME_BYTES = 16 * 1024  # a chat message of 2,000 characters of any script, even written \\uXXXX
REPLAY_AT_MOST = 1000
PRESENCE_SECONDS = 90
MAX_SOCKETS_PER_ROOM = 5  # one person's sockets in one room, across processes: phone, tablet, laptop, two tabs
TOO_MANY = "too many"
FRAMES_PER_SECOND = 10  # any kind of frame, per socket; chat has its own limit of 5 in the service


class MeetingConsumer(FanoutConsumer):
    async def connect(self) -> None:
        self.meeting_id = self.scope["url_route"]["kwargs"]["meeting_id"]
        self.user = self.scope.get("user")
        self.socket_id = f"socket.{uuid.uuid4().hex}"  # names this socket's presence row
        query = parse_qs(self.scope.get("query_string", b"").decode())
        since = whole_number(query.get("since", [""])[0])
        self.language = _language(query.get("lang", [""])[0], self.user)
        self.recent: deque[float] = deque(maxlen=FRAMES_PER_SECOND)
        self.audience: str | None = None
        self._variant_keys: tuple[str, tuple[str, str]] | None = None  # (audience, its variant keys), once
        self.early: list[dict[str, Any]] = []  # group events that arrive before the audience is known
        # Join first, read the state second: an event committed in between arrives twice at worst
        # (clients drop ids they have), never not at all.
        self.group = meeting_group(self.meeting_id)
        await self.fanout_join(self.group)
        state = await _enter(self.user, self.meeting_id, self.socket_id, since, self.language)
        if state is None or state == TOO_MANY:
            await self.fanout_leave()
            del self.group
            if state == TOO_MANY:
                await self.refuse_too_many()
            else:
                await self.close(code=4403)
            return
        await self.accept()
        welcome, missed, self.audience = state
        for event in self.early:  # held until fanout_ready, like everything arriving from here on
            await super().deliver(event, {})
        self.early = []
        await self.send_json(welcome)
        for frame in missed:
            await self.send_json(frame)
        await self.fanout_ready()
        # Who is here, for everyone and the newcomer: at most twice a second, so a crowd arriving at once
        # costs a few counts, not one per arrival.
        _in_background(_announce_presence(self.meeting_id))

    async def disconnect(self, code: int) -> None:
        if hasattr(self, "group"):
            await self.fanout_leave()
            await _leave(self.socket_id)
            _in_background(_announce_presence(self.meeting_id))

    async def deliver(self, event: dict[str, Any], encoded: dict[str, str]) -> None:
        if self.audience is None:  # still entering: which variant is ours is not known yet
            self.early.append(event)
            return
        await super().deliver(event, encoded)

    def push(self, event: dict[str, Any], encoded: dict[str, str], frames: dict[str, bytes]) -> bool:
        return self.audience is not None and super().push(event, encoded, frames)

    def frame_variant(self, event: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        """The frame as rendered for this socket's audience and language (see ``meetings.fragments``)."""
        variants = event.get("variants")
        if variants is None:
            return "", event
        keys = self._variant_keys
        if keys is None or keys[0] != self.audience:
            keys = self._variant_keys = (self.audience, fragments.variant_keys(self.audience, self.language))
        for key in keys[1]:
            if key in variants:
                return key, variants[key]
        return "-", {k: v for k, v in event.items() if k != "variants"}

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        with translation.override(self.language):
            if text_data is None or len(text_data.encode("utf-8", "surrogatepass")) > MAX_FRAME_BYTES:
                await self.send_json({"type": "error", "message": _("Frames must be JSON text of at most 16 KB.")})
                return
            now = time.monotonic()
            if len(self.recent) == FRAMES_PER_SECOND and now - self.recent[0] < 1:
                await self.send_json({"type": "error", "message": _("You are sending very fast — wait a moment, then try again.")})
                return
            self.recent.append(now)
            try:
                content = json.loads(text_data)
            except (ValueError, RecursionError):  # not JSON, a number too long to read, or nested too deep
                await self.send_json({"type": "error", "message": _("Frames must be JSON objects.")})
                return
            await self.receive_json(content)

    async def receive_json(self, content: Any, **kwargs) -> None:
        kind = content.get("type") if isinstance(content, dict) else None
        if not isinstance(kind, str):
            kind = None
        if kind == "ping":
            await _seen(self.socket_id)
            await self.send_json({"type": "pong"})
            return
        if kind not in BY_FRAME:
            await self.send_json({"type": "error", "message": _("Unknown frame type.")})
            return
        if self.user is None or not self.user.is_authenticated:
            await self.send_json({"type": "error", "message": _("Sign in to take part.")})
            return
        try:
            await _act(kind, self.user, self.meeting_id, content)
        except (ValidationError, PermissionDenied, RateLimited) as error:
            messages = error.messages if isinstance(error, ValidationError) else [str(error)]
            await self.send_json({"type": "error", "message": " ".join(messages), "for": kind})
        except Exception:  # a frame nobody foresaw: the action's transaction rolled back, the socket goes on
            log.exception("meeting %s: frame %s failed", self.meeting_id, kind)
            await self.send_json({"type": "error", "for": kind, "message": _(
                "This could not be done, and nothing was changed. Reload the page if it happens again.")})


@database_sync_to_async
def _act(kind, user, meeting_id, content) -> None:
    community_permissions.forget(user)  # roles are read afresh for each action: a removed chair stops at once
    BY_FRAME[kind].run(user, meeting_id, content)


def _language(asked: str, user) -> str:
    """The page's language (it asks for it), else the person's, else the site's: fragments come in it."""
    for candidate in (asked, getattr(user, "language", "")):
        try:
            return translation.get_supported_language_variant((candidate or "").lower())
        except LookupError:  # none given, or one the site does not speak
            continue
    return settings.LANGUAGE_CODE


@database_sync_to_async
def _enter(user, meeting_id: int, socket_id: str, since: int | None, language: str):
    """Check who may enter, register presence, and gather the welcome, what was missed and the audience."""
    meeting = Meeting.objects.select_related("community").filter(pk=meeting_id).first()
    if meeting is None or not permissions.can_watch(user, meeting):
        return None
    signed_in = bool(user and user.is_authenticated)
    if signed_in:
        fresh = timezone.now() - timedelta(seconds=PRESENCE_SECONDS)
        if Presence.objects.filter(meeting=meeting, user=user, last_seen__gte=fresh).count() >= MAX_SOCKETS_PER_ROOM:
            return TOO_MANY
    Presence.objects.create(meeting=meeting, channel_name=socket_id, user=user if signed_in else None)
    events = RoomEvent.objects.filter(meeting=meeting).select_related("author")
    latest = events.order_by("-pk").values_list("pk", flat=True).first() or 0
    audience = fragments.audience_of(user, meeting)
    welcome = {
        "type": "welcome",
        "now": timezone.now().isoformat(),  # clients count speaking time down against the server's clock
        "meeting_id": meeting.pk,
        "status": meeting.status,
        "last_id": latest,
        "can_take_part": permissions.can_take_part(user, meeting),
        "runs": audience == fragments.CHAIR,
        "you": {"id": user.pk, "name": user.public_name} if signed_in else None,
    }
    missed = []
    if since is not None:
        replayed = list(events.filter(pk__gt=since).order_by("pk")[:REPLAY_AT_MOST])
        missed = fragments.replay(replayed, meeting, audience, language)
    return welcome, missed, audience


@database_sync_to_async
def _leave(socket_id: str) -> None:
    Presence.objects.filter(channel_name=socket_id).delete()


@database_sync_to_async
def _seen(socket_id: str) -> None:
    Presence.objects.filter(channel_name=socket_id).update(last_seen=timezone.now())


_background: set[asyncio.Task] = set()


def _in_background(coroutine) -> None:
    """Run without holding up the socket's next frame (a reference is kept until it ends)."""
    task = asyncio.get_running_loop().create_task(coroutine)
    _background.add(task)
    task.add_done_callback(_background.discard)


async def _announce_presence(meeting_id: int) -> None:
    """Tell the room who is here: a burst of arrivals or departures costs at most two broadcasts a second."""
    group = meeting_group(meeting_id)

    async def send() -> None:
        presence = await database_sync_to_async(_presence)(meeting_id)
        await get_channel_layer().group_send(group, group_message(group, presence))

    await coalesce(f"presence.{meeting_id}", COALESCE_SECONDS, send)


def _presence(meeting_id: int) -> dict:
    """Who is in the room: sockets seen in the last 90 s (clients ping every 25 s)."""
    fresh = timezone.now() - timedelta(seconds=PRESENCE_SECONDS)
    Presence.objects.filter(meeting_id=meeting_id, last_seen__lt=fresh).delete()  # left by a process that died
    rows = list(Presence.objects.filter(meeting_id=meeting_id).select_related("user"))
    people = {p.user_id: p.user.public_name for p in rows if p.user_id}
    anonymous = sum(1 for p in rows if not p.user_id)
    # A person with three tabs open is one person here; each anonymous socket counts once (nobody to merge).
    return fragments.presence(len(people) + anonymous, sorted(name for name in people.values() if name))
