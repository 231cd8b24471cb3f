"""The membership flow through its services: ask, verify or decline, withdraw; who is told."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from community import permissions, services
from community.models import Membership, MembershipRequest, User

Status = MembershipRequest.Status


def fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)


def test_a_newcomer_asks_to_join_and_the_grid_workers_are_told(
    grid, newcomer, grid_worker, grid_worker_of_other_grid, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        request = services.request_membership(newcomer, grid_id=grid.pk, unit=" B3-401 ", note="New here")
    assert request.status == Status.PENDING
    assert request.unit == "B3-401"
    assert [m.to for m in mailoutbox] == [["worker@test.org"]]
    assert "B3-401" in mailoutbox[0].body
    assert "http://" in mailoutbox[0].body and "/c/canary/requests/" in mailoutbox[0].body


def test_a_grid_worker_verifies_a_resident_who_is_told_by_mail(
    grid, newcomer, grid_worker, mailoutbox, django_capture_on_commit_callbacks
):
    request = services.request_membership(newcomer, grid_id=grid.pk, unit="B3-401")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        membership = services.approve_membership_request(grid_worker, request_id=request.pk)
    assert membership.role == Membership.Role.RESIDENT and membership.grid == grid
    assert membership.unit == "B3-401"
    request.refresh_from_db()
    assert (request.status, request.decided_by) == (Status.APPROVED, grid_worker)
    assert permissions.is_resident_of(fresh(newcomer), grid)
    assert [m.to for m in mailoutbox] == [["newcomer@test.org"]]
    assert "verified resident" in mailoutbox[0].body


def test_the_decision_mail_is_written_in_the_residents_language(
    grid, newcomer, chair, mailoutbox, django_capture_on_commit_callbacks
):
    newcomer.language = "zh-hans"
    newcomer.save()
    request = services.request_membership(newcomer, grid_id=grid.pk, unit="B3-401")
    with django_capture_on_commit_callbacks(execute=True):
        services.reject_membership_request(chair, request_id=request.pk, reason="请提供租房合同")
    body = mailoutbox[-1].body
    assert "请提供租房合同" in body
    assert "拒绝" in body or "未通过" in body


def test_declining_needs_a_reason_and_changes_nothing_without_one(grid, newcomer, grid_worker, mailoutbox):
    request = services.request_membership(newcomer, grid_id=grid.pk, unit="B3-401")
    with pytest.raises(ValidationError, match="reason"):
        services.reject_membership_request(grid_worker, request_id=request.pk, reason="   ")
    request.refresh_from_db()
    assert request.status == Status.PENDING


def test_a_declined_requester_reads_the_reason(grid, newcomer, grid_worker, django_capture_on_commit_callbacks, mailoutbox):
    request = services.request_membership(newcomer, grid_id=grid.pk, unit="B3-401")
    with django_capture_on_commit_callbacks(execute=True):
        services.reject_membership_request(grid_worker, request_id=request.pk, reason="No such flat")
    request.refresh_from_db()
    assert (request.status, request.reason) == (Status.REJECTED, "No such flat")
    assert "No such flat" in mailoutbox[-1].body
    assert not permissions.is_resident_of(fresh(newcomer), grid)


def test_a_request_is_decided_once(grid, newcomer, grid_worker, chair):
    request = services.request_membership(newcomer, grid_id=grid.pk, unit="B3-401")
    services.approve_membership_request(grid_worker, request_id=request.pk)
    with pytest.raises(ValidationError, match="no longer waiting"):
        services.reject_membership_request(chair, request_id=request.pk, reason="Too late")
    assert Membership.objects.filter(user=newcomer, role="resident").count() == 1


def test_a_grid_worker_of_another_grid_cannot_verify(grid, newcomer, grid_worker_of_other_grid):
    request = services.request_membership(newcomer, grid_id=grid.pk, unit="B3-401")
    with pytest.raises(PermissionDenied):
        services.approve_membership_request(grid_worker_of_other_grid, request_id=request.pk)
    assert not Membership.objects.filter(user=newcomer).exists()


def test_a_committee_of_another_community_cannot_verify(grid, newcomer, outsider_chair):
    request = services.request_membership(newcomer, grid_id=grid.pk, unit="B3-401")
    with pytest.raises(PermissionDenied):
        services.approve_membership_request(outsider_chair, request_id=request.pk)


def test_an_unconfirmed_email_cannot_ask(grid, unverified):
    with pytest.raises(PermissionDenied, match="Confirm your email"):
        services.request_membership(unverified, grid_id=grid.pk, unit="B3-401")
    assert not MembershipRequest.objects.exists()


def test_an_address_is_required(grid, newcomer):
    with pytest.raises(ValidationError, match="where you live"):
        services.request_membership(newcomer, grid_id=grid.pk, unit="  ")
    assert not MembershipRequest.objects.exists()


def test_one_request_waits_at_a_time(grid, other_grid, newcomer):
    services.request_membership(newcomer, grid_id=grid.pk, unit="B3-401")
    with pytest.raises(ValidationError, match="already have a request"):
        services.request_membership(newcomer, grid_id=other_grid.pk, unit="C1")
    assert MembershipRequest.objects.count() == 1


def test_a_resident_cannot_ask_for_their_own_grid_again(grid, resident):
    with pytest.raises(ValidationError, match="already a verified resident"):
        services.request_membership(resident, grid_id=grid.pk, unit="B1-101")


def test_a_resident_who_moves_is_moved_to_the_new_grid(grid, other_grid, resident, chair):
    request = services.request_membership(resident, grid_id=other_grid.pk, unit="S-9")
    services.approve_membership_request(chair, request_id=request.pk)
    homes = Membership.objects.filter(user=resident, role="resident")
    assert [(m.grid, m.unit) for m in homes] == [(other_grid, "S-9")]


def test_withdrawing_is_for_the_requester_only(grid, newcomer, resident_of_other_grid):
    request = services.request_membership(newcomer, grid_id=grid.pk, unit="B3-401")
    with pytest.raises(PermissionDenied):
        services.withdraw_membership_request(resident_of_other_grid, request_id=request.pk)
    services.withdraw_membership_request(newcomer, request_id=request.pk)
    request.refresh_from_db()
    assert request.status == Status.WITHDRAWN
    assert permissions.can_request_membership(newcomer, grid)


def test_the_profile_keeps_a_tidy_display_name_and_refuses_bad_choices(newcomer):
    services.update_profile(newcomer, display_name="  Nina   Li ", language="zh-hans", age_band="30-44")
    newcomer.refresh_from_db()
    assert (newcomer.display_name, newcomer.language, newcomer.age_band) == ("Nina Li", "zh-hans", "30-44")
    with pytest.raises(ValidationError):
        services.update_profile(newcomer, display_name="x", language="fr", age_band="")
    with pytest.raises(ValidationError):
        services.update_profile(newcomer, display_name="x", language="en", age_band="ancient")
    newcomer.refresh_from_db()
    assert newcomer.display_name == "Nina Li"


def test_requests_are_limited_to_five_a_day(grid, newcomer, grid_worker, mailoutbox):
    for _ in range(5):
        request = services.request_membership(newcomer, grid_id=grid.pk, unit="B2")
        services.withdraw_membership_request(newcomer, request_id=request.pk)
    with pytest.raises(ValidationError, match="several requests today"):
        services.request_membership(newcomer, grid_id=grid.pk, unit="B2")


def test_a_grid_without_workers_sends_requests_to_the_committee(other_grid, newcomer, chair, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.request_membership(newcomer, grid_id=other_grid.pk, unit="S1")
    assert [m.to for m in mailoutbox] == [["chair@test.org"]]
