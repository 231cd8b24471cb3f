"""Polls shown inside other apps' pages (a meeting's room, a consultation), without those apps importing polls."""

from django import template

from polls.models import Poll

register = template.Library()


@register.simple_tag
def polls_of(meeting=None, consultation=None) -> list[Poll]:
    """The polls of a meeting or a consultation, drafts left out, newest first."""
    polls = Poll.objects.exclude(status=Poll.Status.DRAFT).order_by("-created_at", "-pk")
    if meeting is not None:
        return list(polls.filter(meeting=meeting))
    if consultation is not None:
        return list(polls.filter(consultation=consultation))
    return []
