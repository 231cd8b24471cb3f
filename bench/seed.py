"""Bench data, written with the ORM into the bench database (never var/).

    python -m bench.seed --out seed.json [--room-only]

One community ("bench") with a committee chair and residents, each resident with a session
cookie made directly in the session store (so sockets and HTTP clients arrive signed in).
The room (fan-out, sustained, storm) gets empty live public meetings, a live poll with live
results and a secret poll for the concurrent vote. Without --room-only it also builds the big
pages: a grid's issue list, a consultation with 1,000 proposals and 20,000 comments, a meeting
with 5,000 chat messages, poll results with 10,000 ballots and a live poll with 10,000 open votes.

Each kind of row is made once through its service (so it has the shape the app gives it), then
copied in bulk: the services are what the app runs, bulk_create is what makes 20,000 rows fast.
"""

import argparse
import copy
import json
import os
import random
import sys
import time
from datetime import timedelta

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from allauth.account.models import EmailAddress  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.contrib.sessions.models import Session  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db.models.base import ModelState  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.utils.crypto import get_random_string  # noqa: E402

from community.models import Community, Grid, Membership, Organisation, User  # noqa: E402
from consult import services as consult_services  # noqa: E402
from consult.models import Comment, Proposal  # noqa: E402
from issues import services as issues_services  # noqa: E402
from issues.models import Category, Issue  # noqa: E402
from meetings import services as meeting_services  # noqa: E402
from meetings.models import RoomEvent  # noqa: E402
from polls import services as poll_services  # noqa: E402
from polls.models import OpenVote, Voter  # noqa: E402
from polls.verify import canonical  # noqa: E402

ROOM_RESIDENTS = 600  # 500 in the room, a spare for the storm's observer and the senders' margin
VOTERS = 1000
GRIDS = 10
TODAY = timezone.localdate()
rng = random.Random(8)


def person(email: str, name: str, community: Community, role: str, **where) -> User:
    """An account acting through services: verified email, one membership."""
    user = User.objects.create_user(email, "bench-password", display_name=name)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    Membership.objects.create(user=user, community=community, role=role, **where)
    return user


def residents(community: Community, grids: list[Grid], prefix: str, count: int) -> list[User]:
    """Many residents at once: one password hash shared, memberships spread over the grids."""
    password = make_password("bench-password")
    users = User.objects.bulk_create(
        [User(email=f"{prefix}{i}@bench.invalid", display_name=f"{prefix.title()} {i}", password=password,
              age_band=["18-29", "30-44", "45-59", "60-74"][i % 4]) for i in range(count)],
        batch_size=1000,
    )
    Membership.objects.bulk_create(
        [Membership(user=u, community=community, role="resident", grid=grids[i % len(grids)]) for i, u in enumerate(users)],
        batch_size=1000,
    )
    return users


def sessions(users: list[User]) -> list[str]:
    """A signed-in session per user, written straight into the session store (a forced login)."""
    store, expires, rows = SessionStore(), timezone.now() + timedelta(days=2), []
    for user in users:
        data = {SESSION_KEY: str(user.pk), BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
                HASH_SESSION_KEY: user.get_session_auth_hash()}
        rows.append(Session(session_key=get_random_string(32, "abcdefghijklmnopqrstuvwxyz0123456789"),
                            session_data=store.encode(data), expire_date=expires))
    Session.objects.bulk_create(rows, batch_size=1000)
    return [row.session_key for row in rows]


def clones(obj, count: int, vary) -> list:
    """``count`` unsaved copies of a saved row, each changed by ``vary(copy, i)``."""
    out = []
    for i in range(count):
        c = copy.copy(obj)
        c.pk = None
        c._state = ModelState()
        vary(c, i)
        out.append(c)
    return out


def live_meeting(chair: User, community: Community, title: str) -> int:
    meeting = meeting_services.schedule_meeting(
        chair, community_id=community.pk, kind="joint", title=title, starts_at=timezone.now() + timedelta(minutes=30),
        chair_id=chair.pk, secretary_id=chair.pk, place="Community hall", audience="community", is_public=True,
    )
    meeting_services.add_agenda_item(chair, meeting_id=meeting.pk, title="Open floor", minutes_allotted=60)
    return meeting_services.open_meeting(chair, meeting_id=meeting.pk).pk


def poll(chair: User, community: Community, title: str, method: str, options: list[str], **extra):
    made = poll_services.create_poll(chair, community_id=community.pk, title=title, method=method, options=options,
                                     max_choices=1, **extra)
    opened = poll_services.open_poll(chair, poll_id=made.pk)
    return opened, list(opened.options.values_list("pk", flat=True))


def seed_room(out: dict) -> tuple:
    community = Community.objects.create(name="Bench Community", slug="bench", description="Measured, not asserted.")
    grids = [Grid.objects.create(community=community, number=n, name=f"Grid {n}", households=300)
             for n in range(1, GRIDS + 1)]
    chair = person("chair@bench.invalid", "Chair Chen", community, "committee", position="chair")
    # Meetings before the residents exist: scheduling tells every resident, which is not what is measured.
    out["meetings"] = {k: live_meeting(chair, community, f"Bench room {k}") for k in ("fanout", "sustained", "storm")}
    room = residents(community, grids, "resident", ROOM_RESIDENTS)
    voters = residents(community, grids, "voter", VOTERS)
    out["room_sessions"] = sessions(room)
    out["voter_sessions"] = sessions(voters)
    live, live_options = poll(chair, community, "Which colour for the hall?", "single", ["Green", "Blue", "Red"],
                              secret=False, live_results=True)
    vote, vote_options = poll(chair, community, "Which day for the market?", "single",
                              ["Saturday", "Sunday", "Friday evening", "Not at all"], secret=True)
    out["live_poll"] = {"id": live.pk, "options": live_options}
    out["vote_poll"] = {"id": vote.pk, "options": vote_options, "voters": Voter.objects.filter(poll=vote).count()}
    out["community"] = community.slug
    return community, grids, chair


def seed_issues(community, grids, chair, out) -> None:
    """10,000 issues, 5,000 of them in grid 1, in every state, over the last year."""
    category = Category.objects.create(community=community, name="Lifts and stairs")
    Category.objects.create(community=community, name="Lighting")
    worker = person("worker@bench.invalid", "Worker Wang", community, "grid_worker", grid=grids[0])
    reporter = person("reporter@bench.invalid", "Reporter Rui", community, "resident", grid=grids[0])
    org = Organisation.objects.create(community=community, name="Evergreen Property", kind="property")
    first = issues_services.raise_issue(reporter, grid_id=grids[0].pk, category_id=category.pk,
                                         title="Lift stuck on floor 3", body="The lift in **B1** is stuck.",
                                         location="Building 1 lobby")
    issues_services.triage_issue(worker, issue_id=first.pk, tier="routine", task_title="Repair the lift",
                                  owner_organisation_id=org.pk, due_date=TODAY + timedelta(days=3))
    first.refresh_from_db()
    now = timezone.now()
    states = ["new", "in_progress", "in_progress", "resolved", "closed", "closed", "declined"]

    def vary(c, i):
        c.grid = grids[0] if i < 5000 else grids[i % GRIDS]
        c.title = f"Issue {i}: lamp out near building {i % 40}"
        c.status = states[i % len(states)]
        c.tier = "" if c.status in ("new", "declined") else "routine"
        c.created_at = now - timedelta(hours=(i * 7919) % (365 * 24))
        c.response_due_at = c.created_at + timedelta(hours=48)
        c.first_response_at = None if c.status == "new" else c.created_at + timedelta(hours=(i % 60) + 1)
        c.resolved_at = c.created_at + timedelta(days=3) if c.status in ("resolved", "closed") else None
        c.closed_at = c.created_at + timedelta(days=10) if c.status == "closed" else None
        # As the once-a-minute sweep leaves them: overdue new issues escalated, resolved ones still rateable.
        c.escalated_at = c.response_due_at if c.status == "new" and c.response_due_at < now else None
        if c.status == "resolved":
            c.resolved_at = now - timedelta(days=i % 10)
            c.created_at = min(c.created_at, c.resolved_at - timedelta(days=3))

    Issue.objects.bulk_create(clones(first, 9999, vary), batch_size=2000)
    out["pages"].append({"name": "grid issue list", "url": f"/issues/?community=bench&grid={grids[0].pk}",
                         "rows": Issue.objects.filter(grid=grids[0]).count()})
    out["pages"].append({"name": "/stats/", "url": "/stats/?community=bench", "rows": Issue.objects.count()})


def seed_consultation(community, grids, chair, out, authors: list[User]) -> None:
    """A consultation in deliberation with 1,000 proposals and 20,000 comments."""
    c = consult_services.create_consultation(
        chair, community_id=community.pk, grid_id=None, title="The old cinema: what should it become?",
        body="Tell us what the **old cinema** should be.", collecting_from=TODAY,
        deliberation_from=TODAY + timedelta(days=7), voting_from=TODAY + timedelta(days=14),
        concludes_on=TODAY + timedelta(days=21), support_threshold=20)
    consult_services.advance_phase(chair, consultation_id=c.pk, to="collecting")
    author = person("author@bench.invalid", "Author An", community, "resident", grid=grids[1])
    first = consult_services.submit_proposal(author, consultation_id=c.pk, title="A library", body="Books and a café.")
    consult_services.advance_phase(chair, consultation_id=c.pk, to="deliberation")
    proposals = [first] + Proposal.objects.bulk_create(clones(first, 999, lambda p, i: (
        setattr(p, "title", f"Proposal {i}: a {['library', 'gym', 'hall', 'garden'][i % 4]}"),
        setattr(p, "author", authors[i % len(authors)]),
        setattr(p, "supports_count", i % 37))), batch_size=1000)
    top = consult_services.post_comment(author, consultation_id=c.pk, body="I like *this*.", stance="for")
    # 4,000 on the consultation (1,000 threads with 3 replies), 16,000 on its proposals.
    threads = Comment.objects.bulk_create(clones(top, 999, lambda x, i: (
        setattr(x, "author", authors[i % len(authors)]), setattr(x, "body", f"Comment {i} on the cinema."))),
        batch_size=2000) + [top]
    Comment.objects.bulk_create(clones(top, 3000, lambda x, i: (
        setattr(x, "parent", threads[i % 1000]), setattr(x, "depth", 1),
        setattr(x, "author", authors[(i * 3) % len(authors)]), setattr(x, "body", f"Reply {i}."),
        setattr(x, "stance", "neutral"))), batch_size=2000)
    Comment.objects.bulk_create(clones(top, 16000, lambda x, i: (
        setattr(x, "proposal", proposals[i % 1000]), setattr(x, "author", authors[(i * 7) % len(authors)]),
        setattr(x, "body", f"On proposal {i % 1000}: agreed."), setattr(x, "stance", ["for", "against"][i % 2]))),
        batch_size=2000)
    out["pages"].append({"name": "consultation (1,000 proposals, 20,000 comments)", "url": c.get_absolute_url(),
                         "rows": Proposal.objects.filter(consultation=c).count() + Comment.objects.filter(
                             consultation=c).count()})


def seed_meeting_page(community, chair, out, authors: list[User]) -> None:
    """A live meeting whose room has 5,000 chat messages."""
    meeting_id = live_meeting(chair, community, "Budget hearing")
    first = meeting_services.post_message(authors[0], meeting_id=meeting_id, body="Good evening, **all**.")
    RoomEvent.objects.bulk_create(clones(first, 4999, lambda e, i: (
        setattr(e, "author", authors[i % len(authors)]), setattr(e, "body", f"Message {i}: what about the park?"))),
        batch_size=2000)
    out["pages"].append({"name": "meeting (5,000 chat messages)", "url": f"/meetings/{meeting_id}/",
                         "rows": RoomEvent.objects.filter(meeting_id=meeting_id, kind="chat.message").count()})


def seed_poll_pages(community, grids, chair, out) -> None:
    """Closed ranked poll with 10,000 ballots; open live poll with 10,000 open votes."""
    crowd = residents(community, grids, "crowd", 10000)
    ranked, options = poll(chair, community, "Rank the cinema's futures", "ranked",
                           ["Library", "Gym", "Hall", "Garden", "Market", "Keep it a cinema"], secret=True)
    ballots = []
    for _ in range(10000):
        order = options[:]
        rng.shuffle(order)
        ballots.append(canonical(order[: rng.randint(1, len(order))]).decode())
    box = poll_services.ballot_box()  # the ballots go in as a restore puts them: random slots
    dump = box.dump(ranked.box_key)
    voted = dump["roll"][:len(ballots)]
    box.drop(ranked.box_key)
    box.load(ranked.box_key, {**dump, "voted": voted, "ballots": ballots,
                              "receipts": [rng.randbytes(32).hex() for _ in ballots]})
    poll_services.close_poll(chair, poll_id=ranked.pk)
    out["pages"].append({"name": "poll results (10,000 ranked ballots)", "url": f"/polls/{ranked.pk}/",
                         "rows": len(ballots)})
    live, live_options = poll(chair, community, "Open the park at night?", "single", ["Yes", "No", "Only weekends"],
                              secret=False, live_results=True)
    OpenVote.objects.bulk_create([OpenVote(poll=live, user=u, choices=live_options[i % 3]) for i, u in enumerate(crowd)],
                                 batch_size=2000)
    out["pages"].append({"name": "live poll results (10,000 open votes)", "url": f"/polls/{live.pk}/",
                         "rows": OpenVote.objects.filter(poll=live).count()})


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--out", required=True)
    p.add_argument("--room-only", action="store_true", help="only what the room needs (the scale-out database)")
    a = p.parse_args()
    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    if Community.objects.filter(slug="bench").exists():
        raise SystemExit("the bench database is not empty: the runner starts from a fresh one")
    out: dict = {"pages": [], "timings": {}}
    community, grids, chair = seed_room(out)
    out["timings"]["room_s"] = round(time.perf_counter() - started, 1)
    if not a.room_only:
        authors = list(User.objects.filter(email__startswith="voter")[:1000])
        seed_issues(community, grids, chair, out)
        seed_consultation(community, grids, chair, out, authors)
        seed_meeting_page(community, chair, out, authors)
        seed_poll_pages(community, grids, chair, out)
    out["timings"]["total_s"] = round(time.perf_counter() - started, 1)
    with open(a.out, "w") as f:
        json.dump(out, f)
    print(json.dumps(out["timings"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
