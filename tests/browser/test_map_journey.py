"""The map in a browser: it asks no other site for anything, its grids are reached by Tab, and a resident picks
the building of an issue by clicking it on the map of the raise form."""

from playwright.sync_api import expect

from community.demo import load_map
from community.models import Building, Community, Grid, Membership
from issues.models import Category, Issue
from tests.conftest import make_user


def sign_in(page, base, email):
    page.goto(base + "/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(lambda url: "/accounts/login" not in url)


def _community():
    community = Community.objects.create(name="Willow Lane", slug="willow-lane")
    for number, name in enumerate(["Willow Court", "Canal Row", "Old Mill", "Garden Terraces"], start=1):
        Grid.objects.create(community=community, number=number, name=name)
    load_map(community)  # the demo's outlines: four grids and their buildings
    return community


def test_the_map_asks_no_other_site_and_its_grids_are_reached_by_tab(live, open_page):
    base = live["url"]
    _community()
    page = open_page(1280)
    hosts = []
    page.on("request", lambda request: hosts.append(request.url.split("/")[2]))
    page.goto(base + "/c/willow-lane/")
    page.wait_for_load_state("networkidle")
    assert hosts and set(hosts) == {base.split("/")[2]}, set(hosts)
    grid_two = page.get_by_role("link", name="Grid 2 · Canal Row: none open, none overdue")
    expect(grid_two).to_be_visible()
    for _ in range(80):  # Tab through the page until the map's link for grid 2 has the focus
        page.keyboard.press("Tab")
        if grid_two.evaluate("el => el === document.activeElement"):
            break
    else:
        raise AssertionError("Tab never reached grid 2 on the map")
    # The focus shows: the grid's outline is drawn thick in the focus colour.
    assert grid_two.locator("path").first.evaluate("el => getComputedStyle(el).strokeWidth") == "8px"
    page.keyboard.press("Enter")
    page.wait_for_url(base + "/c/willow-lane/grids/2/")
    expect(page.get_by_role("heading", name="On the map")).to_be_visible()


def test_a_resident_picks_the_building_by_clicking_it_on_the_map(live, open_page):
    base = live["url"]
    community = _community()
    grid = community.grids.get(number=1)
    Category.objects.create(community=community, name="Lifts")
    resident = make_user("rita@test.org", "Rita")
    Membership.objects.create(user=resident, community=community, role="resident", grid=grid)
    building = Building.objects.filter(grid=grid).order_by("name")[2]
    page = open_page(390)
    sign_in(page, base, "rita@test.org")
    page.goto(base + "/issues/new")
    radio = page.get_by_role("radio", name=building.name, exact=True)
    expect(radio).not_to_be_checked()
    page.locator(f'svg.map-pick [data-building="{building.pk}"]').click()
    expect(radio).to_be_checked()
    expect(page.locator(f'svg.map-pick [data-building="{building.pk}"]')).to_have_class("mb picked")
    page.get_by_label("Category").select_option(label="Lifts")
    page.get_by_label("Title").fill("Lift stuck")
    page.get_by_label("What happened").fill("Since Monday.")
    page.get_by_role("button", name="Raise the issue").click()
    page.wait_for_url(lambda url: "/issues/new" not in url)
    expect(page.get_by_text(f"Building: {building.name}")).to_be_visible()
    assert Issue.objects.get(title="Lift stuck").building == building
