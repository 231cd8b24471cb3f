"""Decisions and their tasks."""

from datetime import date, datetime

from ninja import Field, Schema

from api.v1.schemas.base import Public, public_name


class TaskUpdateOut(Schema):
    text: str
    progress: int
    status: str
    created_at: datetime


class TaskOut(Schema):
    id: int
    title: str
    owner: str | None
    due_date: date
    status: str
    progress: int
    overdue: bool
    done_at: datetime | None
    updates: list[TaskUpdateOut]

    @staticmethod
    def resolve_owner(obj) -> str | None:
        if obj.owner_organisation_id:
            return obj.owner_organisation.name
        return public_name(obj.owner_user)

    @staticmethod
    def resolve_overdue(obj) -> bool:
        return obj.is_overdue

    @staticmethod
    def resolve_updates(obj) -> list:
        return list(obj.updates.all())


class DecisionOut(Public):
    id: int
    community: str
    title: str
    body: str = Field(description="Markdown, in the language the request asked for where the system wrote it "
                                   "(\"Adopted by vote: …\").")
    source: str
    issue: int | None
    consultation: int | None
    decided_at: datetime
    tasks: list[TaskOut]
    url: str

    @staticmethod
    def resolve_body(obj) -> str:
        return obj.text

    @staticmethod
    def resolve_tasks(obj) -> list:
        return list(obj.tasks.all())
