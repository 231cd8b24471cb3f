"""Bare `websockets` broadcast server: the physical-limit baseline (from the research scripts).

Every connection joins the room named by its URL path; every received text frame is re-broadcast
to all members of the room (sender included) with websockets' broadcast(), which writes each frame
without yielding to the event loop and without per-client backpressure. No auth, no JSON, no
database: what any server must at least spend to put a frame on 500 sockets.

Listens on loopback only and stops by itself after --max-seconds.
"""

import argparse
import asyncio
import signal
from collections import defaultdict

from websockets.asyncio.server import broadcast, serve

ROOMS = defaultdict(set)


async def handler(ws):
    members = ROOMS[ws.request.path.split("?", 1)[0]]
    members.add(ws)
    try:
        async for message in ws:
            broadcast(members, message)
    finally:
        members.discard(ws)


async def main(host: str, port: int, max_seconds: float) -> None:
    loop = asyncio.get_running_loop()
    stop = loop.create_future()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, lambda: stop.done() or stop.set_result(None))
    loop.call_later(max_seconds, lambda: stop.done() or stop.set_result(None))
    async with serve(handler, host, port, compression=None, ping_interval=None, max_size=2**20, backlog=1024):
        await stop


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8765)
    p.add_argument("--max-seconds", type=float, default=1200)
    a = p.parse_args()
    if not (a.host.startswith("127.") or a.host == "localhost"):
        raise SystemExit("loopback only")
    asyncio.run(main(a.host, a.port, a.max_seconds))
