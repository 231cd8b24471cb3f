"""The consultations' part of deleting an account (``YISHI_ACCOUNT_DELETION_HOOKS``): what they followed goes.

Proposals, comments and supports stay, shown under "Former member".
"""

from community.models import User
from consult.models import ConsultationFollow


def deletion_blockers(user: User) -> list[str]:
    return []


def forget_person(user: User, label: str) -> None:
    ConsultationFollow.objects.filter(user=user).delete()
