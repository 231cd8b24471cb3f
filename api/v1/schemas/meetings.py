"""Meetings, their agenda and minutes."""

from datetime import datetime

from ninja import Field, Schema

from api.v1.schemas.base import Named, Public


class AgendaItemOut(Public):
    id: int
    position: int
    title: str
    description: str
    minutes_allotted: int
    issue: int | None
    consultation: int | None
    proposal: int | None
    outcome: str
    outcome_text: str
    decision: int | None






class MinutesOut(Schema):
    body: str = Field(description="Markdown.")
    version: int
    approved_at: datetime | None


class MeetingOut(Public):
    id: int
    community: str
    kind: str
    title: str
    description: str
    starts_at: datetime
    ends_at: datetime | None
    place: str
    online: bool
    audience: str
    grid: Named | None
    status: str
    started_at: datetime | None
    adjourned_at: datetime | None
    agenda: list[AgendaItemOut]
    minutes: MinutesOut | None = Field(description="Only once approved and published.")
    url: str

    @staticmethod
    def resolve_grid(obj) -> dict | None:
        return {"id": obj.grid_id, "name": obj.grid.local_name} if obj.grid_id else None

    @staticmethod
    def resolve_agenda(obj) -> list:
        return [item for item in obj.agenda_items.all() if item.status == item.Status.ACCEPTED]

    @staticmethod
    def resolve_minutes(obj):
        minutes = getattr(obj, "minutes", None)
        return minutes if minutes is not None and minutes.status == minutes.Status.PUBLISHED else None
