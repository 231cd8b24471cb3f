"""HTTP load for `make bench` (adapted from the research http_client): pages and the concurrent vote.

    python -m bench.http_client pages --base http://127.0.0.1:8000 --urls /bench/trivial/,/stats/
    python -m bench.http_client vote --base ... --poll 2 --option 5 --sessions voters.json

pages: one keep-alive connection, requests one after another, median latency per URL (the
trivial view is measured the same way, in the same run, and pages are given as a ratio to it).
vote: every voter (a signed-in session) loads the poll page for its CSRF token, then all cast at
once; a tenth of them submit twice at the same moment (a double click). Loopback only, every
wait bounded. Prints one JSON object.
"""

import argparse
import asyncio
import json
import os
import re
import signal
import statistics
import sys
import time
from urllib.parse import urlparse

import aiohttp

TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def loopback_only(url: str) -> None:
    host = urlparse(url).hostname or ""
    if not (host.startswith("127.") or host == "localhost"):
        raise SystemExit("loopback targets only")


def session(limit: int = 100, timeout: float = 60) -> aiohttp.ClientSession:
    """No cookie jar: each request carries the cookies of the person making it."""
    return aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=limit, force_close=False),
                                 cookie_jar=aiohttp.DummyCookieJar(),
                                 timeout=aiohttp.ClientTimeout(total=timeout))


async def csrf_for(http: aiohttp.ClientSession, page_url: str, sessionid: str) -> tuple[str, str] | None:
    """The CSRF cookie and form token a signed-in person gets with the poll page."""
    async with http.get(page_url, headers={"Cookie": f"sessionid={sessionid}"}, allow_redirects=False) as r:
        body = await r.read()
        cookie = r.cookies.get("csrftoken")
    match = TOKEN.search(body)
    if r.status != 200 or cookie is None or match is None:
        return None
    return cookie.value, match.group(1).decode()


async def cast(http, vote_url: str, sessionid: str, csrf: tuple[str, str], option: int) -> tuple[int, float]:
    """POST one ballot the way the poll page's form does; 302 means "Your vote is counted"."""
    cookie, token = csrf
    started = time.perf_counter()
    try:
        async with http.post(vote_url, data={"csrfmiddlewaretoken": token, "ballot-choice": str(option)},
                             headers={"Cookie": f"sessionid={sessionid}; csrftoken={cookie}"},
                             allow_redirects=False) as r:
            await r.read()
            status = r.status
    except (aiohttp.ClientError, asyncio.TimeoutError):
        status = -1
    return status, time.perf_counter() - started


async def pages(a) -> dict:
    out = {}
    async with session(limit=1) as http:
        for path in a.urls.split(","):
            url = a.base + path
            times, statuses = [], set()
            for _ in range(2):  # warm-up
                async with http.get(url, allow_redirects=False) as r:
                    await r.read()
            budget_end = time.perf_counter() + a.seconds
            while len(times) < a.max_requests and (len(times) < a.min_requests or time.perf_counter() < budget_end):
                started = time.perf_counter()
                async with http.get(url, allow_redirects=False) as r:
                    body = await r.read()
                    statuses.add(r.status)
                times.append(time.perf_counter() - started)
            out[path] = {"median_ms": round(statistics.median(times) * 1e3, 2), "requests": len(times),
                         "p90_ms": round(sorted(times)[int(0.9 * (len(times) - 1))] * 1e3, 2),
                         "statuses": sorted(statuses), "bytes": len(body)}
    return out


async def vote(a) -> dict:
    with open(a.sessions) as f:
        sessionids = json.load(f)[: a.voters]
    page_url, vote_url = f"{a.base}/polls/{a.poll}/", f"{a.base}/polls/{a.poll}/vote"
    async with session(limit=50) as http:
        sem = asyncio.Semaphore(50)

        async def prepare(sid):
            async with sem:
                try:
                    return await csrf_for(http, page_url, sid)
                except (aiohttp.ClientError, asyncio.TimeoutError):
                    return None
        t0 = time.perf_counter()
        tokens = await asyncio.gather(*(prepare(s) for s in sessionids))
        prepare_s = time.perf_counter() - t0
    if a.profile_pid:  # bench/profile_server.py: profile the votes, not the pages fetched to prepare them
        os.kill(a.profile_pid, signal.SIGUSR2)
        await asyncio.sleep(0.5)
    ready = [(s, t) for s, t in zip(sessionids, tokens) if t]
    doubles = ready[:: a.double_every] if a.double_every else []
    async with session(limit=len(ready) + len(doubles), timeout=150) as http:  # a voter waits, within reason
        t0 = time.perf_counter()
        jobs = [cast(http, vote_url, s, t, a.options[i % len(a.options)]) for i, (s, t) in enumerate(ready)]
        jobs += [cast(http, vote_url, s, t, a.options[0]) for s, t in doubles]
        results = await asyncio.gather(*jobs)
        wall = time.perf_counter() - t0
    first, second = results[: len(ready)], results[len(ready):]
    told = [status == 302 for status, _ in first]  # per voter: was any of their submissions counted?
    twice = 0
    for k, (status, _) in enumerate(second):
        voter = k * a.double_every
        twice += told[voter] and status == 302
        told[voter] = told[voter] or status == 302
    counted = sum(told)
    latencies = sorted(t for _, t in results)
    statuses = {}
    for status, _ in results:
        statuses[str(status)] = statuses.get(str(status), 0) + 1
    return {
        "voters": len(sessionids), "ready": len(ready), "prepare_s": round(prepare_s, 2), "double_submits": len(doubles),
        # voters told "counted", and told so twice
        "accepted": counted, "accepted_twice": twice, "statuses": statuses, "wall_s": round(wall, 3),
        "ballots_per_s": round(counted / wall, 1) if wall else None,
        "p50_ms": round(latencies[len(latencies) // 2] * 1e3, 1) if latencies else None,
        "max_ms": round(latencies[-1] * 1e3, 1) if latencies else None,
    }


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("what", choices=["pages", "vote"])
    p.add_argument("--base", required=True)
    p.add_argument("--urls", default="/bench/trivial/")
    p.add_argument("--seconds", type=float, default=6, help="time budget per page")
    p.add_argument("--min-requests", type=int, default=5)
    p.add_argument("--max-requests", type=int, default=40)
    p.add_argument("--poll", type=int)
    p.add_argument("--options", type=lambda s: [int(x) for x in s.split(",")])
    p.add_argument("--sessions")
    p.add_argument("--voters", type=int, default=1000)
    p.add_argument("--double-every", type=int, default=10, help="every k-th voter submits twice at once")
    p.add_argument("--profile-pid", type=int, help="a profiled server to tell (SIGUSR2) when the votes start")
    p.add_argument("--loop", choices=["asyncio", "uvloop"], default="uvloop")
    a = p.parse_args()
    loopback_only(a.base)
    if a.loop == "uvloop":
        import uvloop

        asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
    result = asyncio.run(asyncio.wait_for(pages(a) if a.what == "pages" else vote(a), 600))
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
