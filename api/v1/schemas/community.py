"""Places and people: communities, grids, organisations, categories, the caller."""


from ninja import Field, Schema

from api.v1.schemas.base import Public


class CommunityOut(Public):
    slug: str
    name: str
    description: str = Field(description="Markdown.")
    address: str
    response_deadline_hours: int
    url: str



class GridOut(Public):
    id: int
    community: str = Field(description="The community's slug.")
    number: int
    name: str
    description: str = Field(description="Markdown.")
    households: int | None



class OrganisationOut(Public):
    id: int
    community: str
    name: str
    kind: str
    description: str
    public_contact: str



class CategoryOut(Public):
    id: int
    community: str
    name: str



class MeOut(Schema):
    id: int
    name: str
    scopes: list[str] = Field(description="What this token may do; every scope for a signed-in session.")


class RateCounts(Schema):
    """One group's month: the counts, and each rate computed from its two counts (None when nothing was due)."""

    response_due: int
    responded_in_time: int
    resolution_due: int
    resolved_in_time: int
    ratings: int
    ratings_4_5: int
    ratings_3: int
    response_rate: float | None = Field(description="responded_in_time / response_due, in per cent, one decimal.")
    resolution_rate: float | None = Field(description="resolved_in_time / resolution_due, in per cent, one decimal.")
    satisfaction_rate: float | None = Field(description="ratings_4_5 / ratings, in per cent, one decimal.")
    basically_satisfied_rate: float | None = Field(description="ratings_3 / ratings, in per cent, one decimal.")


class RatesGroup(Schema):
    id: int
    name: str
    counts: RateCounts


class RatesOut(Schema):
    community: str
    month: str = Field(description="YYYY-MM.")
    so_far: bool = Field(description="The month is not over yet.")
    all: RateCounts
    grids: list[RatesGroup]
    workers: list[RatesGroup] | None = Field(
        description="Each grid worker's figures: only for the community's committee and grid workers.")
    organisations: list[RatesGroup]
