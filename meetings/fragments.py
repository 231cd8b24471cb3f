"""The live room's fragments: template partials of ``meetings/meeting_detail.html``, rendered on the server.

The page renders each region with its partial on first load; when the room changes, the frame that says
so carries the same partial, rendered again, and the page puts it where the frame says (``swaps``, see
docs/realtime.md). A fragment is rendered once per audience and language, not once per socket: what
differs between the chair's view and everyone else's (a "Hide" or "Remove" button) is a variant of its
own, and each socket is sent the variant of its audience (``core.fanout``).
"""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from community.models import Membership
from community.templatetags.people import ROWS as ROLE_ROWS
from core.i18n import in_reader_language
from ledger.models import Task
from ledger.selectors import tasks_with_updates
from meetings import permissions
from meetings.forms import OutcomeForm
from meetings.models import Meeting, RoomEvent

TEMPLATE = "meetings/meeting_detail.html"
CSRF_PLACEHOLDER = "fragment"  # a fragment is for many people: each page puts its own token in its place

# Audiences, from most to least: the chair (or the committee standing in) sees the room's controls, the
# secretary records outcomes, a signed-in attendee sees who is in the room, the public only how many.
CHAIR, SECRETARY, ATTENDEE, PUBLIC = "chair", "secretary", "attendee", "public"
EVERYONE = "everyone"  # the variant of every audience a fragment does not tell apart


def audience_of(user, meeting: Meeting) -> str:
    if permissions.runs(user, meeting):
        return CHAIR
    if permissions.writes_minutes(user, meeting):
        return SECRETARY
    return ATTENDEE if user is not None and user.is_authenticated else PUBLIC


def variant_keys(audience: str, language: str) -> tuple[str, str]:
    """The variants a socket may be sent, best first: its audience's own, else everyone's."""
    return f"{audience}.{language}", f"{EVERYONE}.{language}"


def languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def render(name: str, context: dict[str, Any], language: str) -> str:
    """One partial, in one language, for no one request: its forms carry a placeholder for the CSRF token,
    which the page fills in with its own."""
    with translation.override(language):
        return render_to_string(f"{TEMPLATE}#{name}", {"csrf_token": CSRF_PLACEHOLDER, **context})


def swap(target: str, how: str, html: str) -> dict[str, str]:
    return {"target": target, "swap": how, "html": html}


# What the regions show: the page and the frames read it the same way ---------------------------------------


def agenda(meeting: Meeting) -> list:
    """Every agenda item (accepted, suggested, declined) with its links, decision and the decision's tasks."""
    items = list(meeting.agenda_items.select_related("issue", "consultation", "proposal", "decision", "suggested_by"))
    decisions = [i.decision_id for i in items if i.decision_id]
    tasks = list(tasks_with_updates(Task.objects.filter(decision__in=decisions))) if decisions else []
    for item in items:
        item.task_list = [t for t in tasks if t.decision_id == item.decision_id]
    return items


def blank_outcome_form(meeting: Meeting) -> OutcomeForm:
    """Evaluate the form's choice lists once, so including it under every agenda item costs no queries."""
    form = OutcomeForm(prefix="outcome", community=meeting.community)
    for field in form.fields.values():
        if hasattr(field, "queryset"):
            field.widget.choices = list(field.choices)
    return form


def attendance(meeting: Meeting, attendances: list | None = None) -> dict[str, Any]:
    """Who checked in, and how many per organisation and grid."""
    if attendances is None:
        attendances = list(meeting.attendances.select_related("user", "organisation").order_by("checked_in_at", "pk"))
    grid_of = {user_id: in_reader_language(name, name_zh) for user_id, name, name_zh in Membership.objects.filter(
        user__in=[a.user_id for a in attendances], community=meeting.community_id, role=Membership.Role.RESIDENT
    ).values_list("user_id", "grid__name", "grid__name_zh")} if attendances else {}
    by_group = Counter(
        a.organisation.name if a.organisation else grid_of.get(a.user_id) or _("Committee and community staff")
        for a in attendances
    )
    return {
        "attendances": attendances,
        "present": len(attendances),
        "by_group": sorted(by_group.items(), key=lambda kv: (-kv[1], kv[0])),
    }


# Each kind of room event: the audiences its fragments tell apart, what it reads once, and its swaps ---------


@dataclass(frozen=True)
class Kind:
    audiences: tuple[str, ...]
    load: Callable[[RoomEvent, Meeting], dict[str, Any]]
    swaps: Callable[[dict[str, Any], str, str], list[dict[str, str]]]  # (loaded, audience, language)
    region: str = ""  # events of a region redraw it whole: on replay only the newest is sent


def _chat_message(loaded: dict, audience: str, language: str) -> list[dict]:
    context = {**loaded, "runs": audience == CHAIR}
    return [swap("chat", "append", render("chat-message", context, language))]


def _load_hidden(event: RoomEvent, meeting: Meeting) -> dict:
    message = RoomEvent.objects.select_related("author").filter(
        pk=event.data.get("message_id"), meeting=meeting).first()
    return {"meeting": meeting, "m": message}


def _chat_hidden(loaded: dict, audience: str, language: str) -> list[dict]:
    if loaded["m"] is None:
        return []
    return [swap(f"msg-{loaded['m'].pk}", "outer", render("chat-message", loaded, language))]


def _queue(loaded: dict, audience: str, language: str) -> list[dict]:
    context = {**loaded, "runs": audience == CHAIR}
    return [swap("speaker-now", "inner", render("speaker-now", context, language)),
            swap("speaker-queue", "inner", render("speaker-queue", context, language))]


def _load_agenda(event: RoomEvent, meeting: Meeting) -> dict:
    items = agenda(meeting)
    return {"meeting": meeting, "agenda": [i for i in items if i.status == "accepted"],
            "blank_outcome": blank_outcome_form(meeting)}


def _agenda(loaded: dict, audience: str, language: str) -> list[dict]:
    context = {**loaded, "runs": audience == CHAIR,
               "blank_outcome": loaded["blank_outcome"] if audience in (CHAIR, SECRETARY) else None}
    return [swap("agenda", "inner", render("agenda", context, language))]


def _load_attendance(event: RoomEvent, meeting: Meeting) -> dict:
    return {"meeting": meeting, **attendance(meeting)}


def _attendance(loaded: dict, audience: str, language: str) -> list[dict]:
    return [swap("quorum-state", "inner", render("quorum-state", loaded, language)),
            swap("attendance-live", "inner", render("attendance", loaded, language))]


def _minutes(loaded: dict, audience: str, language: str) -> list[dict]:
    # Draft minutes are for those invited, who are no audience of their own: the page fetches them as itself.
    url = reverse("meetings:minutes-view", args=[loaded["meeting"].pk])
    return [{"target": "minutes-view", "swap": "outer", "url": url}]


def _region(name: str, how: str) -> Callable[[dict[str, Any], str, str], list[dict[str, str]]]:
    """A region each person sees differently (the suggestions they may decide or made, the minutes as they may
    read and approve them): the page fetches it again, as itself, from the page's own partial."""
    def swaps(loaded: dict, audience: str, language: str) -> list[dict]:
        return [{"target": name, "swap": how,
                 "url": reverse("meetings:meeting-region", args=[loaded["meeting"].pk, name])}]
    return swaps


def _poll_status(loaded: dict, audience: str, language: str) -> list[dict]:
    """A vote opened or closed in the room: said aloud to screen readers, and the votes fetched again in place
    (each person's ballot, or the result)."""
    context = {"title": loaded["data"].get("title", ""), "status": loaded["data"].get("status", "")}
    return [swap("live-notice", "inner", render("poll-announcement", context, language)),
            *_region("votes", "inner")(loaded, audience, language)]


def _load_mutes(event: RoomEvent, meeting: Meeting) -> dict:
    return {"meeting": meeting, "event": event, "mutes": list(meeting.mutes.select_related("user"))}


def _mute(loaded: dict, audience: str, language: str) -> list[dict]:
    """Everyone reads the chair's call in the chat; the chair's list of who is muted is redrawn."""
    swaps = [swap("chat", "append", render("room-notice", loaded, language))]
    if audience == CHAIR:
        swaps.append(swap("muted", "inner", render("muted", {**loaded, "runs": True}, language)))
    return swaps


_AGENDA = Kind((CHAIR, SECRETARY, EVERYONE), _load_agenda, _agenda, region="agenda")
KINDS: dict[str, Kind] = {
    "chat.message": Kind((CHAIR, EVERYONE), lambda e, m: {"meeting": m, "m": e}, _chat_message),
    "chat.hidden": Kind((EVERYONE,), _load_hidden, _chat_hidden),
    "queue": Kind((CHAIR, EVERYONE), lambda e, m: {"meeting": m, "queue": e.data}, _queue, region="queue"),
    "agenda.current": _AGENDA,
    "agenda.changed": _AGENDA,
    "agenda.outcome": _AGENDA,
    "attendance": Kind((EVERYONE,), _load_attendance, _attendance, region="attendance"),
    "minutes.updated": Kind((EVERYONE,), lambda e, m: {"meeting": m}, _minutes, region="minutes"),
    "minutes.published": Kind((EVERYONE,), lambda e, m: {"meeting": m}, _region("minutes-section", "outer"),
                              region="minutes-section"),
    "participant.muted": Kind((CHAIR, EVERYONE), _load_mutes, _mute),
    "participant.unmuted": Kind((CHAIR, EVERYONE), _load_mutes, _mute),
    "poll.status": Kind((EVERYONE,), lambda e, m: {"meeting": m, "data": e.data}, _poll_status, region="votes"),
    "agenda.suggested": Kind((EVERYONE,), lambda e, m: {"meeting": m}, _region("suggestions", "inner"),
                             region="suggestions"),
}


def _head(event: RoomEvent) -> dict[str, Any]:
    """What a frame says besides its fragments: its type, id and small facts (the queue's lists are drawn)."""
    frame: dict[str, Any] = {"type": event.kind, "id": event.pk}
    if event.kind == "chat.message":
        frame["author_id"] = event.author_id
    else:
        frame.update({k: v for k, v in event.data.items() if k not in ("speaker", "waiting")})
    return frame


def broadcast(event: RoomEvent) -> dict[str, Any]:
    """The event for the room's group: its frame rendered once per audience and language it tells apart."""
    head, kind = _head(event), KINDS.get(event.kind)
    if kind is None:
        return head
    meeting = event.meeting  # the services' locked row, as the event left it
    loaded = {**kind.load(event, meeting), ROLE_ROWS: {}}  # officials' badges read once for every variant
    variants = {
        f"{audience}.{language}": {**head, "swaps": kind.swaps(loaded, audience, language)}
        for language in languages() for audience in kind.audiences
    }
    return {**head, "variants": variants}


def replay(events: list[RoomEvent], meeting: Meeting, audience: str, language: str) -> list[dict[str, Any]]:
    """The frames of ``events`` for one socket, in order; of each region only the newest, which redraws it."""
    newest = {KINDS[e.kind].region: e.pk for e in events if e.kind in KINDS and KINDS[e.kind].region}
    frames, roles = [], {}
    for event in events:
        kind = KINDS.get(event.kind)
        if kind is None:
            frames.append(_head(event))
            continue
        if kind.region and newest[kind.region] != event.pk:
            continue
        variant = audience if audience in kind.audiences else EVERYONE
        loaded = {**kind.load(event, meeting), ROLE_ROWS: roles}
        frames.append({**_head(event), "swaps": kind.swaps(loaded, variant, language)})
    return frames


def presence(count: int, people: list[str]) -> dict[str, Any]:
    """Who is in the room: the public is told how many, those signed in also who."""
    head = {"type": "presence", "count": count, "people": people}
    variants = {}
    for language in languages():
        for variant, names in ((PUBLIC, []), (EVERYONE, people)):
            html = render("presence", {"count": count, "people": names}, language)
            variants[f"{variant}.{language}"] = {**head, "people": names, "swaps": [swap("presence", "inner", html)]}
    return {**head, "variants": variants}
