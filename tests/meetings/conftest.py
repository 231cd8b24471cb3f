"""A scheduled joint meeting of the canary community, and one already live."""

from datetime import timedelta

import pytest
from django.utils import timezone

from meetings import services
from tests.conftest import CANARY


def schedule(chair, community, *, secretary=None, is_public=True, audience="invited", invite=(), orgs=(), grid=None):
    return services.schedule_meeting(
        chair, community_id=community.pk, kind="joint", title=f"Joint meeting {CANARY}",
        starts_at=timezone.now() + timedelta(minutes=30), chair_id=chair.pk, secretary_id=(secretary or chair).pk,
        place="Community hall", audience=audience, grid_id=grid.pk if grid else None, quorum=2,
        is_public=is_public, invite_user_ids=[u.pk for u in invite], invite_organisation_ids=[o.pk for o in orgs],
    )


@pytest.fixture
def meeting(chair, community, moderator, resident, organisation):
    meeting = schedule(chair, community, secretary=moderator, invite=[resident], orgs=[organisation])
    services.add_agenda_item(chair, meeting_id=meeting.pk, title="Parking", minutes_allotted=20)
    services.add_agenda_item(chair, meeting_id=meeting.pk, title="Hall renovation", minutes_allotted=30)
    return meeting


@pytest.fixture
def live_meeting(meeting, chair):
    return services.open_meeting(chair, meeting_id=meeting.pk)
