"""The working calendar: local days off and worked, office hours, the community's deadlines."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

import audit
from community import permissions
from community.models import Community, DeadlineUnit, LocalDay, User
from community.selectors import describe_deadline
from community.workdays import OfficeHoursError, parse_office_hours
from core.text import clean_text, max_length

# A deadline longer than this is a typing slip, not a policy.
LONGEST = {DeadlineUnit.WORKING_DAYS: 60, DeadlineUnit.WORKING_HOURS: 480, DeadlineUnit.HOURS: 1440}


def _community_kept_by(actor: User, community_id: int) -> Community:
    community = Community.objects.select_for_update().filter(pk=community_id).first()
    if community is None:
        raise ValidationError(_("There is no such community."))
    permissions.require(permissions.can_keep_calendar(actor, community),
                        _("Only the committee keeps the working calendar."))
    return community


def check_deadline(amount, unit: str, *, what: str) -> None:
    """A whole number of a known unit, from 1 to a sane most; else a message naming ``what``."""
    if unit not in DeadlineUnit.values:
        raise ValidationError(_("Choose working days, working hours or hours for %(what)s.") % {"what": what})
    if not isinstance(amount, int) or isinstance(amount, bool) or not 1 <= amount <= LONGEST[unit]:
        raise ValidationError(_("Give %(what)s as a whole number from 1 to %(most)s.")
                              % {"what": what, "most": LONGEST[unit]})


@transaction.atomic
def add_local_day(actor: User, *, community_id: int, day: date, kind: str, note: str = "") -> LocalDay:
    """Mark a day off (or an extra working day) for this community only; deadlines set from now on follow it."""
    community = _community_kept_by(actor, community_id)
    if not isinstance(day, date) or not 2000 <= day.year <= 2100:
        raise ValidationError(_("Give the day as a date."))
    if kind not in LocalDay.Kind.values:
        raise ValidationError(_("Choose a local day off or a local extra working day."))
    note = clean_text(note, field=_("The note"), required=False, limit=max_length(LocalDay, "note"))
    if community.local_days.filter(day=day).exists():
        raise ValidationError(_("%(day)s is already on the calendar. Remove it first to change it.")
                              % {"day": day.isoformat()})
    local = LocalDay.objects.create(community=community, day=day, kind=kind, note=note)
    audit.record(actor, "calendar.day_added", community=community, target=community, day=day.isoformat(),
                 kind=str(local.get_kind_display()), note=note)
    return local


@transaction.atomic
def remove_local_day(actor: User, *, community_id: int, local_day_id: int) -> None:
    """Take a local day off the calendar again."""
    community = _community_kept_by(actor, community_id)
    local = community.local_days.filter(pk=local_day_id).first()
    if local is None:
        raise ValidationError(_("That day is no longer on the calendar."))
    audit.record(actor, "calendar.day_removed", community=community, target=community, day=local.day.isoformat(),
                 kind=str(local.get_kind_display()), note=local.note)
    local.delete()


@transaction.atomic
def set_deadlines(actor: User, *, community_id: int, response_deadline: int, response_deadline_unit: str,
                  resolution_deadline: int, resolution_deadline_unit: str, office_hours: str) -> Community:
    """Set the community's deadlines and office hours; issues keep the deadlines they already have."""
    community = _community_kept_by(actor, community_id)
    check_deadline(response_deadline, response_deadline_unit, what=_("the response deadline"))
    check_deadline(resolution_deadline, resolution_deadline_unit, what=_("the resolution deadline"))
    try:
        windows = parse_office_hours(office_hours)
    except OfficeHoursError:
        raise ValidationError(_("Write office hours as times from-to, in order, separated by commas: "
                                "e.g. “09:00-12:00, 13:30-17:30”.")) from None
    community.office_hours = ", ".join(f"{a:%H:%M}-{b:%H:%M}" for a, b in windows)
    if len(community.office_hours) > max_length(Community, "office_hours"):
        raise ValidationError(_("Give at most four office-hour windows."))
    community.response_deadline, community.response_deadline_unit = response_deadline, response_deadline_unit
    community.resolution_deadline, community.resolution_deadline_unit = resolution_deadline, resolution_deadline_unit
    community.save(update_fields=["office_hours", "response_deadline", "response_deadline_unit",
                                  "resolution_deadline", "resolution_deadline_unit"])
    audit.record(actor, "calendar.deadlines_changed", community=community, target=community,
                 response=describe_deadline(response_deadline, response_deadline_unit),
                 resolution=describe_deadline(resolution_deadline, resolution_deadline_unit),
                 office_hours=community.office_hours)
    return community
