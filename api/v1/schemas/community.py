"""Places and people: communities, grids, organisations, categories, the caller."""


from ninja import Field, Schema

from api.v1.schemas.base import Public


class Bilingual(Public):
    """A name (and description) kept in English and Chinese: ``name`` is the one in the request's language."""

    name: str = Field(description="In the request's language, or the other one when that is empty.")
    name_en: str
    name_zh: str

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.local_name

    @staticmethod
    def resolve_name_en(obj) -> str:
        return obj.name


class Described(Bilingual):
    description: str = Field(description="Markdown, in the request's language.")
    description_en: str
    description_zh: str

    @staticmethod
    def resolve_description(obj) -> str:
        return obj.local_description

    @staticmethod
    def resolve_description_en(obj) -> str:
        return obj.description


class CommunityOut(Described):
    slug: str
    address: str
    response_deadline: int = Field(description="How long the grid workers have to answer a new issue, in response_deadline_unit.")
    response_deadline_unit: str = Field(description="working_days, working_hours or hours (clock hours).")
    resolution_deadline: int = Field(description="How long an issue may take from being taken up to being resolved.")
    resolution_deadline_unit: str = Field(description="working_days, working_hours or hours (clock hours).")
    url: str



class GridOut(Described):
    id: int
    community: str = Field(description="The community's slug.")
    number: int
    households: int | None



class OrganisationOut(Public):
    id: int
    community: str
    name: str
    kind: str
    description: str = Field(description="Markdown, in the request's language.")
    description_en: str
    description_zh: str
    public_contact: str

    @staticmethod
    def resolve_description(obj) -> str:
        return obj.local_description

    @staticmethod
    def resolve_description_en(obj) -> str:
        return obj.description



class CategoryOut(Bilingual):
    id: int
    community: str



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
