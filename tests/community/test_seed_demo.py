"""The demo community: what README promises, loaded twice without change."""

import re

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from community import permissions
from community.models import Community, Grid, Membership, MembershipRequest, Organisation, User


def counts():
    return (
        Community.objects.count(), Grid.objects.count(), Organisation.objects.count(),
        User.objects.count(), Membership.objects.count(), MembershipRequest.objects.count(),
    )


def test_seed_demo_is_idempotent_and_has_the_promised_shape(db, capsys):
    call_command("seed_demo", public_passwords_ok=True)
    first = counts()
    call_command("seed_demo", public_passwords_ok=True)
    assert counts() == first
    community = Community.objects.get()
    assert community.grids.count() == 4
    assert community.organisations.count() == 6
    residents = Membership.objects.filter(role="resident")
    assert 35 <= residents.count() <= 45
    assert len(set(residents.values_list("user__age_band", flat=True))) >= 5
    for grid in community.grids.all():
        assert grid.memberships.filter(role="grid_worker").count() == 2
    assert Membership.objects.filter(role="committee").count() == 5
    assert "committee@example.org" in capsys.readouterr().out


def test_seed_demo_if_empty_leaves_an_existing_community_alone(community):
    call_command("seed_demo", "--if-empty", public_passwords_ok=True)
    assert list(Community.objects.all()) == [community]


def test_each_demo_login_has_its_role(db):
    call_command("seed_demo", public_passwords_ok=True)
    community = Community.objects.get()
    grid1 = community.grids.get(number=1)

    def login(email):
        user = authenticate(email=email, password="yishi-demo")
        assert user is not None, email
        assert permissions.has_verified_email(user)
        return user

    assert Membership.objects.get(user=login("committee@example.org"), role="committee").position == "chair"
    assert permissions.is_grid_worker_of(login("gridworker@example.org"), grid1)
    assert permissions.is_resident_of(login("resident@example.org"), grid1)
    newcomer = login("newcomer@example.org")
    assert not newcomer.memberships.exists() and permissions.can_request_membership(newcomer, grid1)
    org = Organisation.objects.get(kind="property")
    assert permissions.represents(login("org@example.org"), org)
    assert permissions.is_moderator(login("moderator@example.org"), community)
    assert login("staff@example.org").is_staff


def test_seed_demo_refuses_to_publish_its_passwords_outside_development(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="published password"):
        call_command("seed_demo")
    assert not User.objects.exists()
    settings.DEBUG = True
    call_command("seed_demo")
    assert User.objects.filter(email="staff@example.org", is_superuser=True).exists()


def test_seed_demo_runs_again_after_someone_moved_a_demo_resident(db):
    from community import services

    call_command("seed_demo", public_passwords_ok=True)
    resident = User.objects.get(email="resident@example.org")
    grid2 = Grid.objects.get(number=2)
    request = services.request_membership(resident, grid_id=grid2.pk, unit="Canal Row 9")
    services.approve_membership_request(User.objects.get(email="committee@example.org"), request_id=request.pk)
    call_command("seed_demo", public_passwords_ok=True)
    assert Membership.objects.get(user=resident, role="resident").grid == grid2


def chinese(text: str) -> bool:
    return bool(re.search(r"[\u4e00-\u9fff]", text))


def test_the_demo_community_is_chinese_with_a_few_neighbours_writing_english(db, client):
    from consult.models import Comment, Proposal
    from issues.models import Category, Issue
    from meetings.models import Meeting

    call_command("seed_demo", public_passwords_ok=True)
    titles = list(Issue.objects.values_list("title", flat=True))
    assert sum(map(chinese, titles)) >= 0.7 * len(titles)
    assert any(not chinese(title) for title in titles)  # a neighbour from abroad writes in English
    for texts in [Proposal.objects.values_list("title", flat=True), Comment.objects.values_list("body", flat=True),
                  Meeting.objects.values_list("title", flat=True),
                  User.objects.filter(memberships__role="resident").values_list("display_name", flat=True),
                  Organisation.objects.values_list("name", flat=True)]:
        texts = list(texts)
        assert texts and sum(map(chinese, texts)) >= 0.7 * len(texts)
    assert chinese(Meeting.objects.get(minutes__status="published").minutes.body)
    for category in Category.objects.all():  # what the platform names, it names in both languages
        assert category.name and chinese(category.name_zh)
    for grid in Grid.objects.all():
        assert grid.name and chinese(grid.name_zh) and grid.description and chinese(grid.description_zh)

    community = Community.objects.get(slug="willow-lane")
    english = client.get(community.get_absolute_url(), headers={"accept-language": "en"}).content.decode()
    assert "<h1 id=\"community-title\">Willow Lane Community</h1>" in english and "Willow Court" in english
    zh = client.get(community.get_absolute_url(), headers={"accept-language": "zh-hans"}).content.decode()
    assert "<h1 id=\"community-title\">柳巷社区</h1>" in zh and "柳苑" in zh and "Willow Court" not in zh
