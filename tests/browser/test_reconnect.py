"""The server dies mid-meeting (kill -9) and comes back: the page says it is reconnecting, reconnects by
itself and shows what was said meanwhile, once."""

import os
import signal

from playwright.sync_api import expect

from community.models import Community, Grid, Membership
from meetings import services
from tests.browser.conftest import _free_port, start_daphne
from tests.browser.test_issue_journey import sign_in
from tests.conftest import make_user
from tests.meetings.conftest import schedule


def test_a_page_reconnects_after_the_server_is_killed_and_misses_nothing(live, open_page, tmp_path):
    community = Community.objects.create(name="Willow Lane", slug="willow-lane")
    grid = Grid.objects.create(community=community, number=1, name="Willow Court")
    chen = make_user("chen@test.org", "Chen Jing")
    Membership.objects.create(user=chen, community=community, role="committee", position="chair")
    mei = make_user("mei@test.org", "Mei")
    Membership.objects.create(user=mei, community=community, role="resident", grid=grid)
    meeting = schedule(chen, community, audience="community")
    services.open_meeting(chen, meeting_id=meeting.pk)
    services.post_message(chen, meeting_id=meeting.pk, body="Welcome, everyone")

    open_page.expected.append(r"WebSocket connection to .* failed")  # the browser says so while the server is down
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    process = start_daphne(port, tmp_path, tmp_path / "daphne.log")
    try:
        phone = open_page(390)
        sign_in(phone, base, "mei@test.org")
        phone.goto(base + meeting.get_absolute_url())
        expect(phone.locator("#chat")).to_contain_text("Welcome, everyone")
        expect(phone.locator("#presence")).to_contain_text("Mei")  # the room's socket is open: it says who is here

        os.kill(process.pid, signal.SIGKILL)  # the process dies at once, sockets and all
        process.wait(timeout=10)
        expect(phone.get_by_text("Reconnecting…")).to_be_visible(timeout=15_000)
        services.post_message(chen, meeting_id=meeting.pk, body="Said while the server was down")

        process = start_daphne(port, tmp_path, tmp_path / "daphne.log")
        expect(phone.locator("#chat")).to_contain_text("Said while the server was down", timeout=40_000)
        expect(phone.locator("#connection-status")).to_be_hidden()
        expect(phone.locator("#chat li", has_text="Said while the server was down")).to_have_count(1)
        expect(phone.locator("#chat li", has_text="Welcome, everyone")).to_have_count(1)
    finally:
        process.terminate()  # a clean stop, so its database connections close before the test database goes
        process.wait(timeout=10)
