"""Process-local fan-out: one channel-layer subscription per process and group, frames written
straight to the group's sockets in this process.

Stock Channels delivers a group message to every member through the channel layer: one queued
message, one deep copy and one dispatch — with a thread-pool hop to close old database
connections — per socket, and the in-memory layer scans every queue on each of them. A room of
500 then costs 500 layer messages per broadcast. Here each process joins a group once, with one
channel of its own (the hub's); a broadcast reaches each process once, and the hub encodes each
frame once per variant (e.g. with or without names) and writes it to every local socket of the
group, in the order the messages arrived.

Consumers opt in with ``FanoutConsumer``: ``await self.fanout_join(group)`` after accepting, and
the hub calls ``deliver``; they get no per-socket channel (nothing is ever sent to one socket
through the layer). ``send_to_group`` in ``consult.realtime`` is the one way in.

``coalesce`` runs "latest state" broadcasts (presence, live poll counts) at most once per interval
per key and process: at once if the last one was long enough ago, else once at the end of the
interval — so the last change is always sent, never dropped.
"""

import asyncio
import json
import logging
import time
import weakref
from collections import Counter
from collections.abc import Awaitable, Callable
from typing import Any

from channels.generic.websocket import AsyncJsonWebsocketConsumer
from channels.layers import get_channel_layer
from django.conf import settings
from django.http.request import split_domain_port, validate_host
from django.utils.translation import gettext as _

from core.mail import request_address
from core.wire import Wire, text_frame

log = logging.getLogger(__name__)

HUB_PREFIX = "fanout"
RESUME_CODE = 4012  # close code that asks a client to reconnect with ``since`` at once
SIGNED_OUT_CODE = 4401  # close code of the sockets of a person who signed out or was suspended
CONTROL_GROUP = "fanout-control"  # every hub is in it: orders for this process's sockets, e.g. "close X's"
CLOSE_SOCKETS = "sockets.close"  # {"type": CLOSE_SOCKETS, "user_id": int}, sent to CONTROL_GROUP
RECONNECTED = "layer.reconnected"  # put on every channel by config.channel_layer after a Redis reconnection
RETRY_SECONDS = 1.0


class Hub:
    """The sockets of this process and event loop, by group, and the one reader that feeds them."""

    def __init__(self, layer) -> None:
        self.layer = layer
        self.members: dict[str, set] = {}
        self.people: dict[int, set] = {}  # signed-in sockets by user id, to close them on sign-out
        self.channel: str | None = None
        self.reader: asyncio.Task | None = None
        self.lock = asyncio.Lock()

    async def join(self, group: str, consumer) -> None:
        async with self.lock:
            if self.channel is None:
                self.channel = await self.layer.new_channel(HUB_PREFIX)
                self.reader = asyncio.create_task(self._read(self.channel), name="yishi-fanout")
                # One group per process, not one per person: a crowd connecting costs no extra layer calls.
                await self.layer.group_add(CONTROL_GROUP, self.channel)
            sockets = self.members.get(group)
            if sockets is None:
                await self.layer.group_add(group, self.channel)
                sockets = self.members[group] = set()
            sockets.add(consumer)
            if consumer.fanout_user_id is not None:
                self.people.setdefault(consumer.fanout_user_id, set()).add(consumer)

    def forget(self, consumer) -> None:
        """The socket left its groups: it is no longer closed with its person's sockets."""
        sockets = self.people.get(consumer.fanout_user_id)
        if sockets is not None:
            sockets.discard(consumer)
            if not sockets:
                del self.people[consumer.fanout_user_id]

    async def leave(self, group: str, consumer) -> None:
        async with self.lock:
            sockets = self.members.get(group)
            if sockets is None or consumer not in sockets:
                return
            sockets.discard(consumer)
            if sockets:
                return
            del self.members[group]
            channel = self.channel
            if not self.members:  # nobody left in this process: stop reading
                self.reader.cancel()
                self.channel = self.reader = None
            try:
                await self.layer.group_discard(group, channel)
                if self.channel is None:
                    await self.layer.group_discard(CONTROL_GROUP, channel)
            except Exception:  # the layer is down: the group expires there by itself
                log.warning("fan-out: could not leave %s", group, exc_info=True)

    async def _read(self, channel: str) -> None:
        while True:
            try:
                message = await self.layer.receive(channel)
            except asyncio.CancelledError:
                raise
            except Exception:  # e.g. Redis restarting: wait, then go on reading (the layer reconnects)
                log.warning("fan-out: receiving failed; retrying", exc_info=True)
                await asyncio.sleep(RETRY_SECONDS)
                continue
            if message.get("type") == RECONNECTED:  # the layer lost messages meanwhile: sockets resume from the db
                await self._resume_everyone()
                continue
            if message.get("group") == CONTROL_GROUP:
                await self._control(message.get("event") or {})
                continue
            sockets = self.members.get(message.get("group"))
            if not sockets:
                continue
            event, encoded, frames = message["event"], {}, {}
            for consumer in list(sockets):
                try:
                    if not consumer.push(event, encoded, frames):  # written to its connection: nothing to await
                        await consumer.deliver(event, encoded)
                except asyncio.CancelledError:
                    raise
                except Exception:  # a socket closing under us must not stop the others
                    log.debug("fan-out: a socket refused a frame", exc_info=True)


    async def _control(self, event: dict[str, Any]) -> None:
        if event.get("type") != CLOSE_SOCKETS:
            return
        for consumer in list(self.people.get(event.get("user_id"), ())):
            try:
                await consumer.close(code=SIGNED_OUT_CODE)
            except Exception:
                log.debug("fan-out: a socket could not be closed", exc_info=True)

    async def _resume_everyone(self) -> None:
        """Close every local socket with 4012 (our "resume"; the protocol server allows 1000 or 3000–4999): clients reconnect with ``since`` and
        are sent what they missed from the database, which the layer could not give them."""
        everyone = {consumer for sockets in self.members.values() for consumer in sockets}
        log.warning("fan-out: the channel layer reconnected; %d socket(s) told to resume", len(everyone))
        for consumer in everyone:
            try:
                await consumer.close(code=RESUME_CODE)
            except Exception:
                log.debug("fan-out: a socket could not be closed", exc_info=True)


_hubs: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Hub]" = weakref.WeakKeyDictionary()


def hub() -> Hub:
    loop = asyncio.get_running_loop()
    found = _hubs.get(loop)
    if found is None:
        found = _hubs[loop] = Hub(get_channel_layer())
    return found


def group_message(group: str, event: dict[str, Any]) -> dict[str, Any]:
    """What travels through the layer: the event and the group it is for (the hub's channel is in many)."""
    return {"type": "fanout", "group": group, "event": event}


def socket_address(scope) -> str:
    """``https://host`` for a socket's scope, when its Host is one of ALLOWED_HOSTS; else empty."""
    host = dict(scope.get("headers") or []).get(b"host", b"").decode("latin-1")
    allowed = settings.ALLOWED_HOSTS or (["localhost", "127.0.0.1", "[::1]"] if settings.DEBUG else [])
    domain, _port = split_domain_port(host)
    if not domain or not validate_host(domain, allowed):
        return ""
    return ("https" if scope.get("scheme") == "wss" else "http") + "://" + host


# How many sockets one holder keeps open in one server process (docs/realtime.md): a person's every tab and
# device, or the anonymous sockets of one network address (a community hall's shared connection). More are
# accepted and closed at once with TOO_MANY_SOCKETS, which the page shows instead of reconnecting.
MAX_SOCKETS_PER_PERSON = 20
MAX_SOCKETS_PER_ADDRESS = 200  # a carrier's shared address can carry a whole hall watching in public
TOO_MANY_SOCKETS = 4429
_open_sockets: Counter = Counter()


def socket_holder(scope) -> tuple[str, object]:
    user = scope.get("user")
    if user is not None and user.is_authenticated:
        return ("person", user.pk)
    return ("address", (scope.get("client") or ["?"])[0])


class FanoutConsumer(AsyncJsonWebsocketConsumer):
    """A socket fed by the process's hub instead of a channel of its own.

    Join the groups first, then read the state and send it, then call ``fanout_ready``: frames that
    arrive in between are held and sent after the state (clients drop ids they have), so nothing
    committed meanwhile is missed and nothing is sent before the socket is accepted.
    """

    channel_layer_alias = "-- no per-socket channel --"  # Channels then gives the socket none
    _wire: "Wire | bool | None" = None  # found on the first frame pushed; False: none, take the ordinary way

    async def websocket_connect(self, message) -> None:
        # Mail sent by what this socket does links to the address it came to (the task keeps the value).
        request_address.set(socket_address(self.scope))
        holder = socket_holder(self.scope)
        if _open_sockets[holder] >= (MAX_SOCKETS_PER_PERSON if holder[0] == "person" else MAX_SOCKETS_PER_ADDRESS):
            await self.refuse_too_many()
            return
        _open_sockets[holder] += 1
        self._holder = holder
        await super().websocket_connect(message)

    async def websocket_disconnect(self, message) -> None:
        holder = getattr(self, "_holder", None)
        if holder is not None:
            self._holder = None
            _open_sockets[holder] -= 1
            if _open_sockets[holder] <= 0:
                del _open_sockets[holder]
        await super().websocket_disconnect(message)

    async def refuse_too_many(self) -> None:
        """Accepted, so that the client can read why, and closed at once."""
        await self.accept()
        await self.close(code=TOO_MANY_SOCKETS)

    @property
    def fanout_user_id(self) -> int | None:
        user = self.scope.get("user")
        return user.pk if user is not None and user.is_authenticated else None

    async def fanout_join(self, *groups: str) -> None:
        if not hasattr(self, "_held"):
            self._held: list[str] | None = []
        self._fanout_groups = [*getattr(self, "_fanout_groups", []), *groups]
        for group in groups:
            await hub().join(group, self)

    async def fanout_ready(self) -> None:
        held, self._held = getattr(self, "_held", None) or [], None
        for text in held:
            await self.base_send({"type": "websocket.send", "text": text})

    async def fanout_leave(self) -> None:
        for group in getattr(self, "_fanout_groups", []):
            await hub().leave(group, self)
        self._fanout_groups = []
        hub().forget(self)

    def frame_variant(self, event: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        """Which version of ``event`` this socket gets, and a key shared by the sockets that get it."""
        return "", event

    def push(self, event: dict[str, Any], encoded: dict[str, str], frames: dict[str, bytes]) -> bool:
        """Write the frame straight to the connection (``core.wire``), built once per variant for all sockets;
        False when it must go the ordinary way, through ``deliver``."""
        wire = self._wire
        if wire is None:
            wire = self._wire = Wire.under(self.base_send) or False
        if wire is False or self._held is not None:
            return False
        key, frame = self.frame_variant(event)
        data = frames.get(key)
        if data is None:
            text = encoded.get(key)
            if text is None:
                text = encoded[key] = json.dumps(frame)
            data = frames[key] = text_frame(text)
        return wire.write(data)

    async def deliver(self, event: dict[str, Any], encoded: dict[str, str]) -> None:
        key, frame = self.frame_variant(event)
        text = encoded.get(key)
        if text is None:
            text = encoded[key] = json.dumps(frame)
        if self._held is not None:
            self._held.append(text)
        else:
            await self.base_send({"type": "websocket.send", "text": text})


# Coalescing -------------------------------------------------------------------------------------------------

_last: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict]" = weakref.WeakKeyDictionary()


async def coalesce(key: str, interval: float, send: Callable[[], Awaitable[None]]) -> None:
    """Run ``send`` for ``key`` at most once per ``interval`` seconds in this event loop, never dropping
    the last call: at once if the last run was long enough ago (awaited here), else the latest ``send``
    runs once at the end of the interval, whatever the number of calls in between."""
    loop = asyncio.get_running_loop()
    state = _last.setdefault(loop, {})
    last, waiting = state.get(key, (-interval, None))
    if waiting is not None:  # a run is due at the end of the interval: it will send the latest state
        state[key] = (last, send)
        return
    wait = last + interval - time.monotonic()
    if wait <= 0:
        state[key] = (time.monotonic(), None)
        await _safely(key, send)
        return
    state[key] = (last, send)

    async def later() -> None:
        await asyncio.sleep(wait)
        latest = state[key][1]
        state[key] = (time.monotonic(), None)
        await _safely(key, latest)

    loop.create_task(later(), name=f"yishi-coalesce-{key}")


async def _safely(key: str, send: Callable[[], Awaitable[None]]) -> None:
    try:
        await send()
    except Exception:
        log.warning("coalesced send for %s failed", key, exc_info=True)

MAX_FRAME_BYTES = 4096  # what a watching or account socket accepts from the client


class PublicWatcher(FanoutConsumer):
    """A read-only socket on public pages: it only says *that* something changed.

    Clients then fetch what they may see over HTTP, so no private detail is
    ever sent on a shared group, and anyone — signed in or not — may watch.
    """

    groups_to_join: list[str]

    async def disconnect(self, code: int) -> None:
        await self.fanout_leave()

    async def join(self) -> None:
        """Join, accept; the subclass then sends its welcome and calls ``fanout_ready``."""
        await self.fanout_join(*self.groups_to_join)
        await self.accept()

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if text_data is not None and len(text_data.encode("utf-8", "surrogatepass")) <= MAX_FRAME_BYTES and '"ping"' in text_data:
            await self.send_json({"type": "pong"})
        else:
            await self.send_json({"type": "error", "message": _("This socket only listens; send ping or nothing.")})
