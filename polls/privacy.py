"""The polls' part of "Download your data" (``YISHI_PERSONAL_DATA_HOOKS``).

That someone voted in a secret poll is in the ballot box, not in a table pointing to them: it is listed
here, with the poll and nothing about how they voted (nothing links a ballot to its voter).
"""

from community.models import User
from polls import services
from polls.models import Voter


def personal_data(user: User) -> dict:
    rolls = Voter.objects.filter(user=user, poll__secret=True).select_related("poll").order_by("poll_id")
    voted = [voter.poll for voter in rolls if services.has_voted(user, voter.poll)]
    return {"secret_polls_voted_in": [{"poll": poll.pk, "question": poll.title, "url": poll.get_absolute_url()}
                                      for poll in voted]}
