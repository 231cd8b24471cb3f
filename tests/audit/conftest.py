"""What the audit tests share: catching the entries an action writes."""

from contextlib import contextmanager

from django.db.models import Max

from audit.models import AuditEntry


@contextmanager
def recorded():
    """The entries written inside the block, oldest first."""
    start = AuditEntry.objects.aggregate(last=Max("pk"))["last"] or 0
    found: list[AuditEntry] = []
    yield found
    found.extend(AuditEntry.objects.filter(pk__gt=start).order_by("pk"))


def summary(entries) -> list[tuple]:
    """Who, what, on which target: the part of an entry each test checks first."""
    return [(e.actor_id, e.action, e.target_type, e.target_id) for e in entries]
