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
    meeting = Meeting.objects.create(
        community=community, kind=kind,
        title=clean_text(title, field=_("The title"), limit=max_length(Meeting, "title")),
        description=clean_text(description, field=_("The description"), required=False,
                               limit=max_length(Meeting, "description")),
        starts_at=starts_at, ends_at=ends_at,
        place=clean_text(place, field=_("The place"), required=False, limit=max_length(Meeting, "place")),
        online=online, chair=people[chair_id], secretary=people[secretary_id], audience=audience, grid=grid,
        quorum=quorum, is_public=is_public, created_by=actor,
    )
    Invitation.objects.bulk_create(
        [Invitation(meeting=meeting, user_id=pk) for pk in set(invite_user_ids)]
        + [Invitation(meeting=meeting, organisation=o) for o in organisations]
    )
    Minutes.objects.create(meeting=meeting)
    audit.record(actor, "meeting.scheduled", community=community, target=meeting)
    invitees = [people[pk] for pk in set(invite_user_ids)] + list(
        community_selectors.holders(Membership.Role.ORG_REP, organisations=organisations)
    )
    params = {"title": meeting.title, "when": timezone.localtime(starts_at).strftime("%Y-%m-%d %H:%M")}
    notify(invitees, message=gettext_lazy("You are invited: “%(title)s”, %(when)s"), params=params,
           url=meeting.get_absolute_url(), exclude=actor)
    if audience != Meeting.Audience.INVITED:  # residents of the grid or community: told in the site, not by mail
        residents = community_selectors.holders(Membership.Role.RESIDENT, community=community, grid=grid).filter(is_active=True)
        notify(residents, message=gettext_lazy("You are invited: “%(title)s”, %(when)s"), params=params,
               url=meeting.get_absolute_url(), exclude=actor, email=False)
    return meeting


@transaction.atomic
def respond_to_invitation(actor: User, *, meeting_id: int, response: str) -> Invitation:
    """Yes, no or maybe: for a personal invitation, or as a representative of an invited organisation."""
    meeting = lock_meeting(meeting_id)
    if meeting.status not in (Status.SCHEDULED, Status.LIVE):
        raise ValidationError(_("This meeting is over."))
    if response not in (Invitation.Response.YES, Invitation.Response.NO, Invitation.Response.MAYBE):
        raise ValidationError(_("Answer yes, no or maybe."))
    permissions.require(permissions.is_invited(actor, meeting), _("You are not invited to this meeting."))
    invitation, _created = Invitation.objects.get_or_create(meeting=meeting, user=actor)
    invitation.response, invitation.responded_at = response, timezone.now()
    invitation.save(update_fields=["response", "responded_at"])
    return invitation
