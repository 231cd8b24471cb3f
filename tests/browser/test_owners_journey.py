"""An owners' decision on phones, from the register's import to the announcement, in English and in Chinese:
the chair imports the register and opens the vote on adding a lift; an owner votes online; two officials key
an owner's paper ballot; a grid worker records a proxy with the photo of the signed form and the proxy votes;
the chair closes it; the public reads the result by area and by owners, and the community page announces it."""

import io

import pytest
from django.utils import translation
from PIL import Image
from playwright.sync_api import expect

from community.models import Community, Grid, Membership
from polls.models import Poll
from tests.browser.test_issue_journey import sign_in
from tests.conftest import make_user

REGISTER = """building,unit,area,grid,owner,owner_id,email
Building 3,101,100.00,1,Mei,,mei@test.org
Building 3,102,100.00,1,Wu,,wu@test.org
Building 3,103,100.00,1,Lao Zhang,,
Building 3,104,50.00,1,,,
"""


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_an_owners_decision_from_the_register_to_the_announcement(live, open_page, language):
    base = live["url"]
    with translation.override(language):
        t = translation.gettext
        community = Community.objects.create(name="Willow Lane", slug="willow-lane")
        grid = Grid.objects.create(community=community, number=1, name="Willow Court")
        people = {}
        for email, name, role in [("chen@test.org", "Chen Jing", "committee"), ("li@test.org", "Li Na", "grid_worker"),
                                  ("mei@test.org", "Mei", "resident"), ("wu@test.org", "Wu", "resident"),
                                  ("son@test.org", "Wu Junior", "resident")]:
            people[email] = make_user(email, name, language=language)
            Membership.objects.create(user=people[email], community=community, role=role,
                                      grid=None if role == "committee" else grid)

        chair = open_page(390)
        sign_in(chair, base, "chen@test.org")
        chair.goto(f"{base}/c/willow-lane/register/import")
        chair.get_by_label(t("The register (CSV file)")).set_input_files(
            files=[{"name": "register.csv", "mimeType": "text/csv", "buffer": REGISTER.encode("utf-8")}])
        chair.get_by_label(t("How were the owners checked?")).select_option("certificate")
        chair.get_by_role("button", name=t("Check the file")).click()
        chair.get_by_role("button", name=t("Save the register")).click()
        expect(chair.get_by_text(t("The register is saved: %(units)s units from the file.") % {"units": 4})).to_be_visible()

        chair.goto(f"{base}/polls/")
        chair.get_by_role("link", name=t("New owners' decision")).click()
        chair.get_by_label(t("Question")).fill("Add a lift to Building 3?")
        chair.get_by_label(t("Matter (Article 278 of the Civil Code)")).select_option("7")
        chair.get_by_label(t("Whose owners decide")).select_option(label="Building 3")
        chair.get_by_role("button", name=t("Save the draft")).click()
        chair.get_by_role("button", name=t("Open for voting…")).click()
        chair.get_by_role("button", name=t("Yes, open the vote")).click()
        expect(chair.get_by_text(t("It is adopted if at least three quarters of the area taking part, and at least "
                                   "three quarters of the owners taking part, vote yes."))).to_be_visible()
        poll_url = chair.url.split("#")[0]
        poll = Poll.objects.get(title="Add a lift to Building 3?")
        assert poll.eligible_count == 4

        mei = open_page(390)
        sign_in(mei, base, "mei@test.org")
        mei.goto(poll_url)
        mei.get_by_label(t("Yes"), exact=True).check()
        mei.get_by_role("button", name=t("Cast the vote")).click()
        expect(mei.get_by_text(t("Your vote is counted. Thank you."))).to_be_visible()

        worker = open_page(390)
        sign_in(worker, base, "li@test.org")
        worker.goto(poll_url)
        paper = worker.locator("form", has=worker.get_by_role("button", name=t("Key in")))
        paper.get_by_label(t("Unit")).select_option(label="Building 3 103")
        paper.get_by_label(t("Yes"), exact=True).check()
        paper.get_by_role("button", name=t("Key in")).click()
        expect(worker.get_by_text(t("Keyed in. A second official keys the same paper ballot; then it counts."))
               ).to_be_visible()
        chair.goto(poll_url)
        paper = chair.locator("form", has=chair.get_by_role("button", name=t("Key in")))
        paper.get_by_label(t("Unit")).select_option(label="Building 3 103")
        paper.get_by_label(t("Yes"), exact=True).check()
        paper.get_by_role("button", name=t("Key in")).click()
        expect(chair.get_by_text(t("Keyed in the same way twice: the paper ballot is counted."))).to_be_visible()

        photo = io.BytesIO()
        Image.new("RGB", (900, 1200), "white").save(photo, format="JPEG")
        proxy = worker.locator("form", has=worker.get_by_role("button", name=t("Record the proxy")))
        worker.goto(poll_url)
        proxy.get_by_label(t("Unit")).select_option(label="Building 3 102")
        proxy.get_by_label(t("The proxy's e-mail address (their account here)")).fill("son@test.org")
        proxy.get_by_label(t("Photo of the signed authorisation")).set_input_files(
            files=[{"name": "authorisation.jpg", "mimeType": "image/jpeg", "buffer": photo.getvalue()}])
        proxy.get_by_role("button", name=t("Record the proxy")).click()
        expect(worker.get_by_text(t("The proxy is recorded: they can now vote for these units, once."))).to_be_visible()

        son = open_page(390)
        sign_in(son, base, "son@test.org")
        son.goto(poll_url)
        expect(son.get_by_text(t("as the owner's proxy"))).to_be_visible()
        son.get_by_label(t("Yes"), exact=True).check()
        son.get_by_role("button", name=t("Cast the vote")).click()
        expect(son.get_by_text(t("Your vote is counted. Thank you."))).to_be_visible()

        chair.goto(poll_url)
        chair.get_by_role("button", name=t("Close and count…")).click()
        chair.get_by_role("button", name=t("Yes, close and count")).click()
        expect(chair.get_by_text(t("Adopted by the owners."))).to_be_visible()

        public = open_page(390, locale="zh-CN" if language == "zh-hans" else "en-GB")
        public.goto(f"{base}/c/willow-lane/")
        announced = public.locator("section", has=public.get_by_role("heading", name=t("Owners' decisions announced")))
        expect(announced).to_contain_text("Add a lift to Building 3?")
        announced.get_by_role("link", name="Add a lift to Building 3?").click()
        expect(public.get_by_text(t("Adopted by the owners."))).to_be_visible()
        expect(public.get_by_text(t("Online %(online)s, on paper %(paper)s, by proxy %(proxy)s.")
                                  % {"online": 1, "paper": 1, "proxy": 1})).to_be_visible()
        results = public.locator("table")
        expect(results).to_contain_text(t("%(part)s of %(whole)s m² (%(percent)s %%)")
                                        % {"part": "300", "whole": "350", "percent": 85.71})
        expect(results).to_contain_text(t("%(part)s of %(whole)s (%(percent)s %%)")
                                        % {"part": 3, "whole": 4, "percent": 75.0})
        public.screenshot(path=f"test-artifacts/owners-result-{language}-390.png", full_page=True)
