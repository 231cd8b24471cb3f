"""The issues' part of deleting an account (``YISHI_ACCOUNT_DELETION_HOOKS``).

Gone: the private contact details of the issues they raised, and what they followed. Changed: an
issue's timeline says to whom each task went, by name; the person's tasks now say the label.
"""

from community.models import User
from issues.models import IssueCase, IssueEvent, IssueFollow


def deletion_blockers(user: User) -> list[str]:
    return []


def forget_person(user: User, label: str) -> None:
    IssueCase.objects.filter(issue__reporter=user).update(reporter_name="", contact="", address="")
    IssueFollow.objects.filter(user=user).delete()
    tasks = list(user.tasks.values_list("pk", flat=True))
    for event in IssueEvent.objects.filter(kind=IssueEvent.Kind.TASK_ASSIGNED, data__task_id__in=tasks):
        IssueEvent.objects.filter(pk=event.pk).update(data={**event.data, "owner": label})
