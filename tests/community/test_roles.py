"""Roles change through the roles service — the admin's forms call it — and every change is audited once."""

import pytest
from django.core.exceptions import PermissionDenied

from audit.models import AuditEntry
from community import services
from community.models import Membership
from tests.audit.conftest import recorded, summary
from tests.conftest import make_user


@pytest.fixture
def staff(db):
    return make_user("staff@example.org", "Staff", is_staff=True)


def test_staff_give_a_role_and_the_audit_log_says_from_what_to_what(staff, grid, community, newcomer):
    with recorded() as entries:
        services.save_membership(staff, membership=Membership(user=newcomer, community=community, grid=grid,
                                                              role=Membership.Role.GRID_WORKER))
    assert summary(entries) == [(staff.pk, "role.changed", "community.user", newcomer.pk)]
    assert entries[0].details["before"] is None
    assert entries[0].details["after"]["role"] == "grid_worker"


def test_saving_a_role_unchanged_leaves_no_entry(staff, resident):
    membership = Membership.objects.get(user=resident)
    with recorded() as entries:
        services.save_membership(staff, membership=membership)
    assert entries == []


def test_someone_who_is_not_staff_changes_no_role_and_leaves_no_entry(chair, resident, community, grid):
    before = list(Membership.objects.values_list("pk", "role"))
    with recorded() as entries, pytest.raises(PermissionDenied):
        services.save_membership(chair, membership=Membership(user=resident, community=community,
                                                              role=Membership.Role.COMMITTEE))
    assert list(Membership.objects.values_list("pk", "role")) == before and entries == []


def test_removing_a_role_is_recorded_with_what_it_was(staff, moderator):
    membership = Membership.objects.get(user=moderator)
    with recorded() as entries:
        services.remove_membership(staff, membership_id=membership.pk)
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert entries[0].details["before"]["role"] == "moderator" and entries[0].details["after"] is None


def test_suspending_someone_is_a_platform_role_change(staff, resident):
    resident.is_active = False
    with recorded() as entries:
        services.save_site_role(staff, user=resident)
    assert summary(entries) == [(staff.pk, "role.changed", "community.user", resident.pk)]
    assert entries[0].community_id is None and entries[0].details["after"] == {"site": ["suspended"]}


def test_only_the_roles_service_writes_memberships_outside_the_membership_flow():
    """The admin's forms call the service; no other module of ours creates or deletes a role by hand."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    allowed = {"community/services/roles.py", "community/services/membership.py",
               "community/management/commands/seed_demo.py"}
    offenders = []
    for path in root.glob("*/**/*.py"):
        rel = path.relative_to(root).as_posix()
        if rel.split("/")[0] in {"tests", "bench", ".venv"} or "/migrations/" in rel or rel in allowed:
            continue
        text = path.read_text()
        if "Membership.objects.create" in text or "Membership(" in text.replace("class Membership(", ""):
            offenders.append(rel)
    assert offenders == []
    assert AuditEntry  # the log the service writes to


def test_who_holds_a_role_is_asked_of_one_membership_at_a_time(community, grid, other_grid, resident,
                                                               grid_worker, grid_worker_of_other_grid):
    from community.selectors import holders

    assert list(holders(Membership.Role.GRID_WORKER, grid=grid)) == [grid_worker]
    assert set(holders(Membership.Role.GRID_WORKER, community=community)) == {grid_worker,
                                                                            grid_worker_of_other_grid}
    # a grid worker of grid 2 is no resident of it, nor is grid 1's resident
    assert list(holders(Membership.Role.RESIDENT, grid=other_grid)) == []
    assert list(holders([Membership.Role.RESIDENT, Membership.Role.GRID_WORKER], grid=grid).order_by("pk")) == sorted(
        [resident, grid_worker], key=lambda u: u.pk)
