"""``/ws/polls/<id>/``: a poll page hears when its counts move or it opens or closes. Frames carry ids only."""

from channels.db import database_sync_to_async

from core.fanout import PublicWatcher
from polls.realtime import poll_group


class PollConsumer(PublicWatcher):
    async def connect(self) -> None:
        poll_id = self.scope["url_route"]["kwargs"]["poll_id"]
        status = await _visible_status(self.scope.get("user"), poll_id)
        if status is None:
            await self.close(code=4404)
            return
        self.groups_to_join = [poll_group(poll_id)]
        await self.join()
        await self.send_json({"type": "welcome", "poll_id": poll_id, "status": status})
        await self.fanout_ready()


@database_sync_to_async
def _visible_status(user, poll_id: int) -> str | None:
    from polls import services
    from polls.models import Poll

    poll = Poll.objects.select_related("community", "meeting").filter(pk=poll_id).first()
    return poll.status if poll is not None and services.can_view(user, poll) else None
