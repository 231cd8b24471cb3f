"""The polls' part of "Download your data" (``YISHI_PERSONAL_DATA_HOOKS``) and of deleting an account
(``YISHI_ACCOUNT_DELETION_HOOKS``).

That someone voted in a secret poll is in the ballot box, not in a table pointing to them: it is listed
here, with the poll and nothing about how they voted (nothing links a ballot to its voter).
"""

from django.db import transaction

from community.models import User
from core import fragments
from polls import services
from polls.models import Observer, OpenVote, Voter


def personal_data(user: User) -> dict:
    rolls = Voter.objects.filter(user=user, poll__secret=True).select_related("poll").order_by("poll_id")
    voted = [voter.poll for voter in rolls if services.has_voted(user, voter.poll)]
    return {"secret_polls_voted_in": [{"poll": poll.pk, "question": poll.title, "url": poll.get_absolute_url()}
                                      for poll in voted]}


def deletion_blockers(user: User) -> list[str]:
    return []  # a vote never stops an account from being deleted


def forget_person(user: User, label: str) -> None:
    """Take the person off every ballot box's roll once the deletion is committed. A ballot they cast stays
    (nothing links it to them, and the count must not change)."""
    user_id = user.pk
    transaction.on_commit(lambda: services.ballot_box().forget_voter(user_id))
    # The results and observers kept rendered (core/fragments.py) name them: rendered again, under the label.
    named = {*OpenVote.objects.filter(user=user).values_list("poll_id", flat=True),
             *Observer.objects.filter(user=user).values_list("poll_id", flat=True)}
    for poll_id in sorted(named):
        fragments.bump_on_commit("poll", poll_id)
