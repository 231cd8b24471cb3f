"""Polls shown inside other apps' pages (a meeting's room, a consultation), without those apps importing polls."""

from django import template

from core import fragments
from polls import services
from polls.forms import ballot_form
from polls.models import Poll

register = template.Library()


@register.simple_tag
def polls_of(meeting=None, consultation=None) -> list[Poll]:
    """The polls of a meeting or a consultation, drafts left out, newest first."""
    polls = Poll.objects.exclude(status=Poll.Status.DRAFT).order_by("-created_at", "-pk")
    if meeting is not None:
        return list(polls.filter(meeting=meeting))
    if consultation is not None:  # a list of links and outcomes, kept under the consultation's version (polls/apps.py)
        version = fragments.version("consultation", consultation.pk)
        return fragments.remembered(("consultation-polls", consultation.pk, version), lambda: list(
            polls.filter(consultation=consultation).only(*LINKED_FIELDS)))
    return []


LINKED_FIELDS = ("title", "status", "opens_at", "closes_at", "result", "consultation_id")


@register.simple_tag
def ballot_in_place(poll: Poll, user):
    """The ballot of an open poll for a person on its roll who has not voted yet, to vote without leaving the page
    (a meeting's room); None otherwise."""
    if not (poll.is_open and getattr(user, "is_authenticated", False)):
        return None
    if not poll.voters.filter(user=user).exists() or services.has_voted(user, poll):
        return None
    return ballot_form(poll, list(poll.options.all()))


@register.filter
def voted_by(poll: Poll, user) -> bool:
    return services.has_voted(user, poll)
