"""Consultation pages are told, after the commit, what changed: ids and public counts only."""

from typing import Any

from django.db import transaction

from core.realtime import send_to_group


def consultation_group(consultation_id: int) -> str:
    return f"consultation.{consultation_id}"


def publish_consultation_on_commit(consultation_id: int, event: dict[str, Any]) -> None:
    """Tell open pages of a consultation what changed: ids and public counts only."""
    transaction.on_commit(lambda: send_to_group(consultation_group(consultation_id), event), robust=True)
