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
            place="社区活动中心二楼会议室", audience="community", quorum=5,
            invite_organisation_ids=org_ids, **extra,
        )

    # 1. A past joint meeting: adjourned, minutes published, decisions whose tasks are under way.
    past = schedule("停车与消防通道联席会议", now + timedelta(minutes=5),
                    description="物业、业委会、派出所和居民代表坐到一张桌子上商量。")
    parking = services.add_agenda_item(chair, meeting_id=past.pk, title="保持消防通道畅通", minutes_allotted=20)
    bins = services.add_agenda_item(chair, meeting_id=past.pk, title="周末垃圾投放点满溢",
                                    minutes_allotted=15)
    services.add_agenda_item(chair, meeting_id=past.pk, title="其他事项", minutes_allotted=10)
    services.open_meeting(chair, meeting_id=past.pk)
    for person in [chair, secretary, *residents[:6], *reps[:3]]:
        services.check_in(secretary, meeting_id=past.pk, user_id=person.pk)
    for person, text in [(residents[0], "昨晚3号楼旁边的消防通道又被堵了。"),
                         (reps[0] if reps else chair, "我们会立警示牌，并给车主发书面提醒。"),
                         (residents[1], "北门那边也麻烦去看一下。")]:
        services.post_message(person, meeting_id=past.pk, body=text)
    services.raise_hand(residents[2], meeting_id=past.pk)
    services.call_next_speaker(chair, meeting_id=past.pk)
    services.update_minutes(secretary, meeting_id=past.pk, base_version=0, body=(
        "主持人宣布会议开始。居民代表反映了消防通道被占用的情况；常青物业同意在消防通道划线，"
        "拖车前先书面通知车主。"))
    manager = Organisation.objects.filter(community=community, kind="property").first()
    services.record_item_outcome(
        secretary, item_id=parking.pk, outcome="decided",
        text="消防通道划黄线；书面警告一次后仍占用的车辆予以拖离。",
        tasks=[{"title": "消防通道划黄线", "owner_organisation_id": manager.pk,
                "due_date": today + timedelta(days=14)}],
    )
    services.record_item_outcome(secretary, item_id=bins.pk, outcome="deferred",
                                 text="等待区里新的垃圾清运时间表。")
    services.adjourn_meeting(chair, meeting_id=past.pk)
    services.approve_minutes(chair, meeting_id=past.pk)
    parking.refresh_from_db()
    task = parking.decision.tasks.first()
    rep = next((r for r in reps if r.memberships.filter(organisation=manager).exists()), chair)
    ledger_services.post_task_update(rep, task_id=task.pk, text="油漆已买好，1至3号楼旁的通道已划完。",
                                      progress=50, status="in_progress")
    evening = at_seven(-12)
    Meeting.objects.filter(pk=past.pk).update(starts_at=evening, ends_at=evening + timedelta(hours=2),
                                              started_at=evening, adjourned_at=evening + timedelta(hours=2))
    RoomEvent.objects.filter(meeting=past).update(created_at=evening + timedelta(minutes=30))
    Attendance.objects.filter(meeting=past).update(checked_in_at=evening)

    # 2. Scheduled: next week, with an agenda and a resident's suggestion waiting.
    upcoming = schedule("居民议事会：社区活动中心改造", at_seven(7), kind="council")
    services.add_agenda_item(chair, meeting_id=upcoming.pk, title="活动中心以后做什么用",
                             consultation_id=community.consultations.filter(phase="deliberation")
                             .values_list("pk", flat=True).first(), minutes_allotted=40)
    services.suggest_agenda_item(residents[3], meeting_id=upcoming.pk, title="周日开放时间",
                                 description="上班族只有周末有空，可活动中心周日偏偏关门。")

    # 3. Live now: the room is open, someone has the floor, the chat is running.
    live = schedule("联席会议：早市凌晨卸货噪音", now - timedelta(minutes=20))
    noise = Issue.objects.filter(community=community, title__icontains="卸货").first()
    services.add_agenda_item(chair, meeting_id=live.pk, title="早市凌晨五点前卸货",
                             issue_id=noise.pk if noise else None, minutes_allotted=30)
    services.add_agenda_item(chair, meeting_id=live.pk, title="运河步道照明", minutes_allotted=15)
    services.open_meeting(chair, meeting_id=live.pk)
    for person in [chair, secretary, *residents[4:9], *reps[:2]]:
        services.check_in(secretary, meeting_id=live.pk, user_id=person.pk)
    services.post_message(residents[4], meeting_id=live.pk, body="今天凌晨四点半货车又把我家宝宝吵醒了。")
    services.post_message(residents[5], meeting_id=live.pk, body="能不能让他们改到北门卸货？")
    services.raise_hand(residents[4], meeting_id=live.pk)
    services.raise_hand(residents[6], meeting_id=live.pk)
    services.call_next_speaker(chair, meeting_id=live.pk, seconds=180)
    services.update_minutes(secretary, meeting_id=live.pk, base_version=0,
                            body="3号网格居民反映每天凌晨4:30起卸货噪音扰民。")
    return 3
