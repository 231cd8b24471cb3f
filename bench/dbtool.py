"""Read the bench database after (or before) a phase. Prints one JSON object.

    python -m bench.dbtool queries --seed seed.json     queries per page (Django test client)
    python -m bench.dbtool presence --meeting 3         Presence rows left in a meeting
    python -m bench.dbtool votes --poll 2               rows a concurrent vote left behind
    python -m bench.dbtool tally --ballots 100000       polls.tally on ranked ballots, timed
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

from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def queries(seed: dict) -> dict:
    """Queries of each page as an anonymous visitor: warm (what nearly every visitor costs) and on a
    cleared cache (the visitor who runs the once-a-minute sweep or fills a cached figure)."""
    client = Client(HTTP_HOST="127.0.0.1")
    pages = [{"name": "trivial view", "url": "/bench/trivial/"}] + seed["pages"]
    out = {}
    for page in pages:
        client.get(page["url"])  # the first request warms Django's lazy state (URL resolver, templates)
        cache.clear()
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
    from django.db.models import Count

    from polls.models import Ballot, Participation, Receipt

    twice = Participation.objects.filter(poll_id=poll_id).values("user").annotate(n=Count("pk")).filter(n__gt=1)
    return {
        "participations": Participation.objects.filter(poll_id=poll_id).count(),
        "ballots": Ballot.objects.filter(poll_id=poll_id).count(),
        "receipts": Receipt.objects.filter(poll_id=poll_id).count(),
        "voters_counted_twice": twice.count(),
    }


def tally(count: int, options: int = 8) -> dict:
    """Instant runoff over ``count`` ranked ballots (partial rankings, a popular front-runner pair)."""
    from polls.tally import tally as run

    rng = random.Random(100000)
    ids = list(range(1, options + 1))
    weights = [6, 5, 3, 3, 2, 2, 1, 1][:options]
    ballots = []
    for _ in range(count):
        first = rng.choices(ids, weights)[0]
        rest = [i for i in ids if i != first]
        rng.shuffle(rest)
        ballots.append([first] + rest[: rng.randint(0, options - 1)])
    started = time.perf_counter()
    result = run("ranked", ids, ballots)
    seconds = time.perf_counter() - started
    return {"method": "ranked", "ballots": count, "options": options, "seconds": round(seconds, 3),
            "rounds": len(result.rounds), "winners": [str(w) for w in result.winners]}


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("what", choices=["queries", "presence", "votes", "tally"])
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
    else:
        result = tally(a.ballots)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
