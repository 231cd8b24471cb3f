"""Concurrent writes on the real database: locks and constraints decide, exactly once."""

import pytest
from django.core.exceptions import ValidationError

from community import services
from community.models import Membership, MembershipRequest
from tests.conftest import race

# serial: many connections at once, timed against the database's lock timeout
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.serial]


def test_two_people_deciding_one_request_at_once_decide_it_once(grid, newcomer, grid_worker, chair):
    request = services.request_membership(newcomer, grid_id=grid.pk, unit="B2")
    outcomes = race(
        lambda: services.approve_membership_request(grid_worker, request_id=request.pk),
        lambda: services.reject_membership_request(chair, request_id=request.pk, reason="No"),
    )
    errors = [o for o in outcomes if isinstance(o, Exception)]
    assert len(errors) == 1 and isinstance(errors[0], ValidationError), outcomes
    request.refresh_from_db()
    approved = request.status == "approved"
    assert Membership.objects.filter(user=newcomer, role="resident").exists() is approved


def test_double_clicking_send_makes_one_request(grid, newcomer):
    outcomes = race(*[
        lambda: services.request_membership(newcomer, grid_id=grid.pk, unit="B2") for _ in range(4)
    ])
    assert sum(isinstance(o, MembershipRequest) for o in outcomes) == 1, outcomes
    assert all(isinstance(o, (MembershipRequest, ValidationError)) for o in outcomes), outcomes
    assert MembershipRequest.objects.filter(user=newcomer).count() == 1
