"""Places and people: communities, grids, organisations, categories, the caller."""


from ninja import Field, Schema

from api.v1.schemas.base import Public


class CommunityOut(Public):
    slug: str
    name: str
    description: str = Field(description="Markdown.")
    address: str
    response_deadline: int = Field(description="How long the grid workers have to answer a new issue, in response_deadline_unit.")
    response_deadline_unit: str = Field(description="working_days, working_hours or hours (clock hours).")
    resolution_deadline: int = Field(description="How long an issue may take from being taken up to being resolved.")
    resolution_deadline_unit: str = Field(description="working_days, working_hours or hours (clock hours).")
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
