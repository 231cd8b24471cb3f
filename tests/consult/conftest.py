"""Consultation fixtures: one in each phase, built through the services."""

from datetime import timedelta

from django.utils import timezone

from consult import services
from tests.conftest import CANARY

TODAY = timezone.localdate()


def new_consultation(chair, community, *, phase="collecting", grid=None, threshold=None):
    consultation = services.create_consultation(
        chair, community_id=community.pk, grid_id=grid.pk if grid else None, title=f"Hall {CANARY}",
        body=f"What should the hall be? {CANARY}", collecting_from=TODAY, deliberation_from=TODAY + timedelta(days=7),
        voting_from=TODAY + timedelta(days=14), concludes_on=TODAY + timedelta(days=21), support_threshold=threshold,
    )
    for step in ["collecting", "deliberation", "voting"]:
        if consultation.phase == phase:
            break
        consultation = services.advance_phase(chair, consultation_id=consultation.pk, to=step)
    return consultation
