"""Three demo consultations, played through the real services: concluded, in deliberation, collecting.

Phases are opened with today's dates while the demo is played (the services check the phase, not
the calendar), then the dates and timestamps are moved back so the pages read like a real history.
"""

import random
from datetime import timedelta

from django.utils import timezone

from community.models import Community, Membership, Organisation, User
from consult import services
from consult.models import (
    Comment,
    Consultation,
    ConsultationEvent,
    ModerationAction,
    Proposal,
    Report,
    Support,
)
from issues.models import Issue
from issues.demo import say
from ledger import services as ledger_services

Role = Membership.Role

CONCLUDED = {
    "title": "老院子里的停车问题",
    "body": (
        "每天晚上，1号和2号网格的院子里停满了车，堵住了消防通道和去垃圾投放点的路。"
        "**应该怎么改？** 什么办法都可以提：划车位、发停车证、晚上把车停到早市停车场、建车棚……\n\n"
        "结束之前，居委会会对每一条建议作出书面答复。"
    ),
    "proposals": [
        ("消防通道划黄线，警告一次后拖车", "accepted",
         "采纳并经表决通过：消防通道已划线，物业书面警告一次后仍占用的予以拖离。"),
        ("内院实行居民停车证", "accepted",
         "采纳：从下个月起按户发放停车证，每户限一辆车。"),
        ("晚上借用早市停车场停车", "already_planned",
         "已在计划中：早市商户联合会提供40个夜间车位（19:00至次日7:00），协议已经签好。"),
        ("把北院改成停车场", "not_feasible",
         "不可行：北院是1号网格唯一的绿地，而且消防规范不允许。"),
        ("消防通道画黄线", "merged", "已合并：与第一条建议相同。"),
        ("在3号楼旁建带顶棚的自行车棚", "accepted",
         "采纳：使用专项维修资金建设，业委会已同意。"),
    ],
    "conclusion": (
        "居民希望消防通道畅通、停车公平。**我们决定**：消防通道划线；内院按户发放停车证，每户一证；"
        "在早市停车场开放40个夜间车位；建设带顶棚的自行车棚。把北院改成停车场不可行："
        "那是唯一的绿地，而且消防规范不允许。"
    ),
    "decisions": [
        ("消防通道划线并保持畅通", "消防通道划黄线，警告一次后拖车", "property", 20),
        ("每户一张停车证", "为每一户申请的家庭办理停车证", "owners", 35),
        ("3号楼旁建自行车棚", "建两个带顶棚的自行车棚", "property", 60),
    ],
}
DELIBERATION = {
    "title": "社区活动中心改造",
    "body": (
        "社区活动中心已经用了30年，今年区里出资改造一次。活动中心以后主要做什么用？需要添置什么？"
        "支持数能看出大多数邻居的想法；获得5个支持的建议进入表决名单。"
    ),
    "threshold": 5,
    # (Chinese, English): a neighbour from abroad writes the English one.
    "proposals": [
        ("开办老年食堂，中午供餐", "工作日每天一顿热乎的午饭，70岁以上老人优惠，志愿者帮忙。",
         "A canteen for elderly neighbours at lunchtime", "A warm lunch every weekday, cheap for over-70s, volunteers help."),
        ("放学后的儿童作业室", "安静的桌子、好的灯光，每周两个下午有志愿者辅导。",
         "A homework room for children after school", "Quiet tables, good light and a volunteer tutor two afternoons a week."),
        ("加装电梯通往二楼", "楼梯太陡，坐轮椅的居民根本上不了楼上的活动室。",
         "Lift access to the first floor", "The stairs are steep; wheelchair users cannot reach the upper room."),
        ("每月一次的修理咖啡馆", "邻居们一起修自行车、台灯和衣服。",
         "A repair café once a month", "Neighbours fix bikes, lamps and clothes together."),
        ("给舞蹈队的活动室做隔音", "晚上跳舞的声音太大，隔壁楼的住户受不了。",
         "Better sound insulation for the dance groups", "Evening dance groups are loud for the houses next door."),
        ("屋顶装太阳能板", "降低电费，也让孩子们看看太阳能是怎么发电的。",
         "Solar panels on the roof", "Lower the electricity bill and show the children how it works."),
        ("给业委会一间办公室", "一间小办公室，用来开会和存放资料。",
         "A room for the owners' committee", "A small office for meetings and documents."),
        ("无障碍卫生间", "现在没有一个轮椅使用者能用的卫生间。",
         "Accessible toilets", "There is no toilet a wheelchair user can use."),
    ],
    # (stance, Chinese, English): a neighbour from abroad writes the English one.
    "comments": [
        ("for", "太好了！我妈每天一个人吃饭，有个老年食堂对她来说意义太大了。",
         "Yes! My mother eats alone every day; a canteen would change her life."),
        ("against", "食堂需要厨房和人手，第一年之后谁来出钱？",
         "A canteen needs a kitchen and staff. Who pays for it after the first year?"),
        ("neutral", "食堂和作业室能不能错开时间共用一个房间？",
         "Could the canteen and the homework room share the space at different times?"),
        ("for", "应该先装电梯：没有电梯，活动中心一半的地方老年人都去不了。",
         "The lift should come first: without it half of the hall is closed to older people."),
        ("for", "区里的人说太阳能板八年就能回本。",
         "Solar panels pay for themselves in eight years according to the district office."),
        ("against", "屋顶本来就漏水，先把屋顶修好再装板子吧。", "The roof leaks; fix the roof before putting panels on it."),
    ],
}
COLLECTING = {
    "title": "沿运河上学路更安全",
    "body": (
        "3号和4号网格的孩子们沿着运河步道上学，还要穿过辅路。"
        "怎样让上学路更安全？斑马线、路灯、\u201c步行巴士\u201d，什么建议都欢迎。"
    ),
    "proposals": [
        ("在辅路上画斑马线", "就在12号楼后面的拐弯处，孩子们都从那里过马路。"),
        ("家长志愿者组织\u201c步行巴士\u201d", "两条路线，早上7:20分别从东门和桥头出发。"),
    ],
}
REPLY = ("说得对，联席会议上也提一下。", "Good point. Let us raise it at the joint meeting too.")
CONCLUDED_COMMENTS = [("划了线消防车就能进来了。", "Marked lanes will help the fire brigade."),
                      ("停车证要收费吗？谁来出这个钱？", "Permits cost money; who pays?"),
                      ("那来访的亲戚朋友怎么停车？", "What about visitors?")]
HALL_COMMENTS = [("活动中心是整个社区聚在一起的地方，一定要好好改。",
                  "The hall is where the whole community meets; renovate it well."),
                 ("施工期间请尽量保留部分活动室开放。", "Please keep the hall open during the works."),
                 ("钱先花在屋顶上。", "Spend the money on the roof first.")]


def load(community: Community) -> int:
    """Play the demo consultations once; returns how many were made."""
    if community.consultations.exists():
        return 0
    rng = random.Random(7)
    chair = User.objects.get(email="committee@example.org")
    residents = list(User.objects.filter(memberships__community=community, memberships__role=Role.RESIDENT)
                     .order_by("pk"))
    reps = list(User.objects.filter(memberships__community=community, memberships__role=Role.ORG_REP).order_by("pk"))
    today = timezone.localdate()

    def open_consultation(spec, *, grid=None, threshold=None):
        consultation = services.create_consultation(
            chair, community_id=community.pk, grid_id=grid, title=spec["title"], body=spec["body"],
            collecting_from=today, deliberation_from=today, voting_from=today, concludes_on=today,
            support_threshold=threshold,
        )
        services.advance_phase(chair, consultation_id=consultation.pk, to="collecting")
        return consultation

    # 1. Concluded, with answers, decisions and tasks.
    done = open_consultation(CONCLUDED)
    proposals = []
    for index, (title, _answer, _reason) in enumerate(CONCLUDED["proposals"]):
        author = residents[index * 3]
        proposals.append(services.submit_proposal(author, consultation_id=done.pk, title=title,
                                                  body=f"{title}。这正是我们楼需要的。"))
    for proposal in proposals:
        for supporter in rng.sample(residents, rng.randint(3, 12)):
            if supporter.pk != proposal.author_id:
                services.support_proposal(supporter, proposal_id=proposal.pk)
    for index, resident in enumerate(residents[:10]):
        services.post_comment(resident, consultation_id=done.pk, stance=["for", "against", "neutral"][index % 3],
                              body=say(resident, CONCLUDED_COMMENTS[index % 3]))
    services.advance_phase(chair, consultation_id=done.pk, to="deliberation")
    for proposal, (_title, answer, reason) in zip(proposals, CONCLUDED["proposals"]):
        services.answer_proposal(chair, proposal_id=proposal.pk, answer=answer, reason=reason,
                                 merged_into_id=proposals[0].pk if answer == "merged" else None)
    services.advance_phase(chair, consultation_id=done.pk, to="voting")
    services.conclude_consultation(chair, consultation_id=done.pk, conclusion=CONCLUDED["conclusion"])
    kinds = {o.kind: o for o in Organisation.objects.filter(community=community)}
    for title, task, kind, days in CONCLUDED["decisions"]:
        owner = kinds.get(kind) or next(iter(kinds.values()))
        decision = services.record_consultation_decision(
            chair, consultation_id=done.pk, title=title,
            tasks=[{"title": task, "owner_organisation_id": owner.pk, "due_date": today + timedelta(days=days)}],
        )
        task_row = decision.tasks.get()
        rep = next((r for r in reps if r.memberships.filter(organisation=owner).exists()), chair)
        ledger_services.post_task_update(rep, task_id=task_row.pk, text="已经开工，材料已订购。",
                                  progress=rng.choice([20, 40, 60]), status="in_progress")
    _date_back(done, collecting=120, deliberation=95, voting=80, concluded=70)

    # 2. In deliberation, with many proposals and comments; a major issue sent to it.
    hall = open_consultation(DELIBERATION, threshold=DELIBERATION["threshold"])
    hall_proposals = []
    for index, (title, body, english_title, english_body) in enumerate(DELIBERATION["proposals"]):
        author = reps[index % len(reps)] if index == 6 else residents[(index * 5 + 1) % len(residents)]
        title, body = say(author, ((title, body), (english_title, english_body)))
        hall_proposals.append(services.submit_proposal(author, consultation_id=hall.pk, title=title, body=body))
    for index, proposal in enumerate(hall_proposals):
        for supporter in rng.sample(residents, max(1, 14 - index * 2)):
            if supporter.pk != proposal.author_id:
                services.support_proposal(supporter, proposal_id=proposal.pk)
    for index, (stance, *texts) in enumerate(DELIBERATION["comments"]):
        target = hall_proposals[index // 2] if index < 4 else hall_proposals[5]
        author, replier = residents[(index * 7 + 2) % len(residents)], residents[(index * 7 + 5) % len(residents)]
        comment = services.post_comment(author, consultation_id=hall.pk, proposal_id=target.pk, stance=stance,
                                        body=say(author, texts))
        services.post_comment(replier, consultation_id=hall.pk, proposal_id=target.pk, parent_id=comment.pk,
                              stance="neutral", body=say(replier, REPLY))
    for index in range(12):
        author = residents[(index * 3 + 4) % len(residents)]
        services.post_comment(author, consultation_id=hall.pk, stance=["for", "neutral", "against"][index % 3],
                              body=say(author, HALL_COMMENTS[index % 3]))
    # One comment hidden by the moderator, one waiting after reports.
    moderator = User.objects.filter(memberships__community=community, memberships__role=Role.MODERATOR).first()
    rude = services.post_comment(residents[9], consultation_id=hall.pk, proposal_id=hall_proposals[4].pk,
                                 stance="against", body="跳舞的那帮人自私透顶，从来不替别人着想，一群蠢货。")
    doubtful = services.post_comment(residents[11], consultation_id=hall.pk, stance="neutral",
                                     body="装修买油漆请到运河街我的店，邻居一律八折！")
    for reporter in residents[20:23]:
        services.report_content(reporter, comment_id=rude.pk, reason="abuse")
    services.report_content(residents[24], comment_id=doubtful.pk, reason="spam", detail="打广告")
    if moderator:
        services.moderate(moderator, comment_id=rude.pk, action="hide", reason="abuse",
                          explanation="请就建议本身讨论，不要针对提建议的人。")
    services.advance_phase(chair, consultation_id=hall.pk, to="deliberation")
    services.answer_proposal(chair, proposal_id=hall_proposals[2].pk, answer="accepted",
                             reason="采纳，进入表决：区里本来就要求实现无障碍通行。")
    services.answer_proposal(chair, proposal_id=hall_proposals[6].pk, answer="not_feasible",
                             reason="业委会可以在每周二、周四使用会议室。")
    major = Issue.objects.filter(community=community, tier="major", status="in_progress").first()
    if major:
        worker = User.objects.filter(memberships__grid=major.grid, memberships__role=Role.GRID_WORKER).first()
        services.send_issue_to_consultation(worker or chair, issue_id=major.pk, consultation_id=hall.pk)
    _date_back(hall, collecting=30, deliberation=6, voting=-10, concluded=-25)

    # 3. Collecting proposals, for two grids' children: community-wide.
    school = open_consultation(COLLECTING)
    for index, (title, body) in enumerate(COLLECTING["proposals"]):
        services.submit_proposal(residents[index * 4 + 2], consultation_id=school.pk, title=title, body=body)
    _date_back(school, collecting=3, deliberation=-18, voting=-32, concluded=-45)
    return 3


def _date_back(consultation: Consultation, *, collecting: int, deliberation: int, voting: int, concluded: int):
    """Move the phase dates and the activity back in time, in order."""
    now, today = timezone.now(), timezone.localdate()
    Consultation.objects.filter(pk=consultation.pk).update(
        collecting_from=today - timedelta(days=collecting),
        deliberation_from=today - timedelta(days=deliberation),
        voting_from=today - timedelta(days=voting),
        concludes_on=today - timedelta(days=concluded),
        created_at=now - timedelta(days=collecting + 5),
        phase_changed_at=now - timedelta(days={  # when the current phase opened
            "collecting": collecting, "deliberation": deliberation, "voting": voting, "concluded": concluded,
        }[Consultation.objects.get(pk=consultation.pk).phase]),
    )
    if consultation.phase == "concluded" or Consultation.objects.get(pk=consultation.pk).phase == "concluded":
        Consultation.objects.filter(pk=consultation.pk).update(concluded_at=now - timedelta(days=concluded))
    span = max(collecting - max(deliberation, 0), 1)
    for model, field in ((Proposal, "created_at"), (Comment, "created_at")):
        rows = list(model.objects.filter(consultation=consultation).order_by("pk").values_list("pk", flat=True))
        for index, pk in enumerate(rows):
            when = now - timedelta(days=collecting) + timedelta(days=span * (index + 1) / (len(rows) + 1))
            model.objects.filter(pk=pk).update(**{field: when})
    Support.objects.filter(proposal__consultation=consultation).update(
        created_at=now - timedelta(days=max(deliberation, 1))
    )
    ConsultationEvent.objects.filter(consultation=consultation).update(created_at=now - timedelta(days=max(deliberation, 0)))
    moved = now - timedelta(days=max(deliberation, 0), hours=3)
    ModerationAction.objects.filter(consultation=consultation).update(created_at=moved)
    Report.objects.filter(comment__consultation=consultation).update(created_at=moved)
