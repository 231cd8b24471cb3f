"""What the API returns and accepts. Public fields only: never an email, a contact or an address."""

import re
from datetime import date, datetime
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import BeforeValidator

from consult.models import Comment
from core.text import max_length
from issues.models import Issue, Rating


def _iso_day(value):
    """Only YYYY-MM-DD, as documented: not a number of seconds, which pydantic would otherwise take."""
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError("a day is written YYYY-MM-DD")
    return value


Day = Annotated[date, BeforeValidator(_iso_day)]
Id = Annotated[int, Field(ge=1, le=2**31 - 1)]  # what every database's id column holds


def _url(context, path: str) -> str:
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
        return _url(context, obj.get_absolute_url())

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


# Places and people -----------------------------------------------------------------------------------


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



class Named(Schema):
    id: int
    name: str


# Issues -------------------------------------------------------------------------------------------------


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
    resolved_at: datetime | None
    closed_at: datetime | None
    reopened_count: int
    satisfaction: Satisfaction
    photos: list[str]
    url: str

    @staticmethod
    def resolve_grid(obj) -> dict:
        return {"id": obj.grid_id, "name": obj.grid.name}

    @staticmethod
    def resolve_category(obj) -> dict:
        return {"id": obj.category_id, "name": obj.category.name}

    @staticmethod
    def resolve_reporter(obj) -> str | None:
        return obj.reporter.public_name if obj.name_public and obj.reporter_id else None

    @staticmethod
    def resolve_satisfaction(obj) -> dict:
        average = getattr(obj, "rating_average", None)
        return {"ratings": getattr(obj, "rating_count", 0), "average": round(average, 1) if average else None}

    @staticmethod
    def resolve_photos(obj, context) -> list[str]:
        return [_url(context, photo.image.url) for photo in obj.photos.all()]



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


# Consultations -----------------------------------------------------------------------------------------


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
        return {"id": obj.grid_id, "name": obj.grid.name} if obj.grid_id else None

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


# Meetings --------------------------------------------------------------------------------------------


class AgendaItemOut(Public):
    id: int
    position: int
    title: str
    description: str
    minutes_allotted: int
    issue: int | None
    consultation: int | None
    proposal: int | None
    outcome: str
    outcome_text: str
    decision: int | None






class MinutesOut(Schema):
    body: str = Field(description="Markdown.")
    version: int
    approved_at: datetime | None


class MeetingOut(Public):
    id: int
    community: str
    kind: str
    title: str
    description: str
    starts_at: datetime
    ends_at: datetime | None
    place: str
    online: bool
    audience: str
    grid: Named | None
    status: str
    started_at: datetime | None
    adjourned_at: datetime | None
    agenda: list[AgendaItemOut]
    minutes: MinutesOut | None = Field(description="Only once approved and published.")
    url: str

    @staticmethod
    def resolve_grid(obj) -> dict | None:
        return {"id": obj.grid_id, "name": obj.grid.name} if obj.grid_id else None

    @staticmethod
    def resolve_agenda(obj) -> list:
        return [item for item in obj.agenda_items.all() if item.status == item.Status.ACCEPTED]

    @staticmethod
    def resolve_minutes(obj):
        minutes = getattr(obj, "minutes", None)
        return minutes if minutes is not None and minutes.status == minutes.Status.PUBLISHED else None



# Polls -------------------------------------------------------------------------------------------------


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


# Decisions ---------------------------------------------------------------------------------------------


class TaskUpdateOut(Schema):
    text: str
    progress: int
    status: str
    created_at: datetime


class TaskOut(Schema):
    id: int
    title: str
    owner: str | None
    due_date: date
    status: str
    progress: int
    overdue: bool
    done_at: datetime | None
    updates: list[TaskUpdateOut]

    @staticmethod
    def resolve_owner(obj) -> str | None:
        if obj.owner_organisation_id:
            return obj.owner_organisation.name
        return public_name(obj.owner_user)

    @staticmethod
    def resolve_overdue(obj) -> bool:
        return obj.is_overdue

    @staticmethod
    def resolve_updates(obj) -> list:
        return list(obj.updates.all())


class DecisionOut(Public):
    id: int
    community: str
    title: str
    body: str = Field(description="Markdown.")
    source: str
    issue: int | None
    consultation: int | None
    decided_at: datetime
    tasks: list[TaskOut]
    url: str

    @staticmethod
    def resolve_tasks(obj) -> list:
        return list(obj.tasks.all())



class MeOut(Schema):
    id: int
    name: str
    scopes: list[str] = Field(description="What this token may do; every scope for a signed-in session.")
