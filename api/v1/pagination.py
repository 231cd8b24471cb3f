"""Pages of a list: `page` from 1, `page_size` up to 100 (50 unless asked), with the total `count`."""

from ninja import Field, Schema
from ninja.pagination import PageNumberPagination

MAX_PAGE = 100_000


class Pages(PageNumberPagination):
    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE, description="From 1.")
        page_size: int | None = Field(None, ge=1, le=100, description="50 unless asked; at most 100.")

    def __init__(self, **kwargs):
        super().__init__(page_size=50, max_page_size=100, **kwargs)
