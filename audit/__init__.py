"""The audit log of privileged actions. ``record`` is called inside the services' transactions.

``record`` and ``audit.models`` import no other app of ours, so every app's services may call it. A refused or rolled-back
action leaves no entry: the entry is written in the same transaction as the action.
"""

from django.conf import settings
from django.utils import translation

from audit.actions import Action


def record(actor, action: str, *, community, target=None, target_label: str | None = None, **details):
    """Write one entry: ``actor`` (None for the system) did ``action`` on ``target`` in ``community``.

    ``community`` is a community, its id, or None (an action on the whole platform or one's own
    account). ``target_label`` replaces the target's own name where that name should not be kept
    forever (the text of a comment hidden for carrying someone's private details).
    """
    from audit.models import AuditEntry

    if action not in Action.values:
        raise ValueError(f"Unknown audit action: {action!r}")
    actor = actor if getattr(actor, "is_authenticated", False) else None
    community_id = getattr(community, "pk", community)
    entry = AuditEntry(actor=actor, community_id=community_id, action=action, details=details)
    most = {name: AuditEntry._meta.get_field(name).max_length for name in ("actor_name", "target_label", "target_url")}
    with translation.override(settings.LANGUAGE_CODE):  # a snapshot, the same whoever's page did it
        if actor is not None:
            entry.actor_name = str(actor.public_name)[:most["actor_name"]]
        if target is not None:
            entry.target_type, entry.target_id = target._meta.label_lower, target.pk
            label = str(target) if target_label is None else target_label
            entry.target_label = label[:most["target_label"]]
            url = getattr(target, "get_absolute_url", None)
            entry.target_url = url()[:most["target_url"]] if url else ""
    entry.save()
    return entry


__all__ = ["Action", "record"]
