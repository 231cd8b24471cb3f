"""Demo polls, voted through the real services: closed polls of every method with realistic turnout,
one open poll the demo resident can vote in, and a secret poll with its public recount."""

import random
from datetime import timedelta

from django.utils import timezone

from community.models import Community, User
from polls import services
from polls.models import Poll


def load(community: Community) -> int:
    if community.polls.exists():
        return 0
    rng = random.Random(11)
    chair = User.objects.get(email="committee@example.org")
    demo_resident = User.objects.get(email="resident@example.org")
    residents = [u for u in services.eligible_users(Poll(community=community, audience="community"))
                 .order_by("pk") if u.pk != demo_resident.pk]

    def run(title, method, options, weights, *, turnout, secret=True, **extra):
        poll = services.create_poll(chair, community_id=community.pk, title=title, method=method,
                                    options=options, secret=secret, **extra)
        poll = services.open_poll(chair, poll_id=poll.pk)
        ids = list(poll.options.values_list("pk", flat=True))
        for voter in rng.sample(residents, int(len(residents) * turnout)):
            if method == "yes_no":
                choice = rng.choices(["yes", "no", "abstain"], weights=weights)[0]
            elif method == "single":
                choice = rng.choices(ids, weights=weights)[0]
            elif method == "multiple":
                choice = rng.sample(ids, rng.randint(poll.min_choices, poll.max_choices))
            elif method == "ranked":
                order = sorted(ids, key=lambda pk: -weights[ids.index(pk)] * rng.random())
                choice = order[: rng.randint(1, len(order))]
            else:
                choice = {str(pk): min(5, max(0, round(weights[n] + rng.uniform(-1.5, 1.5))))
                          for n, pk in enumerate(ids)}
            services.cast_ballot(voter, poll_id=poll.pk, choices=choice)
        return poll

    closed = [
        run("Paint the community hall in light green?", "yes_no", [], [6, 3, 1], turnout=0.7,
            quorum_kind="share", quorum_value=50),
        run("Which day should the repair café meet?", "single", ["Saturday morning", "Sunday afternoon",
            "Wednesday evening"], [5, 3, 2], turnout=0.6, secret=False),
        run("Which plants for the canal path? (choose up to 2)", "multiple", ["Osmanthus", "Camellia", "Bamboo",
            "Roses"], [1, 1, 1, 1], turnout=0.55, min_choices=1, max_choices=2),
        run("What should the hall renovation do first?", "ranked", ["Lift to the first floor",
            "Canteen for elderly neighbours", "Accessible toilets", "Homework room"], [4, 4, 3, 2], turnout=0.65,
            threshold="simple"),
        run("How good is the new bin schedule?", "score", ["Collection times", "Cleanliness", "Sorting help"],
            [3, 4, 2], turnout=0.5),
    ]
    for poll in closed:
        services.close_poll(chair, poll_id=poll.pk)
    days_ago = timezone.now() - timedelta(days=20)
    Poll.objects.filter(pk__in=[p.pk for p in closed]).update(opened_at=days_ago, closed_at=days_ago + timedelta(days=7))
    run("Allow e-bike charging in the new shed by Building 3?", "yes_no", [], [5, 4, 1], turnout=0.35,
        closes_at=timezone.now() + timedelta(days=5))  # open: the demo resident can still vote
    return len(closed) + 1
