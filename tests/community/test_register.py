"""The register of owners: a CSV of units and owners is checked line by line, previewed, then applied at once."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from community.models import Building, Membership, Organisation, Owner, Unit
from community.services import register
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

GOOD = """building,unit,area,grid,owner,owner_id,email
Building 3,101,89.50,1,Wang Fang,,resident@test.org
Building 3,102,76.25,1,Li Ming,,
Building 3,102,76.25,1,Zhao Lei,,
Building 3,103,120,1,Wang Fang,,
Building 3,104,64.00,1,,,
"""


def test_a_good_register_is_previewed_then_applied(chair, community, grid, resident):
    preview = register.read_register(community, GOOD)
    assert preview.errors == []
    assert (preview.new_units, preview.new_buildings, preview.total_area) == (4, ["Building 3"], Decimal("349.75"))
    assert not Unit.objects.exists()  # a preview writes nothing
    register.import_register(chair, community_id=community.pk, text=GOOD, how="certificate")
    building = Building.objects.get(community=community, name="Building 3")
    assert building.grid == grid
    units = {u.number: u for u in building.units.all()}
    assert units["102"].area == Decimal("76.25")
    assert sorted(o.name for o in units["102"].owners.all()) == ["Li Ming", "Zhao Lei"]  # co-owners
    wang = Owner.objects.get(name="Wang Fang")
    assert wang.user == resident and sorted(u.number for u in wang.units.all()) == ["101", "103"]  # counted once
    assert (wang.verified_by, wang.verified_how) == (chair, "certificate")
    assert list(units["104"].owners.all()) == []  # not yet sold: the developer's

    again = GOOD.replace("Building 3,101,89.50", "Building 3,101,90.00").replace(",Zhao Lei,,", ",Sun Li,,")
    preview = register.read_register(community, again)
    assert preview.new_units == 0 and preview.changed_areas == [("Building 3 101", Decimal("89.50"),
                                                                Decimal("90.00"))]
    assert preview.changed_owners == 1
    register.import_register(chair, community_id=community.pk, text=again, how="registry")
    assert not Owner.objects.filter(name="Zhao Lei").exists()  # owns nothing any more


@pytest.mark.parametrize(("line", "says"), [
    ("Building 3,105,,1,Ma Li,,", "Line 7: the floor area of Building 3 105 is missing."),
    ("Building 3,105,abc,1,Ma Li,,", "Line 7: “abc” is not a floor area"),
    ("Building 3,105,-3,1,Ma Li,,", "Line 7: a floor area is more than 0 m²"),
    ("Building 3,105,80.123,1,Ma Li,,", "Line 7: a floor area has at most two decimals"),
    ("Building 3,101,91,1,Zhou Yi,,", "Line 7: Building 3 101 has 91.00 m² here and 89.50 m² on line 2."),
    ("Building 3,101,89.50,1,Wang Fang,,", "Line 7: Wang Fang is listed twice as an owner of Building 3 101."),
    ("Building 3,105,80,9,Ma Li,,", "Line 7: there is no grid 9 in this community."),
    ("Building 9,105,80,,Ma Li,,", "Line 7: say which grid (its number) Building 9 is in."),
    ("Building 3,105,80,2,Ma Li,,", "Line 7: Building 3 is in grid 2 here and in grid 1 on line 2."),
    ("Building 3,105,80,1,Ma Li,,nobody@test.org", "Line 7: no account has the e-mail nobody@test.org"),
    ("Building 3,104,64.00,1,Ma Li,,", "Line 7: Building 3 104 has no owner on line 6 and an owner here"),
    ("Building 3,106,70,1,Ma Li,,resident@test.org", "the e-mail resident@test.org is also given for Wang Fang"),
    (",105,80,1,Ma Li,,", "Line 7: the building and the unit are both needed."),
])
def test_each_bad_line_is_named_and_nothing_is_written(chair, community, grid, other_grid, resident, line, says):
    text = GOOD + line + "\n"
    preview = register.read_register(community, text)
    assert any(error.startswith(says) or says in error for error in preview.errors), preview.errors
    with pytest.raises(ValidationError):
        register.import_register(chair, community_id=community.pk, text=text, how="certificate")
    assert not Unit.objects.exists() and not Owner.objects.exists()


def test_a_file_without_the_columns_or_the_units_says_so(community):
    assert "missing: area" in register.read_register(community, "building,unit\nB,1\n").errors[0]
    assert register.read_register(community, "").errors == [
        "The file is empty: it needs a header line and one line per unit and owner."]
    assert register.read_register(community, "楼栋,房号,面积\n").errors == ["The file has a header but no units."]


def test_chinese_headers_are_read(chair, community, grid):
    text = "楼栋,房号,面积,网格,业主\n3号楼,101,88.8,1,王芳\n"
    register.import_register(chair, community_id=community.pk, text=text, how="contract")
    assert Unit.objects.get(number="101").owners.get().name == "王芳"


def test_only_the_committee_and_the_property_manager_keep_the_register(community, grid, resident, grid_worker):
    for person in (resident, grid_worker):
        with pytest.raises(PermissionDenied):
            register.import_register(person, community_id=community.pk, text=GOOD, how="certificate")
    manager = Organisation.objects.create(community=community, name="Green Property", kind="property")
    rep = make_user("rep@test.org", "Rep")
    Membership.objects.create(user=rep, community=community, role="org_rep", organisation=manager)
    register.import_register(rep, community_id=community.pk, text=GOOD, how="property_records")
    assert Unit.objects.count() == 4


def test_other_needs_a_note(chair, community, grid):
    with pytest.raises(ValidationError, match="Say in the note how"):
        register.import_register(chair, community_id=community.pk, text=GOOD, how="other")


def test_a_resident_sees_only_their_own_units(chair, community, grid, resident, grid_worker):
    register.import_register(chair, community_id=community.pk, text=GOOD, how="certificate")
    assert [u.number for u in register.register_of(resident, community)] == ["101", "103"]
    assert list(register.register_of(grid_worker, community)) == []
    assert len(register.register_of(chair, community)) == 4


def test_the_import_page_previews_then_saves_and_names_bad_lines(client, chair, community, grid, resident):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(chair)
    url = f"/c/{community.slug}/register/import"
    assert client.get(url).status_code == 200
    bad = SimpleUploadedFile("register.csv", (GOOD + "Building 3,105,abc,1,Ma Li,,\n").encode("utf-8-sig"))
    page = client.post(url, {"file": bad, "how": "certificate"}).content.decode()
    assert "1 line needs correcting. Nothing was saved." in page and "Line 7: “abc” is not a floor area" in page
    assert not Unit.objects.exists()
    good = SimpleUploadedFile("register.csv", GOOD.encode("gb18030"))  # as a spreadsheet saves it in China
    page = client.post(url, {"file": good, "how": "certificate"}).content.decode()
    assert "4 units, 349.75 m² in all" in page and "Save the register" in page and not Unit.objects.exists()
    text = register.read_register(community, GOOD) and GOOD
    done = client.post(url, {"text": text, "how": "certificate", "confirmed": "1"}, follow=True)
    assert "The register is saved: 4 units from the file." in done.content.decode()
    assert Unit.objects.count() == 4
    page = client.get(f"/c/{community.slug}/register/").content.decode()
    assert "Wang Fang" in page and "Property certificate seen, checked by" in page


def test_the_register_pages_are_private(client, chair, community, grid, resident, grid_worker):
    register.import_register(chair, community_id=community.pk, text=GOOD, how="certificate")
    assert client.get(f"/c/{community.slug}/register/").status_code == 302  # sign in first
    client.force_login(grid_worker)
    assert client.get(f"/c/{community.slug}/register/import").status_code == 404
    page = client.get(f"/c/{community.slug}/register/").content.decode()
    assert "No unit is registered under your name" in page and "Wang Fang" not in page
    client.force_login(resident)
    page = client.get(f"/c/{community.slug}/register/").content.decode()
    assert "My units" in page and "101" in page and "102" not in page and "checked by" not in page
    assert "My units" in client.get(community.get_absolute_url()).content.decode()
