"""The live socket of a consultation page."""

from urllib.parse import parse_qs

from channels.db import database_sync_to_async

from consult.realtime import consultation_group
from core.fanout import PublicWatcher
from core.text import whole_number

REPLAY_AT_MOST = 50  # missed consultation events replayed one by one; more than that: one "resync"


class ConsultationConsumer(PublicWatcher):
    """``/ws/consultations/<id>/?since=N``: what changed in a consultation, resumable by event id.

    Frames: ``consultation.changed`` (with ``event_id``, ``kind``, ``proposal_id``, ``comment_id``)
    and ``proposal.supports`` (a public count). A draft is only watched by its committee.
    """

    async def connect(self) -> None:
        consultation_id = self.scope["url_route"]["kwargs"]["consultation_id"]
        since = whole_number(parse_qs(self.scope.get("query_string", b"").decode()).get("since", [""])[0])
        state = await _consultation_state(self.scope.get("user"), consultation_id, since)
        if state is None:
            await self.close(code=4404)
            return
        latest, missed = state
        self.groups_to_join = [consultation_group(consultation_id)]
        await self.join()
        await self.send_json({"type": "welcome", "consultation_id": consultation_id, "last_event_id": latest})
        for frame in missed:  # what happened while away, in order
            await self.send_json(frame)
        await self.fanout_ready()


@database_sync_to_async
def _consultation_state(user, consultation_id: int, since: int | None):
    from consult import permissions
    from consult.models import Consultation, ConsultationEvent

    consultation = Consultation.objects.select_related("community").filter(pk=consultation_id).first()
    if consultation is None or not permissions.can_view_consultation(user, consultation):
        return None
    events = ConsultationEvent.objects.filter(consultation=consultation).order_by("pk")
    latest = events.values_list("pk", flat=True).last() or 0
    missed = []
    if since is not None:
        rows = list(events.filter(pk__gt=since)[:REPLAY_AT_MOST + 1])
        if len(rows) > REPLAY_AT_MOST:  # away too long: one frame that says "reload", not a flood
            return latest, [{"type": "consultation.changed", "event_id": latest, "kind": "resync",
                             "proposal_id": None, "comment_id": None}]
        for event in rows:
            missed.append({"type": "consultation.changed", "event_id": event.pk, "kind": event.kind,
                           "proposal_id": event.proposal_id, "comment_id": event.comment_id})
    return latest, missed
