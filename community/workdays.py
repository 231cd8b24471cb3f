"""The working calendar: which days are worked, and deadlines counted in working days or working hours.

Pure functions, no database: the caller passes the community's local days and office hours.

- A day is worked when the community marked it an extra working day; else not when it marked it a local
  day off; else as the national calendar (public holidays and the make-up working days, 调休) says; for a
  year the national calendar does not know yet, Monday to Friday.
- "Within N working days" of a moment: by the end of office hours of the Nth working day after the day
  of that moment (the day itself never counts, whatever the hour).
- "Within N working hours": N hours counted only inside the office hours of working days, from that
  moment (or from the next opening, outside office hours).
- "Within N hours": N hours of the clock, whatever the day.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import chinese_calendar

# 09:00–12:00 and 13:30–17:30: seven office hours a day, the lunch break not counted.
DEFAULT_OFFICE_HOURS = "09:00-12:00, 13:30-17:30"
WORKING_HOURS, WORKING_DAYS, CLOCK_HOURS = "working_hours", "working_days", "hours"
_LONGEST = 3660  # days searched for the next working day before giving up (a calendar with none)


class OfficeHoursError(ValueError):
    pass


def parse_office_hours(text: str) -> tuple[tuple[time, time], ...]:
    """``"09:00-12:00, 13:30-17:30"`` → its windows, in order, not overlapping; ValueError if not."""
    windows = []
    for part in (text or "").replace("，", ",").replace("–", "-").split(","):
        if not part.strip():
            continue
        try:
            start, end = (time.fromisoformat(t.strip()) for t in part.split("-"))
        except ValueError:
            raise OfficeHoursError(part.strip()) from None
        if end <= start or (windows and start < windows[-1][1]):
            raise OfficeHoursError(part.strip())
        windows.append((start, end))
    if not windows:
        raise OfficeHoursError(text)
    return tuple(windows)


def validate_office_hours(text: str) -> None:
    """The model field's validator: a clear message in place of OfficeHoursError."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    try:
        parse_office_hours(text)
    except OfficeHoursError:
        raise ValidationError(
            _("Write office hours as times from-to, in order, separated by commas: e.g. “09:00-12:00, 13:30-17:30”.")
        ) from None


@dataclass(frozen=True)
class WorkCalendar:
    """One community's calendar: its local days off and extra working days, its office hours, its time zone."""

    days_off: frozenset = field(default_factory=frozenset)
    extra_days: frozenset = field(default_factory=frozenset)
    office_hours: str = DEFAULT_OFFICE_HOURS
    zone: str = "Asia/Shanghai"

    @property
    def windows(self) -> tuple[tuple[time, time], ...]:
        return parse_office_hours(self.office_hours)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.zone)


def national_calendar_known(year: int) -> bool:
    try:
        chinese_calendar.is_workday(date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


def national_day(day: date) -> tuple[bool, str | None] | None:
    """``(is_holiday, holiday_name)`` from the national calendar, or None for a year it does not know.

    A make-up working day has ``is_holiday`` False and the name of the holiday it makes up for; an
    ordinary day has no name.
    """
    try:
        off, name = chinese_calendar.get_holiday_detail(day)
        worked = chinese_calendar.is_workday(day)
    except NotImplementedError:
        return None
    return (not worked, name if (name and (off or day.weekday() >= 5)) else None)


def is_working_day(day: date, calendar: WorkCalendar) -> bool:
    if day in calendar.extra_days:
        return True
    if day in calendar.days_off:
        return False
    national = national_day(day)
    if national is None:
        return day.weekday() < 5
    return not national[0]


def next_working_day(day: date, calendar: WorkCalendar) -> date:
    """The first working day after ``day``."""
    for _ in range(_LONGEST):
        day += timedelta(days=1)
        if is_working_day(day, calendar):
            return day
    raise ValueError("no working day in ten years")


def _at(day: date, moment: time, calendar: WorkCalendar) -> datetime:
    return datetime.combine(day, moment, tzinfo=calendar.tz)


def add_working_days(start: datetime, days: int, calendar: WorkCalendar) -> datetime:
    """The end of office hours of the ``days``-th working day after the day of ``start`` (0: of that day, if worked)."""
    day = start.astimezone(calendar.tz).date()
    if days <= 0 and not is_working_day(day, calendar):
        days = 1
    for _ in range(max(days, 0)):
        day = next_working_day(day, calendar)
    return _at(day, calendar.windows[-1][1], calendar)


def add_working_hours(start: datetime, hours: float, calendar: WorkCalendar) -> datetime:
    """The moment when ``hours`` of office time on working days have passed since ``start``."""
    left = timedelta(hours=hours)
    local = start.astimezone(calendar.tz)
    day, windows = local.date(), calendar.windows
    if not is_working_day(day, calendar):
        day = next_working_day(day, calendar)
        local = _at(day, windows[0][0], calendar)
    while True:
        for opens, closes in windows:
            begin, end = max(local, _at(day, opens, calendar)), _at(day, closes, calendar)
            if begin >= end:
                continue
            if end - begin >= left:
                return begin + left
            left -= end - begin
        day = next_working_day(day, calendar)
        local = _at(day, windows[0][0], calendar)


def due_after(start: datetime, amount: int, unit: str, calendar: WorkCalendar) -> datetime:
    """A deadline ``amount`` ``unit`` after ``start``."""
    if unit == WORKING_DAYS:
        return add_working_days(start, amount, calendar)
    if unit == WORKING_HOURS:
        return add_working_hours(start, amount, calendar)
    return start + timedelta(hours=amount)
