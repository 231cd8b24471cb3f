"""Six months of demo issues, played through the real services and then dated back.

Every issue goes through the same services a person would use, so timelines,
tasks, updates and ratings are exactly what the platform produces; afterwards
the timestamps are spread over the past months so the grid figures mean
something.
"""

import random
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from community.models import Community, Membership, Organisation, User
from issues import services
from issues.deadlines import resolution_due, response_due
from issues.models import Category, Issue, IssueEvent, Rating
from ledger import services as ledger_services
from ledger.models import Decision, Task, TaskUpdate
from notifications.models import Notification

CATEGORIES = [
    "Lifts", "Roads and paths", "Lighting", "Waste and recycling", "Noise", "Water and drains",
    "Greening", "Safety", "Parking", "Elderly care", "Other",
]
# category: [(title, body, location, organisation kind that fixes it)]
PROBLEMS = {
    "Lifts": [("Lift stops between floors", "The lift in our building stopped between the 5th and 6th floor twice this week. Older neighbours are afraid to use it.", "Building {b}, Unit {u}", "property")],
    "Roads and paths": [("Broken paving by the east gate", "Several paving stones are loose and a child tripped yesterday.", "East gate", "property"),
                        ("Potholes on the service road", "Deep potholes fill with water after rain; bikes swerve into traffic.", "Service road behind Building {b}", "government")],
    "Lighting": [("Path lights out at night", "The lamps along the path to the bus stop have been dark for a week.", "Path to the bus stop", "property"),
                 ("Stairwell light flickering", "The stairwell light flickers and goes out; the stairs are dark in the evening.", "Building {b}, Unit {u} stairwell", "property")],
    "Waste and recycling": [("Bins overflowing on weekends", "The sorting bins overflow every weekend and attract rats.", "Bin station near Building {b}", "property"),
                            ("Bulky waste dumped by the wall", "Old furniture has been left by the wall for two weeks.", "North wall", "property")],
    "Noise": [("Market unloading before 5 am", "Trucks unload for the market from 4:30 every morning, very loud.", "Canal market", "enterprise"),
              ("Late-night noise from the square", "Loudspeakers play in the square until after 22:00.", "Central square", "government")],
    "Water and drains": [("Drain blocked, water pools in the lane", "After rain the lane floods ankle-deep because the drain is blocked.", "Lane between Buildings {b} and {b2}", "property")],
    "Greening": [("Dead trees along the canal path", "Three trees are dead and drop branches on the path.", "Canal path", "property")],
    "Safety": [("Entrance door lock broken", "The building's entrance door does not lock; strangers walk in at night.", "Building {b}, Unit {u}", "property"),
               ("Electric bikes charged in the corridor", "Neighbours charge e-bikes in the corridor; fire risk.", "Building {b}, Unit {u} corridor", "government")],
    "Parking": [("Cars block the fire lane", "Cars park in the fire lane every evening.", "Fire lane by Building {b}", "owners")],
    "Elderly care": [("Meal service for elderly neighbours stopped", "The lunch delivery for elderly residents stopped without notice.", "Community hall", "social")],
    "Other": [("Notice board out of date", "The community notice board still shows last year's notices.", "Notice board at the main gate", "owners")],
}
# Final states and how many issues end in each.
PLAN = (
    ["new"] * 4 + ["escalated"] * 3 + ["needs_info"] * 3 + ["declined"] * 4 + ["merged"] * 3
    + ["routine"] * 8 + ["major"] * 4 + ["emergency"] * 2 + ["resolved"] * 6 + ["closed"] * 18
    + ["reopened"] * 3 + ["reopened_closed"] * 2
)
# How many days ago issues that end in each state were raised.
AGES = {
    "new": (0.1, 1.5), "escalated": (3, 9), "needs_info": (2, 8), "routine": (6, 40), "major": (8, 60),
    "emergency": (0.5, 2), "resolved": (4, 9), "reopened": (10, 40),
}
COMMENTS = [
    "Same problem in our unit.", "Thank you for looking into this.", "It happened again this morning.",
    "Could someone check on the weekend too?", "My mother cannot use the stairs, please hurry.",
]


class Clock:
    """Hands out increasing moments from a start time, hours apart."""

    def __init__(self, start):
        self.now = start

    def after(self, hours: float):
        self.now += timedelta(hours=hours)
        return self.now


def load(community: Community, rng: random.Random | None = None) -> int:
    """Create the demo issues unless the community has some already. Returns how many were made."""
    if community.issues.exists():
        return 0
    rng = rng or random.Random(2026)
    categories = {
        name: Category.objects.get_or_create(community=community, name=name, defaults={"position": i})[0]
        for i, name in enumerate(CATEGORIES)
    }
    orgs = {o.kind: o for o in Organisation.objects.filter(community=community)}
    made, ages = [], []
    for index, outcome in enumerate(PLAN):
        grid = community.grids.order_by("number")[index % community.grids.count()]
        residents = list(User.objects.filter(memberships__grid=grid, memberships__role=Membership.Role.RESIDENT))
        worker = User.objects.filter(memberships__grid=grid, memberships__role=Membership.Role.GRID_WORKER).first()
        reporter = residents[index % len(residents)]
        name = CATEGORIES[index % len(CATEGORIES)]
        title, body, place, fixer = rng.choice(PROBLEMS[name])
        b = rng.randint(1, 12)
        issue = services.raise_issue(
            reporter, grid_id=grid.pk, category_id=categories[name].pk, title=title, body=body,
            location=place.format(b=b, b2=b + 1, u=rng.randint(1, 3)), name_public=index % 3 == 0,
            contact=f"139 {rng.randint(1000, 9999)} {rng.randint(1000, 9999)}",
            address=f"Building {b}, Unit {rng.randint(1, 3)}, Room {rng.randint(1, 18)}0{rng.randint(1, 4)}",
        )
        if index % 4 == 1 and len(residents) > 1:
            follower = residents[(index + 1) % len(residents)]
            services.follow_issue(follower, issue_id=issue.pk)
            services.comment_on_issue(follower, issue_id=issue.pk, text=rng.choice(COMMENTS))
        _play(issue, outcome, worker, orgs.get(fixer) or orgs["property"], reporter, made, rng)
        issue.refresh_from_db()
        made.append(issue)
        ages.append(AGES.get(outcome, (20, 180)))
    _date_back(made, ages, rng)
    made += _spike(community, categories["Noise"], rng)
    services.sweep_issues()
    _date_sweeps(community)
    Notification.objects.filter(user__memberships__community=community).update(read_at=timezone.now())
    return len(made)


def _spike(community, noise, rng) -> list:
    """Four noise complaints in grid 3 this week, where a week usually brings none: the early warning's spike."""
    grid = community.grids.get(number=3)
    residents = list(User.objects.filter(memberships__grid=grid, memberships__role=Membership.Role.RESIDENT))
    spike = []
    for n, text in enumerate(["Trucks unloading at 4:30 again", "Generator running all night at the market",
                              "Loud music from the canal bar after midnight", "Drilling before 7 am on Sunday"]):
        issue = services.raise_issue(residents[n % len(residents)], grid_id=grid.pk, category_id=noise.pk,
                                     title=text, body="It woke the whole building again.",
                                     location="Canal market" if n < 3 else "Building 12")
        created = timezone.now() - timedelta(days=n + 0.5)
        Issue.objects.filter(pk=issue.pk).update(
            created_at=created, response_due_at=response_due(community, noise, created))
        IssueEvent.objects.filter(issue=issue).update(created_at=created)
        spike.append(issue)
    return spike


def _play(issue, outcome, worker, org, reporter, made, rng) -> None:
    """Drive one issue through the services to its final state."""
    due = timezone.localdate() + timedelta(days=7)
    if outcome in ("new", "escalated"):
        return
    if outcome == "needs_info":
        services.ask_for_information(worker, issue_id=issue.pk, question="Which floor exactly, and since when?")
        return
    if outcome == "declined":
        services.decline_issue(worker, issue_id=issue.pk, reason="This is a private matter between neighbours; "
                               "the mediation desk at the community hall can help.")
        return
    if outcome == "merged":
        target = next((m for m in reversed(made) if m.is_open and m.grid_id == issue.grid_id), None)
        if target is None:
            return
        services.merge_issue(worker, issue_id=issue.pk, into_id=target.pk)
        return
    if outcome == "major":
        services.triage_issue(worker, issue_id=issue.pk, tier="major",
                              note="Affects the whole estate: needs the owners' committee and the property manager together.")
        return
    if outcome == "emergency":
        services.triage_issue(worker, issue_id=issue.pk, tier="emergency", note="On my way.")
        services.report_on_site(worker, issue_id=issue.pk, text="Area cordoned off; the repair crew is called.")
        return
    services.triage_issue(worker, issue_id=issue.pk, tier="routine", task_title=f"Fix: {issue.title}",
                          owner_organisation_id=org.pk, due_date=due)
    task = issue.tasks.get()
    rep = User.objects.filter(memberships__organisation=org, memberships__role=Membership.Role.ORG_REP).first() or worker
    ledger_services.post_task_update(rep, task_id=task.pk, text="Inspected on site; parts ordered.", progress=40,
                              status="in_progress")
    if outcome == "routine":
        return
    ledger_services.post_task_update(rep, task_id=task.pk, text="Repair finished.", progress=100, status="done")
    services.resolve_issue(worker, issue_id=issue.pk, note="Checked with the reporter on site.")
    if outcome == "resolved":
        if rng.random() < 0.5:
            services.rate_issue(reporter, issue_id=issue.pk, score=rng.choice([4, 5]))
        return
    if outcome in ("reopened", "reopened_closed"):
        services.rate_issue(reporter, issue_id=issue.pk, score=2, comment="It broke again two days later.")
        if outcome == "reopened":
            return
        services.assign_task(worker, issue_id=issue.pk, title="Replace the part for good", owner_organisation_id=org.pk,
                             due_date=due)
        task = issue.tasks.exclude(status="done").get()
        ledger_services.post_task_update(rep, task_id=task.pk, text="Part replaced with a new one.", progress=100, status="done")
        services.resolve_issue(worker, issue_id=issue.pk, note="Replaced, not repaired, this time.")
    services.rate_issue(reporter, issue_id=issue.pk, score=rng.choices([5, 4, 3, 2], weights=[5, 4, 2, 1])[0],
                        comment=rng.choice(["", "Quick and friendly.", "Took a while, but done well."]))


def _date_back(issues, ages, rng) -> None:
    """Spread each issue's history over the past six months, keeping its order of events."""
    now = timezone.now()
    for issue, (youngest, oldest) in zip(issues, ages):
        clock = Clock(now - timedelta(days=rng.uniform(youngest, oldest)))
        start = clock.now
        Issue.objects.filter(pk=issue.pk).update(
            created_at=start, response_due_at=response_due(issue.community, issue.category, start)
        )
        first_response = resolved = closed = taken_up = None
        for event in issue.events.order_by("pk"):
            when = start if event.kind == "raised" else clock.after(rng.uniform(2, 30))
            when = min(when, now - timedelta(minutes=5))
            IssueEvent.objects.filter(pk=event.pk).update(created_at=when)
            # "merged" is recorded on both issues; only the duplicate's entry closes it.
            ends = event.kind == "declined" or (event.kind == "merged" and "into" in event.data)
            if (ends or event.kind in ("triaged", "asked_info")) and first_response is None:
                first_response = when
            if event.kind == "triaged":
                taken_up = when
            if event.kind == "resolved":
                resolved = when
            if ends:
                closed = when
            if event.kind == "reopened":
                resolved = None
            if event.kind == "task_assigned":
                Task.objects.filter(pk=event.data["task_id"]).update(
                    created_at=when, due_date=(when + timedelta(days=rng.choice([5, 7, 10]))).date()
                )
                Decision.objects.filter(issue=issue).filter(Q(decided_at__gt=when)).update(decided_at=when)
            if event.kind == "task_updated":
                TaskUpdate.objects.filter(pk=event.data["update_id"]).update(created_at=when)
                if event.data["status"] == "done":
                    Task.objects.filter(pk=event.data["task_id"]).update(done_at=when)
            if event.kind == "rated":
                Rating.objects.filter(issue=issue, user=event.actor).update(created_at=when)
        Issue.objects.filter(pk=issue.pk).update(
            first_response_at=first_response, resolved_at=resolved, closed_at=closed, updated_at=clock.now,
            resolution_due_at=taken_up and resolution_due(issue.community, issue.category, taken_up),
        )


def _date_sweeps(community) -> None:
    """Escalations and closings happened when their deadline passed, not when the demo was loaded."""
    for issue in community.issues.filter(escalated_at__isnull=False):
        Issue.objects.filter(pk=issue.pk).update(escalated_at=issue.response_due_at)
        issue.events.filter(kind="escalated").update(created_at=issue.response_due_at)
    for issue in community.issues.filter(status="closed", resolved_at__isnull=False):
        when = issue.resolved_at + timedelta(days=14)
        Issue.objects.filter(pk=issue.pk).update(closed_at=when)
        issue.events.filter(kind="closed").update(created_at=when)
