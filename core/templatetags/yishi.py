import datetime
import uuid

from django import template
from django.apps import apps
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.timesince import timesince
from django.utils.translation import gettext as _

from core.middleware import ONCE_FIELD
from core.text import max_length as field_max_length
from core.text import render_markdown

register = template.Library()


@register.filter
def markdown(source: str):
    """Render user Markdown, sanitised."""
    return render_markdown(source)


@register.simple_tag
def max_length(model: str, field: str) -> int:
    """A text field's limit for an input's ``maxlength``: ``{% max_length "consult.Comment" "body" %}``."""
    return field_max_length(apps.get_model(model), field)


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


@register.simple_tag
def submit_once():
    """A hidden field naming this one filling-in of a form: sent twice (a double tap, "back" and send again, a
    retry on a slow connection), it is done once and the second press shows the first one's result
    (``core.middleware.SubmitOnceMiddleware``)."""
    return format_html('<input type="hidden" name="{}" value="{}">', ONCE_FIELD, uuid.uuid4().hex)


@register.filter
def local_moment(value) -> str:
    """A local time stored as "2026-12-03 19:30" (an issue timeline's data), in the reader's date format."""
    try:
        return date_format(datetime.datetime.strptime(value, "%Y-%m-%d %H:%M"), "DATETIME_FORMAT")
    except (TypeError, ValueError):
        return value or ""


@register.filter
def ago(moment) -> str:
    """"just now" for the last minute, else "3 hours ago": never "0 minutes ago"."""
    if moment is None:
        return ""
    if (timezone.now() - moment).total_seconds() < 60:
        return _("just now")
    return _("%(time)s ago") % {"time": timesince(moment, depth=1)}
