"""Every state change of a poll: set-up, opening, voting, closing and counting, observers — each checked, locked
and done once.

Callers use this package's names (``services.cast_ballot``); the modules are where each part is written.
"""

from polls.services.base import (
    ballot_box,
    box_path,
    can_manage,
    can_view,
    eligible_users,
    lock_poll,
    rules_of,
    slot_size,
)
from polls.services.counting import (
    ballot_texts,
    ballots_of,
    close_due_polls,
    close_poll,
    count,
    count_closed,
    counts_in_ballot_order,
    digest_of_texts,
    receipts_of,
)
from polls.services.observers import confirm_digest, observer_candidates, people_named, set_observers
from polls.services.owners import cast_owner_ballot, create_owners_decision, owners_result, parties_of
from polls.services.paper import is_official, key_paper_ballot, paper_state, record_proxy, settle_paper_ballot
from polls.services.setup import create_poll, edit_draft, open_poll, put_proposals_to_vote, put_question_to_meeting
from polls.services.voting import (
    LIVE_COUNT_SECONDS,
    cast_ballot,
    forget_live_count,
    has_voted,
    live_count,
    receipt_hash,
)

__all__ = [
    "is_official",
    "key_paper_ballot",
    "paper_state",
    "record_proxy",
    "settle_paper_ballot",
    "cast_owner_ballot",
    "create_owners_decision",
    "owners_result",
    "parties_of",
    "box_path",
    "ballot_box",
    "slot_size",
    "lock_poll",
    "eligible_users",
    "can_manage",
    "can_view",
    "rules_of",
    "create_poll",
    "edit_draft",
    "open_poll",
    "put_question_to_meeting",
    "put_proposals_to_vote",
    "receipt_hash",
    "cast_ballot",
    "has_voted",
    "LIVE_COUNT_SECONDS",
    "live_count",
    "forget_live_count",
    "ballots_of",
    "receipts_of",
    "ballot_texts",
    "count",
    "counts_in_ballot_order",
    "close_poll",
    "count_closed",
    "digest_of_texts",
    "close_due_polls",
    "observer_candidates",
    "people_named",
    "set_observers",
    "confirm_digest",
]
