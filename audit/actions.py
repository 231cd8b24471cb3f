"""What the audit log records: one code per privileged action, the sentence a reader sees, the kinds to filter by.

Importing this module needs no app registry, so ``audit.record`` can check codes at any time.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    ROLE_CHANGED = "role.changed", _("Role changed")
    MEMBERSHIP_APPROVED = "membership.approved", _("Resident verified")
    MEMBERSHIP_DECLINED = "membership.declined", _("Membership request declined")
    ISSUE_ENTERED = "issue.entered", _("Issue entered for a resident")
    ISSUE_TRIAGED = "issue.triaged", _("Issue triaged")
    ISSUE_DECLINED = "issue.declined", _("Issue declined")
    ISSUE_MERGED = "issue.merged", _("Issue merged")
    ISSUE_ASSIGNED = "issue.assigned", _("Task assigned")
    ISSUE_SENT = "issue.sent_to_consultation", _("Issue put before a consultation")
    ISSUE_RESOLVED = "issue.resolved", _("Issue marked resolved")
    ISSUE_ESCALATED = "issue.escalated", _("Issue escalated")
    CONTENT_HIDDEN = "content.hidden", _("Content hidden")
    CONTENT_RESTORED = "content.restored", _("Content restored")
    CONTENT_DISMISSED = "content.dismissed", _("Reports dismissed")
    CONSULTATION_CREATED = "consultation.created", _("Consultation drafted")
    CONSULTATION_PHASE = "consultation.phase_changed", _("Consultation phase changed")
    CONSULTATION_CONCLUDED = "consultation.concluded", _("Consultation concluded")
    PROPOSAL_ANSWERED = "proposal.answered", _("Proposal answered")
    DECISION_RECORDED = "decision.recorded", _("Decision recorded")
    DECISION_TASK = "decision.task_added", _("Task added to a decision")
    DECISION_NO_FOLLOW_UP = "decision.no_follow_up", _("Decision needs no follow-up")
    MEETING_SCHEDULED = "meeting.scheduled", _("Meeting scheduled")
    MEETING_OPENED = "meeting.opened", _("Meeting opened")
    MEETING_CORRECTED = "meeting.corrected", _("Meeting corrected before it opened")
    MEETING_CANCELLED = "meeting.cancelled", _("Meeting cancelled")
    MEETING_ADJOURNED = "meeting.adjourned", _("Meeting adjourned")
    MEETING_CHECKED_IN = "meeting.checked_in", _("Someone checked in by the chair or secretary")
    MEETING_MESSAGE_HIDDEN = "meeting.message_hidden", _("Chat message hidden")
    MEETING_SPEAKER_REMOVED = "meeting.speaker_removed", _("Speaker removed from the queue")
    MEETING_MUTED = "meeting.muted", _("Participant muted by the chair")
    MEETING_UNMUTED = "meeting.unmuted", _("Participant allowed to speak again")
    AGENDA_ACCEPTED = "agenda.accepted", _("Agenda suggestion accepted")
    AGENDA_DECLINED = "agenda.declined", _("Agenda suggestion declined")
    AGENDA_OUTCOME = "agenda.outcome", _("Agenda item outcome recorded")
    AGENDA_REMOVED = "agenda.removed", _("Agenda item removed")
    MINUTES_APPROVED = "minutes.approved", _("Minutes approved and published")
    POLL_CREATED = "poll.created", _("Poll set up")
    POLL_EDITED = "poll.edited", _("Draft poll corrected")
    POLL_OPENED = "poll.opened", _("Poll opened")
    POLL_CLOSED = "poll.closed", _("Poll closed")
    POLL_COUNTED = "poll.counted", _("Poll counted")
    POLL_PAPER_KEYED = "poll.paper_keyed", _("Paper ballot keyed in")
    POLL_PAPER_SETTLED = "poll.paper_settled", _("Differently keyed paper ballot settled")
    POLL_PROXY_RECORDED = "poll.proxy_recorded", _("Proxy recorded")
    POLL_OBSERVERS = "poll.observers", _("Count observers named")
    POLL_DIGEST_CONFIRMED = "poll.digest_confirmed", _("Observer confirmed the ballot box digest")
    EXPORT_CSV = "export.csv", _("Export downloaded")
    EXPORT_BACKUP = "export.backup", _("Backup exported")
    EXPORT_RESTORED = "export.restored", _("Backup restored")
    REGISTER_IMPORTED = "register.imported", _("Register of owners imported")
    MAP_IMPORTED = "map.imported", _("Map outlines imported")
    CALENDAR_DAY_ADDED = "calendar.day_added", _("Local day added to the working calendar")
    CALENDAR_DAY_REMOVED = "calendar.day_removed", _("Local day removed from the working calendar")
    CALENDAR_DEADLINES = "calendar.deadlines_changed", _("Deadlines or office hours changed")
    CALENDAR_CATEGORY = "calendar.category_deadlines", _("A category's deadlines changed")
    ISSUE_HANDED_OVER = "issue.handed_over", _("Issue handed over to another grid worker")
    TOKEN_CREATED = "token.created", _("API token created")
    TOKEN_REVOKED = "token.revoked", _("API token revoked")


# Entries of no community that every committee sees: backups, and who holds powers over the whole platform.
PLATFORM_WIDE = {Action.EXPORT_BACKUP, Action.EXPORT_RESTORED, Action.ROLE_CHANGED}

# The kinds a reader filters by: the codes' first part, grouped.
KINDS = {
    "roles": (_("Roles and verification"), ("role", "membership", "register")),
    "issues": (_("Issues"), ("issue",)),
    "moderation": (_("Moderation"), ("content",)),
    "consultations": (_("Consultations and decisions"), ("consultation", "proposal", "decision")),
    "meetings": (_("Meetings and minutes"), ("meeting", "agenda", "minutes")),
    "polls": (_("Polls"), ("poll",)),
    "exports": (_("Exports"), ("export",)),
    "tokens": (_("API tokens"), ("token",)),
    "map": (_("Map"), ("map",)),
    "calendar": (_("Working calendar and deadlines"), ("calendar",)),
}


def actions_of_kind(kind: str) -> list[str]:
    prefixes = KINDS[kind][1]
    return [code for code in Action.values if code.split(".")[0] in prefixes]


# What the reader sees, in their language; %(name)s comes from the entry's details.
SENTENCES = {
    Action.ROLE_CHANGED: _("Changed a role: %(before)s → %(after)s"),
    Action.MEMBERSHIP_APPROVED: _("Verified a resident of %(grid)s"),
    Action.MEMBERSHIP_DECLINED: _("Declined a request to join %(grid)s: %(reason)s"),
    Action.ISSUE_ENTERED: _("Entered an issue for a resident (%(channel)s)"),
    Action.ISSUE_TRIAGED: _("Triaged an issue: %(tier)s"),
    Action.ISSUE_DECLINED: _("Declined an issue: %(reason)s"),
    Action.ISSUE_MERGED: _("Merged an issue into #%(into)s"),
    Action.ISSUE_ASSIGNED: _("Assigned a task: “%(task)s” to %(owner)s, due %(due)s"),
    Action.ISSUE_SENT: _("Put an issue before the consultation “%(consultation)s”"),
    Action.ISSUE_RESOLVED: _("Marked an issue resolved"),
    Action.ISSUE_ESCALATED: _("Escalated an issue to the committee: no answer within the deadline"),
    Action.CONTENT_HIDDEN: _("Hid a %(kind)s: %(reason)s — %(explanation)s"),
    Action.CONTENT_RESTORED: _("Restored a %(kind)s. %(explanation)s"),
    Action.CONTENT_DISMISSED: _("Kept a %(kind)s and dismissed its reports. %(explanation)s"),
    Action.CONSULTATION_CREATED: _("Drafted a consultation"),
    Action.CONSULTATION_PHASE: _("Moved a consultation on to: %(phase)s"),
    Action.CONSULTATION_CONCLUDED: _("Concluded a consultation"),
    Action.PROPOSAL_ANSWERED: _("Answered a proposal: %(answer)s"),
    Action.DECISION_RECORDED: _("Recorded a decision"),
    Action.DECISION_TASK: _("Added a task to a decision: “%(task)s”"),
    Action.DECISION_NO_FOLLOW_UP: _("Said a decision needs no follow-up: %(reason)s"),
    Action.MEETING_SCHEDULED: _("Scheduled a meeting"),
    Action.MEETING_OPENED: _("Opened a meeting"),
    Action.MEETING_CORRECTED: _("Corrected the meeting: %(changes)s"),
    Action.MEETING_CANCELLED: _("Cancelled the meeting: %(reason)s"),
    Action.MEETING_ADJOURNED: _("Adjourned a meeting"),
    Action.MEETING_CHECKED_IN: _("Checked %(person)s in"),
    Action.MEETING_MESSAGE_HIDDEN: _("Hid a chat message in the meeting room"),
    Action.MEETING_SPEAKER_REMOVED: _("Removed %(person)s from the speaker queue"),
    Action.MEETING_MUTED: _("Muted %(person)s for the meeting"),
    Action.MEETING_UNMUTED: _("Let %(person)s speak again"),
    Action.AGENDA_ACCEPTED: _("Accepted a suggested agenda item: “%(item)s”"),
    Action.AGENDA_DECLINED: _("Declined a suggested agenda item: “%(item)s” — %(reason)s"),
    Action.AGENDA_OUTCOME: _("Recorded the outcome of “%(item)s”: %(outcome)s"),
    Action.AGENDA_REMOVED: _("Took “%(item)s” off the agenda"),
    Action.MINUTES_APPROVED: _("Approved and published the minutes"),
    Action.POLL_CREATED: _("Set up a poll"),
    Action.POLL_OPENED: _("Opened a poll"),
    Action.POLL_CLOSED: _("Closed a poll and counted it"),
    Action.EXPORT_CSV: _("Downloaded the export “%(export)s”"),
    Action.EXPORT_BACKUP: _("Exported a backup of the whole platform: %(rows)s rows, %(files)s files"),
    Action.EXPORT_RESTORED: _("Restored a backup of the whole platform: %(rows)s rows, %(files)s files"),
    Action.CALENDAR_DAY_ADDED: _("Marked %(day)s on the working calendar: %(kind)s %(note)s"),
    Action.CALENDAR_DAY_REMOVED: _("Removed %(day)s from the working calendar (it was: %(kind)s %(note)s)"),
    Action.CALENDAR_DEADLINES: _("Set the deadlines: answer within %(response)s, resolve within %(resolution)s; office hours %(office_hours)s"),
    Action.CALENDAR_CATEGORY: _("Set the deadlines of “%(category)s”: answer within %(response)s, resolve within %(resolution)s"),
    Action.ISSUE_HANDED_OVER: _("Handed an issue over from %(before)s to %(after)s"),
    Action.TOKEN_CREATED: _("Created an API token"),
    Action.TOKEN_REVOKED: _("Revoked an API token"),
    Action.MAP_IMPORTED: _("Imported outlines for the map: %(grids)s grids, %(buildings)s buildings"),
}
