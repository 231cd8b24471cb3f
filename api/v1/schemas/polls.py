"""Polls, options, results, ballots."""

from datetime import datetime
from typing import Any

from ninja import Field, Schema

from api.v1.schemas.base import Public


class OptionOut(Public):
    id: int
    text: str
    proposal: int | None



class ResultOut(Schema):
    counts: dict[str, int] = Field(description="Option id (or yes/no/abstain) → votes.")
    winners: list[str]
    rounds: list[dict[str, Any]] = Field(description="Instant-runoff rounds, for ranked polls.")
    ballots: int
    eligible: int
    quorum_met: bool
    adopted: bool


class PollOut(Public):
    id: int
    community: str
    title: str
    body: str
    method: str
    min_choices: int
    max_choices: int
    audience: str
    grid: int | None
    meeting: int | None
    consultation: int | None
    status: str
    voting_open: bool = Field(description="Whether a ballot is accepted now: open, and within its opening and "
                                          "closing times. An open poll past its closing time is about to be counted.")
    secret: bool
    opens_at: datetime | None
    closes_at: datetime | None
    opened_at: datetime | None
    closed_at: datetime | None
    quorum_kind: str
    quorum_value: int
    threshold: str
    threshold_base: str
    options: list[OptionOut]
    result: ResultOut | None = Field(description="The count, once the poll is closed.")
    decision: int | None
    url: str

    @staticmethod
    def resolve_grid(obj) -> int | None:
        return obj.grid_id

    @staticmethod
    def resolve_options(obj) -> list:
        return list(obj.options.all())

    @staticmethod
    def resolve_result(obj):
        return obj.result if obj.status == obj.Status.CLOSED else None

    @staticmethod
    def resolve_voting_open(obj) -> bool:
        return obj.is_open



class BallotList(Schema):
    poll: int
    secret: bool
    ballots: list[Any] = Field(description="Secret polls: each ballot's choices, in random order. Open polls: "
                               "{voter, choices} for each voter.")
    receipts: list[str] = Field(description="Secret polls: the hashes of the receipt codes, to check one's own.")


class BallotIn(Schema):
    choices: Any = Field(description="yes_no: \"yes\", \"no\" or \"abstain\"; single: an option id; multiple: a "
                         "list of option ids; ranked: option ids in order of preference.")


class BallotOut(Schema):
    poll: int
    receipt: str | None = Field(description="A secret ballot's receipt code, shown only once.")
