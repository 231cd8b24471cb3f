"""An owners' decision from the register to the count: one vote per owner, by area and by headcount."""

import html

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from community.services import register
from polls import services
from polls.models import Poll
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def owners_register(chair, community, grid, resident):
    """Building 3: Rita owns 101 and 103 (one owner, 200 m²); Ma and Li own 102 together; Zhou owns 104;
    105 is not yet sold. Building 5: one flat of Zhou's."""
    ma = make_user("ma@test.org", "Ma")
    make_user("zhou@test.org", "Zhou")
    text = "\n".join([
        "building,unit,area,grid,owner,owner_id,email",
        "Building 3,101,100,1,Rita,,resident@test.org",
        "Building 3,103,100,1,Rita,,resident@test.org",
        "Building 3,102,80,1,Ma,,ma@test.org",
        "Building 3,102,80,1,Li,,",
        "Building 3,104,60,1,Zhou,,zhou@test.org",
        "Building 3,105,60,1,,,",
        "Building 5,501,90,1,Zhou,,zhou@test.org",
    ]) + "\n"
    register.import_register(chair, community_id=community.pk, text=text, how="certificate")
    return {"ma": ma}


def _open(chair, community, **extra):
    fields = {"title": "Add a lift to Building 3?", "matter": Poll.Matter.REBUILD, **extra}
    poll = services.create_owners_decision(chair, community_id=community.pk, **fields)
    return services.open_poll(chair, poll_id=poll.pk)


def test_a_lift_needs_three_quarters_of_those_taking_part_by_area_and_by_owners(chair, community, resident,
                                                                                owners_register):
    from community.models import Building, User

    poll = _open(chair, community, building_id=Building.objects.get(name="Building 3").pk)
    assert poll.eligible_count == 4  # Rita (101+103), Ma & Li (102), Zhou (104), the developer (105)
    [rita_party] = services.parties_of(resident, poll)
    assert rita_party.units == ["Building 3 101", "Building 3 103"] and rita_party.area == 200
    services.cast_owner_ballot(resident, poll_id=poll.pk, party_id=rita_party.pk, choice="yes")
    with pytest.raises(ValidationError, match="have voted already"):
        services.cast_owner_ballot(resident, poll_id=poll.pk, party_id=rita_party.pk, choice="no")
    ma = owners_register["ma"]
    [ma_party] = services.parties_of(ma, poll)
    services.cast_owner_ballot(ma, poll_id=poll.pk, party_id=ma_party.pk, choice="yes")
    zhou = User.objects.get(email="zhou@test.org")
    [zhou_party] = services.parties_of(zhou, poll)  # only Building 3's flat is in this vote
    assert zhou_party.units == ["Building 3 104"]
    services.cast_owner_ballot(zhou, poll_id=poll.pk, party_id=zhou_party.pk, choice="no")
    with pytest.raises(ValidationError, match="does not list you as an owner"):
        services.cast_owner_ballot(zhou, poll_id=poll.pk, party_id=rita_party.pk, choice="no")

    closed = services.close_poll(chair, poll_id=poll.pk)
    result = closed.result
    # took part: 3 of 4 owners (75 %, ≥ 2/3), 340 of 400 m² (85 %, ≥ 2/3)
    assert result["participation"]["heads"] == {"part": "3", "whole": "4", "percent": 75.0, "met": True}
    assert result["participation"]["area"] == {"part": "340", "whole": "400", "percent": 85.0, "met": True}
    # agreed: 2 of 3 owners (66.67 % < 75 %), 280 of 340 m² (82.35 % ≥ 75 %): not adopted
    assert result["approval"]["heads"]["met"] is False and result["approval"]["area"]["met"] is True
    assert result["adopted"] is False and closed.decision is None
    assert result["channels"] == {"online": 3, "paper": 0, "proxy": 0}
    assert [p["units"] for p in result["took_part"]] == [["Building 3 101", "Building 3 103"], ["Building 3 102"],
                                                         ["Building 3 104"]]
    assert all("choice" not in p for p in result["took_part"])  # not how each voted: not an open vote


def test_an_ordinary_matter_needs_more_than_half_and_becomes_a_decision(chair, community, resident,
                                                                       owners_register):
    poll = _open(chair, community, matter=Poll.Matter.PROPERTY_MANAGER, title="Hire Green Property?",
                 show_unit_votes=True)
    assert poll.eligible_count == 4  # Rita, Ma & Li, Zhou (104 and 501: one owner), the developer
    for person in (resident, owners_register["ma"]):
        party = services.parties_of(person, poll)[0]
        services.cast_owner_ballot(person, poll_id=poll.pk, party_id=party.pk, choice="yes")
    closed = services.close_poll(chair, poll_id=poll.pk)
    # 2 of 4 owners took part: not two thirds, so nothing is decided however they voted
    assert closed.result["participation_met"] is False and closed.result["adopted"] is False
    assert closed.result["took_part"][0]["choice"] == "yes"  # an open vote shows how each unit voted


def test_setting_up_and_voting_are_checked(chair, community, resident, grid_worker, owners_register):
    with pytest.raises(PermissionDenied):
        services.create_owners_decision(resident, community_id=community.pk, title="Lift?", matter=7)
    with pytest.raises(ValidationError, match="Choose the matter"):
        services.create_owners_decision(chair, community_id=community.pk, title="Lift?", matter=12)
    poll = services.create_owners_decision(chair, community_id=community.pk, title="Lift?", matter=7)
    party = None
    with pytest.raises(ValidationError, match="not open for voting"):
        services.cast_owner_ballot(resident, poll_id=poll.pk, party_id=0, choice="yes")
    poll = services.open_poll(chair, poll_id=poll.pk)
    party = services.parties_of(resident, poll)[0]
    with pytest.raises(ValidationError, match="Choose yes, no or abstain"):
        services.cast_owner_ballot(resident, poll_id=poll.pk, party_id=party.pk, choice="maybe")
    assert services.parties_of(grid_worker, poll) == []  # not an owner: nothing to vote for


def test_an_empty_register_cannot_open_an_owners_decision(chair, community, grid):
    poll = services.create_owners_decision(chair, community_id=community.pk, title="Lift?", matter=7)
    with pytest.raises(ValidationError, match="import the register of owners first"):
        services.open_poll(chair, poll_id=poll.pk)


def test_the_pages_set_up_open_vote_and_show_the_double_majority(client, chair, community, resident,
                                                                   owners_register):
    client.force_login(chair)
    assert "New owners' decision" in html.unescape(client.get("/polls/").content.decode())
    response = client.post("/polls/new-owners", {"title": "Hire Green Property?", "matter": "4", "building": ""})
    poll = Poll.objects.get(title="Hire Green Property?")
    assert response.status_code == 302 and poll.kind == "owners" and poll.status == "draft"
    page = client.get(poll.get_absolute_url()).content.decode()
    assert "more than half of the area taking part" in page and "Open for voting" in page
    client.post(f"/polls/{poll.pk}/open", {"confirmed": "1"})
    client.force_login(resident)
    page = client.get(poll.get_absolute_url()).content.decode()
    assert "Building 3 101, Building 3 103" in page and "Cast the vote" in page
    party = services.parties_of(resident, Poll.objects.get(pk=poll.pk))[0]
    done = client.post(f"/polls/{poll.pk}/owner-vote", {"party": party.pk, "choice": "yes"}, follow=True)
    assert "Your vote is counted" in done.content.decode() and "Voted (Online)" in done.content.decode()
    again = client.post(f"/polls/{poll.pk}/owner-vote", {"party": party.pk, "choice": "no"}, follow=True)
    assert "have voted already (Online): an owner votes once." in again.content.decode()
    client.force_login(chair)
    client.post(f"/polls/{poll.pk}/close", {"confirmed": "1"})
    page = client.get(poll.get_absolute_url()).content.decode()
    assert "Not adopted: too few owners took part." in page
    assert "1 of 4 (25.0 %)" in page and "200 of 490 m² (40.82 %)" in page
    assert "Building 3 101, Building 3 103" in page  # the units that took part
    # no residents' recount or ballot list: an owners' decision shows its units on its page
    assert client.get(f"/polls/{poll.pk}/recount/").status_code == 404
    assert client.get(f"/api/v1/polls/{poll.pk}/ballots").status_code == 404


def test_the_owners_vote_form_refuses_a_stranger(client, chair, community, grid_worker, owners_register):
    poll = _open(chair, community)
    client.force_login(grid_worker)
    page = client.get(poll.get_absolute_url()).content.decode()
    assert "The register does not list you as an owner here" in page
    party = poll.parties.first()
    refused = client.post(f"/polls/{poll.pk}/owner-vote", {"party": party.pk, "choice": "yes"}, follow=True)
    assert "does not list you as an owner of these units" in refused.content.decode()


def test_a_visitor_is_shown_the_way_to_sign_in_and_vote(client, chair, community, owners_register):
    poll = _open(chair, community)
    page = client.get(poll.get_absolute_url()).content.decode()
    assert f'<a href="/accounts/login/?next=/polls/{poll.pk}/">Owners sign in to vote.</a>' in page


def test_paper_ballots_are_keyed_twice_and_an_owner_counts_once(chair, community, resident, grid_worker,
                                                                owners_register):
    from community.models import Membership

    poll = _open(chair, community, matter=Poll.Matter.PROPERTY_MANAGER, title="Hire Green Property?")
    parties = {tuple(p.units): p for p in poll.parties.all()}
    li_ma, zhou, developer = (parties[("Building 3 102",)], parties[("Building 3 104", "Building 5 501")],
                              parties[("Building 3 105",)])
    secretary = make_user("sec@test.org", "Sec")
    Membership.objects.create(user=secretary, community=community, role="committee")
    assert services.key_paper_ballot(chair, poll_id=poll.pk, party_id=li_ma.pk, choice="yes") == "waiting"
    with pytest.raises(ValidationError, match="another official keys it the second time"):
        services.key_paper_ballot(chair, poll_id=poll.pk, party_id=li_ma.pk, choice="yes")
    assert services.key_paper_ballot(grid_worker, poll_id=poll.pk, party_id=li_ma.pk, choice="yes") == "counted"
    assert services.key_paper_ballot(chair, poll_id=poll.pk, party_id=zhou.pk, choice="yes") == "waiting"
    assert services.key_paper_ballot(secretary, poll_id=poll.pk, party_id=zhou.pk, choice="no") == "differs"
    state = services.paper_state(poll)
    assert [p for p, _e in state["differing"]] == [zhou] and state["waiting"] == []
    services.settle_paper_ballot(grid_worker, poll_id=poll.pk, party_id=zhou.pk, choice="no")
    # Ma voted on paper (with Li): her online vote is refused, saying how the unit voted
    with pytest.raises(ValidationError, match=r"Building 3 102 have voted already \(Paper ballot\)"):
        services.cast_owner_ballot(owners_register["ma"], poll_id=poll.pk, party_id=li_ma.pk, choice="no")
    rita = services.parties_of(resident, poll)[0]
    services.cast_owner_ballot(resident, poll_id=poll.pk, party_id=rita.pk, choice="yes")
    services.key_paper_ballot(chair, poll_id=poll.pk, party_id=rita.pk, choice="no")
    assert services.key_paper_ballot(grid_worker, poll_id=poll.pk, party_id=rita.pk, choice="no") == "duplicate"
    assert [p for p, _b in services.paper_state(poll)["duplicates"]] == [rita]
    with pytest.raises(PermissionDenied):
        services.key_paper_ballot(resident, poll_id=poll.pk, party_id=developer.pk, choice="yes")
    closed = services.close_poll(chair, poll_id=poll.pk)
    assert closed.result["channels"] == {"online": 1, "paper": 2, "proxy": 0}
    assert closed.result["counts"] == {"yes": 2, "no": 1, "abstain": 0}
    # 3 of 4 owners (Rita 200, Ma & Li 80, Zhou 150 of 490 m²) took part; 2 of 3 owners and 280 of 430 m² said yes
    assert closed.result["participation_met"] and closed.result["adopted"] and closed.decision is not None


def test_a_proxy_witnessed_with_the_signed_form_votes_for_the_owner(chair, community, grid_worker, owners_register):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    poll = _open(chair, community)
    li_ma = next(p for p in poll.parties.all() if p.units == ["Building 3 102"])
    son = make_user("son@test.org", "Son")
    photo = io.BytesIO()
    Image.new("RGB", (800, 600), "white").save(photo, format="JPEG")
    form = SimpleUploadedFile("form.jpg", photo.getvalue(), content_type="image/jpeg")
    with pytest.raises(ValidationError, match="No account has this e-mail"):
        services.record_proxy(grid_worker, poll_id=poll.pk, party_id=li_ma.pk, proxy_email="x@test.org", form=form)
    with pytest.raises(ValidationError, match="Add a photo of the signed authorisation"):
        services.record_proxy(grid_worker, poll_id=poll.pk, party_id=li_ma.pk, proxy_email=son.email, form=None)
    with pytest.raises(ValidationError, match="not open for voting|does not list you"):
        services.cast_owner_ballot(son, poll_id=poll.pk, party_id=li_ma.pk, choice="yes")  # no proxy yet
    form.seek(0)
    proxy = services.record_proxy(grid_worker, poll_id=poll.pk, party_id=li_ma.pk, proxy_email=son.email, form=form)
    assert proxy.form.name.startswith("proxies/") and proxy.witnessed_by == grid_worker
    from django.test import Client
    for who, status in ((None, 404), (son, 404), (owners_register["ma"], 404), (grid_worker, 200), (chair, 200)):
        reader = Client()
        if who is not None:
            reader.force_login(who)
        response = reader.get(proxy.form.url)  # a signed form with a signature: only officials, even by address
        assert response.status_code == status and (status == 404 or response["Cache-Control"] == "private, no-store")
    assert [p.units for p in services.parties_of(son, poll)] == [["Building 3 102"]]
    ballot = services.cast_owner_ballot(son, poll_id=poll.pk, party_id=li_ma.pk, choice="yes")
    assert ballot.channel == "proxy"
    with pytest.raises(ValidationError, match="have voted already"):
        services.cast_owner_ballot(owners_register["ma"], poll_id=poll.pk, party_id=li_ma.pk, choice="no")


def test_officials_key_paper_ballots_and_record_proxies_on_the_page(client, chair, community, grid_worker,
                                                                    owners_register):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    poll = _open(chair, community)
    li_ma = next(p for p in poll.parties.all() if p.units == ["Building 3 102"])
    zhou = next(p for p in poll.parties.all() if p.units == ["Building 3 104", "Building 5 501"])
    client.force_login(chair)
    page = client.get(poll.get_absolute_url()).content.decode()
    assert "Paper ballots" in page and "Record the proxy" in page
    said = client.post(f"/polls/{poll.pk}/paper", {"party": li_ma.pk, "choice": "yes"}, follow=True)
    assert "A second official keys the same paper ballot" in said.content.decode()
    client.force_login(grid_worker)
    said = client.post(f"/polls/{poll.pk}/paper", {"party": li_ma.pk, "choice": "no"}, follow=True)
    assert "The two keyings differ" in said.content.decode() and "Settle and count" in said.content.decode()
    said = client.post(f"/polls/{poll.pk}/paper-settle", {"party": li_ma.pk, "choice": "yes"}, follow=True)
    assert "Settled: the paper ballot is counted as you read it." in said.content.decode()
    photo = io.BytesIO()
    Image.new("RGB", (600, 800), "white").save(photo, format="JPEG")
    son = make_user("son@test.org", "Son")
    said = client.post(f"/polls/{poll.pk}/proxy", {"party": zhou.pk, "proxy_email": son.email,
                                                   "form": SimpleUploadedFile("f.jpg", photo.getvalue())}, follow=True)
    assert "The proxy is recorded" in said.content.decode() and "the signed form" in said.content.decode()
    client.force_login(son)
    page = client.get(poll.get_absolute_url()).content.decode()
    assert "as the owner&#x27;s proxy" in page or "as the owner's proxy" in page
    assert "Paper ballots" not in page  # officials only


def test_the_community_page_announces_a_counted_owners_decision_for_a_week(client, chair, community, resident,
                                                                         owners_register):
    from datetime import timedelta

    from django.utils import timezone

    poll = _open(chair, community, matter=Poll.Matter.PROPERTY_MANAGER, title="Hire Green Property?")
    party = services.parties_of(resident, poll)[0]
    services.cast_owner_ballot(resident, poll_id=poll.pk, party_id=party.pk, choice="yes")
    services.close_poll(chair, poll_id=poll.pk)
    page = client.get(community.get_absolute_url()).content.decode()  # the public, not signed in
    assert "Hire Green Property?" in page and "Took part: 40.82 % of the area, 25.0 % of the owners." in page
    Poll.objects.filter(pk=poll.pk).update(closed_at=timezone.now() - timedelta(days=8))
    assert "Hire Green Property?" not in client.get(community.get_absolute_url()).content.decode()


def test_the_announcement_lasts_the_days_the_committee_chose(client, chair, community, resident, owners_register):
    from datetime import timedelta

    from django.utils import timezone

    with pytest.raises(ValidationError, match="1 to 60 days"):
        services.create_owners_decision(chair, community_id=community.pk, title="Lift?", matter=7, announce_days=0)
    poll = _open(chair, community, announce_days=20)
    services.close_poll(chair, poll_id=poll.pk)
    Poll.objects.filter(pk=poll.pk).update(closed_at=timezone.now() - timedelta(days=15))
    assert "Add a lift to Building 3?" in client.get(community.get_absolute_url()).content.decode()
    Poll.objects.filter(pk=poll.pk).update(closed_at=timezone.now() - timedelta(days=21))
    assert "Add a lift to Building 3?" not in client.get(community.get_absolute_url()).content.decode()
