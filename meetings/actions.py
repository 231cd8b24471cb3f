"""What people do in a meeting's page and live room, as one table.

The room's socket and the page's plain forms (its fallback without JavaScript, or while the socket is
down) both run an action from here: each row names the frame type the socket accepts (none for actions
only the page offers), the path the plain form posts to (``/meetings/<id>/<path>``), and the one
service call it makes. The inputs are read the same way from a JSON frame and from a POSTed form (both
answer ``get``, with the same field names); permission and validation are the services'.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from community.models import User
from core.text import whole_number
from meetings import services

Inputs = Mapping[str, Any]  # a frame's fields, or request.POST


@dataclass(frozen=True)
class Action:
    path: str  # the plain form posts to /meetings/<id>/<path>
    frame: str | None  # the frame type on the room's socket; None: the page only
    run: Callable[[User, int, Inputs], object]  # (the acting user, the meeting's id, the inputs)


def number(inputs: Inputs, name: str, *, required: bool = True) -> int | None:
    """A whole-number field; a missing or malformed one is a message, not a crash."""
    value = whole_number(inputs.get(name))
    if value is None and (required or inputs.get(name) not in (None, "")):
        raise ValidationError(_("This action needs a whole number as %(field)s.") % {"field": name})
    return value


def text(inputs: Inputs, name: str, message: str = "") -> str:
    value = inputs.get(name, "")
    if not isinstance(value, str):
        raise ValidationError(message or _("This action needs text as %(field)s.") % {"field": name})
    return value


def _chat(user: User, meeting_id: int, inputs: Inputs) -> object:
    body = text(inputs, "body", _("A chat message needs a text body."))
    return services.post_message(user, meeting_id=meeting_id, body=body)


def _next(user: User, meeting_id: int, inputs: Inputs) -> object:
    seconds = number(inputs, "seconds", required=False) or services.SPEAKING_SECONDS
    return services.call_next_speaker(user, meeting_id=meeting_id, seconds=seconds)


ACTIONS = [
    # The live room: over the socket, or posted when there is none.
    Action("chat", "chat.send", _chat),
    Action("hide", "chat.hide", lambda u, m, i: services.hide_message(
        u, meeting_id=m, message_id=number(i, "message_id"))),
    Action("hand", "hand.raise", lambda u, m, i: services.raise_hand(u, meeting_id=m)),
    Action("lower", "hand.lower", lambda u, m, i: services.lower_hand(u, meeting_id=m)),
    Action("next", "speaker.next", _next),
    Action("remove", "speaker.remove", lambda u, m, i: services.remove_speaker(
        u, meeting_id=m, request_id=number(i, "request_id"))),
    Action("mute", "participant.mute", lambda u, m, i: services.mute_participant(
        u, meeting_id=m, user_id=number(i, "user_id"))),
    Action("unmute", "participant.unmute", lambda u, m, i: services.unmute_participant(
        u, meeting_id=m, user_id=number(i, "user_id"))),
    Action("current", "agenda.set", lambda u, m, i: services.set_current_item(
        u, meeting_id=m, item_id=number(i, "item_id"))),
    Action("check-in", "check_in", lambda u, m, i: services.check_in(  # yourself, or someone at the door
        u, meeting_id=m, user_id=number(i, "user_id", required=False))),
    # The page only: their result shows after a reload anyway.
    Action("respond", None, lambda u, m, i: services.respond_to_invitation(
        u, meeting_id=m, response=text(i, "response"), organisation_id=number(i, "organisation", required=False))),
    Action("open", None, lambda u, m, i: services.open_meeting(u, meeting_id=m)),
    Action("adjourn", None, lambda u, m, i: services.adjourn_meeting(u, meeting_id=m)),
    Action("approve", None, lambda u, m, i: services.approve_minutes(u, meeting_id=m)),
    Action("approve-earlier", None, lambda u, m, i: services.approve_minutes(
        u, meeting_id=number(i, "earlier_meeting_id"), at_meeting_id=m)),
    Action("up", None, lambda u, m, i: services.move_agenda_item(u, item_id=number(i, "item_id"), up=True)),
    Action("down", None, lambda u, m, i: services.move_agenda_item(u, item_id=number(i, "item_id"), up=False)),
    Action("accept", None, lambda u, m, i: services.decide_suggestion(
        u, item_id=number(i, "item_id"), accept=True)),
    Action("decline", None, lambda u, m, i: services.decide_suggestion(
        u, item_id=number(i, "item_id"), accept=False, reason=text(i, "reason"))),
]
BY_PATH = {action.path: action for action in ACTIONS}
BY_FRAME = {action.frame: action for action in ACTIONS if action.frame}
