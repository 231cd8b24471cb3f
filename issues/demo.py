"""Six months of demo issues, played through the real services and then dated back.

Every issue goes through the same services a person would use, so timelines,
tasks, updates and ratings are exactly what the platform produces; afterwards
the timestamps are spread over the past months so the grid figures mean
something.
"""

import random
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from community.models import Community, Membership, Organisation, User
from issues import services
from issues.deadlines import resolution_due, response_due
from issues.models import Category, Issue, IssueEvent, Rating
from ledger import services as ledger_services
from ledger.models import Decision, Task, TaskUpdate
from notifications.models import Notification

# (English, Chinese): what residents choose from, in the reader's language.
CATEGORIES = [
    ("Lifts", "电梯"), ("Roads and paths", "道路"), ("Lighting", "照明"), ("Waste and recycling", "垃圾分类"),
    ("Noise", "噪音"), ("Water and drains", "给排水"), ("Greening", "绿化"), ("Safety", "安全隐患"),
    ("Parking", "停车"), ("Elderly care", "养老服务"), ("Other", "其他"),
]
# category: [(title, body, location) in Chinese, organisation kind that fixes it, (title, body, location) in English]
PROBLEMS = {
    "Lifts": [(("电梯又卡在半层了", "这周我们楼的电梯两次卡在5楼和6楼之间，楼上的老人现在都不敢坐了，麻烦物业尽快检修。", "{b}号楼{u}单元"), "property",
               ("Lift stops between floors", "The lift in our building stopped between the 5th and 6th floor twice this week. Older neighbours are afraid to use it.", "Building {b}, Unit {u}"))],
    "Roads and paths": [(("东门人行道地砖松动", "东门进来那段人行道好几块地砖松了，昨天有个小孩被绊倒了。", "小区东门"), "property",
                         ("Broken paving by the east gate", "Several paving stones are loose and a child tripped yesterday.", "East gate")),
                        (("后面辅路坑洼积水", "{b}号楼后面的辅路坑很深，一下雨就积水，电动车只能绕到机动车道上走，很危险。", "{b}号楼后辅路"), "government",
                         ("Potholes on the service road", "Deep potholes fill with water after rain; bikes swerve into traffic.", "Service road behind Building {b}"))],
    "Lighting": [(("去公交站的路灯不亮", "通往公交站那条小路的路灯已经黑了一个礼拜，晚上下班回来什么都看不见。", "去公交站的小路"), "property",
                  ("Path lights out at night", "The lamps along the path to the bus stop have been dark for a week.", "Path to the bus stop")),
                 (("楼道灯坏了", "楼道的声控灯一闪一闪的，经常直接灭掉，晚上上下楼黑乎乎的，老人容易摔。", "{b}号楼{u}单元楼道"), "property",
                  ("Stairwell light flickering", "The stairwell light flickers and goes out; the stairs are dark in the evening.", "Building {b}, Unit {u} stairwell"))],
    "Waste and recycling": [(("周末垃圾桶满溢", "每到周末分类垃圾桶就装不下了，垃圾堆在外面，还招老鼠。", "{b}号楼旁垃圾分类投放点"), "property",
                             ("Bins overflowing on weekends", "The sorting bins overflow every weekend and attract rats.", "Bin station near Building {b}")),
                            (("围墙边堆了大件垃圾", "有人把旧沙发、旧柜子扔在北围墙边，已经两个星期没人清理了。", "北围墙"), "property",
                             ("Bulky waste dumped by the wall", "Old furniture has been left by the wall for two weeks.", "North wall"))],
    "Noise": [(("早市凌晨四点半就卸货", "每天凌晨四点半开始就有货车给早市卸货，声音特别大，整栋楼都被吵醒。", "河畔早市"), "enterprise",
               ("Market unloading before 5 am", "Trucks unload for the market from 4:30 every morning, very loud.", "Canal market")),
              (("广场舞音响太晚太响", "中心广场的音响每天放到晚上十点以后，孩子没法睡觉。", "中心广场"), "government",
               ("Late-night noise from the square", "Loudspeakers play in the square until after 22:00.", "Central square"))],
    "Water and drains": [(("下水道堵了，巷子积水", "一下雨巷子里的水就没过脚踝，下水道口被堵住了。", "{b}号楼和{b2}号楼之间的巷子"), "property",
                          ("Drain blocked, water pools in the lane", "After rain the lane floods ankle-deep because the drain is blocked.", "Lane between Buildings {b} and {b2}"))],
    "Greening": [(("河边步道有枯树", "河边步道有三棵树已经枯死了，树枝经常掉到路上。", "河边步道"), "property",
                  ("Dead trees along the canal path", "Three trees are dead and drop branches on the path.", "Canal path"))],
    "Safety": [(("单元门门禁坏了", "单元门的门禁坏了锁不上，晚上经常有陌生人进出。", "{b}号楼{u}单元"), "property",
                ("Entrance door lock broken", "The building's entrance door does not lock; strangers walk in at night.", "Building {b}, Unit {u}")),
               (("有人在楼道里给电动车充电", "有邻居把电动车推进楼道里充电，飞线从窗户拉出来，火灾隐患很大。", "{b}号楼{u}单元楼道"), "government",
                ("Electric bikes charged in the corridor", "Neighbours charge e-bikes in the corridor; fire risk.", "Building {b}, Unit {u} corridor"))],
    "Parking": [(("消防通道被车堵了", "每天晚上都有车停在消防通道上，万一着火消防车根本进不来。", "{b}号楼旁消防通道"), "owners",
                 ("Cars block the fire lane", "Cars park in the fire lane every evening.", "Fire lane by Building {b}"))],
    "Elderly care": [(("老年助餐送餐突然停了", "给高龄老人送午饭的服务没打招呼就停了，我妈这几天都是吃泡面。", "社区活动中心"), "social",
                      ("Meal service for elderly neighbours stopped", "The lunch delivery for elderly residents stopped without notice.", "Community hall"))],
    "Other": [(("公告栏内容太旧", "小区大门口的公告栏还贴着去年的通知，新通知根本看不到。", "小区大门口公告栏"), "owners",
               ("Notice board out of date", "The community notice board still shows last year's notices.", "Notice board at the main gate"))],
}
# Final states and how many issues end in each.
PLAN = (
    ["new"] * 4 + ["escalated"] * 3 + ["needs_info"] * 3 + ["declined"] * 4 + ["merged"] * 3
    + ["routine"] * 8 + ["major"] * 4 + ["emergency"] * 2 + ["resolved"] * 6 + ["closed"] * 18
    + ["reopened"] * 3 + ["reopened_closed"] * 2
)
# How many days ago issues that end in each state were raised.
AGES = {
    "new": (0.1, 1.5), "escalated": (3, 9), "needs_info": (2, 8), "routine": (6, 40), "major": (8, 60),
    "emergency": (0.5, 2), "resolved": (4, 9), "reopened": (10, 40),
}
# (Chinese, English): a neighbour from abroad writes the English one.
COMMENTS = [
    ("我们单元也是一样的情况。", "Same problem in our unit."), ("谢谢网格员跟进！", "Thank you for looking into this."),
    ("今天早上又出现了。", "It happened again this morning."), ("周末能不能也来看看？", "Could someone check on the weekend too?"),
    ("我妈腿脚不好爬不了楼梯，麻烦快一点。", "My mother cannot use the stairs, please hurry."),
]


def writes_english(user: User) -> bool:
    """The demo's neighbours from abroad (their names in Latin letters) write in English; everyone else in Chinese."""
    return user.display_name.isascii()


def say(user: User, texts: tuple[str, str]) -> str:
    """Of a (Chinese, English) pair, what this demo person writes."""
    return texts[1] if writes_english(user) else texts[0]


class Clock:
    """Hands out increasing moments from a start time, hours apart."""

    def __init__(self, start):
        self.now = start

    def after(self, hours: float):
        self.now += timedelta(hours=hours)
        return self.now


def load(community: Community, rng: random.Random | None = None) -> int:
    """Create the demo issues unless the community has some already. Returns how many were made."""
    if community.issues.exists():
        return 0
    rng = rng or random.Random(2026)
    categories = {
        name: Category.objects.get_or_create(community=community, name=name,
                                             defaults={"name_zh": name_zh, "position": i})[0]
        for i, (name, name_zh) in enumerate(CATEGORIES)
    }
    orgs = {o.kind: o for o in Organisation.objects.filter(community=community)}
    made, ages = [], []
    for index, outcome in enumerate(PLAN):
        grid = community.grids.order_by("number")[index % community.grids.count()]
        residents = list(User.objects.filter(memberships__grid=grid, memberships__role=Membership.Role.RESIDENT))
        worker = User.objects.filter(memberships__grid=grid, memberships__role=Membership.Role.GRID_WORKER).first()
        reporter = residents[index % len(residents)]
        name = CATEGORIES[index % len(CATEGORIES)][0]
        chinese, fixer, english = rng.choice(PROBLEMS[name])
        title, body, place = say(reporter, (chinese, english))
        b = rng.randint(1, 12)
        issue = services.raise_issue(
            reporter, grid_id=grid.pk, category_id=categories[name].pk, title=title, body=body,
            location=place.format(b=b, b2=b + 1, u=rng.randint(1, 3)), name_public=index % 3 == 0,
            contact=f"139 {rng.randint(1000, 9999)} {rng.randint(1000, 9999)}",
            address=f"{b}号楼{rng.randint(1, 3)}单元{rng.randint(1, 18)}0{rng.randint(1, 4)}",
        )
        if index % 4 == 1 and len(residents) > 1:
            follower = residents[(index + 1) % len(residents)]
            services.follow_issue(follower, issue_id=issue.pk)
            services.comment_on_issue(follower, issue_id=issue.pk, text=say(follower, rng.choice(COMMENTS)))
        _play(issue, outcome, worker, orgs.get(fixer) or orgs["property"], reporter, made, rng)
        issue.refresh_from_db()
        made.append(issue)
        ages.append(AGES.get(outcome, (20, 180)))
    _date_back(made, ages, rng)
    made += _spike(community, categories["Noise"], rng)
    services.sweep_issues()
    _date_sweeps(community)
    Notification.objects.filter(user__memberships__community=community).update(read_at=timezone.now())
    return len(made)


def _spike(community, noise, rng) -> list:
    """Four noise complaints in grid 3 this week, where a week usually brings none: the early warning's spike."""
    grid = community.grids.get(number=3)
    residents = list(User.objects.filter(memberships__grid=grid, memberships__role=Membership.Role.RESIDENT))
    spike = []
    abroad = [r for r in residents if writes_english(r)]
    for n, (text, english) in enumerate([("凌晨四点半又在卸货", "Trucks unloading at 4:30 again"),
                                         ("早市的发电机响了一整夜", "Generator running all night at the market"),
                                         ("运河边酒吧半夜还在放音乐", "Loud music from the canal bar after midnight"),
                                         ("周日早上不到七点就有人装修打钻", "Drilling before 7 am on Sunday")]):
        reporter = abroad[0] if n == 2 and abroad else residents[n % len(residents)]
        issue = services.raise_issue(reporter, grid_id=grid.pk, category_id=noise.pk, title=say(reporter, (text, english)),
                                     body=say(reporter, ("整栋楼又被吵醒了，已经不是第一次了。", "It woke the whole building again.")),
                                     location=say(reporter, ("河畔早市", "Canal market")) if n < 3 else "12号楼")
        created = timezone.now() - timedelta(days=n + 0.5)
        Issue.objects.filter(pk=issue.pk).update(
            created_at=created, response_due_at=response_due(community, noise, created))
        IssueEvent.objects.filter(issue=issue).update(created_at=created)
        spike.append(issue)
    return spike


def _play(issue, outcome, worker, org, reporter, made, rng) -> None:
    """Drive one issue through the services to its final state."""
    due = timezone.localdate() + timedelta(days=7)
    if outcome in ("new", "escalated"):
        return
    if outcome == "needs_info":
        services.ask_for_information(worker, issue_id=issue.pk, question="具体是几楼？从什么时候开始的？")
        return
    if outcome == "declined":
        services.decline_issue(worker, issue_id=issue.pk, reason="这属于邻里之间的私人纠纷，"
                               "可以到社区活动中心的人民调解窗口申请调解。")
        return
    if outcome == "merged":
        target = next((m for m in reversed(made) if m.is_open and m.grid_id == issue.grid_id), None)
        if target is None:
            return
        services.merge_issue(worker, issue_id=issue.pk, into_id=target.pk)
        return
    if outcome == "major":
        services.triage_issue(worker, issue_id=issue.pk, tier="major",
                              note="涉及整个小区，需要业委会和物业一起协商处理。")
        return
    if outcome == "emergency":
        services.triage_issue(worker, issue_id=issue.pk, tier="emergency", note="我马上到现场。")
        services.report_on_site(worker, issue_id=issue.pk, text="已拉好警戒线，维修队正在赶来。")
        return
    services.triage_issue(worker, issue_id=issue.pk, tier="routine", task_title=f"处理：{issue.title}",
                          owner_organisation_id=org.pk, due_date=due)
    task = issue.tasks.get()
    rep = User.objects.filter(memberships__organisation=org, memberships__role=Membership.Role.ORG_REP).first() or worker
    ledger_services.post_task_update(rep, task_id=task.pk, text="已到现场查看，配件已经下单。", progress=40,
                              status="in_progress")
    if outcome == "routine":
        return
    ledger_services.post_task_update(rep, task_id=task.pk, text="已修好。", progress=100, status="done")
    services.resolve_issue(worker, issue_id=issue.pk, note="已和反映人一起现场确认。")
    if outcome == "resolved":
        if rng.random() < 0.5:
            services.rate_issue(reporter, issue_id=issue.pk, score=rng.choice([4, 5]))
        return
    if outcome in ("reopened", "reopened_closed"):
        services.rate_issue(reporter, issue_id=issue.pk, score=2, comment=say(reporter, ("修好两天又坏了。", "It broke again two days later.")))
        if outcome == "reopened":
            return
        services.assign_task(worker, issue_id=issue.pk, title="彻底更换损坏部件", owner_organisation_id=org.pk,
                             due_date=due)
        task = issue.tasks.exclude(status="done").get()
        ledger_services.post_task_update(rep, task_id=task.pk, text="已换上全新的部件。", progress=100, status="done")
        services.resolve_issue(worker, issue_id=issue.pk, note="这次是整体更换，不是修补。")
    services.rate_issue(reporter, issue_id=issue.pk, score=rng.choices([5, 4, 3, 2], weights=[5, 4, 2, 1])[0],
                        comment=say(reporter, rng.choice([("", ""), ("处理得很快，态度也好。", "Quick and friendly."),
                                                          ("等了一阵子，不过办得不错。", "Took a while, but done well.")])))


def _date_back(issues, ages, rng) -> None:
    """Spread each issue's history over the past six months, keeping its order of events."""
    now = timezone.now()
    for issue, (youngest, oldest) in zip(issues, ages):
        clock = Clock(now - timedelta(days=rng.uniform(youngest, oldest)))
        start = clock.now
        Issue.objects.filter(pk=issue.pk).update(
            created_at=start, response_due_at=response_due(issue.community, issue.category, start)
        )
        first_response = resolved = closed = taken_up = None
        for event in issue.events.order_by("pk"):
            when = start if event.kind == "raised" else clock.after(rng.uniform(2, 30))
            when = min(when, now - timedelta(minutes=5))
            IssueEvent.objects.filter(pk=event.pk).update(created_at=when)
            # "merged" is recorded on both issues; only the duplicate's entry closes it.
            ends = event.kind == "declined" or (event.kind == "merged" and "into" in event.data)
            if (ends or event.kind in ("triaged", "asked_info")) and first_response is None:
                first_response = when
            if event.kind == "triaged":
                taken_up = when
            if event.kind == "resolved":
                resolved = when
            if ends:
                closed = when
            if event.kind == "reopened":
                resolved = None
            if event.kind == "task_assigned":
                Task.objects.filter(pk=event.data["task_id"]).update(
                    created_at=when, due_date=(when + timedelta(days=rng.choice([5, 7, 10]))).date()
                )
                Decision.objects.filter(issue=issue).filter(Q(decided_at__gt=when)).update(decided_at=when)
            if event.kind == "task_updated":
                TaskUpdate.objects.filter(pk=event.data["update_id"]).update(created_at=when)
                if event.data["status"] == "done":
                    Task.objects.filter(pk=event.data["task_id"]).update(done_at=when)
            if event.kind == "rated":
                Rating.objects.filter(issue=issue, user=event.actor).update(created_at=when)
        Issue.objects.filter(pk=issue.pk).update(
            first_response_at=first_response, resolved_at=resolved, closed_at=closed, updated_at=clock.now,
            resolution_due_at=taken_up and resolution_due(issue.community, issue.category, taken_up),
        )


def _date_sweeps(community) -> None:
    """Escalations and closings happened when their deadline passed, not when the demo was loaded."""
    for issue in community.issues.filter(escalated_at__isnull=False):
        Issue.objects.filter(pk=issue.pk).update(escalated_at=issue.response_due_at)
        issue.events.filter(kind="escalated").update(created_at=issue.response_due_at)
    for issue in community.issues.filter(status="closed", resolved_at__isnull=False):
        when = issue.resolved_at + timedelta(days=14)
        Issue.objects.filter(pk=issue.pk).update(closed_at=when)
        issue.events.filter(kind="closed").update(created_at=when)
