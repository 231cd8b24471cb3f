"""Scheduling a meeting and answering its invitation."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

import audit
from community import selectors as community_selectors
from community.models import Community, Grid, Membership, Organisation, User
from core.text import clean_text, max_length
from meetings import permissions
from meetings.models import (
    Invitation,
    Meeting,
    Minutes,
)
from notifications.services import notify

from meetings.services.base import Status, lock_meeting


@transaction.atomic
def schedule_meeting(
    actor: User, *, community_id: int, kind: str, title: str, starts_at, chair_id: int, secretary_id: int,
    description: str = "", ends_at=None, place: str = "", online: bool = True, audience: str = "invited",
    grid_id=None, quorum: int = 0, is_public: bool = True, invite_user_ids=(), invite_organisation_ids=(),
) -> Meeting:
    """The committee schedules a meeting and invites people, organisations, a grid or the community."""
    community = Community.objects.filter(pk=community_id).first()
    if community is None:
        raise ValidationError(_("There is no such community."))
    permissions.require(permissions.can_schedule(actor, community), _("Only the committee schedules meetings."))
    checked = _checked(community, kind=kind, title=title, description=description, starts_at=starts_at,
                       ends_at=ends_at, place=place, online=online, audience=audience, grid_id=grid_id, quorum=quorum,
                       chair_id=chair_id, secretary_id=secretary_id, invite_user_ids=invite_user_ids,
                       invite_organisation_ids=invite_organisation_ids)
    people, organisations, grid = checked.pop("people"), checked.pop("organisations"), checked["grid"]
    meeting = Meeting.objects.create(community=community, is_public=is_public, created_by=actor, **checked)
    Invitation.objects.bulk_create(
        [Invitation(meeting=meeting, user_id=pk) for pk in set(invite_user_ids)]
        + [Invitation(meeting=meeting, organisation=o) for o in organisations]
    )
    Minutes.objects.create(meeting=meeting)
    audit.record(actor, "meeting.scheduled", community=community, target=meeting)
    invitees = [people[pk] for pk in set(invite_user_ids)] + list(
        community_selectors.holders(Membership.Role.ORG_REP, organisations=organisations)
    )
    params = {"title": meeting.title, "when": starts_at}
    notify(invitees, message=gettext_lazy("You are invited: “%(title)s”, %(when)s"), params=params,
           url=meeting.get_absolute_url(), exclude=actor)
    if audience != Meeting.Audience.INVITED:  # residents of the grid or community: told in the site, not by mail
        residents = community_selectors.holders(Membership.Role.RESIDENT, community=community, grid=grid).filter(is_active=True)
        notify(residents, message=gettext_lazy("You are invited: “%(title)s”, %(when)s"), params=params,
               url=meeting.get_absolute_url(), exclude=actor, email=False)
    return meeting


def _checked(community: Community, *, kind, title, description, starts_at, ends_at, place, online, audience, grid_id,
             quorum, chair_id, secretary_id, invite_user_ids, invite_organisation_ids) -> dict:
    """A meeting's fields as scheduling and correcting both check them: the model's fields, plus the invited
    ``people`` (by id, with the chair and secretary) and ``organisations``."""
    if kind not in Meeting.Kind.values:
        raise ValidationError(_("Choose the kind of meeting."))
    if not isinstance(starts_at, datetime):
        raise ValidationError(_("Give the date and time the meeting starts."))
    if ends_at is not None and ends_at <= starts_at:
        raise ValidationError(_("The meeting must end after it starts."))
    if not place.strip() and not online:
        raise ValidationError(_("Give a place, or hold the meeting online, or both."))
    if audience not in Meeting.Audience.values:
        raise ValidationError(_("Choose who is invited."))
    grid = None
    if audience == Meeting.Audience.GRID:
        grid = Grid.objects.filter(pk=grid_id, community=community).first()
        if grid is None:
            raise ValidationError(_("Choose the grid whose residents are invited."))
    if not isinstance(quorum, int) or quorum < 0:
        raise ValidationError(_("The quorum is a whole number of people, 0 for none."))
    people = {u.pk: u for u in User.objects.filter(pk__in={chair_id, secretary_id, *invite_user_ids},
                                                   memberships__community=community, is_active=True).distinct()}
    if chair_id not in people or secretary_id not in people:
        raise ValidationError(_("The chair and the secretary must be people of this community."))
    organisations = list(Organisation.objects.filter(pk__in=invite_organisation_ids, community=community))
    if not set(invite_user_ids) <= people.keys() or len(organisations) != len(set(invite_organisation_ids)):
        raise ValidationError(_("Invite people and organisations of this community only."))
    return {
        "kind": kind, "title": clean_text(title, field=_("The title"), limit=max_length(Meeting, "title")),
        "description": clean_text(description, field=_("The description"), required=False,
                                  limit=max_length(Meeting, "description")),
        "starts_at": starts_at, "ends_at": ends_at,
        "place": clean_text(place, field=_("The place"), required=False, limit=max_length(Meeting, "place")),
        "online": online, "chair": people[chair_id], "secretary": people[secretary_id], "audience": audience,
        "grid": grid, "quorum": quorum, "people": people, "organisations": organisations,
    }


@transaction.atomic
def respond_to_invitation(actor: User, *, meeting_id: int, response: str,
                          organisation_id: int | None = None) -> Invitation:
    """Yes, no or maybe: for yourself (invited in person, or as a resident of the invited grid or community), or
    — with ``organisation_id`` — for an invited organisation you represent."""
    meeting = lock_meeting(meeting_id)
    if meeting.status not in (Status.SCHEDULED, Status.LIVE):
        raise ValidationError(_("This meeting is over."))
    if response not in (Invitation.Response.YES, Invitation.Response.NO, Invitation.Response.MAYBE):
        raise ValidationError(_("Answer yes, no or maybe."))
    if organisation_id:
        invitation = meeting.invitations.filter(organisation_id=organisation_id).first()
        permissions.require(invitation is not None and community_selectors.holders(
            Membership.Role.ORG_REP, organisation=organisation_id).filter(pk=actor.pk).exists(),
            _("Only a representative of an invited organisation answers for it."))
        invitation.response, invitation.responded_at = response, timezone.now()
        invitation.save(update_fields=["response", "responded_at"])
        return invitation
    permissions.require(permissions.is_invited(actor, meeting), _("You are not invited to this meeting."))
    invitation, _created = Invitation.objects.get_or_create(meeting=meeting, user=actor)
    invitation.response, invitation.responded_at = response, timezone.now()
    invitation.save(update_fields=["response", "responded_at"])
    return invitation


def _tell_invited(meeting: Meeting, actor: User, message, params: dict) -> None:
    """Everyone invited hears of a change: people and organisations' representatives by mail as well, the
    residents of an invited grid or community in the site."""
    invitations = list(meeting.invitations.all())
    people = User.objects.filter(pk__in=[i.user_id for i in invitations if i.user_id], is_active=True)
    representatives = community_selectors.holders(
        Membership.Role.ORG_REP, organisations=[i.organisation_id for i in invitations if i.organisation_id])
    notify([*people, *representatives, meeting.chair, meeting.secretary], message=message, params=params,
           url=meeting.get_absolute_url(), exclude=actor)
    if meeting.audience != Meeting.Audience.INVITED:
        residents = community_selectors.holders(Membership.Role.RESIDENT, community=meeting.community,
                                                grid=meeting.grid).filter(is_active=True)
        notify(residents, message=message, params=params, url=meeting.get_absolute_url(), exclude=actor, email=False)


@transaction.atomic
def edit_meeting(
    actor: User, *, meeting_id: int, kind: str, title: str, starts_at, chair_id: int, secretary_id: int,
    description: str = "", ends_at=None, place: str = "", online: bool = True, audience: str = "invited",
    grid_id=None, quorum: int = 0, is_public: bool = True, invite_user_ids=(), invite_organisation_ids=(),
    reason: str = "",
) -> Meeting:
    """Correct a meeting before it opens: its time (a postponement), place, chair, secretary, invitees, quorum.
    A new time or place is a new calendar revision, and everyone invited is told, with the reason given."""
    meeting = lock_meeting(meeting_id)
    permissions.require(permissions.runs(actor, meeting), _("Only the chair and the committee correct a meeting."))
    if meeting.status != Status.SCHEDULED:
        raise ValidationError(_("Only a meeting that has not opened can be corrected."))
    checked = _checked(meeting.community, kind=kind, title=title, description=description, starts_at=starts_at,
                       ends_at=ends_at, place=place, online=online, audience=audience, grid_id=grid_id, quorum=quorum,
                       chair_id=chair_id, secretary_id=secretary_id, invite_user_ids=invite_user_ids,
                       invite_organisation_ids=invite_organisation_ids)
    people, organisations = checked.pop("people"), checked.pop("organisations")
    reason = clean_text(reason, field=_("The reason"), required=False, limit=max_length(Meeting, "change_reason"))
    moved = (checked["starts_at"], checked["ends_at"], checked["place"], checked["online"]) != (
        meeting.starts_at, meeting.ends_at, meeting.place, meeting.online)
    changes = [name for name, value in checked.items() if getattr(meeting, name) != value]
    for name, value in checked.items():
        setattr(meeting, name, value)
    meeting.is_public = is_public
    if moved:
        meeting.sequence += 1
        meeting.revised_at = timezone.now()
        meeting.change_reason = reason
    meeting.save()
    # Invitations: new ones added, dropped ones removed; those kept keep their answers.
    wanted_people, wanted_orgs = set(invite_user_ids), {o.pk for o in organisations}
    meeting.invitations.filter(user__isnull=False).exclude(user_id__in=wanted_people).delete()
    meeting.invitations.filter(organisation__isnull=False).exclude(organisation_id__in=wanted_orgs).delete()
    have_people = set(meeting.invitations.filter(user__isnull=False).values_list("user_id", flat=True))
    have_orgs = set(meeting.invitations.filter(organisation__isnull=False).values_list("organisation_id", flat=True))
    Invitation.objects.bulk_create(
        [Invitation(meeting=meeting, user_id=pk) for pk in wanted_people - have_people]
        + [Invitation(meeting=meeting, organisation_id=pk) for pk in wanted_orgs - have_orgs])
    new_people = [people[pk] for pk in wanted_people - have_people]
    new_reps = community_selectors.holders(Membership.Role.ORG_REP, organisations=list(wanted_orgs - have_orgs))
    notify([*new_people, *new_reps], message=gettext_lazy("You are invited: “%(title)s”, %(when)s"),
           params={"title": meeting.title, "when": meeting.starts_at}, url=meeting.get_absolute_url(),
           exclude=actor)
    audit.record(actor, "meeting.corrected", community=meeting.community_id, target=meeting,
                 changes=", ".join(changes) or "-", reason=reason)
    if moved:
        _tell_invited(meeting, actor, gettext_lazy("“%(title)s” has changed: now %(when)s, %(place)s. %(reason)s"),
                      {"title": meeting.title, "when": meeting.starts_at,
                       "place": meeting.place or gettext_lazy("online"), "reason": reason})
    return meeting


@transaction.atomic
def cancel_meeting(actor: User, *, meeting_id: int, reason: str) -> Meeting:
    """Call a meeting off before it opens, saying why; everyone invited is told and calendars mark it cancelled."""
    meeting = lock_meeting(meeting_id)
    permissions.require(permissions.runs(actor, meeting), _("Only the chair and the committee cancel a meeting."))
    if meeting.status != Status.SCHEDULED:
        raise ValidationError(_("Only a meeting that has not opened can be cancelled."))
    meeting.change_reason = clean_text(reason, field=_("The reason"), limit=max_length(Meeting, "change_reason"))
    meeting.status = Status.CANCELLED
    meeting.sequence += 1
    meeting.revised_at = timezone.now()
    meeting.save(update_fields=["status", "sequence", "revised_at", "change_reason"])
    audit.record(actor, "meeting.cancelled", community=meeting.community_id, target=meeting,
                 reason=meeting.change_reason)
    _tell_invited(meeting, actor, gettext_lazy("“%(title)s” on %(when)s is cancelled: %(reason)s"),
                  {"title": meeting.title, "when": meeting.starts_at, "reason": meeting.change_reason})
    return meeting
