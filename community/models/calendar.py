"""The community's working calendar: the days it marks off or worked beyond the national calendar."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from community.models.community import Community


class LocalDay(models.Model):
    """A local day off (a community event, a closure) or a local extra working day."""

    class Kind(models.TextChoices):
        OFF = "off", _("Local day off")
        WORK = "work", _("Local extra working day")

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="local_days", verbose_name=_("community")
    )
    day = models.DateField(_("day"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    note = models.CharField(_("note"), max_length=120, blank=True)
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("local day")
        verbose_name_plural = _("local days")
        ordering = ["community", "day"]
        constraints = [models.UniqueConstraint(fields=["community", "day"], name="local_day_once")]

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d} · {self.get_kind_display()}"
