"""Template tags of issue pages."""

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def actor_on(issue, actor):
    """The name shown for ``actor`` on ``issue``'s timeline (the reporter may stay unnamed)."""
    from issues.services.timeline import actor_name

    return actor_name(issue, actor) or _("Yishi")
