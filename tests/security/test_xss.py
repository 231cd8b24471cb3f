"""XSS proof: every payload of ``xss_payloads.txt`` in every field the site renders, opened in headless Chromium.

Each field kind gets every payload that fits it, one value each (names, titles, comments, timeline entries,
chat messages, task updates, poll options, minutes revisions, notifications built from titles); a field that
exists once per page (a description, a consultation's text) gets them all, in as few Markdown documents as
they fit in. Each page is opened twice: on a server as deployed (the Content Security Policy on) and on one
started with ``tests.security.settings_without_csp`` (the policy off: the sanitiser and the escaping alone).
The data is built through the services, in the test process, on the database both servers share.
"""

import json
import os
import time
import urllib.request
from datetime import timedelta
from functools import partial

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from playwright.sync_api import expect
from websockets.sync.client import connect

from community.models import Community, Grid, Membership, Organisation
from consult import services as consult_services
from core.limits import LIMITS
from issues import services as issues_services
from issues.models import Category
from ledger import services as ledger_services
from meetings import services as meetings
from meetings.views import CHAT_SHOWN
from polls import services as polls
from tests.browser.conftest import CHROMIUM, _free_port, start_daphne
from tests.conftest import make_user
from tests.security.xss import (
    PAYLOADS,
    Tab,
    documents,
    fitting,
    one_line,
    read_feed,
    session_cookie,
    unsafe_markup,
)

pytestmark = pytest.mark.django_db(transaction=True)
MODES = {"with the CSP": {}, "without the CSP": {"DJANGO_SETTINGS_MODULE": "tests.security.settings_without_csp"}}
WEEK = timedelta(days=7)


def test_the_payload_list_is_long_and_distinct():
    assert len(PAYLOADS) >= 150
    assert len(set(PAYLOADS)) == len(PAYLOADS)


def test_a_control_character_is_refused_with_a_message_and_nothing_is_saved(chair, community):
    """XML cannot carry it: a title holding one took the public Atom feeds down."""
    dates = {f"{phase}_from": timezone.localdate() for phase in ("collecting", "deliberation", "voting")}
    with pytest.raises(ValidationError, match="contains a character that is not allowed"):
        consult_services.create_consultation(chair, community_id=community.pk, grid_id=None, title="Lifts\x0cagain",
                                     body="Text", support_threshold=None, concludes_on=timezone.localdate(), **dates)
    assert not community.consultations.exists()


# The servers and the browser -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def chromium():
    """A Chromium of this module's own (see ``pytest_collection_modifyitems`` in tests/conftest.py)."""
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # ORM calls between Playwright's, in its thread
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        yield browser
        browser.close()
    del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture(scope="module")
def servers(django_db_setup, tmp_path_factory):
    """Two Daphne servers on the test database: the site as deployed, and the site without its CSP."""
    started = {}
    try:
        for mode, env in MODES.items():
            directory = tmp_path_factory.mktemp("xss-server")
            port = _free_port()
            started[mode] = (f"http://127.0.0.1:{port}", start_daphne(port, directory, directory / "daphne.log",
                                                                      env=env))
        yield {mode: base for mode, (base, _process) in started.items()}
    finally:
        for _base, process in started.values():
            process.terminate()
            process.wait(timeout=10)


@pytest.fixture(autouse=True)
def _no_rate_limits(settings):
    """Hundreds of comments from one person in a minute: the limits of people typing do not apply here."""
    settings.YISHI_RATE_LIMITS = {action: [(1_000_000, 60)] for action in LIMITS}


def each_server(chromium, servers, user, visit):
    """``visit(tab)`` on both servers, as ``user``; checks that one sent the CSP header and the other did not."""
    for mode, base in servers.items():
        tab = Tab(chromium, base, user)
        try:
            visit(tab)
            assert tab.csp_headers == {mode == "with the CSP"}, f"{mode}: CSP header sent: {tab.csp_headers}"
        finally:
            tab.close()


def check_feed(base: str, path: str, titles: list[str]) -> None:
    """An Atom feed parses, gives back each title as it was written (some with " — " and a state after it),
    and carries only sanitised HTML."""
    with urllib.request.urlopen(base + path, timeout=10) as response:
        entries = read_feed(response.read())
    assert entries, f"{path} is empty"
    written = {t.strip() for t in titles}
    for title, content in entries:
        assert title in written or title.rsplit(" — ", 1)[0] in written, f"{path}: a title came back changed: {title!r}"
        assert not unsafe_markup(content), f"{path}: {unsafe_markup(content)}"


# The people and the place -----------------------------------------------------------------------------------


def community_of_payloads():
    """A community whose every name is a payload, with its committee chair, a grid worker and many residents
    whose display names are payloads."""
    names = one_line(60)
    community = Community.objects.create(name=fitting(120)[1], slug="xss", description=documents(10000)[0])
    grid = Grid.objects.create(community=community, number=1, name=fitting(120)[2], description=documents(10000)[-1])
    category = Category.objects.create(community=community, name=fitting(80)[3])
    organisation = Organisation.objects.create(community=community, name=fitting(160)[4], kind="property")
    chair = make_user("chair@xss.test", names[0])
    Membership.objects.create(user=chair, community=community, role="committee", position="chair")
    worker = make_user("worker@xss.test", names[1])
    Membership.objects.create(user=worker, community=community, role="grid_worker", grid=grid)
    rep = make_user("rep@xss.test", names[2])
    Membership.objects.create(user=rep, community=community, role="org_rep", organisation=organisation)
    residents = []
    for n, name in enumerate(names):
        residents.append(make_user(f"resident{n}@xss.test", name))
        Membership.objects.create(user=residents[-1], community=community, role="resident", grid=grid)
    return community, grid, category, organisation, chair, worker, rep, residents


def by_turns(people, values):
    """Pair each value with the next person, round and round."""
    return [(people[n % len(people)], value) for n, value in enumerate(values)]


# Issues ------------------------------------------------------------------------------------------------------


def test_no_payload_runs_on_issue_pages(chromium, servers):
    community, grid, category, organisation, chair, worker, rep, residents = community_of_payloads()
    reporter = residents[0]
    raise_ = dict(grid_id=grid.pk, category_id=category.pk, name_public=True)
    titles = fitting(140)
    for person, title in by_turns(residents, titles):
        issues_services.raise_issue(person, title=title, body=title, **raise_)
    bodies = [issues_services.raise_issue(reporter, title=f"Description {n}", body=doc, **raise_)
              for n, doc in enumerate(documents(10000))]
    issue = bodies[0]
    for person, text in by_turns(residents[1:], fitting(5000)):
        issues_services.comment_on_issue(person, issue_id=issue.pk, text=text)
    issues_services.triage_issue(worker, issue_id=issue.pk, tier="routine", note=PAYLOADS[0], task_title=fitting(160)[5],
                          owner_organisation_id=organisation.pk, due_date=timezone.localdate() + WEEK)
    task = issue.tasks.get()
    for text in fitting(5000):
        ledger_services.post_task_update(rep, task_id=task.pk, text=text, progress=50, status="in_progress")
    pages = -(-(len(titles) + len(bodies)) // 20)

    def visit(tab):
        for page in range(1, pages + 1):
            tab.open(f"/issues/?page={page}")
        assert tab.page.locator(".issue-row").count() > 0
        for described in bodies:
            tab.open(described.get_absolute_url())
        tab.open(issue.get_absolute_url())
        comments_and_updates = tab.page.locator("#timeline .event-text")
        assert comments_and_updates.count() >= 2 * len(fitting(5000))
        expect(tab.page.locator(f"#task-{task.pk} .updates > li")).to_have_count(len(fitting(5000)))
        tab.open(community.get_absolute_url())
        tab.open(grid.get_absolute_url())
        shown = " ".join(tab.open("/notifications/")["text"].split())
        assert " ".join(task.title.split()) in shown  # the payloads are there, as text

    each_server(chromium, servers, reporter, visit)


# Consultations, proposals and comments ----------------------------------------------------------------------


def test_no_payload_runs_on_consultation_pages(chromium, servers):
    community, grid, category, organisation, chair, worker, rep, residents = community_of_payloads()
    dates = {"collecting_from": timezone.localdate(), "deliberation_from": timezone.localdate() + WEEK,
             "voting_from": timezone.localdate() + 2 * WEEK, "concludes_on": timezone.localdate() + 3 * WEEK}
    consultations = []
    for n, body in enumerate(documents(20000)):
        consultations.append(consult_services.create_consultation(
            chair, community_id=community.pk, grid_id=None, title=fitting(160)[n], body=body, support_threshold=None,
            **dates))
        consult_services.advance_phase(chair, consultation_id=consultations[-1].pk, to="collecting")
    for title in fitting(160)[len(consultations):]:
        listed = consult_services.create_consultation(chair, community_id=community.pk, grid_id=None, title=title,
                                              body=title, support_threshold=None, **dates)
        consult_services.advance_phase(chair, consultation_id=listed.pk, to="collecting")
    consultation = consultations[0]
    proposals = [consult_services.submit_proposal(person, consultation_id=consultation.pk, title=title, body=title)
                 for person, title in by_turns(residents, fitting(160))]
    long_ones = [consult_services.submit_proposal(residents[0], consultation_id=consultation.pk, title=f"Proposal {n}",
                                          body=doc) for n, doc in enumerate(documents(10000))]
    consult_services.advance_phase(chair, consultation_id=consultation.pk, to="deliberation")
    for proposal, answer in zip(proposals[:20], fitting(5000)):
        consult_services.answer_proposal(chair, proposal_id=proposal.pk, answer="accepted", reason=answer)
    comments = [consult_services.post_comment(person, consultation_id=consultation.pk, body=text)
                for person, text in by_turns(residents, fitting(5000))]
    for person, text in by_turns(residents[1:], fitting(5000)[:40]):
        consult_services.post_comment(person, consultation_id=consultation.pk, body=text, parent_id=comments[-1].pk)
    for person, text in by_turns(residents, fitting(5000)[:40]):
        consult_services.post_comment(person, consultation_id=consultation.pk, body=text, proposal_id=long_ones[0].pk)
    url = consultation.get_absolute_url()

    def visit(tab):
        tab.open("/consultations/")
        for listed in consultations:
            tab.open(listed.get_absolute_url())
        for page in range(1, -(-len(proposals + long_ones) // 20) + 1):
            tab.open(f"{url}?page={page}")
        for page in range(1, -(-len(comments) // 20) + 1):
            tab.open(f"{url}?comments={page}")
            if page == 1:  # the newest comments, and the replies to the newest
                expect(tab.page.locator(f"#replies-{comments[-1].pk} > li")).to_have_count(40)
        for proposal in [*long_ones, *proposals[:3]]:
            tab.open(proposal.get_absolute_url())
        tab.open(comments[0].get_absolute_url())
        tab.open("/search/?q=alert")
        check_feed(tab.base, "/consultations/feed.atom", fitting(160))

    each_server(chromium, servers, chair, visit)


# The live meeting room, its minutes and the meeting list -----------------------------------------------------


def wait_for_own_message(socket, person_id: int) -> None:
    """Read the socket until the room sends back this person's message: it is stored, and the next one waits for
    it, so a busy machine cannot bunch one person's messages over the room's rate limit."""
    while True:
        frame = json.loads(socket.recv(timeout=60))
        assert frame["type"] != "error", frame
        if frame["type"] == "chat.message" and frame.get("author_id") == person_id:
            return


def send_chat(base: str, meeting_id: int, people, bodies) -> None:
    """People type in the room: each one's socket sends their messages, kept under the room's rate limits."""
    sockets = {}
    try:
        for person in people:
            sockets[person.pk] = connect(
                f"ws://{base.removeprefix('http://')}/ws/meetings/{meeting_id}/", origin=base, proxy=None,
                max_queue=None, ping_interval=None,  # the room's frames pile up unread; that is fine here
                additional_headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={session_cookie(person)}"})
            assert json.loads(sockets[person.pk].recv(timeout=10))["type"] == "welcome"
        for person, body in by_turns(people, bodies):
            sockets[person.pk].send(json.dumps({"type": "chat.send", "body": body}))
            wait_for_own_message(sockets[person.pk], person.pk)
            time.sleep(0.25 / len(people))  # each person: at most 4 messages a second (the room allows 5)
    finally:
        for socket in sockets.values():
            socket.close()


def test_no_payload_runs_in_the_meeting_room_live_or_reloaded(chromium, servers):
    community, grid, category, organisation, chair, worker, rep, residents = community_of_payloads()
    talkers = residents[:10]
    schedule = dict(community_id=community.pk, kind="joint", chair_id=chair.pk, secretary_id=chair.pk, place="Hall",
                    audience="community", starts_at=timezone.now() + WEEK)
    for title in fitting(160)[1:]:
        meetings.schedule_meeting(chair, title=title, **schedule)
    meeting = meetings.schedule_meeting(chair, title=PAYLOADS[0], description=documents(10000)[0],
                                        **{**schedule, "starts_at": timezone.now()})  # opened now: it starts now
    for title in fitting(160):
        meetings.add_agenda_item(chair, meeting_id=meeting.pk, title=title, description=title)
    meetings.open_meeting(chair, meeting_id=meeting.pk)
    for person in talkers:
        meetings.check_in(person, meeting_id=meeting.pk)
    version = 0
    for doc in documents(3000):  # one revision each: approved minutes show their last 20 revisions
        version = meetings.update_minutes(chair, meeting_id=meeting.pk, body=doc, base_version=version).version
    bodies = fitting(2000)

    def live(tab):
        tab.open(meeting.get_absolute_url())
        before = tab.page.locator("#chat > li").count()  # the room shows its last messages on load
        send_chat(tab.base, meeting.pk, talkers, bodies)
        expect(tab.page.locator("#chat > li")).to_have_count(before + len(bodies), timeout=60_000)
        tab.check("the live room after the chat", tab.page.title())
        tab.open(meeting.get_absolute_url())  # reloaded: the same messages, rendered by the server
        expect(tab.page.locator("#chat > li.chat-message")).to_have_count(min(before + len(bodies), CHAT_SHOWN))
        tab.page.locator("#chat-earlier a").click()  # and the earlier ones, on asking
        expect(tab.page.locator("#chat > li.chat-message")).to_have_count(min(before + len(bodies), 2 * CHAT_SHOWN))
        tab.check("the earlier messages", tab.page.title())
        tab.open(f"/meetings/{meeting.pk}/minutes-view")

    each_server(chromium, servers, residents[20], live)
    meetings.adjourn_meeting(chair, meeting_id=meeting.pk)
    meetings.approve_minutes(chair, meeting_id=meeting.pk)

    def after(tab):
        tab.open(meeting.get_absolute_url())
        tab.open(f"/meetings/{meeting.pk}/minutes-print")
        tab.open("/meetings/")
        check_feed(tab.base, "/meetings/feed.atom", fitting(160))

    each_server(chromium, servers, residents[20], after)


# Polls, decisions, tasks and notifications ------------------------------------------------------------------


def test_no_payload_runs_on_poll_outcome_and_notification_pages(chromium, servers):
    community, grid, category, organisation, chair, worker, rep, residents = community_of_payloads()
    options = fitting(200)
    poll = polls.create_poll(chair, community_id=community.pk, title=PAYLOADS[0], body=documents(10000)[0],
                             options=options, method="single", secret=False, live_results=True)
    polls.open_poll(chair, poll_id=poll.pk)
    for title in fitting(200)[1:]:
        polls.create_poll(chair, community_id=community.pk, title=title, options=["Yes", "No"], method="single")
    for person in residents[:3]:
        polls.cast_ballot(person, poll_id=poll.pk, choices=poll.options.first().pk)
    closed = polls.create_poll(chair, community_id=community.pk, title=fitting(200)[1], options=options[:40],
                               method="single", secret=False)
    polls.open_poll(chair, poll_id=closed.pk)
    polls.cast_ballot(residents[0], poll_id=closed.pk, choices=closed.options.first().pk)
    closed = polls.close_poll(chair, poll_id=closed.pk)
    assert closed.decision is not None

    dates = {"collecting_from": timezone.localdate(), "deliberation_from": timezone.localdate(),
             "voting_from": timezone.localdate(), "concludes_on": timezone.localdate()}
    consultation = consult_services.create_consultation(chair, community_id=community.pk, grid_id=None, title=PAYLOADS[1],
                                                body=PAYLOADS[2], support_threshold=None, **dates)
    for phase in ("collecting", "deliberation", "voting"):
        consult_services.advance_phase(chair, consultation_id=consultation.pk, to=phase)
    task = {"owner_organisation_id": organisation.pk, "due_date": timezone.localdate() + WEEK}
    decide = partial(consult_services.record_consultation_decision, chair, consultation_id=consultation.pk)
    decisions = [decide(title=title, body=title, tasks=[{"title": title, **task}]) for title in fitting(160)]
    described = [decide(title=f"Decision {n}", body=doc, tasks=[{"title": f"Task {n}", **task}])
                 for n, doc in enumerate(documents(10000))]
    followed = described[0].tasks.get()
    for text in fitting(5000):
        ledger_services.post_task_update(rep, task_id=followed.pk, text=text, progress=10, status="in_progress")

    def visit(tab):
        shown = " ".join(tab.open(poll.get_absolute_url())["text"].split())
        assert all(" ".join(option.split()) in shown for option in options)  # every option, as text
        tab.open(closed.get_absolute_url())
        tab.open("/polls/")
        for page in range(1, -(-len(decisions + described) // 20) + 2):
            tab.open(f"/outcomes/?page={page}")
        for decision in [*described[1:], *decisions[:3], closed.decision, described[0]]:
            tab.open(decision.get_absolute_url())
        expect(tab.page.locator(f"#task-{followed.pk} .updates > li")).to_have_count(len(fitting(5000)))
        shown = tab.open("/notifications/")["text"]
        assert "<svg onload=alert(1)>" in shown
        check_feed(tab.base, "/outcomes/feed.atom", [*fitting(160), *(f"Decision {n}" for n in range(len(described)))])

    each_server(chromium, servers, rep, visit)
