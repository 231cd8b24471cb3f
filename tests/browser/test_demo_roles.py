"""Each demo login, in a real browser, sees what its role may do; the admin works under the CSP."""

from django.core.management import call_command
from playwright.sync_api import expect

from community.models import Organisation, User


def sign_in(page, base, email):
    page.goto(base + "/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill("yishi-demo")
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(lambda url: "/accounts/login" not in url)


def test_each_demo_role_sees_its_own_actions(live, open_page):
    call_command("seed_demo", public_passwords_ok=True)
    base = live["url"]

    page = open_page(390)
    page.goto(base + "/")
    expect(page.get_by_role("heading", name="Willow Lane Community", exact=True)).to_be_visible()  # its English name
    expect(page.get_by_role("link", name="Sign up to take part")).to_be_visible()

    worker = open_page(1280)
    sign_in(worker, base, "gridworker@example.org")
    worker.goto(base + "/")
    worker.get_by_role("link", name="Membership requests (1 waiting)").click()
    grid1, grid2 = (User.objects.get(email=e).display_name for e in ("pending1@example.org", "pending2@example.org"))
    expect(worker.get_by_role("article", name=grid1)).to_be_visible()
    expect(worker.get_by_role("article", name=grid2)).to_have_count(0)  # grid 2's request

    chair = open_page(1280)
    sign_in(chair, base, "committee@example.org")
    chair.goto(base + "/c/willow-lane/requests/")
    expect(chair.get_by_role("article")).to_have_count(3)

    resident = open_page(390)
    sign_in(resident, base, "resident@example.org")
    resident.goto(base + "/")
    expect(resident.get_by_text("You are a verified resident of")).to_be_visible()
    expect(resident.get_by_role("link", name="Membership requests")).to_have_count(0)
    assert resident.request.get(base + "/c/willow-lane/requests/").status == 404

    newcomer = open_page(390)
    sign_in(newcomer, base, "newcomer@example.org")
    newcomer.goto(base + "/")
    expect(newcomer.get_by_role("link", name="Ask to join your grid")).to_be_visible()

    org = open_page(390)
    sign_in(org, base, "org@example.org")
    expect(org.get_by_role("heading", name="Our tasks")).to_be_visible()  # lands where its work is
    org.goto(base + "/account/")
    expect(org.get_by_text("Organisation representative")).to_be_visible()
    expect(org.get_by_text(Organisation.objects.get(kind="property").name)).to_be_visible()


def test_staff_use_the_admin_under_the_content_security_policy(live, open_page):
    call_command("seed_demo", public_passwords_ok=True)
    base = live["url"]
    page = open_page(1280)
    sign_in(page, base, "staff@example.org")
    page.goto(base + "/admin/community/membership/")
    expect(page.get_by_role("heading", name="Select membership to change")).to_be_visible()
    page.get_by_role("link", name="Committee member").first.click()
    page.goto(base + "/admin/community/membership/add/")
    expect(page.get_by_role("heading", name="Add membership")).to_be_visible()
