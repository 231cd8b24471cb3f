"""The authorization matrix: who may do what, over HTTP, the WebSockets and the API.

Rows are actions, columns the twelve roles below, cells what the client sees. A row's key says where
the action lives:

    "<METHOD> <url name> [<action>]"       a URL pattern (and, for ``<str:action>`` routes, the action)
    "WS <route> <frame type | connect>"    a WebSocket route and a frame its consumer accepts
    "API <METHOD> <path>"                  an operation of the JSON API's OpenAPI document

``test_authorization.py`` performs every cell and checks the outcome, and for every refusal that the
database did not change; its meta-test fails when a URL pattern, frame type or API operation has no row.

The objects (see ``world.py``) belong to grid 1 of the community: the resident raised the issues,
wrote the proposal and the comment, and is invited to the meetings with the organisation; the chair
chairs them and the secretary keeps their minutes.
"""

ROLES = (
    "anonymous",  # no account
    "unverified",  # an account whose e-mail address is not confirmed, with no role
    "resident",  # verified resident of grid 1
    "resident_other_grid",  # verified resident of grid 2 of the same community
    "grid_worker",  # grid worker of grid 1
    "grid_worker_other_grid",  # grid worker of grid 2
    "org_rep",  # representative of the community's property manager
    "committee_member",  # committee member holding no office in the meetings
    "chair",  # committee chair; chairs the meetings
    "secretary",  # committee secretary; keeps the meetings' minutes
    "moderator",  # the community's moderator
    "staff",  # site staff (Django admin), with no role in the community
)

# What the client sees.
ALLOW = "allow"  # done: the page, or the change and its confirmation
LOGIN = "login"  # redirected to sign in; nothing changes
REAUTH = "reauthenticate"  # asked to confirm the password first (allauth); nothing changes
REFUSED = "refused"  # the page says why (a message or a form error); nothing changes
REDIRECT = "redirect"  # sent elsewhere without being told off (allauth's pages for signed-in people)
FORBIDDEN = "403"
BAD_REQUEST = "400"
NOT_FOUND = "404"  # the object is hidden from this person; nothing changes
UNAUTHORIZED = "401"  # the API: no token
CLOSED = "closed"  # WebSocket: the handshake is refused
ERROR_FRAME = "error-frame"  # WebSocket: {"type": "error"} back, the socket stays open, nothing changes

SIGNED_IN = ROLES[1:]
MEMBERS = ("resident", "resident_other_grid", "grid_worker", "grid_worker_other_grid", "org_rep",
           "committee_member", "chair", "secretary", "moderator")
COMMITTEE = ("committee_member", "chair", "secretary")
LOOKS_AFTER_GRID_1 = ("grid_worker", *COMMITTEE)  # consult.permissions.looks_after
INVITED = ("resident", "org_rep", *COMMITTEE)  # in person, through the organisation, or as the committee


def cells(default: str, allow=(), **exceptions: str) -> dict[str, str]:
    """Every role gets ``default``, the roles in ``allow`` get ALLOW, and named roles their own outcome."""
    table = dict.fromkeys(ROLES, default)
    table.update(dict.fromkeys(allow, ALLOW))
    unknown = set(exceptions) - set(ROLES)
    assert not unknown, f"no such roles: {unknown}"
    table.update(exceptions)
    return table


def everyone() -> dict[str, str]:
    return cells(ALLOW)


def signed_in(default: str, allow=(), **exceptions: str) -> dict[str, str]:
    """A page behind login_required: anonymous visitors are sent to sign in first."""
    return cells(default, allow, **{"anonymous": LOGIN, **exceptions})


# Public reads: every page the public may see, one group. What they must not show (other communities,
# closed meetings, the private case of an issue) is the leak tests' business.
PUBLIC_READS = (
    "insights:home", "issues:issue-list", "issues:issue-detail", "consult:consultation-list",
    "consult:consultation-detail", "consult:proposal-detail", "consult:comment-fragment", "consult:search",
    "insights:stats", "insights:rates", "insights:rates-csv", "ledger:outcomes", "ledger:decisions-feed", "insights:decisions-csv", "insights:issues-csv",
    "consult:consultations-feed", "ledger:decision-detail", "insights:community-detail", "insights:grid-detail",
    "meetings:meeting-list", "meetings:meetings-feed", "meetings:meeting-detail", "meetings:meeting-region",
    "meetings:meeting-ics",
    "meetings:community-calendar", "polls:poll-list", "polls:results-csv", "polls:poll-detail",
    "polls:poll-recount", "polls:poll-download", "polls:verifier", "open311:services", "open311:requests", "open311:request",
    "open311:only-json", "api-v1:openapi-json", "api-v1:openapi-view", "api-v1:api-root", "healthz", "favicon.ico",
)

HTTP = {
    "GET public pages": everyone(),
    # Uploaded files: each served by the rule of the object it belongs to (core/files.py); public ones to all.
    "GET media": everyone(),
    # ... except those of what they may not see: a draft consultation's documents are the committee's.
    "GET media draft-document": cells(NOT_FOUND, allow=COMMITTEE),
    # Switching the language: anyone; a signed-in person keeps it as a preference.
    "POST set_language": everyone(),
    # Django's admin: staff only; everyone else meets the admin's own sign-in page.
    "GET admin:*": cells(LOGIN, allow=("staff",)),
    # allauth's own flows. Sign-in and sign-up are for visitors; the e-mail page for any account.
    "GET account_login": cells(REDIRECT, allow=("anonymous",)),
    "GET account_signup": cells(REDIRECT, allow=("anonymous",)),
    "GET account_email": signed_in(ALLOW),
    "GET account_*": everyone(),  # reset, confirm, logout, inactive: guarded by the keys in their links
    # Issues -----------------------------------------------------------------------------------
    "GET issues:issue-queue": signed_in(NOT_FOUND, allow=("grid_worker", "grid_worker_other_grid", *COMMITTEE)),
    # Every grid worker's load: the committee.
    "GET issues:load": signed_in(NOT_FOUND, allow=COMMITTEE),
    # The working calendar: the grid workers read it, the committee (and staff) keep it.
    "GET issues:calendar": signed_in(NOT_FOUND, allow=("grid_worker", "grid_worker_other_grid", *COMMITTEE, "staff")),
    "POST issues:calendar": signed_in(NOT_FOUND, allow=(*COMMITTEE, "staff"), grid_worker=FORBIDDEN,
                                      grid_worker_other_grid=FORBIDDEN),
    # Only residents raise issues, in their own grid; grid workers and the committee enter them on behalf.
    # Anyone else is sent to the join page with a message.
    "GET issues:issue-new": signed_in(REFUSED, allow=("resident", "resident_other_grid", "grid_worker",
                                                       "grid_worker_other_grid", *COMMITTEE)),
    "POST issues:issue-new": signed_in(REFUSED, allow=("resident", *LOOKS_AFTER_GRID_1)),
    # Following an issue, and commenting on it: members of its community.
    "POST issues:issue-follow": signed_in(REFUSED, allow=MEMBERS),
    "POST issues:issue-action comment": signed_in(REFUSED, allow=MEMBERS),
    # Triage and handling: those who look after the grid (its grid workers, the committee).
    "POST issues:issue-action triage": signed_in(REFUSED, allow=LOOKS_AFTER_GRID_1),
    "POST issues:issue-action ask": signed_in(REFUSED, allow=LOOKS_AFTER_GRID_1),
    "POST issues:issue-action decline": signed_in(REFUSED, allow=LOOKS_AFTER_GRID_1),
    "POST issues:issue-action merge": signed_in(REFUSED, allow=LOOKS_AFTER_GRID_1),
    "POST issues:issue-action assign": signed_in(REFUSED, allow=LOOKS_AFTER_GRID_1),
    "POST issues:issue-action report": signed_in(REFUSED, allow=LOOKS_AFTER_GRID_1),
    "POST issues:issue-action resolve": signed_in(REFUSED, allow=LOOKS_AFTER_GRID_1),
    # The committee, or the grid worker in charge (who took it up), hands an open issue to another worker.
    "POST issues:issue-action hand_over": signed_in(REFUSED, allow=LOOKS_AFTER_GRID_1),
    "POST issues:issue-action consult": signed_in(REFUSED, allow=LOOKS_AFTER_GRID_1),
    # Rating a resolved issue: its reporter (and its followers; nobody else follows it here).
    "POST issues:issue-action rate": signed_in(REFUSED, allow=("resident",)),
    # A task: its owner (the organisation's representative) and those responsible for the issue.
    "POST ledger:decision-add-task": signed_in(REFUSED, allow=COMMITTEE),
    "POST ledger:decision-no-follow-up": signed_in(REFUSED, allow=COMMITTEE),
    "POST issues:issue-action edit": signed_in(REFUSED, allow=("resident",)),  # its reporter, before triage
    "POST issues:issue-action withdraw": signed_in(REFUSED, allow=("resident",)),
    "POST issues:task-update": signed_in(REFUSED, allow=("org_rep", *LOOKS_AFTER_GRID_1)),
    # Consultations ---------------------------------------------------------------------------
    "GET consult:consultation-new": signed_in(FORBIDDEN, allow=COMMITTEE),
    "POST consult:consultation-new": signed_in(FORBIDDEN, allow=COMMITTEE),
    "GET consult:consultation-edit": signed_in(FORBIDDEN, allow=COMMITTEE),
    "POST consult:consultation-edit": signed_in(NOT_FOUND, allow=COMMITTEE),  # the draft: hidden from others
    # Proposals: residents of its scope (all grids here) and organisation representatives.
    "GET consult:proposal-new": signed_in(ALLOW),  # the form; the service decides on POST
    "POST consult:proposal-new": signed_in(REFUSED, allow=("resident", "resident_other_grid", "org_rep")),
    "POST consult:consultation-action comment": signed_in(REFUSED, allow=MEMBERS),
    "POST consult:consultation-action attach": signed_in(REFUSED, allow=COMMITTEE),
    "POST consult:consultation-action conclude": signed_in(REFUSED, allow=COMMITTEE),
    "POST consult:consultation-action decision": signed_in(REFUSED, allow=COMMITTEE),
    "POST consult:consultation-action advance": signed_in(REFUSED, allow=COMMITTEE),
    # Following a consultation: anyone signed in who can see it (news only, no voice).
    "POST consult:consultation-action follow": signed_in(ALLOW),
    "POST consult:consultation-action unfollow": signed_in(ALLOW),
    "POST consult:attachment-remove": signed_in(REFUSED, allow=COMMITTEE),
    # Editing and withdrawing a proposal: its author (the resident) only.
    "GET consult:proposal-edit": signed_in(FORBIDDEN, allow=("resident",)),
    "POST consult:proposal-edit": signed_in(REFUSED, allow=("resident",)),
    "POST consult:proposal-action withdraw": signed_in(REFUSED, allow=("resident",)),
    "POST consult:proposal-action answer": signed_in(REFUSED, allow=COMMITTEE),
    # Supporting: residents of the scope, not the author.
    "POST consult:proposal-action support": signed_in(REFUSED, allow=("resident_other_grid",)),
    # Withdrawing a support one never gave changes nothing and is not an error.
    "POST consult:proposal-action unsupport": signed_in(ALLOW),
    # Reporting: members, about what others wrote. Moderating: the moderator.
    "POST consult:proposal-action report": signed_in(REFUSED, allow=MEMBERS, resident=REFUSED),
    "POST consult:proposal-action moderate": signed_in(REFUSED, allow=("moderator",)),
    "POST consult:comment-action edit": signed_in(REFUSED, allow=("resident",)),
    "POST consult:comment-action delete": signed_in(REFUSED, allow=("resident",)),
    "POST consult:comment-action upvote": signed_in(REFUSED, allow=MEMBERS, resident=REFUSED),
    "POST consult:comment-action report": signed_in(REFUSED, allow=MEMBERS, resident=REFUSED),
    "POST consult:comment-action moderate": signed_in(REFUSED, allow=("moderator",)),
    "GET consult:moderation": signed_in(NOT_FOUND, allow=("moderator", *COMMITTEE)),
    "GET insights:warnings": signed_in(NOT_FOUND, allow=COMMITTEE),
    # The audit log: the community's committee, and site staff.
    "GET insights:audit-log": signed_in(NOT_FOUND, allow=(*COMMITTEE, "staff")),
    # The person's own pages -----------------------------------------------------------------
    "GET notifications:notifications": signed_in(ALLOW),
    "GET ledger:our-tasks": signed_in(ALLOW),  # each person's own (or their organisation's) tasks
    "POST notifications:notifications-read": signed_in(ALLOW),
    "POST notifications:notification-open": signed_in(NOT_FOUND, allow=("resident",)),  # one's own only
    "GET community:account": signed_in(ALLOW),
    "POST community:account": signed_in(ALLOW),
    "GET community:api-tokens": signed_in(REAUTH),  # tokens are shown after the password is confirmed again
    "POST community:api-tokens": signed_in(REAUTH),
    "POST community:api-token-revoke": signed_in(NOT_FOUND, allow=("resident",)),  # the resident's token
    # Your data: the download after the password again; deleting after the password and a tick, except for
    # the chair and the secretary of meetings that are not over, who hand the role over first.
    "GET community:account-data": signed_in(REAUTH),
    "GET community:account-delete": signed_in(ALLOW),
    "POST community:account-delete": signed_in(ALLOW, chair=REFUSED, secretary=REFUSED),
    "POST community:request-withdraw": signed_in(NOT_FOUND),  # only the newcomer who asked
    # Membership: asking to join grid 1 (not those already living there), deciding (those who look after it).
    "GET community:join": signed_in(ALLOW),
    "POST community:join": signed_in(ALLOW, unverified=FORBIDDEN, resident=REFUSED),
    "GET community:membership-queue": signed_in(NOT_FOUND, allow=("grid_worker", "grid_worker_other_grid",
                                                                *COMMITTEE)),
    # The register of owners: its keepers (the committee, the property manager); anyone signed in sees their units.
    "GET community:register": signed_in(ALLOW),
    "GET community:register-import": signed_in(NOT_FOUND, allow=("org_rep", *COMMITTEE)),
    "POST community:register-import": signed_in(NOT_FOUND, allow=("org_rep", *COMMITTEE)),
    # The community's map: the committee imports the outlines (the public pages show the map).
    "GET community:map": signed_in(NOT_FOUND, allow=COMMITTEE),
    "POST community:map": signed_in(NOT_FOUND, allow=COMMITTEE),
    "POST community:request-approve": signed_in(NOT_FOUND, allow=LOOKS_AFTER_GRID_1),
    "POST community:request-reject": signed_in(NOT_FOUND, allow=LOOKS_AFTER_GRID_1),
    # Meetings --------------------------------------------------------------------------------
    # A closed meeting and everything in it answer 404 to whoever is not invited.
    "GET meetings:meeting-detail closed": cells(NOT_FOUND, allow=INVITED),
    "GET meetings:meeting-ics closed": cells(NOT_FOUND, allow=INVITED),
    "GET meetings:meeting-region closed": cells(NOT_FOUND, allow=INVITED),
    "GET meetings:minutes-view": cells(NOT_FOUND, allow=INVITED),  # draft minutes: those invited
    "GET meetings:minutes-print": cells(NOT_FOUND),  # until the minutes are published
    "POST meetings:meeting-action chat closed": signed_in(NOT_FOUND, allow=INVITED),
    "GET meetings:meeting-new": signed_in(FORBIDDEN, allow=COMMITTEE),
    "POST meetings:meeting-new": signed_in(FORBIDDEN, allow=COMMITTEE),
    "GET meetings:meeting-edit": signed_in(FORBIDDEN, allow=COMMITTEE),
    "POST meetings:meeting-edit": signed_in(FORBIDDEN, allow=COMMITTEE),
    "GET meetings:meeting-cancel": signed_in(FORBIDDEN, allow=COMMITTEE),
    "POST meetings:meeting-cancel": signed_in(FORBIDDEN, allow=COMMITTEE),
    "GET meetings:agenda-item-edit": signed_in(FORBIDDEN, allow=COMMITTEE),
    "POST meetings:agenda-item-edit": signed_in(FORBIDDEN, allow=COMMITTEE),
    "GET meetings:issue-to-agenda": signed_in(FORBIDDEN, allow=COMMITTEE),
    "POST meetings:issue-to-agenda": signed_in(FORBIDDEN, allow=COMMITTEE),
    # Running a meeting: the chair, or the committee standing in.
    "POST meetings:meeting-action item": signed_in(REFUSED, allow=COMMITTEE),
    "POST meetings:meeting-action open": signed_in(REFUSED, allow=COMMITTEE),
    "POST meetings:meeting-action adjourn": signed_in(REFUSED, allow=COMMITTEE),
    "POST meetings:meeting-action approve": signed_in(REFUSED, allow=("chair",)),  # or a later meeting
    "POST meetings:meeting-action approve-earlier": signed_in(REFUSED, allow=COMMITTEE),
    "POST meetings:meeting-action up": signed_in(REFUSED, allow=COMMITTEE),
    "POST meetings:meeting-action down": signed_in(REFUSED, allow=COMMITTEE),
    "POST meetings:meeting-action accept": signed_in(REFUSED, allow=COMMITTEE),
    "POST meetings:meeting-action decline": signed_in(REFUSED, allow=COMMITTEE),
    "POST meetings:meeting-action remove": signed_in(REFUSED, allow=COMMITTEE),
    "POST meetings:meeting-action next": signed_in(REFUSED, allow=COMMITTEE),
    "POST meetings:meeting-action current": signed_in(REFUSED, allow=COMMITTEE),
    "POST meetings:meeting-action hide": signed_in(REFUSED, allow=COMMITTEE),
    "POST meetings:meeting-action mute": signed_in(REFUSED, allow=COMMITTEE),
    "POST meetings:meeting-action unmute": signed_in(REFUSED, allow=COMMITTEE),
    "POST meetings:meeting-action outcome": signed_in(REFUSED, allow=COMMITTEE),
    # The minutes: the secretary and the chair.
    "POST meetings:meeting-action minutes": signed_in(REFUSED, allow=("chair", "secretary")),
    # Taking part in a public meeting: those invited and any member of the community.
    "POST meetings:meeting-action suggest": signed_in(REFUSED, allow=MEMBERS),
    "POST meetings:meeting-action respond": signed_in(REFUSED, allow=INVITED),
    "POST meetings:meeting-action check-in": signed_in(REFUSED, allow=MEMBERS),
    "POST meetings:meeting-action chat": signed_in(REFUSED, allow=MEMBERS),
    "POST meetings:meeting-action hand": signed_in(REFUSED, allow=MEMBERS, resident=REFUSED),  # hers is up
    "POST meetings:meeting-action lower": signed_in(REFUSED, allow=("resident",)),
    # Polls -----------------------------------------------------------------------------------
    "GET polls:poll-new": signed_in(FORBIDDEN, allow=COMMITTEE),
    "POST polls:poll-new": signed_in(FORBIDDEN, allow=COMMITTEE),
    "POST polls:poll-vote": signed_in(REFUSED, allow=("resident", "resident_other_grid")),
    "GET polls:owners-new": signed_in(FORBIDDEN, allow=COMMITTEE),
    "POST polls:owners-new": signed_in(FORBIDDEN, allow=COMMITTEE),
    "POST polls:owner-vote": signed_in(REFUSED, allow=("resident",)),  # the owner the register names
    # Paper ballots and proxies: the officials (the committee, the grid workers); settling needs two keyings.
    "POST polls:paper-ballot": signed_in(REFUSED, allow=("grid_worker", "grid_worker_other_grid", *COMMITTEE)),
    "POST polls:paper-settle": signed_in(REFUSED),
    "POST polls:proxy": signed_in(REFUSED, allow=("grid_worker", "grid_worker_other_grid", *COMMITTEE)),
    "POST polls:poll-action open": signed_in(NOT_FOUND, allow=COMMITTEE),  # a draft is the committee's
    "GET polls:poll-edit": signed_in(NOT_FOUND, allow=COMMITTEE),  # a draft is the committee's
    "POST polls:poll-edit": signed_in(NOT_FOUND, allow=COMMITTEE),
    "POST polls:poll-action close": signed_in(REFUSED, allow=COMMITTEE),
    # Naming a poll's count observers: those who set it up. Confirming the digest: its observers only.
    "POST polls:poll-observers": signed_in(FORBIDDEN, allow=COMMITTEE),
    "POST polls:poll-confirm-digest": signed_in(REFUSED),
    "POST polls:meeting-poll": signed_in(REFUSED, allow=COMMITTEE),
    "POST polls:consultation-poll": signed_in(REFUSED, allow=COMMITTEE),
    # Open311: raising an issue with an API key, as a resident of the grid does.
    # Open311: a resident raises an issue in their home grid with an API key; without one, 403.
    "POST open311:requests": cells(FORBIDDEN, allow=("resident", "resident_other_grid")),
}

WS = {
    "WS ws/me/ connect": cells(ALLOW, anonymous=CLOSED),
    "WS ws/me/ ping": cells(ALLOW, anonymous=CLOSED),
    "WS ws/issues/<int:issue_id>/ connect": everyone(),
    "WS ws/issues/<int:issue_id>/ ping": everyone(),
    "WS ws/issue-lists/ connect": everyone(),
    "WS ws/issue-lists/ ping": everyone(),
    "WS ws/consultations/<int:consultation_id>/ connect": everyone(),
    "WS ws/consultations/<int:consultation_id>/ connect draft": cells(CLOSED, allow=COMMITTEE),
    "WS ws/consultations/<int:consultation_id>/ ping": everyone(),
    "WS ws/polls/<int:poll_id>/ connect": everyone(),
    "WS ws/polls/<int:poll_id>/ connect draft": cells(CLOSED, allow=COMMITTEE),
    "WS ws/polls/<int:poll_id>/ ping": everyone(),
    "WS ws/meetings/<int:meeting_id>/ connect": everyone(),
    "WS ws/meetings/<int:meeting_id>/ connect closed": cells(CLOSED, allow=INVITED),
    "WS ws/meetings/<int:meeting_id>/ ping": everyone(),
    # The live room mirrors the HTTP buttons: the same services decide.
    "WS ws/meetings/<int:meeting_id>/ chat.send": cells(ERROR_FRAME, allow=MEMBERS),
    "WS ws/meetings/<int:meeting_id>/ chat.hide": cells(ERROR_FRAME, allow=COMMITTEE),
    "WS ws/meetings/<int:meeting_id>/ hand.raise": cells(ERROR_FRAME, allow=MEMBERS, resident=ERROR_FRAME),
    "WS ws/meetings/<int:meeting_id>/ hand.lower": cells(ERROR_FRAME, allow=("resident",)),
    "WS ws/meetings/<int:meeting_id>/ speaker.next": cells(ERROR_FRAME, allow=COMMITTEE),
    "WS ws/meetings/<int:meeting_id>/ speaker.remove": cells(ERROR_FRAME, allow=COMMITTEE),
    "WS ws/meetings/<int:meeting_id>/ agenda.set": cells(ERROR_FRAME, allow=COMMITTEE),
    "WS ws/meetings/<int:meeting_id>/ check_in": cells(ERROR_FRAME, allow=MEMBERS),
    "WS ws/meetings/<int:meeting_id>/ participant.mute": cells(ERROR_FRAME, allow=COMMITTEE),
    "WS ws/meetings/<int:meeting_id>/ participant.unmute": cells(ERROR_FRAME, allow=COMMITTEE),
}

# The API reads what the public sees (its leaks are tested in test_leaks.py); writes need a token.
API_PUBLIC_READ = "API GET public"
API = {
    API_PUBLIC_READ: everyone(),
    "API GET /api/v1/me": cells(ALLOW, anonymous=UNAUTHORIZED),
    "API POST /api/v1/issues": cells(FORBIDDEN, allow=("resident",), anonymous=UNAUTHORIZED),
    "API POST /api/v1/issues/{issue_id}/ratings": cells(FORBIDDEN, allow=("resident",), anonymous=UNAUTHORIZED),
    "API POST /api/v1/consultations/{consultation_id}/comments": cells(FORBIDDEN, allow=MEMBERS,
                                                                       anonymous=UNAUTHORIZED),
    "API POST /api/v1/proposals/{proposal_id}/support": cells(FORBIDDEN, allow=("resident_other_grid",),
                                                              anonymous=UNAUTHORIZED),
    "API DELETE /api/v1/proposals/{proposal_id}/support": cells(ALLOW, anonymous=UNAUTHORIZED),  # a no-op
    # Not being on the poll's voter roll is an input error (400), as on the page.
    "API POST /api/v1/polls/{poll_id}/ballots": cells(BAD_REQUEST, allow=("resident", "resident_other_grid"),
                                                      anonymous=UNAUTHORIZED),
}

MATRIX = {**HTTP, **WS, **API}
