"""Read the bench database after (or before) a phase. Prints one JSON object.

    python -m bench.dbtool queries --seed seed.json     queries per page (Django test client)
    python -m bench.dbtool presence --meeting 3         Presence rows left in a meeting
    python -m bench.dbtool votes --poll 2               rows a concurrent vote left behind
    python -m bench.dbtool tally --ballots 100000       polls.tally on ranked ballots, timed
    python -m bench.dbtool close --ballots 1000000      a secret poll with that many ballots closed and counted
"""

import argparse
import json
import os
import random
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import caches  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def queries(seed: dict) -> dict:
    """Queries of each page as an anonymous visitor: warm (what nearly every visitor costs) and on cleared
    caches (the visitor who runs the once-a-minute sweep, fills a cached figure or renders a fragment again)."""
    client = Client(HTTP_HOST="127.0.0.1")
    pages = [{"name": "trivial view", "url": "/bench/trivial/"}] + seed["pages"]
    out = {}
    for page in pages:
        client.get(page["url"])  # the first request warms Django's lazy state (URL resolver, templates)
        for alias in settings.CACHES:  # every cache: the figures' and the rendered fragments'
            caches[alias].clear()
        with CaptureQueriesContext(connection) as cold:
            client.get(page["url"])
        with CaptureQueriesContext(connection) as warm:
            response = client.get(page["url"])
        out[page["url"]] = {"queries": len(warm), "queries_cold_cache": len(cold), "status": response.status_code,
                            "bytes": len(response.content)}
    return out


def presence(meeting_id: int) -> dict:
    from meetings.models import Presence

    return {"presence_rows": Presence.objects.filter(meeting_id=meeting_id).count()}


def votes(poll_id: int) -> dict:
    """What a concurrent vote left in the poll's ballot box (read as a backup reads it)."""
    from polls.models import Poll
    from polls.services import ballot_box

    dump = ballot_box().dump(Poll.objects.get(pk=poll_id).box_key)
    return {
        "participations": len(dump["voted"]),
        "ballots": len(dump["ballots"]),
        "receipts": len(dump["receipts"]),
        "voters_counted_twice": len(dump["voted"]) - len(set(dump["voted"])),
    }


def _rankings(rng: random.Random, count: int, ids: list[int]) -> list[list[int]]:
    """Partial rankings with a popular front-runner pair, as a real ranked vote has."""
    weights = [6, 5, 3, 3, 2, 2, 1, 1][:len(ids)]
    ballots = []
    for _ in range(count):
        first = rng.choices(ids, weights)[0]
        rest = [i for i in ids if i != first]
        rng.shuffle(rest)
        ballots.append([first] + rest[: rng.randint(0, len(ids) - 1)])
    return ballots


def close(count: int, options: int = 8) -> dict:
    """A secret ranked poll holding ``count`` ballots, closed and counted by ``close_poll`` as the committee's
    button does. Measured: the close's wall time, and the longest a concurrent writer waited for the poll's lock
    meanwhile (a prober takes it every few milliseconds). The ballots go into the box as a restore puts them."""
    import threading

    from django.db import close_old_connections, transaction

    from community.models import Membership
    from polls import services
    from polls.models import Poll
    from polls.verify import canonical

    chair = Membership.objects.filter(role=Membership.Role.COMMITTEE).select_related("user", "community").first()
    poll = services.create_poll(chair.user, community_id=chair.community_id, title=f"{count:,} ballots",
                                method="ranked", options=[f"Option {n}" for n in range(1, options + 1)])
    poll = services.open_poll(chair.user, poll_id=poll.pk)
    ids = [o.pk for o in poll.options.all()]
    started = time.perf_counter()
    texts = [canonical(b).decode() for b in _rankings(random.Random(1000000), count, ids)]
    box = services.ballot_box()
    box.drop(poll.box_key)
    box.load(poll.box_key, {"slot_size": services.slot_size("ranked", ids), "closes_at": None, "sealed": False,
                            "roll": list(range(1, count + 1)), "voted": list(range(1, count + 1)),
                            "ballots": texts, "receipts": [random.randbytes(32).hex() for _ in range(count)]})
    Poll.objects.filter(pk=poll.pk).update(eligible_count=count)
    filled = time.perf_counter() - started
    del texts
    waits: list[float] = []
    done = threading.Event()

    def probe():
        while not done.is_set():
            asked = time.perf_counter()
            with transaction.atomic():
                services.lock_poll(poll.pk, related=False)
            waits.append(time.perf_counter() - asked)
            time.sleep(0.005)
        close_old_connections()

    prober = threading.Thread(target=probe)
    prober.start()
    time.sleep(0.05)
    started = time.perf_counter()
    closed = services.close_poll(chair.user, poll_id=poll.pk)
    seconds = time.perf_counter() - started
    done.set()
    prober.join()
    return {"ballots": closed.result["ballots"], "options": options, "rounds": len(closed.result["rounds"]),
            "close_s": round(seconds, 2), "lock_wait_max_s": round(max(waits), 3), "lock_probes": len(waits),
            "fill_s": round(filled, 1), "box_mb": round(services.box_path().stat().st_size / 2**20)}


def tally(count: int, options: int = 8) -> dict:
    """Instant runoff over ``count`` ranked ballots (partial rankings, a popular front-runner pair)."""
    from polls.tally import tally as run

    ids = list(range(1, options + 1))
    ballots = _rankings(random.Random(100000), count, ids)
    started = time.perf_counter()
    result = run("ranked", ids, ballots)
    seconds = time.perf_counter() - started
    return {"method": "ranked", "ballots": count, "options": options, "seconds": round(seconds, 3),
            "rounds": len(result.rounds), "winners": [str(w) for w in result.winners]}


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("what", choices=["queries", "presence", "votes", "tally", "close"])
    p.add_argument("--seed")
    p.add_argument("--meeting", type=int)
    p.add_argument("--poll", type=int)
    p.add_argument("--ballots", type=int, default=100000)
    a = p.parse_args()
    if a.what == "queries":
        with open(a.seed) as f:
            result = queries(json.load(f))
    elif a.what == "presence":
        result = presence(a.meeting)
    elif a.what == "votes":
        result = votes(a.poll)
    elif a.what == "close":
        result = close(a.ballots)
    else:
        result = tally(a.ballots)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
