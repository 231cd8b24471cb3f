"""The notifications' part of deleting an account (``YISHI_ACCOUNT_DELETION_HOOKS``): what they were told goes."""

from community.models import User
from notifications.models import Notification


def deletion_blockers(user: User) -> list[str]:
    return []


def forget_person(user: User, label: str) -> None:
    Notification.objects.filter(user=user).delete()
