"""Every state change of a meeting: scheduling, the agenda, attendance, the live room, decisions, minutes.

Each function takes the acting user first, runs in one transaction, locks what it changes, checks
permission, validates with a message a person understands, writes, and publishes its room frame
only after the commit (persist, then broadcast). Callers use this package's names
(``services.check_in``); the modules are where each part is written.
"""

from meetings.services.base import CHAT_PER_SECOND, SPEAKING_SECONDS, lock_meeting, record, require_live
from meetings.services.scheduling import schedule_meeting, respond_to_invitation, edit_meeting, cancel_meeting
from meetings.services.agenda import add_agenda_item, suggest_agenda_item, decide_suggestion, move_agenda_item, set_current_item, edit_agenda_item, remove_agenda_item
from meetings.services.room import open_meeting, check_in, post_message, hide_message, queue_state, raise_hand, lower_hand, call_next_speaker, remove_speaker, mute_participant, unmute_participant
from meetings.services.minutes import update_minutes, record_item_outcome, adjourn_meeting, minutes_record, approve_minutes

__all__ = [
    "CHAT_PER_SECOND",
    "SPEAKING_SECONDS",
    "lock_meeting",
    "record",
    "require_live",
    "schedule_meeting",
    "respond_to_invitation",
    "edit_meeting",
    "cancel_meeting",
    "add_agenda_item",
    "suggest_agenda_item",
    "decide_suggestion",
    "move_agenda_item",
    "set_current_item",
    "edit_agenda_item",
    "remove_agenda_item",
    "open_meeting",
    "check_in",
    "post_message",
    "hide_message",
    "queue_state",
    "raise_hand",
    "lower_hand",
    "call_next_speaker",
    "remove_speaker",
    "mute_participant",
    "unmute_participant",
    "update_minutes",
    "record_item_outcome",
    "adjourn_meeting",
    "minutes_record",
    "approve_minutes",
]
