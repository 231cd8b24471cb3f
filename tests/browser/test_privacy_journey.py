"""A resident downloads her data, deletes her account after typing her password again, and her comment stays
under "Former member"."""

import json
from pathlib import Path

from playwright.sync_api import expect

from community.models import Community, Grid, Membership, User
from consult import services
from tests.browser.test_issue_journey import sign_in
from tests.conftest import make_user
from tests.consult.conftest import new_consultation


def test_download_my_data_then_delete_my_account(live, open_page):
    base = live["url"]
    community = Community.objects.create(name="Willow Lane", slug="willow-lane")
    grid = Grid.objects.create(community=community, number=1, name="Willow Court")
    chair = make_user("chair@test.org", "Chen")
    Membership.objects.create(user=chair, community=community, role="committee", position="chair")
    mei = make_user("mei@test.org", "Mei Lin")
    Membership.objects.create(user=mei, community=community, role="resident", grid=grid, unit="Building 3, 401")
    consultation = new_consultation(chair, community)
    services.post_comment(mei, consultation_id=consultation.pk, body="The hall needs a ramp.")

    phone = open_page(390)
    sign_in(phone, base, "mei@test.org")
    phone.goto(base + "/account/")
    phone.get_by_role("link", name="Download my data (JSON)").click()
    phone.get_by_label("Password").fill("correct horse battery")  # the download asks for the password again
    with phone.expect_download() as download:
        phone.get_by_role("button", name="Confirm").click()
    assert download.value.suggested_filename.startswith("yishi-my-data-")
    data = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert data["profile"]["email"] == "mei@test.org"
    assert [m["unit"] for m in data["memberships"]] == ["Building 3, 401"]
    assert [c["body"] for c in data["comments"]] == ["The hall needs a ramp."]

    phone.goto(base + "/account/")
    phone.get_by_role("link", name="Delete my account").click()
    phone.get_by_label("Password").fill("not my password")
    phone.get_by_label("I understand").check()
    phone.get_by_role("button", name="Delete my account for good").click()
    expect(phone.locator(".errorlist")).to_be_visible()  # a wrong password deletes nothing
    assert User.objects.get(pk=mei.pk).deleted_at is None
    phone.get_by_label("Password").fill("correct horse battery")
    phone.get_by_label("I understand").check()
    phone.get_by_role("button", name="Delete my account for good").click()
    expect(phone.get_by_text("Your account was deleted.")).to_be_visible()

    phone.goto(base + consultation.get_absolute_url())
    comment = phone.locator("article.comment-body").filter(has_text="The hall needs a ramp.")
    expect(comment).to_contain_text("Former member")
    expect(phone.get_by_text("Mei Lin")).to_have_count(0)
    phone.goto(base + "/account/")
    assert "/accounts/login/" in phone.url  # signed out
