"""WebSocket load client for `make bench`, adapted from the research loadclient.

Every connection is a minimal raw WebSocket client on uvloop (the research showed a plain
`websockets` client saturates its core near 20,000 deliveries/s, before the bare server does);
it sends the session cookie and Origin a browser sends, answers pings, and can send masked text
frames, so any connection can be the one that speaks.

    fanout     grow one room to each size in --steps; at each size send --messages chat frames in a
               closed loop (the next once every client has the previous) and time every delivery
    sustained  --clients in the room (and as many on the poll socket) for --seconds: chat at --rate,
               ballots over HTTP at --vote-rate, app pings every 25 s, as browsers do
    storm      --clients connect at once, then leave at once; then a fresh observer counts who is left

Latency = the moment this process handles the frame minus the send timestamp carried in the chat
body (same clock, same process). Loopback only; every wait is bounded. Prints one JSON object.
"""

import argparse
import asyncio
import json
import os
import random
import resource
import sys
import time
from urllib.parse import urlparse

from bench.rawws import ws_connect

MARK, WARM = b"bnch:", b"bwarm:"
TICK = os.sysconf("SC_CLK_TCK")


def cpu_s(pids) -> float:
    """CPU time of local processes and of their children that ended (PostgreSQL's backends), from /proc."""
    total = 0.0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += sum(int(x) for x in fields[11:15]) / TICK
        except (OSError, IndexError, ValueError):
            pass
    return total


def pct(values, p):
    if not values:
        return None
    return values[min(len(values) - 1, max(0, int(round(p / 100.0 * (len(values) - 1)))))]


def ms(ns):
    return None if ns is None else round(ns / 1e6, 2)


class Room:
    """Connections to one room and what they received."""

    def __init__(self, a):
        self.a, self.conns, self.failures, self.failure_samples = a, [], 0, []
        self.step, self.n, self.lat, self.counts, self.last_ns, self.done = -1, 0, [], [], [], []
        self.dups = self.stale = self.errors = self.other = 0
        self.error_samples, self.warm, self.warm_events = [], {}, {}
        self.last_other = time.perf_counter_ns()
        self.frame_bytes = 0
        self.presence_max = 0
        self.rr, self.sender_waits = 0, 0
        self.sessions = json.load(open(a.sessions)) if a.sessions else []

    # -- receiving -------------------------------------------------------------------------
    def on_text(self, conn, payload: bytes) -> None:
        now = time.perf_counter_ns()
        i = payload.find(MARK)
        if i >= 0:
            j = payload.index(b":", i + 5)
            k = payload.index(b":", j + 1)
            m = payload.index(b":", k + 1)
            step, seq, sent = int(payload[i + 5: j]), int(payload[j + 1: k]), int(payload[k + 1: m])
            if step != self.step:
                self.stale += 1
                return
            if conn.seen[seq]:
                self.dups += 1
                return
            conn.seen[seq] = 1
            self.frame_bytes = len(payload)
            self.lat.append(now - sent)
            c = self.counts[seq] + 1
            self.counts[seq] = c
            self.last_ns[seq] = now
            if c >= self.n:
                self.done[seq].set()
            return
        i = payload.find(WARM)
        if i >= 0:
            key = payload[i + 6: payload.index(b":", i + 6)]
            c = self.warm.get(key, 0) + 1
            self.warm[key] = c
            if c >= self.n and key in self.warm_events:
                self.warm_events[key].set()
            return
        self.other += 1
        self.last_other = now
        if b'"type": "error"' in payload or b'"type":"error"' in payload:
            self.errors += 1
            if len(self.error_samples) < 5:
                self.error_samples.append(payload[:200].decode(errors="replace"))
        elif b'"type": "presence"' in payload:
            j = payload.find(b'"count": ')
            if j >= 0:
                end = j + 9
                while end < len(payload) and payload[end:end + 1].isdigit():
                    end += 1
                self.presence_max = max(self.presence_max, int(payload[j + 9: end] or 0))

    # -- connecting -------------------------------------------------------------------------
    async def grow(self, target: int, concurrency: int) -> float:
        urls = self.a.url.split(",")
        sem = asyncio.Semaphore(concurrency)

        async def one(idx):
            async with sem:
                cookie = self.sessions[idx] if self.sessions else None
                try:
                    conn = await ws_connect(urls[idx % len(urls)], self, cookie, self.a.connect_timeout)
                except (OSError, ConnectionError, asyncio.TimeoutError) as error:
                    self.failures += 1
                    if len(self.failure_samples) < 5:
                        self.failure_samples.append(str(error)[:120] or type(error).__name__)
                    return
                conn.idx = idx
                self.conns.append(conn)
        started = time.perf_counter()
        await asyncio.gather(*(one(i) for i in range(len(self.conns) + self.failures, target)))
        self.n = len(self.conns)
        return time.perf_counter() - started

    # -- sending ----------------------------------------------------------------------------
    def frame(self, text: str) -> str:
        if self.a.bare:  # the bare server re-broadcasts what it gets: send a frame shaped like the app's
            return json.dumps({"type": "chat.message", "id": 0, "author_id": 1, "swaps": [
                {"target": "chat", "swap": "append", "html": f'<li id="msg-0" class="chat-message" data-author="1">'
                 f'<strong>Resident 1</strong> <div class="markdown"><p>{text}</p>\n</div></li>'}]})
        return json.dumps({"type": "chat.send", "body": text})

    async def sender(self):
        """Round robin over every connection (every one is a signed-in resident), at most
        --per-sender-rate a second each: the service allows 5 chat messages a second per person."""
        gap = 1.0 / self.a.per_sender_rate
        while True:
            now = time.monotonic()
            for _ in range(len(self.conns)):
                conn = self.conns[self.rr % len(self.conns)]
                self.rr += 1
                if now - conn.last_send >= gap:
                    conn.last_send = now
                    return conn
            self.sender_waits += 1
            await asyncio.sleep(0.01)

    async def settle(self, limit: float) -> float:
        """All connections in the room and no other frames (presence) for half a second."""
        started = time.perf_counter()
        k = 0
        while time.perf_counter() - started < limit and self.conns:
            key = f"{os.getpid()}x{k}".encode()
            k += 1
            self.warm_events[key] = ev = asyncio.Event()
            (await self.sender()).send_text(self.frame(f"bwarm:{key.decode()}:"))
            try:
                await asyncio.wait_for(ev.wait(), max(1.0, limit - (time.perf_counter() - started)))
            except asyncio.TimeoutError:
                break
            quiet_for = (time.perf_counter_ns() - self.last_other) / 1e9
            if quiet_for >= 0.5:
                return time.perf_counter() - started
            await asyncio.sleep(0.5 - quiet_for)
        return -1.0

    def begin(self, step: int, messages: int) -> None:
        self.step, self.lat, self.dups, self.errors, self.error_samples = step, [], 0, 0, []
        self.counts, self.last_ns = [0] * messages, [0] * messages
        self.done = [asyncio.Event() for _ in range(messages)]
        for conn in self.conns:
            conn.seen = bytearray(messages)
        self.sender_waits = 0

    def summary(self, messages: int, send_ns: list, cpu: dict, wall: float) -> dict:
        lat = sorted(self.lat)
        delivered = len(lat)
        end = max(self.last_ns) if any(self.last_ns) else time.perf_counter_ns()
        span = max(1, end - send_ns[0]) / 1e9 if send_ns and send_ns[0] else wall
        server = cpu["server"]
        return {
            "clients": self.n, "messages": messages, "deliveries": delivered, "expected": self.n * messages,
            "lost": self.n * messages - delivered, "duplicates": self.dups,
            "p50_ms": ms(pct(lat, 50)), "p95_ms": ms(pct(lat, 95)), "p99_ms": ms(pct(lat, 99)),
            "max_ms": ms(lat[-1] if lat else None),
            "deliveries_per_s": round(delivered / span, 1),
            "server_cpu_s": round(server, 2), "server_cpu_util": round(server / wall, 3) if wall else None,
            "cpu_us_per_delivery": round(server * 1e6 / delivered, 1) if delivered else None,
            "aux_cpu_us_per_delivery": round(cpu["aux"] * 1e6 / delivered, 1) if delivered else None,
            "client_cpu_util": round(cpu["client"] / wall, 3) if wall else None,
            "errors": self.errors, "error_samples": self.error_samples, "sender_waits": self.sender_waits,
            "frame_bytes": self.frame_bytes,
        }


def pids(text: str) -> list[int]:
    return [int(x) for x in text.split(",") if x]


class Meter:
    """CPU of the server, helper (Redis, PostgreSQL) and this client over a measured phase."""

    def __init__(self, a):
        self.server, self.aux = pids(a.server_pids), pids(a.aux_pids)

    def start(self):
        self.t = (cpu_s(self.server), cpu_s(self.aux), time.process_time(), time.perf_counter())

    def stop(self) -> tuple[dict, float]:
        s, x, c, w = self.t
        return ({"server": cpu_s(self.server) - s, "aux": cpu_s(self.aux) - x, "client": time.process_time() - c},
                time.perf_counter() - w)


async def fanout(a) -> dict:
    room, meter, steps = Room(a), Meter(a), []
    for step, (n, messages) in enumerate(zip(a.steps, a.messages)):
        connect_s = await room.grow(n, a.connect_concurrency)
        settle_s = await room.settle(a.settle_timeout)
        if settle_s < 0:  # the room never showed every client a message: measuring would mean nothing
            steps.append({"clients": room.n, "step": step, "error": "the room did not settle",
                          "connect_failures": room.failures, "failure_samples": room.failure_samples,
                          "errors": room.errors, "error_samples": room.error_samples})
            break
        await asyncio.sleep(0.2)
        room.begin(step, messages)
        send_ns, timeouts = [0] * messages, 0
        meter.start()
        for i in range(messages):
            conn = await room.sender()
            send_ns[i] = t = time.perf_counter_ns()
            conn.send_text(room.frame(f"bnch:{step}:{i}:{t}:" + "x" * 40))
            try:
                await asyncio.wait_for(room.done[i].wait(), a.msg_timeout)
            except asyncio.TimeoutError:
                timeouts += 1
                if timeouts >= 3:  # bounded: a stuck room is reported, not waited out
                    messages = i + 1
                    send_ns, room.counts, room.last_ns = send_ns[:messages], room.counts[:messages], room.last_ns[:messages]
                    break
        cpu, wall = meter.stop()
        result = room.summary(messages, send_ns, cpu, wall)
        result.update(step=step, connect_s=round(connect_s, 2), settle_s=round(settle_s, 2), timeouts=timeouts,
                      connect_failures=room.failures, failure_samples=room.failure_samples)
        steps.append(result)
        print(f"fanout N={result['clients']}: p99={result['p99_ms']} ms, {result['deliveries_per_s']}/s, "
              f"{result['cpu_us_per_delivery']} µs/delivery, lost={result['lost']}", file=sys.stderr, flush=True)
    await leave_all(room.conns)
    return {"steps": steps}


class PollWatch:
    """Counts the live-results broadcasts each watcher receives, with the first and last arrival."""

    def __init__(self):
        self.changed, self.other, self.conns, self.failures, self.seen = 0, 0, [], 0, {}

    def on_text(self, conn, payload: bytes) -> None:
        if b"poll.changed" in payload:
            self.changed += 1
            now = time.perf_counter()
            first, _, n = self.seen.get(id(conn), (now, now, 0))
            self.seen[id(conn)] = (first, now, n + 1)
        else:
            self.other += 1

    def rate(self) -> float | None:
        """Broadcasts a second per watcher: intervals between the first and last arrival over their span (a
        count over the whole window would add one: n broadcasts 0.5 s apart span (n - 1) / 2 seconds)."""
        spans = [(n - 1) / (last - first) for first, last, n in self.seen.values() if n > 1 and last > first]
        return round(sum(spans) / len(spans), 2) if spans else None


async def sustained(a) -> dict:
    from bench.http_client import cast, csrf_for, session

    room, meter, watch = Room(a), Meter(a), PollWatch()
    connect_s = await room.grow(a.clients, a.connect_concurrency)
    base = "http://" + urlparse(a.url.split(",")[0]).netloc
    for i in range(a.poll_watchers):
        try:
            watch.conns.append(await ws_connect(f"{base.replace('http', 'ws')}/ws/polls/{a.poll}/", watch,
                                                room.sessions[i] if room.sessions else None, a.connect_timeout))
        except (OSError, ConnectionError, asyncio.TimeoutError):
            watch.failures += 1
    settle_s = await room.settle(a.settle_timeout)
    voters = json.load(open(a.voter_sessions))[: a.voters]
    async with session(limit=200) as http:
        tokens = [await csrf_for(http, f"{base}/polls/{a.poll}/", sid) for sid in voters]
        voters = [(s, t) for s, t in zip(voters, tokens) if t]
        messages = int(a.seconds * a.rate)
        room.begin(0, messages)
        send_ns, watch.changed, watch.seen, votes, rng = [0] * messages, 0, {}, [], random.Random(3)

        async def pinger(conn, offset):
            await asyncio.sleep(offset)
            while True:
                conn.send_text('{"type": "ping"}')
                await asyncio.sleep(25)

        async def voting():
            t0 = time.perf_counter()
            tasks = []
            for k in range(int(a.seconds * a.vote_rate)):
                delay = t0 + k / a.vote_rate - time.perf_counter()
                if delay > 0:
                    await asyncio.sleep(delay)
                sid, csrf = voters[k % len(voters)]
                tasks.append(asyncio.create_task(cast(http, f"{base}/polls/{a.poll}/vote", sid, csrf,
                                                      rng.choice(a.options))))
            votes.extend(await asyncio.gather(*tasks))

        pingers = [asyncio.create_task(pinger(c, 25 * i / len(room.conns))) for i, c in enumerate(room.conns)]
        vote_task = asyncio.create_task(voting()) if voters else None
        meter.start()
        t0 = time.perf_counter()
        for i in range(messages):
            delay = t0 + i / a.rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            conn = await room.sender()
            send_ns[i] = t = time.perf_counter_ns()
            conn.send_text(room.frame(f"bnch:0:{i}:{t}:" + "x" * 40))
        chat_s = time.perf_counter() - t0
        changed_during, rate_during = watch.changed, watch.rate()
        deadline = time.perf_counter() + a.drain_timeout
        for i in range(messages):
            try:
                await asyncio.wait_for(room.done[i].wait(), max(0.01, deadline - time.perf_counter()))
            except asyncio.TimeoutError:
                break
        if vote_task:
            await asyncio.wait_for(vote_task, 120)
        cpu, wall = meter.stop()
        for task in pingers:
            task.cancel()
    result = room.summary(messages, send_ns, cpu, wall)
    counted = sum(1 for status, _ in votes if status == 302)
    vote_lat = sorted(t for _, t in votes)
    result.update(
        seconds=a.seconds, chat_rate=a.rate, chat_s=round(chat_s, 2), connect_s=round(connect_s, 2),
        settle_s=round(settle_s, 2), connect_failures=room.failures,
        poll_watchers=len(watch.conns), poll_changed_per_watcher=round(
            changed_during / max(1, len(watch.conns)), 1) if watch.conns else None,
        poll_changed_per_watcher_per_s=rate_during,
        votes_sent=len(votes), votes_counted=counted, votes_per_s=round(counted / chat_s, 1),
        vote_p50_ms=round(vote_lat[len(vote_lat) // 2] * 1e3, 1) if vote_lat else None,
        vote_max_ms=round(vote_lat[-1] * 1e3, 1) if vote_lat else None,
    )
    await leave_all(room.conns + watch.conns)
    return result


async def leave_all(conns) -> None:
    for conn in conns:
        conn.leave()
    await asyncio.sleep(0.2)


async def storm(a) -> dict:
    room, meter = Room(a), Meter(a)
    observer_session = room.sessions[a.clients] if len(room.sessions) > a.clients else None
    connect_s = await room.grow(a.clients, a.clients)  # everyone at once
    started = time.perf_counter()
    while room.presence_max < room.n and time.perf_counter() - started < a.settle_timeout:
        await asyncio.sleep(0.1)
    all_in_s = time.perf_counter() - started
    while (time.perf_counter_ns() - room.last_other) / 1e9 < 1.0 and time.perf_counter() - started < a.settle_timeout:
        await asyncio.sleep(0.2)
    busy_s = time.perf_counter() - started
    meter.start()
    for conn in room.conns:  # everyone leaves at once
        conn.leave()
    t_leave = time.perf_counter()
    quiet = 0
    # At least 12 s: Daphne gives a closed socket's handler 10 s to finish before it kills it.
    while time.perf_counter() - t_leave < a.settle_timeout and (quiet < 3 or time.perf_counter() - t_leave < 12):
        before = cpu_s(meter.server)
        await asyncio.sleep(0.5)
        quiet = quiet + 1 if cpu_s(meter.server) - before <= 0.02 else 0
    leave_settle_s = time.perf_counter() - t_leave
    cpu, wall = meter.stop()
    observer = Room(a)
    observer.sessions = [observer_session] if observer_session else []
    await observer.grow(1, 1)
    deadline = time.perf_counter() + 10
    while observer.presence_max == 0 and observer.conns and time.perf_counter() < deadline:
        await asyncio.sleep(0.1)
    seen = observer.presence_max
    await leave_all(observer.conns)
    await asyncio.sleep(1.0)
    return {
        "clients": a.clients, "connected": room.n, "connect_failures": room.failures,
        "failure_samples": room.failure_samples, "connect_s": round(connect_s, 2),
        "all_in_s": round(all_in_s, 2), "room_busy_after_connect_s": round(busy_s, 2),
        "presence_max_seen": room.presence_max, "errors_to_clients": room.errors,
        "leave_settle_s": round(leave_settle_s, 2), "leave_server_cpu_s": round(cpu["server"], 2),
        "observer_presence_count": seen, "stale_presence_seen": max(0, seen - 1) if observer.conns else None,
    }


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("mode", choices=["fanout", "sustained", "storm"])
    p.add_argument("--url", required=True, help="ws:// URL of the room; a comma list spreads clients round-robin")
    p.add_argument("--sessions", help="JSON list of session keys, one per client (signed-in residents)")
    p.add_argument("--bare", action="store_true", help="the server re-broadcasts frames verbatim")
    p.add_argument("--steps", type=lambda s: [int(x) for x in s.split(",")], default=[50, 200, 500])
    p.add_argument("--messages", type=lambda s: [int(x) for x in s.split(",")], default=[100, 60, 40])
    p.add_argument("--per-sender-rate", type=float, default=4.0)
    p.add_argument("--clients", type=int, default=500)
    p.add_argument("--seconds", type=float, default=60)
    p.add_argument("--rate", type=float, default=3.0, help="chat messages a second (sustained)")
    p.add_argument("--poll", type=int)
    p.add_argument("--options", type=lambda s: [int(x) for x in s.split(",")], default=[])
    p.add_argument("--poll-watchers", type=int, default=0)
    p.add_argument("--voter-sessions")
    p.add_argument("--voters", type=int, default=100)
    p.add_argument("--vote-rate", type=float, default=20.0)
    p.add_argument("--connect-concurrency", type=int, default=25)
    p.add_argument("--connect-timeout", type=float, default=30)
    p.add_argument("--settle-timeout", type=float, default=90)
    p.add_argument("--msg-timeout", type=float, default=5)
    p.add_argument("--drain-timeout", type=float, default=15)
    p.add_argument("--server-pids", default="")
    p.add_argument("--aux-pids", default="")
    p.add_argument("--max-seconds", type=float, default=400)
    a = p.parse_args()
    for url in a.url.split(","):
        host = urlparse(url).hostname or ""
        if not (host.startswith("127.") or host == "localhost"):
            raise SystemExit("loopback targets only")
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 65536), hard))
    import uvloop

    run = {"fanout": fanout, "sustained": sustained, "storm": storm}[a.mode]
    try:
        result = uvloop.run(asyncio.wait_for(run(a), a.max_seconds))
    except TimeoutError:
        result = {"error": f"{a.mode}: max-seconds exceeded"}
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
