"""What every schema shares: days and ids as the API writes them, the fields resolved from any model, errors."""

import re
from datetime import date
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import BeforeValidator


def _iso_day(value):
    """Only YYYY-MM-DD, as documented: not a number of seconds, which pydantic would otherwise take."""
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError("a day is written YYYY-MM-DD")
    return value


Day = Annotated[date, BeforeValidator(_iso_day)]
Id = Annotated[int, Field(ge=1, le=2**31 - 1)]  # what every database's id column holds


def url_for(context, path: str) -> str:
    request = context["request"] if context else None
    return request.build_absolute_uri(path) if request is not None else path


def public_name(user) -> str | None:
    return user.public_name if user is not None else None


class Public(Schema):
    """What every schema read from a model resolves the same way: its community's slug, its page's
    absolute address, and the ids of the rows it points at."""

    @staticmethod
    def resolve_community(obj) -> str:
        return obj.community.slug

    @staticmethod
    def resolve_url(obj, context) -> str:
        return url_for(context, obj.get_absolute_url())

    @staticmethod
    def resolve_issue(obj) -> int | None:
        return obj.issue_id

    @staticmethod
    def resolve_consultation(obj) -> int | None:
        return obj.consultation_id

    @staticmethod
    def resolve_proposal(obj) -> int | None:
        return obj.proposal_id

    @staticmethod
    def resolve_parent(obj) -> int | None:
        return obj.parent_id

    @staticmethod
    def resolve_meeting(obj) -> int | None:
        return obj.meeting_id

    @staticmethod
    def resolve_decision(obj) -> int | None:
        return obj.decision_id

    @staticmethod
    def resolve_merged_into(obj) -> int | None:
        return obj.merged_into_id


class Error(Schema):
    message: str = Field(description="What went wrong, in the caller's language (Accept-Language).")
    errors: list[dict[str, Any]] = Field(default_factory=list, description="Each invalid field, when there are any.")


class Named(Schema):
    id: int
    name: str
