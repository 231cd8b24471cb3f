"""The community's structure: grids, organisations, memberships and roles."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.i18n import Bilingual, bilingual, freeze
from community.geo import validate_outline
from community.workdays import DEFAULT_OFFICE_HOURS, validate_office_hours


class DeadlineUnit(models.TextChoices):
    """How a deadline is counted (see community/workdays.py)."""

    WORKING_DAYS = "working_days", _("working days")
    WORKING_HOURS = "working_hours", _("working hours")
    HOURS = "hours", _("hours (clock)")


OUTLINE_HELP = _("Its outline on the map: a GeoJSON geometry (Polygon or MultiPolygon, longitude before latitude).")


NAME_EN, NAME_ZH = _("name (English)"), _("name (Chinese)")
DESCRIPTION_EN, DESCRIPTION_ZH = _("description (English)"), _("description (Chinese)")


def named_in_either_language(prefix: str) -> models.CheckConstraint:
    """A name may be left empty in one language, not in both."""
    return models.CheckConstraint(condition=~Q(name="") | ~Q(name_zh=""), name=f"{prefix}_named",
                                  violation_error_message=_("Give the name in English, in Chinese or in both."))


class Community(Bilingual, models.Model):
    """A community (社区), divided into grids. Its name and description are kept in English and Chinese."""

    name = models.CharField(NAME_EN, max_length=120, blank=True)
    name_zh = models.CharField(NAME_ZH, max_length=120, blank=True)
    slug = models.SlugField(_("short name"), unique=True)
    description = models.TextField(DESCRIPTION_EN, blank=True, help_text=_("Markdown."))
    description_zh = models.TextField(DESCRIPTION_ZH, blank=True, help_text=_("Markdown."))
    address = models.CharField(_("address"), max_length=200, blank=True)
    response_deadline = models.PositiveSmallIntegerField(
        _("response deadline"),
        default=2,
        help_text=_("How long a grid worker has to answer a newly raised issue, in the unit beside."),
    )
    response_deadline_unit = models.CharField(
        _("response deadline unit"), max_length=20, choices=DeadlineUnit.choices,
        default=DeadlineUnit.WORKING_DAYS,
    )
    resolution_deadline = models.PositiveSmallIntegerField(
        _("resolution deadline"),
        default=10,
        help_text=_("How long an issue may take from being taken up to being resolved."),
    )
    resolution_deadline_unit = models.CharField(
        _("resolution deadline unit"), max_length=20, choices=DeadlineUnit.choices,
        default=DeadlineUnit.WORKING_DAYS,
    )
    office_hours = models.CharField(
        _("office hours"),
        max_length=60,
        default=DEFAULT_OFFICE_HOURS,
        validators=[validate_office_hours],
        help_text=_("When working hours are counted, on working days: e.g. “09:00-12:00, 13:30-17:30”."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("community")
        verbose_name_plural = _("communities")
        ordering = ["name", "name_zh"]
        constraints = [named_in_either_language("community")]

    def __str__(self) -> str:
        return self.local_name

    def get_absolute_url(self) -> str:
        return reverse("insights:community-detail", kwargs={"slug": self.slug})


class Grid(Bilingual, models.Model):
    """A grid (网格) of a few hundred households, with its grid workers. Named in English and Chinese."""

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="grids", verbose_name=_("community")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(NAME_EN, max_length=120, blank=True)
    name_zh = models.CharField(NAME_ZH, max_length=120, blank=True)
    description = models.TextField(DESCRIPTION_EN, blank=True, help_text=_("Markdown."))
    description_zh = models.TextField(DESCRIPTION_ZH, blank=True, help_text=_("Markdown."))
    households = models.PositiveIntegerField(_("households"), null=True, blank=True)
    outline = models.JSONField(_("outline"), null=True, blank=True, validators=[validate_outline],
                               help_text=OUTLINE_HELP)

    class Meta:
        verbose_name = _("grid")
        verbose_name_plural = _("grids")
        ordering = ["community", "number"]
        constraints = [
            models.UniqueConstraint(fields=["community", "number"], name="grid_number_unique"),
            named_in_either_language("grid"),
        ]

    def __str__(self) -> str:
        return _("Grid %(number)s · %(name)s") % {"number": self.number, "name": self.local_name}

    def frozen(self) -> dict:
        """The grid's label for a notification, read later in each reader's language (core.i18n.freeze)."""
        return freeze(_("Grid %(number)s · %(name)s"), {"number": self.number,
                                                        "name": bilingual(self.name, self.name_zh)})

    def get_absolute_url(self) -> str:
        return reverse(
            "insights:grid-detail", kwargs={"slug": self.community.slug, "number": self.number}
        )


class Organisation(Bilingual, models.Model):
    """A property manager, owners' committee, office… taking part in the community.

    Its name is its own, in whatever language it goes by; its description is kept in English and Chinese.
    """

    class Kind(models.TextChoices):
        PROPERTY_MANAGEMENT = "property", _("Property management")
        OWNERS_COMMITTEE = "owners", _("Owners' committee")
        SOCIAL_ORGANISATION = "social", _("Social organisation")
        ENTERPRISE = "enterprise", _("Enterprise")
        GOVERNMENT_OFFICE = "government", _("Government office")
        PARTY_BRANCH = "party", _("Party branch")
        OTHER = "other", _("Other")

    community = models.ForeignKey(
        Community,
        on_delete=models.CASCADE,
        related_name="organisations",
        verbose_name=_("community"),
    )
    name = models.CharField(_("name"), max_length=160)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    description = models.TextField(DESCRIPTION_EN, blank=True, help_text=_("Markdown."))
    description_zh = models.TextField(DESCRIPTION_ZH, blank=True, help_text=_("Markdown."))
    public_contact = models.CharField(_("public contact"), max_length=160, blank=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["community", "name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A person's role in a community: one row per role held."""

    class Role(models.TextChoices):
        RESIDENT = "resident", _("Resident")
        GRID_WORKER = "grid_worker", _("Grid worker")
        COMMITTEE = "committee", _("Committee member")
        MODERATOR = "moderator", _("Moderator")
        ORG_REP = "org_rep", _("Organisation representative")

    class Position(models.TextChoices):
        CHAIR = "chair", _("Chair")
        DEPUTY = "deputy", _("Deputy chair")
        SECRETARY = "secretary", pgettext_lazy("a position on the committee", "Secretary")
        MEMBER = "member", _("Member")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("community")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    grid = models.ForeignKey(
        Grid,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("grid"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    position = models.CharField(
        _("committee position"), max_length=20, choices=Position.choices, blank=True
    )
    unit = models.CharField(
        _("unit or address"),
        max_length=120,
        blank=True,
        help_text=_("Private: seen only by the grid's workers and the committee."),
    )
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["community", "role", "grid"]
        constraints = [
            models.CheckConstraint(
                name="membership_role_shape",
                condition=(
                    Q(role__in=["resident", "grid_worker"], grid__isnull=False, organisation=None)
                    | Q(role="org_rep", organisation__isnull=False, grid=None)
                    | Q(role__in=["committee", "moderator"], grid=None, organisation=None)
                ),
            ),
            models.CheckConstraint(
                name="membership_position_only_committee",
                condition=Q(role="committee") | Q(position=""),
            ),
            models.UniqueConstraint(
                fields=["user", "community"],
                condition=Q(role="resident"),
                name="one_home_grid_per_community",
            ),
            models.UniqueConstraint(
                fields=["user", "grid"],
                condition=Q(role="grid_worker"),
                name="grid_worker_once_per_grid",
            ),
            models.UniqueConstraint(
                fields=["user", "community", "role"],
                condition=Q(role__in=["committee", "moderator"]),
                name="community_role_once",
            ),
            models.UniqueConstraint(
                fields=["user", "organisation"],
                condition=Q(role="org_rep"),
                name="org_rep_once_per_organisation",
            ),
        ]

    def __str__(self) -> str:
        where = self.grid or self.organisation or self.community
        return f"{self.user} · {self.get_role_display()} · {where}"


class MembershipRequest(models.Model):
    """A resident's request to join a grid, decided by its grid worker or the committee."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="membership_requests",
        verbose_name=_("user"),
    )
    grid = models.ForeignKey(
        Grid, on_delete=models.CASCADE, related_name="membership_requests", verbose_name=_("grid")
    )
    unit = models.CharField(
        _("unit or address"),
        max_length=120,
        help_text=_("Building, entrance and flat, e.g. “Building 3, Unit 2, Room 401”."),
    )
    note = models.TextField(
        _("note"),
        max_length=1000,
        blank=True,
        help_text=_("Anything that helps the grid worker recognise you."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    reason = models.TextField(_("reason"), max_length=1000, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    created_at = models.DateTimeField(_("asked"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership request")
        verbose_name_plural = _("membership requests")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(status="pending"),
                name="one_pending_request_per_user",
            ),
            models.CheckConstraint(
                name="rejection_has_reason",
                condition=~Q(status="rejected") | ~Q(reason=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.grid}"
