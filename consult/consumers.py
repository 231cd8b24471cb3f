"""Live sockets of the consult app: the account channel, issue pages and issue lists."""

from typing import Any
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from django.utils.translation import gettext as _

from consult.fanout import FanoutConsumer
from consult.realtime import consultation_group, issue_group, issue_list_group, user_group
from consult.text import whole_number

MAX_FRAME_BYTES = 4096
REPLAY_AT_MOST = 50  # missed consultation events replayed one by one; more than that: one "resync"


class AccountConsumer(FanoutConsumer):
    """``/ws/me/``: events addressed to the signed-in user. Anonymous sockets are refused."""

    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated or not user.is_active:
            await self.close(code=4401)
            return
        await self.fanout_join(user_group(user.pk))
        await self.accept()
        await self.send_json(
            {"type": "welcome", "user": {"id": user.pk, "display_name": user.public_name}}
        )
        await self.fanout_ready()

    async def disconnect(self, code: int) -> None:
        await self.fanout_leave()

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if text_data is None or len(text_data.encode()) > MAX_FRAME_BYTES:
            await self.send_json({"type": "error", "message": _("Frames must be JSON text of at most 4 KB.")})
            return
        try:
            await super().receive(text_data=text_data)
        except ValueError:
            await self.send_json({"type": "error", "message": _("Frames must be JSON objects.")})

    async def receive_json(self, content: Any, **kwargs) -> None:
        kind = content.get("type") if isinstance(content, dict) else None
        if kind == "ping":
            await self.send_json({"type": "pong"})
        else:
            await self.send_json({"type": "error", "message": _("Unknown frame type.")})


class _PublicWatcher(FanoutConsumer):
    """A read-only socket on public pages: it only says *that* something changed.

    Clients then fetch what they may see over HTTP, so no private detail is
    ever sent on a shared group, and anyone — signed in or not — may watch.
    """

    groups_to_join: list[str]

    async def disconnect(self, code: int) -> None:
        await self.fanout_leave()

    async def join(self) -> None:
        """Join, accept; the subclass then sends its welcome and calls ``fanout_ready``."""
        await self.fanout_join(*self.groups_to_join)
        await self.accept()

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if text_data is not None and len(text_data.encode()) <= MAX_FRAME_BYTES and '"ping"' in text_data:
            await self.send_json({"type": "pong"})
        else:
            await self.send_json({"type": "error", "message": _("This socket only listens; send ping or nothing.")})


class IssueConsumer(_PublicWatcher):
    """``/ws/issues/<id>/?since=N``: ``issue.changed`` whenever the issue's timeline grows."""

    async def connect(self) -> None:
        issue_id = self.scope["url_route"]["kwargs"]["issue_id"]
        latest = await _latest_event(issue_id)
        if latest is None:
            await self.close(code=4404)
            return
        self.groups_to_join = [issue_group(issue_id)]
        await self.join()
        since = whole_number(parse_qs(self.scope.get("query_string", b"").decode()).get("since", [""])[0])
        await self.send_json({"type": "welcome", "issue_id": issue_id, "last_event_id": latest})
        if since is not None and latest > since:  # missed while away: one catch-up frame
            await self.send_json({"type": "issue.changed", "issue_id": issue_id, "event_id": latest})
        await self.fanout_ready()


class IssueListConsumer(_PublicWatcher):
    """``/ws/issue-lists/?grids=1,2``: ``issue.changed`` for any issue of those grids."""

    async def connect(self) -> None:
        raw = parse_qs(self.scope.get("query_string", b"").decode()).get("grids", [""])[0]
        ids = [i for i in (whole_number(part) for part in raw.split(",")[:50]) if i is not None]
        known = await _existing_grids(ids)
        if not ids or len(known) != len(set(ids)):
            await self.close(code=4404)
            return
        self.groups_to_join = [issue_list_group(i) for i in sorted(known)]
        await self.join()
        await self.send_json({"type": "welcome", "grids": sorted(known)})
        await self.fanout_ready()


class ConsultationConsumer(_PublicWatcher):
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
def _latest_event(issue_id: int) -> int | None:
    from consult.models import Issue, IssueEvent

    if not Issue.objects.filter(pk=issue_id).exists():
        return None
    return IssueEvent.objects.filter(issue_id=issue_id).order_by("-pk").values_list("pk", flat=True).first() or 0


@database_sync_to_async
def _existing_grids(ids: list[int]) -> set[int]:
    from consult.models import Grid

    return set(Grid.objects.filter(pk__in=ids).values_list("pk", flat=True))


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
