"""What the API returns and accepts. Public fields only: never an email, a contact or an address.

Callers import from here (``from api.v1.schemas import IssueOut``); each module holds one part of the domain.
"""

from api.v1.schemas.base import Day, Error, Id, Named, Public, public_name, url_for
from api.v1.schemas.community import (
    CategoryOut,
    CommunityOut,
    GridOut,
    MeOut,
    OrganisationOut,
    RatesOut,
)
from api.v1.schemas.consultations import (
    CommentIn,
    CommentOut,
    ConsultationOut,
    ProposalOut,
    SupportOut,
)
from api.v1.schemas.decisions import DecisionOut, TaskOut, TaskUpdateOut
from api.v1.schemas.issues import IssueIn, IssueOut, RatingIn, RatingOut, Satisfaction
from api.v1.schemas.meetings import AgendaItemOut, MeetingOut, MinutesOut
from api.v1.schemas.polls import BallotIn, BallotList, BallotOut, OptionOut, PollOut, ResultOut

__all__ = [
    "Day",
    "Id",
    "url_for",
    "public_name",
    "Public",
    "Error",
    "Named",
    "CommunityOut",
    "GridOut",
    "OrganisationOut",
    "RatesOut",
    "CategoryOut",
    "MeOut",
    "Satisfaction",
    "IssueOut",
    "IssueIn",
    "RatingIn",
    "RatingOut",
    "ConsultationOut",
    "ProposalOut",
    "CommentOut",
    "CommentIn",
    "SupportOut",
    "AgendaItemOut",
    "MinutesOut",
    "MeetingOut",
    "OptionOut",
    "ResultOut",
    "PollOut",
    "BallotList",
    "BallotIn",
    "BallotOut",
    "TaskUpdateOut",
    "TaskOut",
    "DecisionOut",
]
