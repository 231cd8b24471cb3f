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
    response_deadline_hours: int
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
