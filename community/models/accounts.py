"""People: the user account with its profile fields."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _


class AgeBand(models.TextChoices):
    UNDER_18 = "under-18", _("Under 18")
    AGE_18_29 = "18-29", _("18–29")
    AGE_30_44 = "30-44", _("30–44")
    AGE_45_59 = "45-59", _("45–59")
    AGE_60_74 = "60-74", _("60–74")
    AGE_75_PLUS = "75-plus", _("75 and over")


class EmailFrequency(models.TextChoices):
    IMMEDIATELY = "immediately", _("Immediately, one email for each notification")
    DAILY = "daily", _("Once a day, a digest of the day's notifications")
    NEVER = "never", _("Never: I read them on the site")


class Language(models.TextChoices):
    ENGLISH = "en", "English"
    CHINESE = "zh-hans", "简体中文"
    TIBETAN = "bo", "བོད་ཡིག"


class EmailUserManager(UserManager):
    """Users are found by email; there is no username."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """An account: signs in by email, shown by display name."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("email address"), unique=True)
    display_name = models.CharField(
        _("display name"),
        max_length=60,
        blank=True,
        help_text=_("How your name appears to others. Leave empty to stay anonymous."),
    )
    language = models.CharField(
        _("preferred language"), max_length=10, choices=Language.choices, blank=True
    )
    age_band = models.CharField(
        _("age band"),
        max_length=10,
        choices=AgeBand.choices,
        blank=True,
        help_text=_("Optional. Used only for anonymous participation statistics."),
    )

    email_frequency = models.CharField(
        _("email me"), max_length=12, choices=EmailFrequency.choices, default=EmailFrequency.IMMEDIATELY
    )
    digest_sent_at = models.DateTimeField(_("last digest sent"), null=True, blank=True)
    deleted_at = models.DateTimeField(
        _("account deleted"),
        null=True,
        blank=True,
        help_text=_("Set when the person deleted their account: their personal data is gone, their contributions stay "
                    "under a neutral label."),
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = EmailUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.public_name

    @property
    def public_name(self) -> str:
        """The name others see: never the email address, and never the old name of a deleted account."""
        if self.deleted_at is not None:
            return str(_("Former member"))
        return self.display_name or _("Resident #%(id)s") % {"id": self.pk}


class ApiToken(models.Model):
    """A personal API token: the account page creates, lists and revokes it; only its hash is kept."""

    class Scope(models.TextChoices):
        ISSUES = "issues", _("Raise issues and rate how they were handled")
        CONSULTATIONS = "consultations", _("Comment on and support proposals")
        POLLS = "polls", _("Vote in polls")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user"))
    name = models.CharField(_("name"), max_length=60, help_text=_("What the token is for, e.g. “My phone app”."))
    prefix = models.CharField(_("first characters"), max_length=12)
    key_hash = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(_("what it may do"), default=list)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def scope_labels(self) -> list[str]:
        return [str(label) for value, label in self.Scope.choices if value in self.scopes]
