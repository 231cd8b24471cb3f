"""What the insights remember: which early warnings were already sent."""

from django.db import models
from django.utils import timezone


class WarningSent(models.Model):
    """An early warning the committee was told about, so each is sent once."""

    key = models.CharField(max_length=100, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
