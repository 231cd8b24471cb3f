"""How each row of the matrix is performed: the URL, the method and the real form fields.

Each builder takes the world and returns a ``Request``; ``setup`` prepares state first (as someone
other than the role under test), ``changes`` says whether an allowed request must change the database.
"""

import json
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Callable

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from consult import services as consult_services
from issues import services as issues_services
from tests.security.world import finish_tasks

TODAY = timezone.localdate()
API_KEY = object()  # stands for the personal token of the role under test


@dataclass
class Request:
    method: str
    url: str
    data: dict = field(default_factory=dict)
    changes: bool = True
    setup: Callable | None = None
    headers: dict = field(default_factory=dict)

    @property
    def body(self) -> str:
        return json.dumps(self.data)


def _get(url, **extra):
    return Request("GET", url, changes=False, **extra)


def _issue(name, w, action, data, issue=None, **extra):
    return Request("POST", reverse("issues:issue-action", args=[(issue or w.issue).pk, action]),
                   {f"{action}-{k}": v for k, v in data.items()}, **extra)


def _consultation(w, action, data=None, consultation=None, **extra):
    return Request("POST", reverse("consult:consultation-action", args=[(consultation or w.consultation).pk, action]),
                   data or {}, **extra)


def _proposal(w, action, data=None, **extra):
    return Request("POST", reverse("consult:proposal-action", args=[w.proposal.pk, action]), data or {}, **extra)


def _comment(w, action, data=None):
    return Request("POST", reverse("consult:comment-action", args=[w.comment.pk, action]), data or {})


def _meeting(meeting, action, data=None):
    return Request("POST", reverse("meetings:meeting-action", args=[meeting.pk, action]), data or {})


def _item(meeting, first=False):
    items = meeting.agenda_items.filter(status="accepted").order_by("position", "pk")
    return (items.first() if first else items.last()).pk


def _support(w, user):
    consult_services.support_proposal(w.resident_other_grid, proposal_id=w.proposal.pk)


def _not_following_issue(w, user):
    """Raising an issue follows it: the reporter stops, so following it again is a change."""
    if user is not None:
        with suppress(ValidationError, PermissionDenied):
            issues_services.unfollow_issue(user, issue_id=w.issue_twin.pk)


def _not_following_consultation(w, user):
    if user is not None:
        with suppress(ValidationError, PermissionDenied):
            consult_services.unfollow_consultation(user, consultation_id=w.voting.pk)


MEETING_FIELDS = {
    "kind": "joint", "title": "Bins", "starts_at": "2031-05-01 18:00", "place": "Hall", "audience": "invited",
    "quorum": "2", "is_public": "on",
}
POLL_FIELDS = {
    "title": "More benches?", "method": "yes_no", "min_choices": "1", "max_choices": "1", "audience": "community",
    "quorum_kind": "none", "quorum_value": "0", "threshold": "simple", "threshold_base": "cast",
}
CONSULTATION_FIELDS = {
    "title": "Bins", "body": "Where should the bins go?", "collecting_from": str(TODAY),
    "deliberation_from": str(TODAY + timedelta(days=7)), "voting_from": str(TODAY + timedelta(days=14)),
    "concludes_on": str(TODAY + timedelta(days=21)),
}

HTTP_REQUESTS: dict[str, Callable] = {
    "GET media": lambda w: _get(w.attachment.file.url),
    "GET media draft-document": lambda w: _get(w.draft_attachment.file.url),
    "POST set_language": lambda w: Request("POST", reverse("set_language"), {"language": "zh-hans"}, changes=False),
    "GET admin:*": lambda w: _get(reverse("admin:index")),
    "GET account_login": lambda w: _get(reverse("account_login")),
    "GET account_signup": lambda w: _get(reverse("account_signup")),
    "GET account_email": lambda w: _get(reverse("account_email")),
    "GET account_*": lambda w: _get(reverse("account_reset_password")),
    # Issues
    "GET issues:issue-queue": lambda w: _get(reverse("issues:issue-queue")),
    "GET issues:load": lambda w: _get(reverse("issues:load", args=[w.community.slug])),
    "GET issues:calendar": lambda w: _get(reverse("issues:calendar", args=[w.community.slug])),
    "POST issues:calendar": lambda w: Request("POST", reverse("issues:calendar", args=[w.community.slug]), {
        "action": "add-day", "day": (TODAY + timedelta(days=30)).isoformat(), "kind": "off", "note": "Clean-up"}),
    "GET issues:issue-new": lambda w: _get(reverse("issues:issue-new")),
    "POST issues:issue-new": lambda w: Request("POST", reverse("issues:issue-new"), {
        "grid": w.grid.pk, "category": w.category.pk, "title": "Leak", "body": "Water in the hall",
        "channel": "phone", "on_behalf_of": "Mr Li"}),
    "POST issues:issue-follow": lambda w: Request("POST", reverse("issues:issue-follow", args=[w.issue_twin.pk]),
                                                   setup=_not_following_issue),
    "POST issues:issue-action comment": lambda w: _issue("comment", w, "comment", {"text": "Me too"}),
    "POST issues:issue-action triage": lambda w: _issue("triage", w, "triage", {
        "tier": "routine", "task_title": "Call the lift company", "owner_organisation": w.organisation.pk,
        "due_date": str(TODAY + timedelta(days=3))}),
    "POST issues:issue-action ask": lambda w: _issue("ask", w, "ask", {"question": "Which floor?"}),
    "POST issues:issue-action decline": lambda w: _issue("decline", w, "decline", {"reason": "Not ours"}),
    "POST issues:issue-action merge": lambda w: _issue("merge", w, "merge", {"into": w.issue_twin.pk}),
    "POST issues:issue-action assign": lambda w: _issue("assign", w, "assign", {
        "task_title": "Check the wiring", "owner_organisation": w.organisation.pk,
        "due_date": str(TODAY + timedelta(days=3))}, w.issue_open),
    "POST issues:issue-action hand_over": lambda w: _issue("hand_over", w, "hand_over",
                                                          {"to": w.second_worker.pk, "note": "On leave"}, w.issue_open),
    "POST issues:issue-action report": lambda w: _issue("report", w, "report", {"text": "Seen it"}, w.issue_open),
    "POST issues:issue-action resolve": lambda w: _issue("resolve", w, "resolve", {"note": "Done"}, w.issue_open,
                                                          setup=lambda w, user: finish_tasks(w, w.issue_open)),
    "POST issues:issue-action consult": lambda w: _issue("consult", w, "consult",
                                                          {"consultation": w.consultation.pk}),
    "POST issues:issue-action edit": lambda w: _issue("edit", w, "edit", {"title": "Lift broken again",
                                                                          "body": "Stuck", "location": "B1"}),
    "POST issues:issue-action withdraw": lambda w: _issue("withdraw", w, "withdraw", {"reason": "Fixed itself"}),
    "POST issues:issue-action rate": lambda w: _issue("rate", w, "rate", {"score": "4"}, w.issue_resolved),
    "POST ledger:decision-add-task": lambda w: Request("POST", reverse("ledger:decision-add-task",
                                                                      args=[w.bare_decision.pk]), {
        "task-task_title": "Buy saplings", "task-owner_organisation": w.organisation.pk,
        "task-due_date": (timezone.localdate() + timedelta(days=9)).isoformat()}),
    "POST ledger:decision-no-follow-up": lambda w: Request("POST", reverse("ledger:decision-no-follow-up",
                                                                          args=[w.bare_decision.pk]), {
        "none-reason": "The vote said no."}),
    "POST issues:task-update": lambda w: Request("POST", reverse("issues:task-update", args=[w.task.pk]), {
        f"task{w.task.pk}-text": "Half done", f"task{w.task.pk}-progress": "50",
        f"task{w.task.pk}-status": "in_progress"}),
    # Consultations
    "GET consult:consultation-new": lambda w: _get(reverse("consult:consultation-new")),
    "POST consult:consultation-new": lambda w: Request("POST", reverse("consult:consultation-new"),
                                                       CONSULTATION_FIELDS),
    "GET consult:consultation-edit": lambda w: _get(reverse("consult:consultation-edit", args=[w.consultation.pk])),
    "POST consult:consultation-edit": lambda w: Request(
        "POST", reverse("consult:consultation-edit", args=[w.draft.pk]), CONSULTATION_FIELDS),
    "GET consult:proposal-new": lambda w: _get(reverse("consult:proposal-new", args=[w.consultation.pk])),
    "POST consult:proposal-new": lambda w: Request("POST", reverse("consult:proposal-new", args=[w.consultation.pk]),
                                                   {"title": "Benches", "body": "Two by the gate"}),
    "POST consult:consultation-action comment": lambda w: _consultation(w, "comment", {
        "comment-body": "Good idea", "comment-stance": "for"}),
    "POST consult:consultation-action attach": lambda w: _consultation(w, "attach", {
        "attach-title": "Map", "attach-upload": SimpleUploadedFile("map.pdf", b"%PDF-1.4\n%%EOF\n",
                                                                   content_type="application/pdf")}),
    "POST consult:consultation-action conclude": lambda w: _consultation(w, "conclude", {
        "conclude-conclusion": "Thank you all"}, w.voting),
    "POST consult:consultation-action decision": lambda w: _consultation(w, "decision", {
        "decision-title": "Build it"}, w.voting),
    "POST consult:consultation-action advance": lambda w: _consultation(w, "advance", {"to": "deliberation", "confirmed": "1"}),
    "POST consult:consultation-action follow": lambda w: _consultation(w, "follow", consultation=w.voting,
                                                                                   setup=_not_following_consultation),
    "POST consult:consultation-action unfollow": lambda w: _consultation(w, "unfollow", changes=False),
    "POST consult:attachment-remove": lambda w: Request("POST", reverse("consult:attachment-remove",
                                                                        args=[w.attachment.pk])),
    "GET consult:proposal-edit": lambda w: _get(reverse("consult:proposal-edit", args=[w.proposal.pk])),
    "POST consult:proposal-edit": lambda w: Request("POST", reverse("consult:proposal-edit", args=[w.proposal.pk]),
                                                    {"title": "Canteen", "body": "Lunch and dinner"}),
    "POST consult:proposal-action withdraw": lambda w: _proposal(w, "withdraw"),
    "POST consult:proposal-action answer": lambda w: _proposal(w, "answer", {
        "answer-answer": "accepted", "answer-reason": "A good idea"}),
    "POST consult:proposal-action support": lambda w: _proposal(w, "support"),
    "POST consult:proposal-action unsupport": lambda w: _proposal(w, "unsupport", setup=_support, changes=False),
    "POST consult:proposal-action report": lambda w: _proposal(w, "report", {"report-reason": "spam"}),
    "POST consult:proposal-action moderate": lambda w: _proposal(w, "moderate", {
        "do": "hide", "moderate-reason": "spam", "moderate-explanation": "An advert"}),
    "POST consult:comment-action edit": lambda w: _comment(w, "edit", {f"edit{w.comment.pk}-body": "Yes, twice"}),
    "POST consult:comment-action delete": lambda w: _comment(w, "delete"),
    "POST consult:comment-action upvote": lambda w: _comment(w, "upvote"),
    "POST consult:comment-action report": lambda w: _comment(w, "report", {"report-reason": "abuse"}),
    "POST consult:comment-action moderate": lambda w: _comment(w, "moderate", {
        "do": "hide", "moderate-reason": "abuse", "moderate-explanation": "Rude"}),
    "GET consult:moderation": lambda w: _get(reverse("consult:moderation", args=[w.community.slug])),
    "GET insights:warnings": lambda w: _get(reverse("insights:warnings", args=[w.community.slug])),
    "GET insights:audit-log": lambda w: _get(reverse("insights:audit-log", args=[w.community.slug])),
    # The person's own pages
    "GET notifications:notifications": lambda w: _get(reverse("notifications:notifications")),
    "GET ledger:our-tasks": lambda w: _get(reverse("ledger:our-tasks")),
    "POST notifications:notification-open": lambda w: Request("POST", reverse(
        "notifications:notification-open", args=[w.resident_notification.pk])),
    "POST notifications:notifications-read": lambda w: Request("POST", reverse("notifications:notifications-read"),
                                                         changes=False),
    "GET community:account": lambda w: _get(reverse("community:account")),
    "POST community:account": lambda w: Request("POST", reverse("community:account"), {
        "display_name": "New name", "language": "en", "age_band": "30-44", "email_frequency": "daily"}),
    "GET community:api-tokens": lambda w: _get(reverse("community:api-tokens")),
    "POST community:api-tokens": lambda w: Request("POST", reverse("community:api-tokens"),
                                                 {"name": "Phone", "scopes": ["issues"]}),
    "POST community:api-token-revoke": lambda w: Request("POST", reverse("community:api-token-revoke",
                                                                       args=[w.token.pk])),
    "GET community:account-data": lambda w: _get(reverse("community:account-data")),
    "GET community:account-delete": lambda w: _get(reverse("community:account-delete")),
    "POST community:account-delete": lambda w: Request("POST", reverse("community:account-delete"),
                                                     {"password": "correct horse battery", "confirm": "on"}),
    "POST community:request-withdraw": lambda w: Request("POST", reverse("community:request-withdraw",
                                                                       args=[w.request.pk])),
    "GET community:join": lambda w: _get(reverse("community:join", args=[w.community.slug])),
    "POST community:join": lambda w: Request("POST", reverse("community:join", args=[w.community.slug]),
                                           {"grid": w.grid.pk, "unit": "B3-303"}),
    "GET community:membership-queue": lambda w: _get(reverse("community:membership-queue", args=[w.community.slug])),
    "GET community:register": lambda w: _get(reverse("community:register", args=[w.community.slug])),
    "GET community:register-import": lambda w: _get(reverse("community:register-import", args=[w.community.slug])),
    "POST community:register-import": lambda w: Request("POST", reverse("community:register-import",
                                                                        args=[w.community.slug]), {
        "text": f"building,unit,area,grid,owner\nBuilding 3,101,89.5,{w.grid.number},Wang Fang\n",
        "how": "certificate", "confirmed": "1"}),
    "GET community:map": lambda w: _get(reverse("community:map", args=[w.community.slug])),
    "POST community:map": lambda w: Request("POST", reverse("community:map", args=[w.community.slug]), {
        "text": json.dumps({"type": "FeatureCollection", "features": [{
            "type": "Feature", "properties": {"grid": w.grid.number}, "geometry": {"type": "Polygon", "coordinates": [
                [[114.3, 30.6], [114.304, 30.6], [114.304, 30.603], [114.3, 30.6]]]}}]}),
        "confirmed": "1"}),
    "POST community:request-approve": lambda w: Request("POST", reverse("community:request-approve",
                                                                      args=[w.community.slug, w.request.pk])),
    "POST community:request-reject": lambda w: Request("POST", reverse("community:request-reject",
                                                                     args=[w.community.slug, w.request.pk]),
                                                     {"reason": "Nobody of that name lives there"}),
    # Meetings
    "GET meetings:meeting-edit": lambda w: _get(reverse("meetings:meeting-edit", args=[w.scheduled.pk])),
    "POST meetings:meeting-edit": lambda w: Request("POST", reverse("meetings:meeting-edit", args=[w.scheduled.pk]), {
        "kind": "joint", "title": "Parking, again", "description": "",
        "starts_at": timezone.localtime(w.scheduled.starts_at + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
        "place": "Hall", "online": "on", "chair": w.chair.pk, "secretary": w.secretary.pk, "audience": "invited",
        "people": [w.resident.pk], "organisations": [w.organisation.pk], "quorum": 2, "is_public": "on",
        "reason": "The hall is busy."}),
    "GET meetings:meeting-cancel": lambda w: _get(reverse("meetings:meeting-cancel", args=[w.scheduled.pk])),
    "POST meetings:meeting-cancel": lambda w: Request("POST", reverse("meetings:meeting-cancel",
                                                                      args=[w.scheduled.pk]), {"reason": "Rain."}),
    "GET meetings:agenda-item-edit": lambda w: _get(reverse("meetings:agenda-item-edit",
                                                            args=[w.scheduled.agenda_items.filter(status="accepted").first().pk])),
    "POST meetings:agenda-item-edit": lambda w: Request("POST", reverse(
        "meetings:agenda-item-edit", args=[w.scheduled.agenda_items.filter(status="accepted").first().pk]), {
        "title": "Parking spaces", "description": "", "minutes_allotted": 15}),
    "GET meetings:meeting-detail closed": lambda w: _get(reverse("meetings:meeting-detail", args=[w.closed.pk])),
    "GET meetings:meeting-region closed": lambda w: _get(reverse("meetings:meeting-region",
                                                                 args=[w.closed.pk, "minutes-section"])),
    "GET meetings:meeting-ics closed": lambda w: _get(reverse("meetings:meeting-ics", args=[w.closed.pk])),
    "GET meetings:minutes-view": lambda w: _get(reverse("meetings:minutes-view", args=[w.adjourned.pk])),
    "GET meetings:minutes-print": lambda w: _get(reverse("meetings:minutes-print", args=[w.adjourned.pk])),
    "POST meetings:meeting-action chat closed": lambda w: _meeting(w.closed, "chat", {"body": "Hello"}),
    "GET meetings:meeting-new": lambda w: _get(reverse("meetings:meeting-new")),
    "POST meetings:meeting-new": lambda w: Request("POST", reverse("meetings:meeting-new"), {
        **MEETING_FIELDS, "chair": w.chair.pk, "secretary": w.secretary.pk}),
    "GET meetings:issue-to-agenda": lambda w: _get(f"{reverse('meetings:issue-to-agenda')}?issue={w.issue.pk}"),
    "POST meetings:issue-to-agenda": lambda w: Request("POST", reverse("meetings:issue-to-agenda"), {
        "issue": w.issue.pk, "meeting": w.scheduled.pk}),
    "POST meetings:meeting-action item": lambda w: _meeting(w.scheduled, "item", {
        "item-title": "Noise", "item-minutes_allotted": "10"}),
    "POST meetings:meeting-action open": lambda w: _meeting(w.scheduled, "open", {"confirmed": "1"}),
    "POST meetings:meeting-action adjourn": lambda w: _meeting(w.live, "adjourn", {"confirmed": "1"}),
    "POST meetings:meeting-action approve": lambda w: _meeting(w.adjourned, "approve"),
    "POST meetings:meeting-action approve-earlier": lambda w: _meeting(w.live, "approve-earlier",
                                                                       {"earlier_meeting_id": w.adjourned.pk}),
    "POST meetings:meeting-action up": lambda w: _meeting(w.scheduled, "up", {"item_id": _item(w.scheduled)}),
    "POST meetings:meeting-action down": lambda w: _meeting(w.scheduled, "down",
                                                            {"item_id": _item(w.scheduled, first=True)}),
    "POST meetings:meeting-action accept": lambda w: _meeting(w.scheduled, "accept", {"item_id": w.suggestion.pk}),
    "POST meetings:meeting-action decline": lambda w: _meeting(w.scheduled, "decline", {
        "item_id": w.suggestion.pk, "reason": "Next time"}),
    "POST meetings:meeting-action remove": lambda w: _meeting(w.live, "remove", {"request_id": w.hand.pk}),
    "POST meetings:meeting-action next": lambda w: _meeting(w.live, "next"),
    "POST meetings:meeting-action current": lambda w: _meeting(w.live, "current", {"item_id": w.item.pk}),
    "POST meetings:meeting-action hide": lambda w: _meeting(w.live, "hide", {"message_id": w.message.pk}),
    "POST meetings:meeting-action mute": lambda w: _meeting(w.live, "mute", {"user_id": w.resident.pk}),
    "POST meetings:meeting-action unmute": lambda w: _meeting(w.live, "unmute", {"user_id": w.noisy.pk}),
    "POST meetings:meeting-action outcome": lambda w: _meeting(w.live, "outcome", {
        "item": w.item.pk, "outcome-outcome": "deferred", "outcome-text": "Next month"}),
    "POST meetings:meeting-action minutes": lambda w: _meeting(w.live, "minutes", {
        "minutes-body": "We met", "minutes-base_version": "0"}),
    "POST meetings:meeting-action suggest": lambda w: _meeting(w.scheduled, "suggest", {"suggest-title": "Dogs"}),
    "POST meetings:meeting-action respond": lambda w: _meeting(w.scheduled, "respond", {"response": "yes"}),
    "POST meetings:meeting-action check-in": lambda w: _meeting(w.live, "check-in"),
    "POST meetings:meeting-action chat": lambda w: _meeting(w.live, "chat", {"body": "Hello"}),
    "POST meetings:meeting-action hand": lambda w: _meeting(w.live, "hand"),
    "POST meetings:meeting-action lower": lambda w: _meeting(w.live, "lower"),
    # Polls
    "GET polls:poll-new": lambda w: _get(reverse("polls:poll-new")),
    "POST polls:poll-new": lambda w: Request("POST", reverse("polls:poll-new"), POLL_FIELDS),
    "GET polls:owners-new": lambda w: _get(reverse("polls:owners-new")),
    "POST polls:owners-new": lambda w: Request("POST", reverse("polls:owners-new"),
                                               {"title": "Hire a new property manager?", "matter": "4"}),
    "POST polls:owner-vote": lambda w: Request("POST", reverse("polls:owner-vote", args=[w.owners_poll.pk]),
                                               {"party": w.owners_party.pk, "choice": "yes"}),
    "POST polls:paper-ballot": lambda w: Request("POST", reverse("polls:paper-ballot", args=[w.owners_poll.pk]),
                                                 {"party": w.owners_party.pk, "choice": "yes"}),
    "POST polls:paper-settle": lambda w: Request("POST", reverse("polls:paper-settle", args=[w.owners_poll.pk]),
                                                 {"party": w.owners_party.pk, "choice": "yes"}),
    "POST polls:proxy": lambda w: Request("POST", reverse("polls:proxy", args=[w.owners_poll.pk]), {
        "party": w.owners_party.pk, "proxy_email": w.resident_other_grid.email, "form": _signed_form()}),
    "POST polls:poll-vote": lambda w: Request("POST", reverse("polls:poll-vote", args=[w.poll.pk]),
                                              {"ballot-choice": "yes"}),
    "POST polls:poll-action open": lambda w: Request("POST", reverse("polls:poll-action", args=[w.poll_draft.pk,
                                                                                                "open"]),
                                                     {"confirmed": "1"}),
    "GET polls:poll-edit": lambda w: _get(reverse("polls:poll-edit", args=[w.poll_draft.pk])),
    "POST polls:poll-edit": lambda w: Request("POST", reverse("polls:poll-edit", args=[w.poll_draft.pk]),
                                              {"title": "Plant more trees?", "body": ""}),
    "POST polls:poll-action close": lambda w: Request("POST", reverse("polls:poll-action", args=[w.poll.pk,
                                                                                                 "close"]),
                                                      {"confirmed": "1"}),
    "POST polls:poll-observers": lambda w: Request("POST", reverse("polls:poll-observers", args=[w.poll.pk]),
                                                   {"committee": str(w.people["chair"].pk)}),
    "POST polls:poll-confirm-digest": lambda w: Request("POST", reverse("polls:poll-confirm-digest",
                                                                        args=[w.poll_closed.pk]),
                                                        {"digest": w.poll_closed.ballot_box_digest}),
    "POST polls:meeting-poll": lambda w: Request("POST", reverse("polls:meeting-poll", args=[w.live.pk]), {
        "title": "Adopt the plan?", "method": "yes_no"}),
    "POST polls:consultation-poll": lambda w: Request("POST", reverse("polls:consultation-poll",
                                                                      args=[w.voting.pk])),
    "POST open311:requests": lambda w: Request("POST", reverse("open311:requests"), {
        "service_code": w.category.pk, "description": "The gate is broken", "api_key": API_KEY}),
}


def PUBLIC_PAGES(w) -> list[str]:  # noqa: N802 - a table, like the others
    """One address for each public page, with the public objects of the world."""
    return [
        reverse("insights:home"), reverse("issues:issue-list"), reverse("issues:issue-detail", args=[w.issue.pk]),
        reverse("consult:consultation-list"), reverse("consult:consultation-detail", args=[w.consultation.pk]),
        reverse("consult:proposal-detail", args=[w.proposal.pk]),
        reverse("consult:comment-fragment", args=[w.comment.pk]), f"{reverse('consult:search')}?q=Lift",
        reverse("insights:stats"), reverse("insights:rates"), reverse("insights:rates-csv"), reverse("ledger:outcomes"), reverse("ledger:decisions-feed"),
        reverse("insights:decisions-csv"), reverse("insights:issues-csv"), reverse("consult:consultations-feed"),
        reverse("ledger:decision-detail", args=[w.decision.pk]),
        reverse("insights:community-detail", args=[w.community.slug]),
        reverse("insights:grid-detail", args=[w.community.slug, 1]),
        reverse("meetings:meeting-list"), reverse("meetings:meetings-feed"),
        reverse("meetings:meeting-detail", args=[w.live.pk]), reverse("meetings:meeting-ics", args=[w.live.pk]),
        reverse("meetings:meeting-region", args=[w.live.pk, "suggestions"]),
        reverse("meetings:meeting-region", args=[w.live.pk, "minutes-section"]),
        reverse("meetings:community-calendar", args=[w.community.slug]),
        reverse("polls:poll-list"), reverse("polls:results-csv"), reverse("polls:poll-detail", args=[w.poll.pk]),
        reverse("polls:poll-recount", args=[w.poll_closed.pk]),
        reverse("polls:poll-download", args=[w.poll_closed.pk, "ballots", "csv"]),
        reverse("open311:services"), reverse("open311:requests"), reverse("open311:request", args=[w.issue.pk]),
        reverse("api-v1:openapi-json"), reverse("api-v1:openapi-view"),  # the API root answers 404 to all
        reverse("healthz"), "/favicon.ico",
    ]


def API_READS(w) -> list[str]:  # noqa: N802
    """Every GET operation of the API that the public may call, with the world's public objects."""
    return [
        "/api/v1/communities", f"/api/v1/communities/{w.community.slug}",
        f"/api/v1/communities/{w.community.slug}/rates", "/api/v1/grids", "/api/v1/organisations",
        "/api/v1/categories", "/api/v1/issues", f"/api/v1/issues/{w.issue.pk}", "/api/v1/consultations",
        f"/api/v1/consultations/{w.consultation.pk}", "/api/v1/proposals", f"/api/v1/proposals/{w.proposal.pk}",
        "/api/v1/comments", "/api/v1/meetings", f"/api/v1/meetings/{w.live.pk}", "/api/v1/polls",
        f"/api/v1/polls/{w.poll.pk}", f"/api/v1/polls/{w.poll_closed.pk}/ballots", "/api/v1/decisions",
        f"/api/v1/decisions/{w.decision.pk}",
    ]


API_WRITES: dict[str, Callable] = {
    "API GET /api/v1/me": lambda w: Request("GET", "/api/v1/me", changes=False),
    "API POST /api/v1/issues": lambda w: Request("POST", "/api/v1/issues", {
        "grid": w.grid.pk, "category": w.category.pk, "title": "Leak", "body": "Water"}),
    "API POST /api/v1/issues/{issue_id}/ratings": lambda w: Request(
        "POST", f"/api/v1/issues/{w.issue_resolved.pk}/ratings", {"score": 4}),
    "API POST /api/v1/consultations/{consultation_id}/comments": lambda w: Request(
        "POST", f"/api/v1/consultations/{w.consultation.pk}/comments", {"body": "Yes"}),
    "API POST /api/v1/proposals/{proposal_id}/support": lambda w: Request(
        "POST", f"/api/v1/proposals/{w.proposal.pk}/support"),
    "API DELETE /api/v1/proposals/{proposal_id}/support": lambda w: Request(
        "DELETE", f"/api/v1/proposals/{w.proposal.pk}/support", setup=_support, changes=False),
    "API POST /api/v1/polls/{poll_id}/ballots": lambda w: Request("POST", f"/api/v1/polls/{w.poll.pk}/ballots",
                                                                  {"choices": "yes"}),
}


def _signed_form():
    """A photo of a signed authorisation, made anew for each request (an upload is read once)."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    photo = io.BytesIO()
    Image.new("RGB", (60, 80), "white").save(photo, format="JPEG")
    return SimpleUploadedFile("authorisation.jpg", photo.getvalue(), content_type="image/jpeg")
