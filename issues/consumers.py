"""Live issue pages and grid issue lists: anyone may watch; frames carry ids only."""

from urllib.parse import parse_qs

from channels.db import database_sync_to_async

from core.fanout import PublicWatcher
from core.text import whole_number
from issues.realtime import issue_group, issue_list_group


class IssueConsumer(PublicWatcher):
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


class IssueListConsumer(PublicWatcher):
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


@database_sync_to_async
def _latest_event(issue_id: int) -> int | None:
    from issues.models import Issue, IssueEvent

    if not Issue.objects.filter(pk=issue_id).exists():
        return None
    return IssueEvent.objects.filter(issue_id=issue_id).order_by("-pk").values_list("pk", flat=True).first() or 0


@database_sync_to_async
def _existing_grids(ids: list[int]) -> set[int]:
    from community.models import Grid

    return set(Grid.objects.filter(pk__in=ids).values_list("pk", flat=True))
