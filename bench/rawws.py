"""A minimal WebSocket client for load: raw frames on an asyncio protocol (from the research loadclient).

Cheaper than a full client library, so one core of load client outpaces the server it measures:
the opening handshake a browser sends (Origin, the session cookie), unmasked server frames parsed
by hand, masked text frames out, pings answered. Text frames go to ``sink.on_text(conn, payload)``.
"""

import asyncio
import os
from urllib.parse import urlparse


class RawWS(asyncio.Protocol):
    """Receive unmasked server frames parsed by hand; send masked text frames; answer pings."""

    def __init__(self, sink, opened):
        self.sink, self.opened = sink, opened
        self.buf, self.handshaken, self.transport, self.status = bytearray(), False, None, ""
        self.closed = asyncio.get_running_loop().create_future()
        self.seen = None  # per-step bytearray: which chat messages this connection already got
        self.last_send = 0.0

    def connection_made(self, transport):
        self.transport = transport

    def data_received(self, data):
        buf = self.buf
        buf += data
        if not self.handshaken:
            i = buf.find(b"\r\n\r\n")
            if i < 0:
                return
            head = bytes(buf[:i])
            del buf[: i + 4]
            self.status = head.split(b"\r\n", 1)[0].decode(errors="replace")
            if not head.startswith(b"HTTP/1.1 101"):
                self.transport.close()
                if not self.opened.done():
                    self.opened.set_exception(ConnectionError(self.status))
                return
            self.handshaken = True
            if not self.opened.done():
                self.opened.set_result(self)
        pos, n, sink = 0, len(buf), self.sink
        while n - pos >= 2:
            b0, ln, hdr = buf[pos], buf[pos + 1] & 0x7F, 2
            if ln == 126:
                if n - pos < 4:
                    break
                ln, hdr = int.from_bytes(buf[pos + 2: pos + 4], "big"), 4
            elif ln == 127:
                if n - pos < 10:
                    break
                ln, hdr = int.from_bytes(buf[pos + 2: pos + 10], "big"), 10
            if n - pos < hdr + ln:
                break
            payload = bytes(buf[pos + hdr: pos + hdr + ln])
            pos += hdr + ln
            op = b0 & 0x0F
            if op == 1:
                sink.on_text(self, payload)
            elif op == 9:
                self._frame(0x8A, payload)
            elif op == 8:
                self._frame(0x88, b"")
                self.transport.close()
                break
        if pos:
            del buf[:pos]

    def _frame(self, first: int, payload: bytes) -> None:
        n = len(payload)
        if n < 126:
            head = bytes([first, 0x80 | n])
        elif n < 65536:
            head = bytes([first, 0xFE]) + n.to_bytes(2, "big")
        else:
            head = bytes([first, 0xFF]) + n.to_bytes(8, "big")
        key = os.urandom(4)
        masked = (int.from_bytes(payload, "big") ^ int.from_bytes((key * (n // 4 + 1))[:n], "big")).to_bytes(n, "big")
        self.transport.write(head + key + masked)

    def send_text(self, text: str) -> None:
        if self.transport and not self.transport.is_closing():
            self._frame(0x81, text.encode())

    def connection_lost(self, exc):
        if not self.opened.done():
            self.opened.set_exception(ConnectionError(self.status or "lost"))
        if not self.closed.done():
            self.closed.set_result(None)

    def leave(self) -> None:
        """Close as a browser tab does: a close frame, then the socket."""
        if self.transport and not self.transport.is_closing():
            self._frame(0x88, b"\x03\xe8")
            self.transport.close()


async def ws_connect(url: str, sink, cookie: str | None, timeout: float) -> RawWS:
    u = urlparse(url)
    loop = asyncio.get_running_loop()
    opened = loop.create_future()
    transport, proto = await asyncio.wait_for(
        loop.create_connection(lambda: RawWS(sink, opened), u.hostname, u.port or 80), timeout)
    path = u.path + (f"?{u.query}" if u.query else "")
    lines = [f"GET {path} HTTP/1.1", f"Host: {u.hostname}:{u.port}", f"Origin: http://{u.hostname}:{u.port}",
             "Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
             "Sec-WebSocket-Version: 13"] + ([f"Cookie: sessionid={cookie}"] if cookie else [])
    transport.write(("\r\n".join(lines) + "\r\n\r\n").encode())
    try:
        await asyncio.wait_for(opened, timeout)
    except BaseException:
        transport.close()
        raise
    return proto
