"""Everything the platform holds about one person, as one JSON document ("Download your data").

Every row of every model that points to the user is in it, section by section (``SECTIONS``):
what they raised, wrote, supported, rated, reported, voted in the open, attended, were told, and
what they did for the community as a grid worker, committee member or moderator. The models of the
other apps are found through the app registry by label, as the backup does: community imports no
other app. ``tests/privacy/test_personal_data.py`` fails when a model points to the user and is
neither here nor in its commented list of exclusions.

Never in it: the password hash, the hashes of API tokens, sessions' contents (only how many are
open), anything a secret ballot said (only that the person voted), and the private details of an
issue someone else raised (an issue a grid worker entered on someone's behalf carries the other
resident's contact, which is theirs, not the worker's).
"""

import json
from dataclasses import dataclass, field
from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from community.models import User
from core.mail import site_url

FORMAT, VERSION = "yishi-personal-data", 1


@dataclass(frozen=True)
class Section:
    """The rows of one model whose ``field`` is the person, under ``key``, without ``exclude``."""

    key: str
    model: str
    field: str
    exclude: frozenset = field(default_factory=frozenset)


SECTIONS = [
    Section("email_addresses", "account.EmailAddress", "user"),
    Section("memberships", "community.Membership", "user"),
    Section("membership_requests", "community.MembershipRequest", "user"),
    # Requests a grid worker decided: the request's unit and note are the resident's, not theirs.
    Section("membership_requests_decided", "community.MembershipRequest", "decided_by", frozenset({"unit", "note"})),
    Section("api_tokens", "community.ApiToken", "user", frozenset({"key_hash"})),
    Section("issues_raised", "issues.Issue", "reporter"),
    Section("issues_entered_on_behalf", "issues.Issue", "entered_by"),
    Section("issues_in_charge", "issues.Issue", "assignee"),
    Section("issue_timeline_entries", "issues.IssueEvent", "actor"),
    Section("issue_follows", "issues.IssueFollow", "user"),
    Section("ratings", "issues.Rating", "user"),
    Section("consultations_created", "consult.Consultation", "created_by"),
    Section("proposals", "consult.Proposal", "author"),
    Section("proposals_answered", "consult.Proposal", "answered_by"),
    Section("supports", "consult.Support", "user"),
    Section("comments", "consult.Comment", "author"),
    Section("comment_upvotes", "consult.CommentUpvote", "user"),
    Section("reports_filed", "consult.Report", "reporter"),
    Section("moderation_actions", "consult.ModerationAction", "moderator"),
    Section("consultation_follows", "consult.ConsultationFollow", "user"),
    Section("decisions_recorded", "ledger.Decision", "decided_by"),
    Section("tasks_owned", "ledger.Task", "owner_user"),
    Section("task_updates", "ledger.TaskUpdate", "author"),
    Section("notifications", "notifications.Notification", "user"),
    Section("meetings_chaired", "meetings.Meeting", "chair"),
    Section("meetings_as_secretary", "meetings.Meeting", "secretary"),
    Section("meetings_created", "meetings.Meeting", "created_by"),
    Section("meeting_invitations", "meetings.Invitation", "user"),
    Section("meeting_attendance", "meetings.Attendance", "user"),
    Section("meeting_check_ins_done", "meetings.Attendance", "checked_in_by"),
    Section("agenda_suggestions", "meetings.AgendaItem", "suggested_by"),
    Section("meeting_room_messages_and_actions", "meetings.RoomEvent", "author"),
    Section("hand_raises", "meetings.SpeakerRequest", "user"),
    Section("muted_in_meetings", "meetings.Mute", "user"),
    Section("mutes_done_as_chair", "meetings.Mute", "muted_by", frozenset({"user"})),
    Section("minutes_approved", "meetings.Minutes", "approved_by"),
    Section("minutes_revisions_saved", "meetings.MinutesRevision", "saved_by"),
    Section("meeting_rooms_open_now", "meetings.Presence", "user", frozenset({"channel_name"})),
    Section("polls_created", "polls.Poll", "created_by"),
    Section("poll_voter_rolls", "polls.Voter", "user"),
    Section("poll_observer_confirmations", "polls.Observer", "user"),
    Section("open_poll_votes", "polls.OpenVote", "user"),
    Section("owner_records", "community.Owner", "user"),
    # What an official did to others' records: that they did it and when, not the others' names or votes.
    Section("owner_records_checked", "community.Owner", "verified_by",
            frozenset({"name", "identifier", "user", "verified_note"})),
    Section("owners_ballots_cast", "polls.OwnerBallot", "cast_by"),
    Section("paper_ballots_keyed", "polls.PaperEntry", "keyed_by", frozenset({"choice"})),
    Section("proxies_held", "polls.Proxy", "proxy"),
    Section("proxies_witnessed", "polls.Proxy", "witnessed_by", frozenset({"proxy", "form"})),
    Section("admin_log", "admin.LogEntry", "user"),
    Section("audit_entries", "audit.AuditEntry", "actor"),
]

# The user's own columns that never leave: the password hash.
PROFILE_EXCLUDE = frozenset({"password"})


def covered() -> set[tuple[str, str]]:
    """(model label, field) pairs the export reads, the user's own many-to-many tables included."""
    own = {(f.remote_field.through._meta.label, "user") for f in User._meta.many_to_many}
    return {(section.model, section.field) for section in SECTIONS} | own


def personal_data(user: User) -> dict:
    """The whole document for one person, ready for ``json.dumps(..., cls=Encoder)``."""
    document = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": timezone.now(),
        "site": str(settings.YISHI_SITE_NAME),
        "profile": _profile(user),
        "sessions": {"signed_in_sessions": len(session_keys(user))},
    }
    for section in SECTIONS:
        model = _model(section.model)
        if model is None:  # an app that is not installed holds nothing
            continue
        rows = model._default_manager.filter(**{section.field: user}).order_by("pk")
        document[section.key] = [_row(obj, section.exclude | {section.field}) for obj in rows.iterator()]
    _add_private_cases(document, user)
    _add_comment_history(document, user)
    for path in getattr(settings, "YISHI_PERSONAL_DATA_HOOKS", []):  # what later apps keep outside these tables
        document.update(import_module(path).personal_data(user))
    return document


def as_json(user: User) -> str:
    return json.dumps(personal_data(user), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)


def session_keys(user: User) -> list[str]:
    """The keys of the person's signed-in sessions (database-backed sessions only)."""
    if not settings.SESSION_ENGINE.endswith("db"):
        return []
    from django.contrib.sessions.models import Session

    wanted = str(user.pk)
    return [
        session.session_key
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if session.get_decoded().get("_auth_user_id") == wanted
    ]


def end_sessions(user: User) -> int:
    """Sign the person out everywhere: every session of theirs is deleted."""
    keys = session_keys(user)
    store = import_module(settings.SESSION_ENGINE).SessionStore
    for key in keys:
        store(session_key=key).delete()
    return len(keys)


def _model(label: str) -> type[models.Model] | None:
    app_label = label.partition(".")[0]
    if not any(config.label == app_label for config in apps.get_app_configs()):
        return None
    return apps.get_model(label)


def _row(obj: models.Model, exclude: frozenset | set) -> dict:
    row = {}
    for f in obj._meta.concrete_fields:
        if f.name in exclude:
            continue
        value = f.value_from_object(obj)
        row[f.name] = (value.name or "") if isinstance(value, FieldFile) else value
    if hasattr(obj, "get_absolute_url"):
        row["url"] = site_url(obj.get_absolute_url())
    return row


def _profile(user: User) -> dict:
    profile = _row(user, PROFILE_EXCLUDE)
    profile["public_name"] = str(user.public_name)
    profile["has_password"] = user.has_usable_password()
    profile["groups"] = list(user.groups.values_list("name", flat=True))
    profile["permissions"] = sorted(f"{p.content_type.app_label}.{p.codename}"
                                    for p in user.user_permissions.select_related("content_type"))
    return profile


def _add_private_cases(document: dict, user: User) -> None:
    """Their own contact details on the issues they raised: private to others, theirs to read."""
    IssueCase = apps.get_model("issues.IssueCase")  # found by label, like every section: community imports no later app
    cases = {case.issue_id: case for case in IssueCase.objects.filter(issue__reporter=user)}
    for row in document["issues_raised"]:
        case = cases.get(row["id"])
        row["private_case"] = _row(case, {"issue"}) if case else None
    document["issues_raised"].sort(key=lambda row: row["id"])


def _add_comment_history(document: dict, user: User) -> None:
    """Earlier versions of their comments, which editing keeps."""
    earlier: dict[int, list] = {}
    CommentRevision = apps.get_model("consult.CommentRevision")
    revisions = CommentRevision.objects.filter(comment__author=user).order_by("replaced_at", "pk")
    for comment_id, body, replaced_at in revisions.values_list("comment_id", "body", "replaced_at"):
        earlier.setdefault(comment_id, []).append({"body": body, "replaced_at": replaced_at})
    for row in document["comments"]:
        row["earlier_versions"] = earlier.get(row["id"], [])
