"""The register of owners: buildings, their units with exclusive floor area, and who owns each unit.

Owners' decisions (Article 278 of the Civil Code, docs/owners.md) are counted by area and by headcount from
this register. It is kept by the committee or the property manager's representative, each entry saying who
checked it and how; it is private to them (a resident sees their own units).
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from community.geo import validate_outline
from community.models.community import OUTLINE_HELP, Community, Grid


class Building(models.Model):
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="buildings",
                                  verbose_name=_("community"))
    grid = models.ForeignKey(Grid, on_delete=models.PROTECT, related_name="buildings", verbose_name=_("grid"))
    name = models.CharField(_("building"), max_length=60)
    outline = models.JSONField(_("outline"), null=True, blank=True, validators=[validate_outline],
                               help_text=OUTLINE_HELP)

    class Meta:
        verbose_name = _("building")
        verbose_name_plural = _("buildings")
        ordering = ["community", "name"]
        constraints = [models.UniqueConstraint(fields=["community", "name"], name="building_name_unique")]

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):
    """An exclusive part (专有部分): a flat, a shop, with its floor area as the property register records it."""

    building = models.ForeignKey(Building, on_delete=models.CASCADE, related_name="units",
                                 verbose_name=_("building"))
    number = models.CharField(_("unit"), max_length=30)
    area = models.DecimalField(_("exclusive floor area (m²)"), max_digits=9, decimal_places=2,
                               validators=[MinValueValidator(Decimal("0.01"))])

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["building", "number"]
        constraints = [
            models.UniqueConstraint(fields=["building", "number"], name="unit_number_unique"),
            models.CheckConstraint(condition=Q(area__gt=0), name="unit_area_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.building.name} {self.number}"


class Owner(models.Model):
    """A person (or company) on the register, as the property certificate names them. The same owner of several
    units is one row, so they count once by headcount. ``user`` is their account, once someone has checked it."""

    class How(models.TextChoices):
        CERTIFICATE = "certificate", _("Property certificate seen")
        CONTRACT = "contract", _("Purchase contract seen")
        REGISTRY = "registry", _("Property registry extract")
        PROPERTY_RECORDS = "property_records", _("Property manager's records")
        OTHER = "other", _("Other (say how in the note)")

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="owners",
                                  verbose_name=_("community"))
    name = models.CharField(_("owner's name"), max_length=100)
    identifier = models.CharField(
        _("to tell owners of the same name apart"), max_length=40, blank=True,
        help_text=_("Only when two owners share a name, e.g. the last four digits of an ID card."))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="owner_records", verbose_name=_("account"))
    units = models.ManyToManyField(Unit, through="Ownership", related_name="owners", verbose_name=_("units"))
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                    related_name="+", verbose_name=_("checked by"))
    verified_how = models.CharField(_("checked how"), max_length=20, choices=How.choices)
    verified_note = models.CharField(_("note"), max_length=200, blank=True)
    verified_at = models.DateTimeField(_("checked"))

    class Meta:
        verbose_name = _("owner")
        verbose_name_plural = _("owners")
        ordering = ["community", "name", "identifier"]
        constraints = [
            models.UniqueConstraint(fields=["community", "name", "identifier"], name="owner_once"),
            models.UniqueConstraint(fields=["community", "user"], condition=Q(user__isnull=False),
                                    name="owner_account_once"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.identifier})" if self.identifier else self.name


class Ownership(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="ownerships")
    owner = models.ForeignKey(Owner, on_delete=models.CASCADE, related_name="ownerships")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "owner"], name="ownership_once")]
