"""Consultations, proposals, comments, supports."""

from datetime import date, datetime

from ninja import Field, Schema

from api.v1.schemas.base import Id, Named, Public, public_name
from consult.models import Comment
from core.text import max_length


class ConsultationOut(Public):
    id: int
    community: str
    grid: Named | None
    title: str
    body: str = Field(description="Markdown.")
    phase: str
    collecting_from: date
    deliberation_from: date
    voting_from: date
    concludes_on: date
    support_threshold: int | None
    conclusion: str
    concluded_at: datetime | None
    phase_changed_at: datetime
    issues: list[int]
    url: str

    @staticmethod
    def resolve_grid(obj) -> dict | None:
        return {"id": obj.grid_id, "name": obj.grid.local_name} if obj.grid_id else None

    @staticmethod
    def resolve_issues(obj) -> list[int]:
        return [issue.pk for issue in obj.issues.all()]



class ProposalOut(Public):
    id: int
    consultation: int
    title: str | None = Field(description="Empty while hidden by moderation.")
    body: str | None = Field(description="Markdown; empty while hidden by moderation.")
    author: str | None = Field(description="The author's public name, or the organisation's name.")
    hidden: bool
    withdrawn: bool
    supports: int
    answer: str
    answer_text: str
    answered_at: datetime | None
    merged_into: int | None
    created_at: datetime
    edited_at: datetime | None
    url: str

    @staticmethod
    def resolve_title(obj) -> str | None:
        return None if obj.is_hidden else obj.title

    @staticmethod
    def resolve_body(obj) -> str | None:
        return None if obj.is_hidden else obj.body

    @staticmethod
    def resolve_author(obj) -> str | None:
        if obj.is_hidden:
            return None
        return obj.organisation.name if obj.organisation_id else public_name(obj.author)

    @staticmethod
    def resolve_hidden(obj) -> bool:
        return obj.is_hidden

    @staticmethod
    def resolve_withdrawn(obj) -> bool:
        return obj.withdrawn_at is not None

    @staticmethod
    def resolve_supports(obj) -> int:
        return obj.supports_count




class CommentOut(Public):
    id: int
    consultation: int
    proposal: int | None
    parent: int | None
    depth: int
    author: str | None
    body: str | None = Field(description="Markdown; empty once deleted or while hidden.")
    stance: str | None
    upvotes: int
    hidden: bool
    deleted: bool
    created_at: datetime
    edited_at: datetime | None
    url: str

    @staticmethod
    def _gone(obj) -> bool:
        return obj.is_hidden or obj.deleted_at is not None

    @staticmethod
    def resolve_author(obj) -> str | None:
        return None if CommentOut._gone(obj) else public_name(obj.author)

    @staticmethod
    def resolve_body(obj) -> str | None:
        return None if CommentOut._gone(obj) else obj.body

    @staticmethod
    def resolve_stance(obj) -> str | None:
        return None if CommentOut._gone(obj) else obj.stance

    @staticmethod
    def resolve_upvotes(obj) -> int:
        return obj.upvotes_count

    @staticmethod
    def resolve_hidden(obj) -> bool:
        return obj.is_hidden

    @staticmethod
    def resolve_deleted(obj) -> bool:
        return obj.deleted_at is not None



class CommentIn(Schema):
    body: str = Field(max_length=max_length(Comment, "body"), description="Markdown.")
    stance: str = Field("neutral", description="for, against or neutral.")
    proposal: Id | None = Field(None, description="Comment on this proposal of the consultation.")
    parent: Id | None = Field(None, description="Reply to this comment.")


class SupportOut(Schema):
    proposal: int
    supports: int
    supported: bool
