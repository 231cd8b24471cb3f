"""Resident issues and their ratings."""

from datetime import datetime

from ninja import Field, Schema

from api.v1.schemas.base import Id, Named, Public, url_for
from core.text import max_length
from issues.models import Issue, Rating


class Satisfaction(Schema):
    ratings: int
    average: float | None = Field(description="1 to 5, for the latest resolution.")


class IssueOut(Public):
    id: int
    community: str
    grid: Named
    category: Named
    title: str
    body: str = Field(description="Markdown.")
    location: str = Field(description="The public place, e.g. “Gate of building 3”.")
    status: str
    tier: str
    channel: str
    reporter: str | None = Field(description="The reporter's public name, only when they chose to show it.")
    merged_into: int | None
    created_at: datetime
    response_due_at: datetime
    first_response_at: datetime | None
    resolution_due_at: datetime | None = Field(description="Set when the issue is taken up, on the working calendar.")
    resolved_at: datetime | None
    closed_at: datetime | None
    reopened_count: int
    satisfaction: Satisfaction
    photos: list[str]
    url: str

    @staticmethod
    def resolve_grid(obj) -> dict:
        return {"id": obj.grid_id, "name": obj.grid.local_name}

    @staticmethod
    def resolve_category(obj) -> dict:
        return {"id": obj.category_id, "name": obj.category.local_name}

    @staticmethod
    def resolve_reporter(obj) -> str | None:
        return obj.reporter.public_name if obj.name_public and obj.reporter_id else None

    @staticmethod
    def resolve_satisfaction(obj) -> dict:
        average = getattr(obj, "rating_average", None)
        return {"ratings": getattr(obj, "rating_count", 0), "average": round(average, 1) if average else None}

    @staticmethod
    def resolve_photos(obj, context) -> list[str]:
        return [url_for(context, photo.image.url) for photo in obj.photos.all()]



class IssueIn(Schema):
    grid: Id | None = Field(None, description="Your grid; leave out to use the grid you live in.")
    category: Id = Field(description="One of the community's categories (GET /categories).")
    title: str = Field(max_length=max_length(Issue, "title"))
    body: str = Field(max_length=max_length(Issue, "body"), description="What is wrong. Markdown.")
    location: str = Field("", max_length=max_length(Issue, "location"), description="The public place.")
    name_public: bool = Field(False, description="Show your name with the issue.")
    community: str | None = Field(None, description="The community's slug, when you belong to several.")


class RatingIn(Schema):
    score: int = Field(ge=1, le=5)
    comment: str = Field("", max_length=max_length(Rating, "comment"))


class RatingOut(Schema):
    issue: int
    score: int
    comment: str
    by_reporter: bool
    reopened: bool = Field(description="The reporter's low rating reopened the issue.")
