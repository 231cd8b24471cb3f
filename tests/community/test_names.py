"""Nobody passes for someone else: hidden characters and look-alike names are refused, officials wear their role."""

import pytest
from django.core.exceptions import ValidationError

from community import services
from community.forms import SignupExtraForm
from community.models import Membership
from community.names import skeleton
from tests.conftest import make_user


@pytest.fixture
def chen(community):
    person = make_user("chen@test.org", "Chen Jing")
    Membership.objects.create(user=person, community=community, role="committee", position="chair")
    return person


def rename(person, name):
    return services.update_profile(person, display_name=name, language="en", age_band="")


@pytest.mark.parametrize("name", [
    "Chen Jing", "chen   JING", "Chen·Jing", "Сhen Jing",  # a Cyrillic С
    "Chen Jing · Chair", "Chen Jing (committee)", "Chen Jing 主任", "ＣＨＥＮ ＪＩＮＧ",  # full-width
])
def test_a_name_that_looks_like_a_member_s_is_refused_and_nothing_changes(chen, resident, name):
    before = resident.display_name
    with pytest.raises(ValidationError, match="looks too much like the name of another member, Chen Jing"):
        rename(resident, name)
    resident.refresh_from_db()
    assert resident.display_name == before


@pytest.mark.parametrize("name", ["gniJ nehC\u202e", "Chen\u200bJing", "Chen Jing\u2066", "\u200f陈静"])
def test_hidden_and_direction_characters_are_refused(chen, resident, name):
    with pytest.raises(ValidationError, match="invisible or text-direction characters"):
        rename(resident, name)


def test_an_office_is_not_a_name_and_namesakes_add_what_tells_them_apart(chen, resident):
    for office in ("Chair", "主任", "Grid worker", "网格员"):
        with pytest.raises(ValidationError, match="name of an office"):
            rename(resident, office)
    assert rename(resident, "Chen Jing 3号楼").display_name == "Chen Jing 3号楼"
    assert rename(chen, "chen jing").display_name == "chen jing"  # one's own name, written otherwise


def test_only_members_of_the_same_community_count(chen, other_community, other_community_grid):
    elsewhere = make_user("far@test.org", "Someone")
    Membership.objects.create(user=elsewhere, community=other_community, role="resident", grid=other_community_grid)
    assert rename(elsewhere, "Chen Jing").display_name == "Chen Jing"
    assert skeleton("Сhen Jing") == skeleton("chen jing") == "chenjing"


def test_sign_up_and_joining_a_grid_check_the_name_first(chen, grid):
    form = SignupExtraForm(data={"display_name": "Сhen  Jing"})
    assert not form.is_valid() and "looks too much like" in str(form.errors)
    newcomer = make_user("new@test.org", "")
    newcomer.display_name = "Chen Jing"  # a name taken while in no community at all
    newcomer.save()
    Membership.objects.filter(user=chen).update(community=grid.community)
    with pytest.raises(ValidationError, match="looks too much like"):
        services.request_membership(newcomer, grid_id=grid.pk, unit="B1-101")


def test_the_account_page_says_why_and_keeps_the_name_typed(chen, resident):
    from django.test import Client

    client = Client()
    client.force_login(resident)
    response = client.post("/account/", {"display_name": "Chen Jing · Chair", "language": "en", "age_band": "",
                                         "email_frequency": resident.email_frequency})
    html = response.content.decode()
    assert response.status_code == 200 and "looks too much like the name of another member" in html
    assert 'value="Chen Jing · Chair"' in html  # what was typed stays in the field
    resident.refresh_from_db()
    assert resident.display_name != "Chen Jing · Chair"
