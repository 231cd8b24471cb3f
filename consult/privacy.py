"""The consultations' part of deleting an account (``YISHI_ACCOUNT_DELETION_HOOKS``): what they followed goes.

Proposals, comments and supports stay, shown under "Former member".
"""

from community.models import User
from consult.models import Comment, ConsultationFollow, Proposal
from core import fragments


def deletion_blockers(user: User) -> list[str]:
    return []


def forget_person(user: User, label: str) -> None:
    ConsultationFollow.objects.filter(user=user).delete()
    # The pages kept rendered for anonymous readers (core/fragments.py) name them: rendered again, under the label.
    written = {*Proposal.objects.filter(author=user).values_list("consultation_id", flat=True),
               *Comment.objects.filter(author=user).values_list("consultation_id", flat=True)}
    for consultation_id in sorted(written):
        fragments.bump_on_commit("consultation", consultation_id)
