"""Demo meetings, played through the real services: one past with published minutes and decisions whose
tasks are in progress, one scheduled, one live now so the room is working when the demo opens."""

from datetime import timedelta

from django.utils import timezone

from community.models import Community, Organisation, User
from issues.models import Issue
from ledger import services as ledger_services
from meetings import services
from meetings.models import Attendance, Meeting, RoomEvent


def load(community: Community) -> int:
    if community.meetings.exists():
        return 0
    chair = User.objects.get(email="committee@example.org")
    secretary = User.objects.get(email="secretary@example.org")
    org_ids = list(Organisation.objects.filter(community=community).values_list("pk", flat=True)[:4])
    residents = list(User.objects.filter(memberships__community=community, memberships__role="resident")
                     .order_by("pk")[:12])
    reps = list(User.objects.filter(memberships__organisation_id__in=org_ids, memberships__role="org_rep"))
    now = timezone.now()
    today = timezone.localdate()

    def at_seven(days: int):
        """An evening meeting, 19:00 local time, ``days`` from today."""
        day = timezone.localtime(now).replace(hour=19, minute=0, second=0, microsecond=0)
        return day + timedelta(days=days)

    def schedule(title, starts_at, kind="joint", **extra):
        return services.schedule_meeting(
            chair, community_id=community.pk, kind=kind, title=title, starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=2), chair_id=chair.pk, secretary_id=secretary.pk,
            place="Community hall, 2nd floor", audience="community", quorum=5,
            invite_organisation_ids=org_ids, **extra,
        )

    # 1. A past joint meeting: adjourned, minutes published, decisions whose tasks are under way.
    past = schedule("Joint meeting on parking and the fire lanes", now + timedelta(minutes=5),
                    description="Property manager, owners' committee, police station and residents at one table.")
    parking = services.add_agenda_item(chair, meeting_id=past.pk, title="Fire lanes kept clear", minutes_allotted=20)
    bins = services.add_agenda_item(chair, meeting_id=past.pk, title="Bin stations overflowing at weekends",
                                    minutes_allotted=15)
    services.add_agenda_item(chair, meeting_id=past.pk, title="Any other business", minutes_allotted=10)
    services.open_meeting(chair, meeting_id=past.pk)
    for person in [chair, secretary, *residents[:6], *reps[:3]]:
        services.check_in(secretary, meeting_id=past.pk, user_id=person.pk)
    for person, text in [(residents[0], "The fire lane by Building 3 was blocked again last night."),
                         (reps[0] if reps else chair, "We will put up signs and warn car owners in writing."),
                         (residents[1], "Please also check the north gate.")]:
        services.post_message(person, meeting_id=past.pk, body=text)
    services.raise_hand(residents[2], meeting_id=past.pk)
    services.call_next_speaker(chair, meeting_id=past.pk)
    services.update_minutes(secretary, meeting_id=past.pk, base_version=0, body=(
        "The chair opened the meeting. Residents described the blocked fire lanes; the property manager "
        "agreed to mark them and to warn owners in writing before towing."))
    manager = Organisation.objects.filter(community=community, kind="property").first()
    services.record_item_outcome(
        secretary, item_id=parking.pk, outcome="decided",
        text="Fire lanes are marked in yellow; cars are towed after one written warning.",
        tasks=[{"title": "Mark the fire lanes in yellow", "owner_organisation_id": manager.pk,
                "due_date": today + timedelta(days=14)}],
    )
    services.record_item_outcome(secretary, item_id=bins.pk, outcome="deferred",
                                 text="Waiting for the district's new collection schedule.")
    services.adjourn_meeting(chair, meeting_id=past.pk)
    services.approve_minutes(chair, meeting_id=past.pk)
    parking.refresh_from_db()
    task = parking.decision.tasks.first()
    rep = next((r for r in reps if r.memberships.filter(organisation=manager).exists()), chair)
    ledger_services.post_task_update(rep, task_id=task.pk, text="Paint bought; lanes by Buildings 1–3 done.",
                                      progress=50, status="in_progress")
    evening = at_seven(-12)
    Meeting.objects.filter(pk=past.pk).update(starts_at=evening, ends_at=evening + timedelta(hours=2),
                                              started_at=evening, adjourned_at=evening + timedelta(hours=2))
    RoomEvent.objects.filter(meeting=past).update(created_at=evening + timedelta(minutes=30))
    Attendance.objects.filter(meeting=past).update(checked_in_at=evening)

    # 2. Scheduled: next week, with an agenda and a resident's suggestion waiting.
    upcoming = schedule("Resident council: renovating the community hall", at_seven(7), kind="council")
    services.add_agenda_item(chair, meeting_id=upcoming.pk, title="What the hall should be used for",
                             consultation_id=community.consultations.filter(phase="deliberation")
                             .values_list("pk", flat=True).first(), minutes_allotted=40)
    services.suggest_agenda_item(residents[3], meeting_id=upcoming.pk, title="Opening hours on Sundays",
                                 description="The hall is closed when working families could use it.")

    # 3. Live now: the room is open, someone has the floor, the chat is running.
    live = schedule("Joint meeting: market noise before 5 am", now - timedelta(minutes=20))
    noise = Issue.objects.filter(community=community, title__icontains="market").first()
    services.add_agenda_item(chair, meeting_id=live.pk, title="Market unloading before 5 am",
                             issue_id=noise.pk if noise else None, minutes_allotted=30)
    services.add_agenda_item(chair, meeting_id=live.pk, title="Lighting on the canal path", minutes_allotted=15)
    services.open_meeting(chair, meeting_id=live.pk)
    for person in [chair, secretary, *residents[4:9], *reps[:2]]:
        services.check_in(secretary, meeting_id=live.pk, user_id=person.pk)
    services.post_message(residents[4], meeting_id=live.pk, body="The trucks woke my baby at 4:30 again today.")
    services.post_message(residents[5], meeting_id=live.pk, body="Could they unload at the north entrance instead?")
    services.raise_hand(residents[4], meeting_id=live.pk)
    services.raise_hand(residents[6], meeting_id=live.pk)
    services.call_next_speaker(chair, meeting_id=live.pk, seconds=180)
    services.update_minutes(secretary, meeting_id=live.pk, base_version=0,
                            body="Residents of grid 3 describe unloading noise from 4:30 every morning.")
    return 3
