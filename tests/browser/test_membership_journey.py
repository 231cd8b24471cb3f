"""A newcomer signs up, confirms their email, asks to join a grid; the grid worker verifies them."""

import re

from playwright.sync_api import expect

from community.models import Community, Grid, Membership, MembershipRequest, User
from tests.conftest import make_user


def sign_in(page, base, email, password="correct horse battery"):
    page.goto(base + "/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(lambda url: "/accounts/login" not in url)


def test_sign_up_confirm_ask_to_join_and_be_verified_by_the_grid_worker(live, open_page):
    base, inbox = live["url"], live["inbox"]
    community = Community.objects.create(name="Willow Lane", slug="willow-lane")
    grid = Grid.objects.create(community=community, number=1, name="Willow Court")
    worker = make_user("worker@test.org", "Li Na")
    Membership.objects.create(user=worker, community=community, role="grid_worker", grid=grid)

    # A newcomer on a phone signs up.
    page = open_page(390)
    page.goto(base + "/")
    page.get_by_role("link", name="Sign up to take part").click()
    page.get_by_label("Email").fill("mei@test.org")
    page.get_by_label("Display name").fill("Mei")
    page.get_by_label(re.compile(r"^Password:?$")).fill("a long walk by the canal")
    page.get_by_label("Password (again)").fill("a long walk by the canal")
    page.get_by_role("button", name="Sign Up").click()
    expect(page.get_by_role("heading", name="Verify Your Email Address")).to_be_visible()

    # The confirmation mail arrives; its link confirms the address and signs her in.
    link = inbox.link_in(inbox.wait_for("mei@test.org"))
    page.goto(link)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", name="My account")).to_be_visible()

    # She asks to join her grid.
    page.get_by_role("link", name=re.compile("Join a grid in Willow Lane")).click()
    page.get_by_label("Grid").select_option(label="Grid 1 · Willow Court")
    page.get_by_label("Unit or address").fill("Building 3, Unit 2, Room 401")
    page.get_by_label("Note").fill("Moved in last month.")
    page.get_by_role("button", name="Send my request").click()
    expect(page.get_by_text("Your request was sent")).to_be_visible()
    expect(page.get_by_text("Pending")).to_be_visible()

    # The grid worker, told by mail, opens the queue and verifies her.
    assert "Mei" in inbox.body(inbox.wait_for("worker@test.org"))
    desk = open_page(1280)
    sign_in(desk, base, "worker@test.org")
    desk.goto(base + "/c/willow-lane/requests/")
    item = desk.get_by_role("article", name="Mei")
    expect(item).to_contain_text("Building 3, Unit 2, Room 401")
    item.get_by_role("button", name="Verify as resident").click()
    expect(desk.get_by_text("Mei is now a verified resident.")).to_be_visible()

    # She is told at once on her open page, and by mail.
    expect(page.get_by_text("You are now a verified resident of Grid 1 · Willow Court.")).to_be_visible()
    assert "verified resident" in inbox.body(inbox.wait_for("mei@test.org", containing="verified resident"))
    page.goto(base + "/c/willow-lane/grids/1/")
    expect(page.get_by_text("You live here")).to_be_visible()
    assert Membership.objects.filter(user=User.objects.get(email="mei@test.org"), grid=grid).exists()


def test_a_declined_resident_reads_the_reason_in_chinese(live, open_page):
    base, inbox = live["url"], live["inbox"]
    community = Community.objects.create(name="Willow Lane", slug="willow-lane")
    grid = Grid.objects.create(community=community, number=1, name="Willow Court")
    chair = make_user("chair@test.org", "Chen")
    Membership.objects.create(user=chair, community=community, role="committee", position="chair")
    make_user("wen@test.org", "Wen", language="zh-hans")

    page = open_page(390)
    sign_in(page, base, "wen@test.org")
    expect(page.get_by_role("heading", name="我的账户")).to_be_visible()
    page.goto(base + "/c/willow-lane/join/")
    page.get_by_role("button", name="提交申请").click()
    expect(page.get_by_text("这个字段是必填项。").first).to_be_visible()
    page.get_by_label("网格").select_option(str(grid.pk))
    page.get_by_label("门牌或地址").fill("3号楼2单元401")
    page.get_by_role("button", name="提交申请").click()

    desk = open_page(1280)
    sign_in(desk, base, "chair@test.org")
    desk.goto(base + "/c/willow-lane/requests/")
    desk.get_by_role("button", name="Decline").click()  # no reason: the browser asks for one
    reason = desk.get_by_label("Reason for declining")
    assert reason.evaluate("el => el.validity.valueMissing")
    assert MembershipRequest.objects.get().status == "pending"
    desk.get_by_label("Reason for declining").fill("请带上租房合同到居委会登记")
    desk.get_by_role("button", name="Decline").click()
    expect(desk.get_by_text("The request was declined")).to_be_visible()

    expect(page.get_by_text("请带上租房合同到居委会登记")).to_be_visible()
    page.goto(base + "/account/")
    expect(page.get_by_text("未通过")).to_be_visible()
    assert "请带上租房合同到居委会登记" in inbox.body(inbox.wait_for("wen@test.org", containing="请带上租房合同到居委会登记"))
