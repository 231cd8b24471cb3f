"""Permission predicates as tables: personas × cases, all about grid 1 of the canary community."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from community import permissions, services
from community.models import MembershipRequest, User

PERSONAS = [
    "anonymous",
    "unverified",
    "newcomer",
    "resident",
    "resident_of_other_grid",
    "grid_worker",
    "grid_worker_of_other_grid",
    "chair",
    "moderator",
    "org_rep",
    "outsider_chair",
]


@pytest.fixture
def persona(request):
    def get(name):
        if name == "anonymous":
            return AnonymousUser()
        return request.getfixturevalue(name)

    return get


def table(**rows: bool):
    """Expand {persona: allowed} into parametrize rows, insisting every persona is listed."""
    assert set(rows) == set(PERSONAS), set(PERSONAS) ^ set(rows)
    return pytest.mark.parametrize("who,allowed", list(rows.items()))


@table(anonymous=False, unverified=False, newcomer=False, resident=False,
       resident_of_other_grid=False, grid_worker=True, grid_worker_of_other_grid=False,
       chair=True, moderator=False, org_rep=False, outsider_chair=False)
def test_who_looks_after_grid_1_and_sees_its_private_details(persona, grid, who, allowed):
    user = persona(who)
    assert permissions.looks_after(user, grid) is allowed
    assert permissions.can_see_private_details(user, grid) is allowed


@table(anonymous=False, unverified=False, newcomer=True, resident=False,
       resident_of_other_grid=True, grid_worker=True, grid_worker_of_other_grid=True,
       chair=True, moderator=True, org_rep=True, outsider_chair=True)
def test_who_may_ask_to_join_grid_1(persona, grid, who, allowed):
    assert permissions.can_request_membership(persona(who), grid) is allowed


@table(anonymous=False, unverified=False, newcomer=False, resident=False,
       resident_of_other_grid=False, grid_worker=True, grid_worker_of_other_grid=False,
       chair=True, moderator=False, org_rep=False, outsider_chair=False)
def test_who_may_decide_a_request_to_join_grid_1(persona, grid, newcomer, who, allowed):
    request = services.request_membership(newcomer, grid_id=grid.pk, unit="B2-201")
    user = persona(who)
    assert permissions.can_decide_membership_request(user, request) is allowed
    if allowed:
        services.approve_membership_request(user, request_id=request.pk)
        assert permissions.is_resident_of(User.objects.get(pk=newcomer.pk), grid)
    else:
        with pytest.raises(PermissionDenied):
            services.approve_membership_request(user, request_id=request.pk)
        request.refresh_from_db()
        assert request.status == MembershipRequest.Status.PENDING


@table(anonymous=False, unverified=False, newcomer=False, resident=False,
       resident_of_other_grid=False, grid_worker=True, grid_worker_of_other_grid=True,
       chair=True, moderator=False, org_rep=False, outsider_chair=False)
def test_who_sees_the_membership_queue_of_the_community(persona, community, other_grid, who, allowed):
    assert permissions.can_view_membership_queue(persona(who), community) is allowed


@table(anonymous=False, unverified=False, newcomer=False, resident=True,
       resident_of_other_grid=False, grid_worker=False, grid_worker_of_other_grid=False,
       chair=False, moderator=False, org_rep=False, outsider_chair=False)
def test_who_is_a_verified_resident_of_grid_1(persona, grid, who, allowed):
    assert permissions.is_resident_of(persona(who), grid) is allowed


@table(anonymous=False, unverified=False, newcomer=False, resident=False,
       resident_of_other_grid=False, grid_worker=False, grid_worker_of_other_grid=False,
       chair=False, moderator=True, org_rep=False, outsider_chair=False)
def test_who_moderates_the_community(persona, community, who, allowed):
    assert permissions.is_moderator(persona(who), community) is allowed


@table(anonymous=False, unverified=False, newcomer=False, resident=False,
       resident_of_other_grid=False, grid_worker=False, grid_worker_of_other_grid=False,
       chair=False, moderator=False, org_rep=True, outsider_chair=False)
def test_who_represents_the_property_manager(persona, organisation, who, allowed):
    assert permissions.represents(persona(who), organisation) is allowed


def test_a_deactivated_grid_worker_loses_every_power(grid, grid_worker):
    grid_worker.is_active = False
    assert not permissions.looks_after(grid_worker, grid)


def test_require_raises_permission_denied_with_a_message():
    with pytest.raises(PermissionDenied, match="not allowed"):
        permissions.require(False)
    permissions.require(True)


def test_memberships_are_loaded_once_per_user_object(grid, chair, django_assert_num_queries):
    permissions.memberships(chair)
    with django_assert_num_queries(0):
        assert permissions.is_committee(chair, grid.community)
        assert permissions.looks_after(chair, grid)
        assert not permissions.is_moderator(chair, grid.community)


def test_nobody_may_decide_their_own_request(grid, chair):
    request = services.request_membership(chair, grid_id=grid.pk, unit="Chair's flat")
    assert not permissions.can_decide_membership_request(chair, request)
    with pytest.raises(PermissionDenied):
        services.approve_membership_request(chair, request_id=request.pk)
