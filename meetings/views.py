"""Meeting pages: the list, scheduling, the live room, actions over HTTP, and calendar files."""


from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject as lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from community import permissions as community_permissions
from community.http import current_community
from community.models import Community, Membership
from core import fragments as page_fragments
from core.http import Confirm, attempt, confirm_page, confirmed, error_messages
from core.i18n import in_reader_language
from core.text import whole_number
from ledger.forms import task_fields
from meetings import fragments, permissions, services
from meetings.actions import BY_PATH
from meetings.calendar import calendar_response
from meetings.forms import (
    AgendaItemEditForm,
    AgendaItemForm,
    CancelForm,
    MeetingEditForm,
    MeetingForm,
    MinutesForm,
    OutcomeForm,
    SuggestionForm,
)
from meetings.models import AgendaItem, Invitation, Meeting, Minutes, RoomEvent

CHAT_SHOWN = 50  # the latest; "Earlier messages" fetches the 50 before, and so on


def meeting_list(request):
    community = current_community(request)
    meetings = list(community.meetings.exclude(status=Meeting.Status.CANCELLED)
                    .select_related("chair").prefetch_related("invitations").order_by("starts_at", "pk"))
    visible = [m for m in meetings if permissions.can_watch(request.user, m, list(m.invitations.all()))]
    context = {
        "community": community,
        "live": [m for m in visible if m.status == Meeting.Status.LIVE],
        "upcoming": [m for m in visible if m.status == Meeting.Status.SCHEDULED and not m.is_past_due],
        "not_held": [m for m in visible if m.is_past_due],
        "past": [m for m in reversed(visible) if m.status == Meeting.Status.ADJOURNED],
        "can_schedule": permissions.can_schedule(request.user, community),
    }
    return render(request, "meetings/meeting_list.html", context)


@login_required
def meeting_new(request):
    community = current_community(request)
    if not permissions.can_schedule(request.user, community):
        raise PermissionDenied(_("Only the committee schedules meetings."))
    form = MeetingForm(request.POST or None, community=community,
                       initial={"chair": request.user.pk, "secretary": request.user.pk, "audience": "invited"})
    made = []
    if request.method == "POST" and attempt(form, lambda d: made.append(services.schedule_meeting(
        request.user, community_id=community.pk, kind=d["kind"], title=d["title"], description=d["description"],
        starts_at=d["starts_at"], ends_at=d["ends_at"], place=d["place"], online=d["online"],
        chair_id=d["chair"].pk, secretary_id=d["secretary"].pk, audience=d["audience"],
        grid_id=d["grid"] and d["grid"].pk, quorum=d["quorum"], is_public=d["is_public"],
        invite_user_ids=[u.pk for u in d["people"]], invite_organisation_ids=[o.pk for o in d["organisations"]],
    ))):
        messages.success(request, _("The meeting is scheduled and the invitations are sent."))
        return redirect(made[0])
    return render(request, "meetings/meeting_form.html", {"form": form, "community": community})


def _answers(meeting: Meeting, invitations: list) -> dict:
    """Who said they come: each organisation, each person (with their grid), and the count per grid."""
    people = [i for i in invitations if i.user_id]
    grids = {user_id: in_reader_language(name, name_zh) for user_id, name, name_zh in Membership.objects.filter(
        community=meeting.community, user_id__in=[i.user_id for i in people], grid__isnull=False,
    ).values_list("user_id", "grid__name", "grid__name_zh")}
    by_grid: dict[str, dict[str, int]] = {}
    for invitation in people:
        counts = by_grid.setdefault(grids.get(invitation.user_id, _("No grid")), {"yes": 0, "maybe": 0, "no": 0,
                                                                                  "pending": 0})
        counts[invitation.response] += 1
    return {
        "organisations": [i for i in invitations if i.organisation_id],
        "people": [(i, grids.get(i.user_id, "")) for i in sorted(people, key=lambda i: i.user.public_name)],
        "by_grid": sorted(by_grid.items()),
    }


def _correctable(request, pk: int) -> Meeting | None:
    """A meeting this person may correct; None (with a message) once it has opened."""
    meeting, _invitations = _meeting(request, pk)
    if not permissions.runs(request.user, meeting):
        raise PermissionDenied(_("Only the chair and the committee correct a meeting."))
    if meeting.status != Meeting.Status.SCHEDULED:
        messages.info(request, _("This meeting has opened or is over: it can no longer be corrected."))
        return None
    return meeting


@login_required
def meeting_edit(request, pk: int):
    """Correct a meeting before it opens: time (postpone), place, chair, secretary, invitees, quorum."""
    meeting = _correctable(request, pk)
    if meeting is None:
        return redirect("meetings:meeting-detail", pk=pk)
    form = MeetingEditForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and attempt(form, lambda d: services.edit_meeting(
        request.user, meeting_id=meeting.pk, kind=d["kind"], title=d["title"], description=d["description"],
        starts_at=d["starts_at"], ends_at=d["ends_at"], place=d["place"], online=d["online"],
        chair_id=d["chair"].pk, secretary_id=d["secretary"].pk, audience=d["audience"],
        grid_id=d["grid"] and d["grid"].pk, quorum=d["quorum"], is_public=d["is_public"],
        invite_user_ids=[u.pk for u in d["people"]], invite_organisation_ids=[o.pk for o in d["organisations"]],
        reason=d["reason"],
    )):
        messages.success(request, _("The meeting is corrected. Those invited are told of a new time or place."))
        return redirect(meeting)
    return render(request, "meetings/meeting_edit.html", {"form": form, "meeting": meeting,
                                                           "community": meeting.community})


@login_required
def meeting_cancel(request, pk: int):
    """A page that says what cancelling does and asks why; the meeting is cancelled only by its button."""
    meeting = _correctable(request, pk)
    if meeting is None:
        return redirect("meetings:meeting-detail", pk=pk)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and attempt(form, lambda d: services.cancel_meeting(
            request.user, meeting_id=meeting.pk, reason=d["reason"])):
        messages.success(request, _("The meeting is cancelled. Everyone invited is told why."))
        return redirect(meeting)
    return render(request, "meetings/meeting_cancel.html", {"form": form, "meeting": meeting,
                                                             "community": meeting.community})


@login_required
def agenda_item_edit(request, item_pk: int):
    """Correct or remove an agenda item before the meeting reaches it."""
    item = get_object_or_404(AgendaItem.objects.select_related("meeting"), pk=item_pk, status="accepted")
    meeting, _invitations = _meeting(request, item.meeting_id)
    if not permissions.runs(request.user, meeting):
        raise PermissionDenied(_("Only the chair and the committee set the agenda."))
    form = AgendaItemEditForm(request.POST or None, initial={
        "title": item.title, "description": item.description, "minutes_allotted": item.minutes_allotted})
    if request.method == "POST" and request.POST.get("remove"):
        try:
            services.remove_agenda_item(request.user, item_id=item.pk)
        except ValidationError as error:
            for message in error_messages(error):
                messages.error(request, message)
        else:
            messages.success(request, _("“%(title)s” is off the agenda.") % {"title": item.title})
        return redirect(meeting)
    if request.method == "POST" and attempt(form, lambda d: services.edit_agenda_item(
            request.user, item_id=item.pk, title=d["title"], description=d["description"],
            minutes_allotted=d["minutes_allotted"])):
        messages.success(request, _("The agenda item is corrected."))
        return redirect(meeting)
    return render(request, "meetings/agenda_item_edit.html", {"form": form, "item": item, "meeting": meeting,
                                                               "community": meeting.community})


def _meeting(request, pk: int) -> tuple[Meeting, list]:
    meeting = get_object_or_404(
        Meeting.objects.select_related("community", "chair", "secretary", "grid", "current_item"), pk=pk
    )
    invitations = _invitations(meeting) if request.user.is_authenticated else lazy(lambda: _invitations(meeting))
    if not permissions.can_watch(request.user, meeting, invitations):  # no one signed in: public meetings only
        raise Http404
    return meeting, invitations


def _invitations(meeting: Meeting) -> list:
    return list(meeting.invitations.select_related("user", "organisation").order_by("pk"))


def meeting_detail(request, pk: int, **bound):
    meeting, invitations = _meeting(request, pk)
    if request.user.is_authenticated or bound:
        return render(request, "meetings/meeting_detail.html", _room_context(request, meeting, invitations, bound))
    # Anonymous readers all see the same room: rendered once per state of the room (its latest event, and a
    # version every write to the meeting bumps), its context read only then (core/fragments.py). Every room
    # event is a saved row that bumps the version (meetings/apps.py), so its latest id is kept under it too.
    def fill() -> dict:
        return _room_context(request, meeting, invitations, {})

    fill.do_not_call_in_templates = True
    version = page_fragments.version("meeting", meeting.pk)
    last_id = page_fragments.remembered(("meeting-last-event", meeting.pk, version), lambda: (
        meeting.events.order_by("-pk").values_list("pk", flat=True).first() or 0))
    return render(request, "meetings/meeting_detail.html", {
        "meeting": meeting, "community": meeting.community, "runs": False, "last_id": last_id,
        "room_audience": "anonymous", "room_fill": fill, "room_version": version,
    })


# The page's regions that a room frame asks each person's page to fetch again, as that person sees them.
REGIONS = ("suggestions", "minutes-section", "votes")


def meeting_region(request, pk: int, region: str):
    """One region of the meeting's page, rendered from the page's own template partial for this person."""
    if region == "chat-earlier":
        return _chat_earlier(request, pk)
    if region not in REGIONS:
        raise Http404
    meeting, invitations = _meeting(request, pk)
    return render(request, f"meetings/meeting_detail.html#{region}", _room_context(request, meeting, invitations, {}))


def chat_history(meeting: Meeting, before: int) -> tuple[list[RoomEvent], int | None]:
    """The ``CHAT_SHOWN`` chat messages before the event ``before``, oldest first, and the id to ask for the
    ones before them (None: there are none)."""
    rows = list(RoomEvent.objects.filter(meeting=meeting, kind="chat.message", pk__lt=before)
                .select_related("author").order_by("-pk")[:CHAT_SHOWN + 1])
    shown = rows[:CHAT_SHOWN][::-1]
    return shown, (shown[0].pk if len(rows) > CHAT_SHOWN else None)


def _chat_earlier(request, pk: int):
    """Earlier chat messages, put above the page's oldest ones in place of the link that asked for them."""
    meeting, _invitations = _meeting(request, pk)
    before = request.GET.get("before", "")
    if not before.isdigit():
        raise Http404
    chat, earlier = chat_history(meeting, int(before))
    # The page's script asks for the list items alone; a browser without it follows the link to a page.
    template = "meetings/meeting_detail.html#chat-earlier" if request.headers.get("HX-Request") else (
        "meetings/chat_earlier.html")
    return render(request, template, {
        "meeting": meeting, "runs": permissions.runs(request.user, meeting), "chat": chat, "chat_earlier": earlier})


def _room_context(request, meeting: Meeting, invitations: list, bound: dict) -> dict:
    user = request.user
    runs = permissions.runs(user, meeting)
    writes = permissions.writes_minutes(user, meeting)
    items = fragments.agenda(meeting)
    minutes = Minutes.objects.get(meeting=meeting)  # made with the meeting
    last_id = meeting.events.order_by("-pk").values_list("pk", flat=True).first() or 0  # before reading the room
    # The chat's history is rendered once per state of the room (its latest event) for each audience: the
    # chair's team (who see the hide and mute buttons) and everyone else, who all see the same messages.
    history = lazy(lambda: chat_history(meeting, last_id + 1))
    attendance = fragments.attendance(meeting)
    own = next((i for i in invitations if user.is_authenticated and i.user_id == user.pk), None)
    if own is None and permissions.is_invited(user, meeting, invitations):
        own = Invitation(meeting=meeting, user=user)  # invited with the grid or community: not answered yet
    represented = {m.organisation_id for m in community_permissions.memberships(user)
                   if m.role == Membership.Role.ORG_REP}
    context = {
        "meeting": meeting,
        "community": meeting.community,
        "agenda": [i for i in items if i.status == "accepted"],
        "suggestions": [i for i in items if i.status == "suggested"] if runs else
        [i for i in items if i.status != "accepted" and i.suggested_by_id == getattr(user, "pk", None)],
        "chat": lazy(lambda: history[0]),
        "chat_earlier": lazy(lambda: history[1]),
        "chat_audience": f"runs-{meeting.status}" if runs else "reads",
        "chat_version": page_fragments.version("meeting", meeting.pk),
        "last_id": last_id,
        "queue": services.queue_state(meeting),
        "mutes": list(meeting.mutes.select_related("user")) if runs else [],
        **attendance,
        "checked_in": any(a.user_id == getattr(user, "pk", None) for a in attendance["attendances"]),
        "invitations": invitations,
        "own_invitation": own,
        "organisation_invitations": [i for i in invitations if i.organisation_id in represented],
        "answers": _answers(meeting, invitations) if runs or writes else None,
        "minutes": minutes,
        "minutes_visible": (minutes_visible := minutes.status == Minutes.Status.PUBLISHED
                            or permissions.is_invited(user, meeting, invitations)),
        "minutes_record": services.minutes_record(meeting)
        if minutes_visible and meeting.status == Meeting.Status.ADJOURNED else "",
        "revisions": list(minutes.revisions.select_related("saved_by").order_by("-version")[:20])
        if minutes.status == Minutes.Status.PUBLISHED else [],
        "runs": runs,
        "runs_live": runs and meeting.status == Meeting.Status.LIVE,
        "can_open_now": meeting.opens_from <= timezone.now() <= meeting.expected_end,
        "writes": writes,
        "can_take_part": permissions.can_take_part(user, meeting, invitations),
        "is_invited": permissions.is_invited(user, meeting, invitations),
        "can_suggest": permissions.can_suggest_item(user, meeting),
        "responses": Invitation.Response,
        "forms": {
            "item": bound.get("item_form") or (AgendaItemForm(prefix="item", community=meeting.community)
                                               if runs else None),
            "suggest": bound.get("suggest_form") or SuggestionForm(prefix="suggest"),
            "minutes": bound.get("minutes_form") or MinutesForm(
                prefix="minutes", initial={"body": minutes.body, "base_version": minutes.version}),
            "outcome": bound.get("outcome_form"),
            "outcome_item": bound.get("outcome_item"),
        },
        "community_people": _checkable(meeting, attendance["attendances"])
        if (runs or writes) and meeting.status == "live" else [],
        "chat_text": bound.get("chat_text", ""),
        "awaiting_approval": list(
            Minutes.objects.filter(meeting__community=meeting.community, meeting__status=Meeting.Status.ADJOURNED,
                                   status=Minutes.Status.DRAFT).select_related("meeting")
        ) if runs and meeting.status == Meeting.Status.LIVE else [],
        "blank_outcome": fragments.blank_outcome_form(meeting) if runs or writes else None,
    }
    return context


def _checkable(meeting, attendances) -> list:
    """People of the community not checked in yet, for the secretary's list at the door."""
    from community.models import User

    present = {a.user_id for a in attendances}
    people = User.objects.filter(memberships__community=meeting.community, is_active=True).distinct()
    return [p for p in people.order_by("display_name", "pk")[:2000] if p.pk not in present]


def minutes_view(request, pk: int):
    """The minutes as this person may read them, for the live room to fetch after ``minutes.updated``."""
    meeting, invitations = _meeting(request, pk)
    minutes = Minutes.objects.get(meeting=meeting)  # made with the meeting
    if minutes.status != Minutes.Status.PUBLISHED and not permissions.is_invited(request.user, meeting, invitations):
        raise Http404
    return render(request, "meetings/meeting_detail.html#minutes-view", {"minutes": minutes})


def minutes_print(request, pk: int):
    """Approved minutes on their own page, for printing or saving as PDF."""
    meeting, _invitations = _meeting(request, pk)
    minutes = Minutes.objects.select_related("approved_by", "approved_at_meeting").get(meeting=meeting)
    if minutes.status != Minutes.Status.PUBLISHED:
        raise Http404
    return render(request, "meetings/minutes_print.html", {"meeting": meeting, "minutes": minutes,
                                                           "minutes_record": services.minutes_record(meeting)})


# Acts that cannot be undone: asked first on a page that says what will happen (works without JavaScript).
CONFIRM = {
    "open": Confirm(
        gettext_lazy("Open the meeting now?"),
        gettext_lazy("The meeting goes live for everyone: check-in opens, the chat and the speaker queue start, and "
                     "the first agenda item becomes current. It cannot be put back to “scheduled”."),
        gettext_lazy("Yes, open the meeting")),
    "adjourn": Confirm(
        gettext_lazy("Adjourn the meeting?"),
        gettext_lazy("The meeting ends for everyone: check-in, the chat and the speaker queue close. The secretary "
                     "then completes the minutes for approval. An adjourned meeting cannot be reopened."),
        gettext_lazy("Yes, adjourn the meeting"), danger=True),
}


@login_required
def meeting_action(request, pk: int, action: str):
    meeting, _invitations = _meeting(request, pk)
    user = request.user
    if action in CONFIRM and not confirmed(request):
        if not permissions.runs(user, meeting):
            raise PermissionDenied(_("Only the chair runs the meeting."))
        return confirm_page(request, CONFIRM[action], action=request.path, back_url=meeting.get_absolute_url(),
                            back_label=meeting.title)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    forms = {
        "item": (lambda: AgendaItemForm(request.POST, prefix="item", community=meeting.community),
                 lambda d: services.add_agenda_item(
                     user, meeting_id=pk, title=d["title"], description=d["description"],
                     minutes_allotted=d["minutes_allotted"], issue_id=d["issue"],
                     consultation_id=d["consultation"] and d["consultation"].pk, proposal_id=d["proposal"]),
                 gettext_lazy("The item is on the agenda.")),
        "suggest": (lambda: SuggestionForm(request.POST, prefix="suggest"), lambda d: services.suggest_agenda_item(
            user, meeting_id=pk, title=d["title"], description=d["description"]),
            gettext_lazy("Thank you. The chair will accept or decline your suggestion.")),
        "minutes": (lambda: MinutesForm(request.POST, prefix="minutes"), lambda d: services.update_minutes(
            user, meeting_id=pk, body=d["body"], base_version=d["base_version"]), gettext_lazy("The minutes are saved.")),
    }
    if action in forms:
        make, call, done = forms[action]
        form = make()
        if attempt(form, call):
            messages.success(request, done)
            return redirect(meeting)
        return meeting_detail(request, pk, **{f"{action}_form": form})
    if action == "outcome":
        form = OutcomeForm(request.POST, prefix="outcome", community=meeting.community)
        item_id = (whole_number(request.POST.get("item")) or 0)
        if attempt(form, lambda d: services.record_item_outcome(
            user, item_id=item_id, outcome=d["outcome"], text=d["text"],
            tasks=[task_fields(d)] if d.get("task_title") else [],
        )):
            messages.success(request, _("The outcome is recorded."))
            return redirect(meeting)
        return meeting_detail(request, pk, outcome_form=form, outcome_item=item_id or None)
    if action not in BY_PATH:
        raise Http404
    try:  # the same table, permissions and services as the room's socket (meetings/actions.py)
        BY_PATH[action].run(user, pk, request.POST)
    except (ValidationError, PermissionDenied) as error:
        for message in error_messages(error):
            messages.error(request, message)
        if action == "chat":  # keep what was typed
            return meeting_detail(request, pk, chat_text=request.POST.get("body", ""))
    return redirect(meeting)


# Calendar files ------------------------------------------------------------------------------


def meeting_ics(request, pk: int):
    meeting, _invitations = _meeting(request, pk)
    return calendar_response(request, [meeting], f"meeting-{meeting.pk}.ics")


def community_calendar(request, slug: str):
    """Every public meeting of a community, for calendar apps to subscribe to."""
    community = get_object_or_404(Community, slug=slug)
    meetings = community.meetings.filter(is_public=True).order_by("-starts_at")[:500]  # the newest 500
    return calendar_response(request, meetings, f"{community.slug}-meetings.ics")


@login_required
def issue_to_agenda(request):
    """Put an issue (a major one, from triage) on the agenda of a coming meeting the person runs."""
    from issues.models import Issue

    raw = request.GET.get("issue") or request.POST.get("issue") or ""
    issue = get_object_or_404(Issue.objects.select_related("community", "grid"), pk=int(raw) if raw.isdigit() else 0)
    meetings = [m for m in issue.community.meetings.filter(status__in=["scheduled", "live"]).select_related("chair")
                .order_by("starts_at") if permissions.runs(request.user, m)]
    if not meetings and not permissions.can_schedule(request.user, issue.community):
        raise PermissionDenied(_("Only the chair and the committee set the agenda."))
    if request.method == "POST":
        chosen = request.POST.get("meeting", "")
        try:
            services.add_agenda_item(request.user, meeting_id=int(chosen) if chosen.isdigit() else 0,
                                     title=issue.title, issue_id=issue.pk, minutes_allotted=20)
        except (ValidationError, PermissionDenied) as error:
            for message in error_messages(error):
                messages.error(request, message)
        else:
            messages.success(request, _("The issue is on the meeting's agenda."))
            return redirect("meetings:meeting-detail", pk=int(chosen))
    return render(request, "meetings/issue_to_agenda.html", {"issue": issue, "meetings": meetings,
                                                              "community": issue.community})
