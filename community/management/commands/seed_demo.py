"""Load a fictional community to explore Yishi with. Safe to run again: it changes nothing twice."""

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test import override_settings
from django.utils import translation
from django.utils.module_loading import import_string

from community.models import (
    AgeBand,
    Community,
    Grid,
    Membership,
    MembershipRequest,
    Organisation,
    User,
)

PASSWORD = "yishi-demo"
Role = Membership.Role
Kind = Organisation.Kind

# number, name (English, Chinese), households, description (English, Chinese)
GRIDS = [
    (1, "Willow Court", "柳苑", 420, "Buildings 1–6 along Willow Lane, and the kindergarten.",
     "柳巷沿线1至6号楼，以及社区幼儿园。"),
    (2, "Canal Row", "河畔里", 360, "The canal-side blocks, 7–12, with the morning market.",
     "沿河的7至12号楼，早市就在楼下。"),
    (3, "Old Mill Estate", "老纺织厂小区", 510,
     "The former textile mill's housing: older walk-ups, many elderly residents.",
     "原纺织厂职工宿舍：多为没有电梯的老楼，老年居民多。"),
    (4, "Garden Terraces", "花园台", 300, "The newer towers around the pocket park and the community hall.",
     "口袋公园和社区活动中心周边的新建高层。"),
]
# name, kind, public contact, description (English, Chinese)
ORGANISATIONS = [
    ("常青物业服务公司", Kind.PROPERTY_MANAGEMENT, "服务台：2号楼一层 · 电话 0571-8866 2301",
     "Evergreen Property Services manages the estate: repairs, cleaning, security and the bin stations.",
     "负责小区的维修、保洁、安保和垃圾分类投放点。"),
    ("柳巷业主委员会", Kind.OWNERS_COMMITTEE, "每月第一个周六上午在社区活动中心接待",
     "The Willow Lane Owners' Committee speaks for the owners and oversees the maintenance fund.",
     "代表全体业主，监督专项维修资金的使用。"),
    ("银龄养老协会", Kind.SOCIAL_ORGANISATION, "社区活动中心，每周二、周四",
     "Silver Years Elderly Care Association: lunch delivery, home visits and the over-70s club.",
     "为老年居民提供助餐送餐、上门探访和银龄俱乐部活动。"),
    ("河畔早市商户联合会", Kind.ENTERPRISE, "",
     "The traders of the canal-side morning market.", "沿河早市的商户自律组织。"),
    ("河畔派出所", Kind.GOVERNMENT_OFFICE, "紧急情况请拨打110",
     "Riverside Police Station; the community police officer holds office hours on Wednesdays.",
     "社区民警每周三下午在社区居委会值班。"),
    ("柳巷社区党支部", Kind.PARTY_BRANCH, "", "", ""),
]
# email, display name, age band, role, where (grid number / organisation index), position
STAFF = [
    ("committee@example.org", "陈静", AgeBand.AGE_45_59, Role.COMMITTEE, None, "chair"),
    ("deputy@example.org", "王磊", AgeBand.AGE_30_44, Role.COMMITTEE, None, "deputy"),
    ("secretary@example.org", "赵敏", AgeBand.AGE_30_44, Role.COMMITTEE, None, "secretary"),
    ("committee4@example.org", "孙慧", AgeBand.AGE_60_74, Role.COMMITTEE, None, "member"),
    ("committee5@example.org", "周艳", AgeBand.AGE_45_59, Role.COMMITTEE, None, "member"),
    ("moderator@example.org", "林青", AgeBand.AGE_30_44, Role.MODERATOR, None, ""),
    ("gridworker@example.org", "李娜", AgeBand.AGE_30_44, Role.GRID_WORKER, 1, ""),
    ("gridworker1b@example.org", "徐涛", AgeBand.AGE_18_29, Role.GRID_WORKER, 1, ""),
    ("gridworker2@example.org", "何芳", AgeBand.AGE_45_59, Role.GRID_WORKER, 2, ""),
    ("gridworker2b@example.org", "郭鹏", AgeBand.AGE_30_44, Role.GRID_WORKER, 2, ""),
    ("gridworker3@example.org", "马丽", AgeBand.AGE_45_59, Role.GRID_WORKER, 3, ""),
    ("gridworker3b@example.org", "罗军", AgeBand.AGE_18_29, Role.GRID_WORKER, 3, ""),
    ("gridworker4@example.org", "胡雪", AgeBand.AGE_30_44, Role.GRID_WORKER, 4, ""),
    ("gridworker4b@example.org", "高阳", AgeBand.AGE_30_44, Role.GRID_WORKER, 4, ""),
    ("org@example.org", "邓伟", AgeBand.AGE_45_59, Role.ORG_REP, 0, ""),
    ("org2@example.org", "冯兰", AgeBand.AGE_60_74, Role.ORG_REP, 1, ""),
    ("org3@example.org", "曹欣", AgeBand.AGE_30_44, Role.ORG_REP, 2, ""),
    ("org4@example.org", "彭波", AgeBand.AGE_45_59, Role.ORG_REP, 3, ""),
    ("org5@example.org", "唐警官", AgeBand.AGE_30_44, Role.ORG_REP, 4, ""),
    ("org6@example.org", "袁平", AgeBand.AGE_45_59, Role.ORG_REP, 5, ""),
]
# Two neighbours from abroad write in English (issues.demo.writes_english): the rest of the demo is in Chinese.
RESIDENT_NAMES = [
    "张伟", "刘洋", "杨秀英", "黄梅", "吴刚", "徐明", "朱红", "林峰",
    "宋佳", "唐艺", "韩冰", "冯瑞", "董玲", "Tom Becker", "程浩", "蔡宁",
    "潘悦", "田杰", "杜鹃", "蒋涛", "叶子", "余航", "卢珊", "魏东",
    "沈璐", "任凯", "Maria Santos", "钱波", "傅蓉", "石磊", "孔瑜", "白雪",
    "孟凡", "秦海", "谢兰", "邹平", "熊文", "金玉", "万里", "段红",
]
AGE_CYCLE = [
    AgeBand.AGE_60_74, AgeBand.AGE_30_44, AgeBand.AGE_75_PLUS, AgeBand.AGE_45_59, AgeBand.AGE_18_29,
    AgeBand.AGE_60_74, AgeBand.AGE_45_59, AgeBand.UNDER_18, AgeBand.AGE_30_44, "",
]
PENDING = [
    ("pending1@example.org", "欧阳", 1, "5号楼1单元302", "上个月刚和父母一起搬来。"),
    ("pending2@example.org", "邱然", 2, "9号楼3单元1101", ""),
    ("pending3@example.org", "雷震", 3, "老纺织厂B幢204", "租的是一楼孙师傅家的房子。"),
]


class Command(BaseCommand):
    help = "Load the demo community (idempotent). All demo logins use the password 'yishi-demo'."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing if any community exists already."
        )
        parser.add_argument(
            "--public-passwords-ok", action="store_true",
            help="Load the demo even with DEBUG off (its passwords are public).",
        )

    def handle(self, *args, **options):
        # The demo plays its issues through the real services: its mail goes nowhere. Its people write in
        # Chinese, so any text the services write down as they go (a minutes draft's sections) is Chinese too.
        with override_settings(MAILERS={"default": {"BACKEND": "django.core.mail.backends.dummy.EmailBackend"}}):
            with transaction.atomic(), translation.override("zh-hans"):
                self.load(**options)

    def load(self, **options):
        if not settings.DEBUG and not options["public_passwords_ok"]:
            raise CommandError(
                "The demo accounts share a published password and include a superuser. "
                "Load them only in development (DJANGO_DEBUG=1), or pass --public-passwords-ok."
            )
        if options["if_empty"] and Community.objects.exists():
            self.stdout.write("The database already holds a community: demo data not loaded.")
            return
        self.password = make_password(PASSWORD)  # hashed once: hashing is slow on purpose
        community, _ = Community.objects.get_or_create(
            slug="willow-lane",
            defaults={
                "name": "Willow Lane Community",
                "name_zh": "柳巷社区",
                "address": "江城市河畔街道柳巷88号",
                "description": (
                    "Four grids, some 1,600 households between the canal and the old mill. "
                    "Raise what troubles your block, take part in consultations and joint "
                    "meetings, and follow every decision until it is done well."
                ),
                "description_zh": (
                    "四个网格，约1600户居民，位于运河与老纺织厂之间。"
                    "楼里有什么烦心事就在这里反映，参加协商议事和联席会议，"
                    "每一项决定都跟踪到底，直到办好为止。"
                ),
            },
        )
        grids = {}
        for number, name, name_zh, households, description, description_zh in GRIDS:
            grids[number], _ = Grid.objects.get_or_create(
                community=community,
                number=number,
                defaults={"name": name, "name_zh": name_zh, "households": households, "description": description,
                          "description_zh": description_zh},
            )
        organisations = []
        for name, kind, contact, description, description_zh in ORGANISATIONS:
            organisation, _ = Organisation.objects.get_or_create(
                community=community, name=name, defaults={
                    "kind": kind, "public_contact": contact, "description": description,
                    "description_zh": description_zh}
            )
            organisations.append(organisation)

        for email, name, age, role, where, position in STAFF:
            user = self.person(email, name, age)
            self.membership(
                user,
                community,
                role,
                grid=grids[where] if role == Role.GRID_WORKER else None,
                organisation=organisations[where] if role == Role.ORG_REP else None,
                position=position,
            )
        for index, name in enumerate(RESIDENT_NAMES):
            email = "resident@example.org" if index == 0 else f"resident{index + 1}@example.org"
            user = self.person(email, name, AGE_CYCLE[index % len(AGE_CYCLE)])
            grid = grids[index % 4 + 1]
            unit = f"{index // 3 + 1}号楼{index % 3 + 1}单元{(index % 6 + 1) * 100 + index % 4 + 1}"
            self.membership(user, community, Role.RESIDENT, grid=grid, unit=unit)
        self.person("newcomer@example.org", "宁新", AgeBand.AGE_18_29)
        for email, name, number, unit, note in PENDING:
            user = self.person(email, name, AgeBand.AGE_30_44)
            if not MembershipRequest.objects.filter(user=user).exists():
                MembershipRequest.objects.create(user=user, grid=grids[number], unit=unit, note=note)
        staff = self.person("staff@example.org", "平台管理员", "")
        if not staff.is_staff:
            staff.is_staff = staff.is_superuser = True
            staff.save(update_fields=["is_staff", "is_superuser"])
        for path in settings.YISHI_DEMO_LOADERS:  # the later apps' demo data (community imports none of them)
            made = import_string(path)(community)
            if made:
                self.stdout.write(f"Demo {path.partition('.')[0]}: {made} made.")
        self.report()

    def person(self, email: str, name: str, age_band: str) -> User:
        user, created = User.objects.get_or_create(
            email=email,
            defaults={"display_name": name, "age_band": age_band, "password": self.password},
        )
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        return user

    def membership(self, user, community, role, *, grid=None, organisation=None, position="", unit=""):
        # A resident has one home grid per community: if someone moved them, leave them where they are.
        where = {} if role == Role.RESIDENT else {"grid": grid, "organisation": organisation}
        Membership.objects.get_or_create(
            user=user,
            community=community,
            role=role,
            **where,
            defaults={"position": position, "unit": unit, "grid": grid, "organisation": organisation},
        )

    def report(self) -> None:
        self.stdout.write(self.style.SUCCESS("Demo community ready: Willow Lane Community (柳巷社区)."))
        self.stdout.write(f"Demo logins (password for all: {PASSWORD}):")
        for email, what in [
            ("committee@example.org", "committee chair"),
            ("secretary@example.org", "committee secretary (minutes)"),
            ("gridworker@example.org", "grid worker of grid 1"),
            ("resident@example.org", "verified resident of grid 1"),
            ("newcomer@example.org", "email confirmed, not yet a verified resident"),
            ("org@example.org", "representative of the property manager"),
            ("moderator@example.org", "moderator"),
            ("staff@example.org", "site staff (Django admin at /admin/)"),
        ]:
            self.stdout.write(f"  {email:<26} {what}")
