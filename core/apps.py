from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Core")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The empty choice of every select (Django 6.1's "- Select an option -" has no Chinese or Tibetan in
        # Django's catalogues): ours, translated. Django reads it when a form field is made, so per language.
        from django.db.models import fields

        fields.BLANK_CHOICE_LABEL = _("Choose…")
