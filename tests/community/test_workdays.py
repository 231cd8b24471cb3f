"""The working calendar's maths against the 2026 national calendar, every expected moment written by hand.

2026: New Year 1–3 Jan (Sun 4 Jan worked); Spring Festival 15–23 Feb (Sat 14 and Sat 28 Feb worked);
Qingming 4–6 Apr; Labour Day 1–5 May (Sat 9 May worked); Dragon Boat 19–21 Jun; Mid-Autumn 25–27 Sep;
National Day 1–7 Oct (Sun 20 Sep and Sat 10 Oct worked). Office hours 09:00–12:00 and 13:30–17:30.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from community.workdays import (
    OfficeHoursError,
    WorkCalendar,
    add_working_days,
    add_working_hours,
    due_after,
    is_working_day,
    national_calendar_known,
    parse_office_hours,
)

SH = ZoneInfo("Asia/Shanghai")
PLAIN = WorkCalendar()


def at(y, m, d, hh=0, mm=0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=SH)


@pytest.mark.parametrize(("day", "worked"), [
    (date(2026, 1, 1), False), (date(2026, 1, 2), False), (date(2026, 1, 4), True),  # Sun 4 Jan: make-up
    (date(2026, 2, 14), True), (date(2026, 2, 15), False), (date(2026, 2, 20), False), (date(2026, 2, 23), False),
    (date(2026, 2, 24), True), (date(2026, 2, 28), True), (date(2026, 3, 1), False),
    (date(2026, 4, 6), False), (date(2026, 4, 7), True),
    (date(2026, 5, 5), False), (date(2026, 5, 9), True), (date(2026, 5, 10), False),
    (date(2026, 6, 19), False), (date(2026, 6, 22), True),
    (date(2026, 9, 20), True), (date(2026, 9, 25), False), (date(2026, 10, 7), False), (date(2026, 10, 10), True),
    (date(2026, 10, 11), False), (date(2026, 12, 4), True), (date(2026, 12, 5), False),
])
def test_the_national_calendar_of_2026_decides_which_days_are_worked(day, worked):
    assert is_working_day(day, PLAIN) is worked


@pytest.mark.parametrize(("raised", "days", "due"), [
    # An ordinary week: raised Monday morning, 2 working days → end of Wednesday.
    (at(2026, 3, 9, 10), 2, at(2026, 3, 11, 17, 30)),
    # Raised late on Friday evening: the Friday does not count; Monday, Tuesday.
    (at(2026, 3, 13, 23), 2, at(2026, 3, 17, 17, 30)),
    # New Year: raised Wed 31 Dec 2025 → Sun 4 Jan (make-up), Mon 5 Jan.
    (at(2025, 12, 31, 15), 2, at(2026, 1, 5, 17, 30)),
    # Spring Festival: raised Fri 13 Feb → Sat 14 Feb (make-up), then nothing until Tue 24 Feb.
    (at(2026, 2, 13, 9), 1, at(2026, 2, 14, 17, 30)),
    (at(2026, 2, 13, 9), 2, at(2026, 2, 24, 17, 30)),
    (at(2026, 2, 16, 11), 3, at(2026, 2, 26, 17, 30)),  # raised on a holiday: Tue 24, Wed 25, Thu 26
    (at(2026, 2, 26, 12), 2, at(2026, 2, 28, 17, 30)),  # Fri 27, Sat 28 (make-up)
    # Qingming: raised Fri 3 Apr → Tue 7 Apr.
    (at(2026, 4, 3, 16), 1, at(2026, 4, 7, 17, 30)),
    # Labour Day: raised Thu 30 Apr → Wed 6, Thu 7, Fri 8, Sat 9 May (make-up).
    (at(2026, 4, 30, 10), 4, at(2026, 5, 9, 17, 30)),
    # Dragon Boat: raised Thu 18 Jun → Mon 22 Jun.
    (at(2026, 6, 18, 10), 1, at(2026, 6, 22, 17, 30)),
    # Mid-Autumn and National Day: raised Sat 19 Sep → Sun 20 (make-up), Mon 21, … Thu 24, then Mon 28.
    (at(2026, 9, 19, 10), 6, at(2026, 9, 28, 17, 30)),
    # Raised Wed 30 Sep → Thu 8, Fri 9, Sat 10 Oct (make-up).
    (at(2026, 9, 30, 10), 1, at(2026, 10, 8, 17, 30)),
    (at(2026, 9, 30, 10), 3, at(2026, 10, 10, 17, 30)),
    # 0 working days: the end of that day if worked, else of the next working day.
    (at(2026, 3, 9, 10), 0, at(2026, 3, 9, 17, 30)),
    (at(2026, 10, 3, 10), 0, at(2026, 10, 8, 17, 30)),
])
def test_working_days_end_with_the_office_hours_of_the_nth_working_day_after(raised, days, due):
    assert add_working_days(raised, days, PLAIN) == due


@pytest.mark.parametrize(("start", "hours", "due"), [
    (at(2026, 3, 9, 10), 1, at(2026, 3, 9, 11)),
    (at(2026, 3, 9, 11), 2, at(2026, 3, 9, 14, 30)),  # 1 h before lunch, 1 h after it
    (at(2026, 3, 9, 7), 3, at(2026, 3, 9, 12)),  # before opening: counted from 09:00
    (at(2026, 3, 9, 12, 45), 1, at(2026, 3, 9, 14, 30)),  # in the lunch break: from 13:30
    (at(2026, 3, 9, 9), 7, at(2026, 3, 9, 17, 30)),  # a whole day is seven hours
    (at(2026, 3, 9, 9), 8, at(2026, 3, 10, 10)),
    (at(2026, 3, 13, 16, 30), 2, at(2026, 3, 16, 10)),  # Friday 16:30: 1 h Friday, 1 h Monday
    (at(2026, 3, 9, 20), 1, at(2026, 3, 10, 10)),  # after closing: from the next morning
    # Spring Festival: Fri 13 Feb 17:00 → ½ h Fri, 7 h Sat 14 (make-up), ½ h Tue 24 Feb.
    (at(2026, 2, 13, 17), 8, at(2026, 2, 24, 9, 30)),
    # National Day: 16 working hours from Wed 30 Sep 13:30 → 4 h Wed, 7 h Thu 8 Oct, 5 h Fri 9 Oct.
    (at(2026, 9, 30, 13, 30), 16, at(2026, 10, 9, 15, 30)),
    # Labour Day: Thu 30 Apr 15:00, 4 h → 2½ h Thu, 1½ h Wed 6 May.
    (at(2026, 4, 30, 15), 4, at(2026, 5, 6, 10, 30)),
])
def test_working_hours_count_only_inside_office_hours_of_working_days(start, hours, due):
    assert add_working_hours(start, hours, PLAIN) == due


def test_clock_hours_ignore_the_calendar():
    assert due_after(at(2026, 9, 30, 10), 48, "hours", PLAIN) == at(2026, 10, 2, 10)


def test_a_moment_in_utc_is_counted_on_the_local_calendar():
    # 23:00 UTC on Thu 12 Feb is 07:00 on Fri 13 Feb in Shanghai: Sat 14 (make-up) is the first working day.
    raised = datetime(2026, 2, 12, 23, 0, tzinfo=ZoneInfo("UTC"))
    assert add_working_days(raised, 1, PLAIN) == at(2026, 2, 14, 17, 30)


def test_local_days_off_and_extra_working_days_change_the_count():
    calendar = WorkCalendar(days_off=frozenset({date(2026, 3, 10)}), extra_days=frozenset({date(2026, 3, 14)}))
    assert not is_working_day(date(2026, 3, 10), calendar) and is_working_day(date(2026, 3, 14), calendar)
    # Mon 9 → (Tue 10 off) Wed 11, Thu 12, Fri 13, Sat 14 (extra)
    assert add_working_days(at(2026, 3, 9, 10), 4, calendar) == at(2026, 3, 14, 17, 30)
    # A local extra working day beats a national holiday.
    holiday_worked = WorkCalendar(extra_days=frozenset({date(2026, 10, 2)}))
    assert add_working_days(at(2026, 9, 30, 10), 1, holiday_worked) == at(2026, 10, 2, 17, 30)


def test_a_year_the_national_calendar_does_not_know_falls_back_to_weekends_and_local_days():
    assert national_calendar_known(2026) and not national_calendar_known(2030)
    # 2030: 1 Jan is a Tuesday; without the national calendar it is a working day.
    assert is_working_day(date(2030, 1, 1), PLAIN) and not is_working_day(date(2030, 1, 5), PLAIN)
    assert add_working_days(at(2030, 1, 4, 10), 1, PLAIN) == at(2030, 1, 7, 17, 30)  # Fri → Mon
    local = WorkCalendar(days_off=frozenset({date(2030, 1, 1)}))
    assert add_working_days(at(2029, 12, 31, 10), 1, local) == at(2030, 1, 2, 17, 30)
    # Across the year's end: Thu 31 Dec 2026 → Fri 1 Jan 2027 is counted as worked (not known yet).
    assert add_working_days(at(2026, 12, 31, 10), 1, PLAIN) == at(2027, 1, 1, 17, 30)


def test_one_office_window_works_too():
    calendar = WorkCalendar(office_hours="08:30-17:00")
    assert add_working_days(at(2026, 3, 9, 10), 1, calendar) == at(2026, 3, 10, 17)
    assert add_working_hours(at(2026, 3, 9, 16), 2, calendar) == at(2026, 3, 10, 9, 30)


@pytest.mark.parametrize("text", ["", "9-12", "12:00-09:00", "09:00-12:00, 11:00-14:00", "nonsense"])
def test_office_hours_that_make_no_sense_are_refused(text):
    with pytest.raises(OfficeHoursError):
        parse_office_hours(text)
