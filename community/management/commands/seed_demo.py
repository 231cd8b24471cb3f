"""Load a fictional community to explore Yishi with. Safe to run again: it changes nothing twice."""

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test import override_settings
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

GRIDS = [
    (1, "Willow Court", 420, "Buildings 1–6 along Willow Lane, and the kindergarten."),
    (2, "Canal Row", 360, "The canal-side blocks, 7–12, with the morning market."),
    (3, "Old Mill Estate", 510, "The former textile mill's housing: older walk-ups, many elderly residents."),
    (4, "Garden Terraces", 300, "The newer towers around the pocket park and the community hall."),
]
ORGANISATIONS = [
    ("Evergreen Property Services", Kind.PROPERTY_MANAGEMENT, "Service desk: Building 2, ground floor"),
    ("Willow Lane Owners' Committee", Kind.OWNERS_COMMITTEE, ""),
    ("Silver Years Elderly Care Association", Kind.SOCIAL_ORGANISATION, "Community hall, Tuesdays and Thursdays"),
    ("Canal Market Traders", Kind.ENTERPRISE, ""),
    ("Riverside Police Station", Kind.GOVERNMENT_OFFICE, "Emergency: 110"),
    ("Willow Lane Party Branch", Kind.PARTY_BRANCH, ""),
]
# email, display name, age band, role, where (grid number / organisation index), position
STAFF = [
    ("committee@example.org", "Chen Jing", AgeBand.AGE_45_59, Role.COMMITTEE, None, "chair"),
    ("deputy@example.org", "Wang Lei", AgeBand.AGE_30_44, Role.COMMITTEE, None, "deputy"),
    ("secretary@example.org", "Zhao Min", AgeBand.AGE_30_44, Role.COMMITTEE, None, "secretary"),
    ("committee4@example.org", "Sun Hui", AgeBand.AGE_60_74, Role.COMMITTEE, None, "member"),
    ("committee5@example.org", "Zhou Yan", AgeBand.AGE_45_59, Role.COMMITTEE, None, "member"),
    ("moderator@example.org", "Lin Qing", AgeBand.AGE_30_44, Role.MODERATOR, None, ""),
    ("gridworker@example.org", "Li Na", AgeBand.AGE_30_44, Role.GRID_WORKER, 1, ""),
    ("gridworker1b@example.org", "Xu Tao", AgeBand.AGE_18_29, Role.GRID_WORKER, 1, ""),
    ("gridworker2@example.org", "He Fang", AgeBand.AGE_45_59, Role.GRID_WORKER, 2, ""),
    ("gridworker2b@example.org", "Guo Peng", AgeBand.AGE_30_44, Role.GRID_WORKER, 2, ""),
    ("gridworker3@example.org", "Ma Li", AgeBand.AGE_45_59, Role.GRID_WORKER, 3, ""),
    ("gridworker3b@example.org", "Luo Jun", AgeBand.AGE_18_29, Role.GRID_WORKER, 3, ""),
    ("gridworker4@example.org", "Hu Xue", AgeBand.AGE_30_44, Role.GRID_WORKER, 4, ""),
    ("gridworker4b@example.org", "Gao Yang", AgeBand.AGE_30_44, Role.GRID_WORKER, 4, ""),
    ("org@example.org", "Deng Wei", AgeBand.AGE_45_59, Role.ORG_REP, 0, ""),
    ("org2@example.org", "Feng Lan", AgeBand.AGE_60_74, Role.ORG_REP, 1, ""),
    ("org3@example.org", "Cao Xin", AgeBand.AGE_30_44, Role.ORG_REP, 2, ""),
    ("org4@example.org", "Peng Bo", AgeBand.AGE_45_59, Role.ORG_REP, 3, ""),
    ("org5@example.org", "Officer Tang", AgeBand.AGE_30_44, Role.ORG_REP, 4, ""),
    ("org6@example.org", "Yuan Ping", AgeBand.AGE_45_59, Role.ORG_REP, 5, ""),
]
RESIDENT_NAMES = [
    "Zhang Wei", "Liu Yang", "Yang Xiu", "Huang Mei", "Wu Gang", "Xu Ming", "Zhu Hong", "Lin Feng",
    "Song Jia", "Tang Yi", "Han Bing", "Feng Rui", "Dong Ling", "Xiao Qiang", "Cheng Hao", "Cai Ning",
    "Pan Yue", "Tian Jie", "Du Juan", "Jiang Tao", "Ye Zi", "Yu Hang", "Lu Shan", "Wei Dong",
    "Shen Lu", "Ren Kai", "Yao Ying", "Qian Bo", "Fu Rong", "Shi Lei", "Kong Yu", "Bai Xue",
    "Meng Fan", "Qin Hai", "Xie Lan", "Zou Ping", "Xiong Wen", "Jin Yu", "Wan Li", "Duan Hong",
]
AGE_CYCLE = [
    AgeBand.AGE_60_74, AgeBand.AGE_30_44, AgeBand.AGE_75_PLUS, AgeBand.AGE_45_59, AgeBand.AGE_18_29,
    AgeBand.AGE_60_74, AgeBand.AGE_45_59, AgeBand.UNDER_18, AgeBand.AGE_30_44, "",
]
PENDING = [
    ("pending1@example.org", "Ou Yang", 1, "Building 5, Unit 1, Room 302", "Moved in last month with my parents."),
    ("pending2@example.org", "Qiu Ran", 2, "Building 9, Unit 3, Room 1101", ""),
    ("pending3@example.org", "Lei Zhen", 3, "Block B, Room 204", "I rent from Mr Sun on the first floor."),
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
        # The demo plays its issues through the real services: its mail goes nowhere.
        with override_settings(MAILERS={"default": {"BACKEND": "django.core.mail.backends.dummy.EmailBackend"}}):
            with transaction.atomic():
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
                "name": "Willow Lane Community · 柳巷社区",
                "address": "Willow Lane, Riverside Street, Jiangcheng",
                "description": (
                    "Four grids, some 1,600 households between the canal and the old mill. "
                    "Raise what troubles your block, take part in consultations and joint "
                    "meetings, and follow every decision until it is done well."
                ),
            },
        )
        grids = {}
        for number, name, households, description in GRIDS:
            grids[number], _ = Grid.objects.get_or_create(
                community=community,
                number=number,
                defaults={"name": name, "households": households, "description": description},
            )
        organisations = []
        for name, kind, contact in ORGANISATIONS:
            organisation, _ = Organisation.objects.get_or_create(
                community=community, name=name, defaults={"kind": kind, "public_contact": contact}
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
            unit = f"Building {index // 3 + 1}, Unit {index % 3 + 1}, Room {(index % 6 + 1) * 100 + index % 4 + 1}"
            self.membership(user, community, Role.RESIDENT, grid=grid, unit=unit)
        self.person("newcomer@example.org", "Newcomer Ning", AgeBand.AGE_18_29)
        for email, name, number, unit, note in PENDING:
            user = self.person(email, name, AgeBand.AGE_30_44)
            if not MembershipRequest.objects.filter(user=user).exists():
                MembershipRequest.objects.create(user=user, grid=grids[number], unit=unit, note=note)
        staff = self.person("staff@example.org", "Site Staff", "")
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
        self.stdout.write(self.style.SUCCESS("Demo community ready: Willow Lane Community."))
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
