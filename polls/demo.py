"""Demo polls, voted through the real services: closed polls of every method with realistic turnout,
one open poll the demo resident can vote in, and a secret poll with its public recount."""

import random
from datetime import timedelta

from django.utils import timezone

from community.models import Community, User
from polls import services
from polls.models import Poll


def load(community: Community) -> int:
    if community.polls.exists():
        return 0
    rng = random.Random(11)
    chair = User.objects.get(email="committee@example.org")
    demo_resident = User.objects.get(email="resident@example.org")
    residents = [u for u in services.eligible_users(Poll(community=community, audience="community"))
                 .order_by("pk") if u.pk != demo_resident.pk]

    def run(title, method, options, weights, *, turnout, secret=True, **extra):
        poll = services.create_poll(chair, community_id=community.pk, title=title, method=method,
                                    options=options, secret=secret, **extra)
        poll = services.open_poll(chair, poll_id=poll.pk)
        ids = list(poll.options.values_list("pk", flat=True))
        for voter in rng.sample(residents, int(len(residents) * turnout)):
            if method == "yes_no":
                choice = rng.choices(["yes", "no", "abstain"], weights=weights)[0]
            elif method == "single":
                choice = rng.choices(ids, weights=weights)[0]
            elif method == "multiple":
                choice = rng.sample(ids, rng.randint(poll.min_choices, poll.max_choices))
            elif method == "ranked":
                order = sorted(ids, key=lambda pk: -weights[ids.index(pk)] * rng.random())
                choice = order[: rng.randint(1, len(order))]
            else:
                choice = {str(pk): min(5, max(0, round(weights[n] + rng.uniform(-1.5, 1.5))))
                          for n, pk in enumerate(ids)}
            services.cast_ballot(voter, poll_id=poll.pk, choices=choice)
        return poll

    closed = [
        run("社区活动中心外墙刷成浅绿色？", "yes_no", [], [6, 3, 1], turnout=0.7,
            quorum_kind="share", quorum_value=50),
        run("修理咖啡馆定在哪天？", "single", ["周六上午", "周日下午",
            "周三晚上"], [5, 3, 2], turnout=0.6, secret=False),
        run("运河步道种什么植物？（最多选2项）", "multiple", ["桂花", "山茶", "竹子",
            "月季"], [1, 1, 1, 1], turnout=0.55, min_choices=1, max_choices=2),
        run("活动中心改造先做哪一项？", "ranked", ["加装电梯到二楼",
            "老年食堂", "无障碍卫生间", "儿童作业室"], [4, 4, 3, 2], turnout=0.65,
            threshold="simple"),
        run("新的垃圾清运安排打几分？", "score", ["清运时间", "干净程度", "分类指导"],
            [3, 4, 2], turnout=0.5),
    ]
    for poll in closed:
        services.close_poll(chair, poll_id=poll.pk)
    days_ago = timezone.now() - timedelta(days=20)
    Poll.objects.filter(pk__in=[p.pk for p in closed]).update(opened_at=days_ago, closed_at=days_ago + timedelta(days=7))
    run("是否同意在3号楼旁新车棚设电动车充电桩？", "yes_no", [], [5, 4, 1], turnout=0.35,
        closes_at=timezone.now() + timedelta(days=5))  # open: the demo resident can still vote
    return len(closed) + 1


def load_owners(community: Community) -> int:
    """The register of owners for 3号楼 (Building 3, grid 1) and 5号楼 (Building 5, grid 2), a closed owners'
    decision on adding a lift to Building 3 (online, paper and proxy votes) and an open one for the whole community."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image, ImageDraw

    from community.models import Membership
    from community.services import register

    if community.buildings.exists():
        return 0
    rng = random.Random(278)
    chair = User.objects.get(email="committee@example.org")
    worker = User.objects.get(email="gridworker@example.org")
    demo_resident = User.objects.get(email="resident@example.org")
    residents = [demo_resident] + [u for u in User.objects.filter(
        memberships__community=community, memberships__role=Membership.Role.RESIDENT).exclude(
        pk=demo_resident.pk).order_by("pk")]
    lines = ["building,unit,area,grid,owner,owner_id,email"]
    people = iter(residents)
    for building, grid in (("3号楼", 1), ("5号楼", 2)):
        for floor in range(1, 7):
            for door in range(1, 5):
                unit, area = f"{floor}0{door}", f"{rng.choice([62, 75, 89, 96, 118]) + rng.randint(0, 99) / 100:.2f}"
                if building == "3号楼" and unit in ("601", "602"):
                    lines.append(f"{building},{unit},{area},{grid},,,")  # not yet sold: the developer's
                    continue
                owner = next(people, None)
                if owner is None:
                    lines.append(f"{building},{unit},{area},{grid},{building}{unit}业主,,")
                    continue
                lines.append(f"{building},{unit},{area},{grid},{owner.public_name},,{owner.email}")
                if door == 2:  # a couple owns every second flat together
                    lines.append(f"{building},{unit},{area},{grid},{owner.public_name}的配偶,,")
    lines.append(f"5号楼,701,140.00,2,{residents[1].public_name},,{residents[1].email}")  # two flats, one owner
    register.import_register(chair, community_id=community.pk, text="\n".join(lines) + "\n", how="property_records",
                             note="已与物业2026年业主档案核对")
    building = community.buildings.get(name="3号楼")
    lift = services.create_owners_decision(
        chair, community_id=community.pk, title="3号楼加装电梯？", matter=Poll.Matter.REBUILD,
        building_id=building.pk, body="区里对老楼加装电梯有补贴。高层业主希望加装，一楼业主担心噪音和采光。"
        "设计方案放在物业办公室，欢迎查阅。")
    lift = services.open_poll(chair, poll_id=lift.pk)
    parties = list(lift.parties.order_by("pk"))
    online = [p for p in parties if p.owners.filter(user__isnull=False).exists()]
    for party in online[3:17]:
        person = party.owners.filter(user__isnull=False).first().user
        services.cast_owner_ballot(person, poll_id=lift.pk, party_id=party.pk,
                                   choice=rng.choices(["yes", "no", "abstain"], weights=[8, 1, 1])[0])
    for party in online[17:19]:  # owners who voted on paper, keyed in by two officials
        for official in (chair, worker):
            services.key_paper_ballot(official, poll_id=lift.pk, party_id=party.pk, choice="yes")
    photo = io.BytesIO()
    image = Image.new("RGB", (600, 800), "white")
    ImageDraw.Draw(image).text((40, 40), "Authorisation to vote - signed", fill="black")
    image.save(photo, format="JPEG")
    proxy_party = online[2]
    services.record_proxy(worker, poll_id=lift.pk, party_id=proxy_party.pk, proxy_email="org@example.org",
                          form=SimpleUploadedFile("authorisation.jpg", photo.getvalue(), content_type="image/jpeg"))
    services.cast_owner_ballot(User.objects.get(email="org@example.org"), poll_id=lift.pk,
                               party_id=proxy_party.pk, choice="yes")
    services.close_poll(chair, poll_id=lift.pk)
    Poll.objects.filter(pk=lift.pk).update(opened_at=timezone.now() - timedelta(days=17),
                                           closed_at=timezone.now() - timedelta(days=3))
    manager = services.create_owners_decision(
        chair, community_id=community.pk, title="是否选聘常青物业为新的物业服务企业？",
        matter=Poll.Matter.PROPERTY_MANAGER, closes_at=timezone.now() + timedelta(days=10))
    manager = services.open_poll(chair, poll_id=manager.pk)
    for party in list(manager.parties.filter(owners__user__isnull=False).exclude(
            owners__user=demo_resident).distinct().order_by("pk"))[:9]:
        person = party.owners.filter(user__isnull=False).first().user
        services.cast_owner_ballot(person, poll_id=manager.pk, party_id=party.pk,
                                   choice=rng.choices(["yes", "no", "abstain"], weights=[5, 3, 1])[0])
    return 2
