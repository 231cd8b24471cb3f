from django import template
from django.utils.translation import gettext as _

from core.text import render_markdown

register = template.Library()


@register.filter
def markdown(source: str):
    """Render user Markdown, sanitised."""
    return render_markdown(source)


@register.filter
def get_item(mapping, key):
    """``mapping[key]`` in a template, or None."""
    return mapping.get(key) if mapping else None


@register.filter
def hours(value):
    """A duration in hours, shown in hours under two days and in days above."""

    if value is None:
        return "—"
    if value < 48:
        return _("%(n)s h") % {"n": round(value, 1)}
    return _("%(n)s d") % {"n": round(value / 24, 1)}
