"""A broadcast's frame built once and written to each socket's connection directly.

Sending a text frame through ASGI costs, per socket, Channels' session wrapper, Daphne's reply
dispatch, Autobahn's framing (the same header and bytes for every socket: server frames are not
masked) and Twisted's buffered write, which registers the socket with the event loop and writes on
a later turn: two ``epoll_ctl`` calls and a ``send`` per frame. A room of 500 pays that 500 times a
message. The hub (``core.fanout``) instead builds the frame's bytes once per variant and, for a
socket Daphne serves over plain TCP whose connection has nothing waiting to be written, hands them
straight to the kernel, as ``websockets.broadcast`` does; whatever the kernel does not take at once
goes to Twisted's buffer, which writes it before anything later.

Anything else takes the ordinary way: a socket under another server or the test communicator,
TLS served by Daphne itself, per-message compression, a connection with bytes still waiting, one
that is closing. Order is kept because a frame only skips Twisted's buffer when that buffer (and
Autobahn's queue) is empty.
"""

import struct
from functools import partial
from typing import Any

TEXT = 0x81  # FIN + text opcode


def text_frame(text: str) -> bytes:
    """One unmasked, unfragmented WebSocket text frame (RFC 6455 §5.2) carrying ``text``."""
    payload = text.encode("utf-8")
    size = len(payload)
    if size < 126:
        return bytes((TEXT, size)) + payload
    if size < 65536:
        return struct.pack("!BBH", TEXT, 126, size) + payload
    return struct.pack("!BBQ", TEXT, 127, size) + payload


def daphne_protocol(send) -> Any:
    """The Daphne WebSocket protocol behind an ASGI ``send`` (through Channels' session wrapper), or None."""
    for _depth in range(4):
        if isinstance(send, partial):
            protocol = send.args[0] if send.args else None
            ok = getattr(send.func, "__name__", "") == "handle_reply" and hasattr(protocol, "sendMessage")
            return protocol if ok else None
        send = getattr(getattr(send, "__self__", None), "real_send", None)
        if send is None:
            return None
    return None


class Wire:
    """Raw writes to one socket's TCP connection; ``write`` says False when the ordinary way must be taken."""

    __slots__ = ("protocol",)

    def __init__(self, protocol) -> None:
        self.protocol = protocol

    @classmethod
    def under(cls, send) -> "Wire | None":
        protocol = daphne_protocol(send)
        transport = getattr(protocol, "transport", None)
        if transport is None or type(transport).__module__ != "twisted.internet.tcp":  # e.g. TLS: not ours to skip
            return None
        if not all(hasattr(transport, name) for name in ("socket", "dataBuffer", "offset", "_tempDataBuffer")):
            return None
        return cls(protocol)

    def write(self, frame: bytes) -> bool:
        p = self.protocol
        if (p.state != p.STATE_OPEN or p.send_state != p.SEND_STATE_GROUND or p.send_queue
                or p._perMessageCompress is not None or 0 < p.autoFragmentSize < len(frame)
                or 0 < p.maxMessagePayloadSize < len(frame)):
            return False
        t = p.transport
        if t is None or not t.connected or t.disconnecting or t._tempDataBuffer or t.offset < len(t.dataBuffer):
            return False
        try:
            sent = t.socket.send(frame)
        except (BlockingIOError, InterruptedError):
            sent = 0
        except OSError:  # the peer is gone: Twisted's write finds out and closes the connection as usual
            sent = 0
        if sent < len(frame):
            t.write(frame[sent:])
        return True
