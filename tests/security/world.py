"""One small world with a person in each role of the authorization matrix, and an object for each action.

Built through the services, as a person would build it. The world keeps primary keys only: tests load
the rows again, so nothing cached on a Python object leaks from one test into the next.
"""

from datetime import timedelta
from types import SimpleNamespace

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from community import services as community_services
from community.models import Community, Grid, Membership, Organisation, User
from consult import services as consult_services
from issues import services as issues_services
from issues.models import Category
from ledger import services as ledger_services
from meetings import services as meeting_services
from polls import services as poll_services
from tests.conftest import CANARY, make_user
from tests.consult.conftest import new_consultation
from tests.meetings.conftest import schedule
from tests.security.matrix import ROLES

Role = Membership.Role
TODAY = timezone.localdate()


def _member(email, name, community, role, **where) -> User:
    user = make_user(email, name)
    Membership.objects.create(user=user, community=community, role=role, **where)
    return user


def build_people() -> SimpleNamespace:
    """The community, its two grids and organisation, and one person per role (anonymous has none)."""
    community = Community.objects.create(name=f"Canary {CANARY}", slug="canary", description=CANARY)
    grid = Grid.objects.create(community=community, number=1, name=f"North {CANARY}", households=300)
    other_grid = Grid.objects.create(community=community, number=2, name="South", households=200)
    organisation = Organisation.objects.create(community=community, name=f"Evergreen {CANARY}",
                                               kind=Organisation.Kind.PROPERTY_MANAGEMENT)
    category = Category.objects.create(community=community, name=f"Lifts {CANARY}")
    people = {
        "unverified": make_user("unverified@test.org", "Uma", verified=False),
        "resident": _member("resident@test.org", f"Rita {CANARY}", community, Role.RESIDENT, grid=grid,
                            unit="B1-101"),
        "resident_other_grid": _member("resident2@test.org", "Rob", community, Role.RESIDENT, grid=other_grid),
        "grid_worker": _member("worker@test.org", "Wang", community, Role.GRID_WORKER, grid=grid),
        "grid_worker_other_grid": _member("worker2@test.org", "Wu", community, Role.GRID_WORKER, grid=other_grid),
        "org_rep": _member("org@test.org", "Oscar", community, Role.ORG_REP, organisation=organisation),
        "committee_member": _member("member@test.org", "Min", community, Role.COMMITTEE, position="member"),
        "chair": _member("chair@test.org", "Chen", community, Role.COMMITTEE, position="chair"),
        "secretary": _member("secretary@test.org", "Sun", community, Role.COMMITTEE, position="secretary"),
        "moderator": _member("moderator@test.org", "Mo", community, Role.MODERATOR),
        "staff": make_user("staff@test.org", "Stella", is_staff=True),
    }
    assert set(people) | {"anonymous"} == set(ROLES)
    return SimpleNamespace(community=community, grid=grid, other_grid=other_grid, organisation=organisation,
                           category=category, people=people, **people)


def _issue(w, title: str):
    return issues_services.raise_issue(
        w.resident, grid_id=w.grid.pk, category_id=w.category.pk, title=f"{title} {CANARY}",
        body=f"Details {CANARY}", location="Building 1 lobby", contact="+86 139 0000 1111",
        address="B1-101, Willow Court",
    )


def finish_tasks(w, issue) -> None:
    for task in issue.tasks.all():
        ledger_services.post_task_update(w.org_rep, task_id=task.pk, text="Done", progress=100, status="done")


def build_issues(w) -> None:
    """A new issue (and another to merge into), one being handled with a task, one resolved."""
    w.issue = _issue(w, "Lift broken")
    w.issue_twin = _issue(w, "Lift broken again")
    w.issue_open = _issue(w, "Lamp out")
    issues_services.triage_issue(w.grid_worker, issue_id=w.issue_open.pk, tier="routine", task_title="Change the lamp",
                          owner_organisation_id=w.organisation.pk, due_date=TODAY + timedelta(days=7))
    w.task = w.issue_open.tasks.get()
    w.issue_resolved = _issue(w, "Bench broken")
    issues_services.triage_issue(w.grid_worker, issue_id=w.issue_resolved.pk, tier="routine", task_title="Fix it",
                          owner_organisation_id=w.organisation.pk, due_date=TODAY + timedelta(days=7))
    finish_tasks(w, w.issue_resolved)
    issues_services.resolve_issue(w.grid_worker, issue_id=w.issue_resolved.pk, note="Fixed")
    # A second worker of grid 1, to hand an issue over to (the grid worker above is in charge of issue_open).
    w.second_worker = _member("worker3@test.org", "Wei", w.community, Membership.Role.GRID_WORKER, grid=w.grid)


def build_consultations(w) -> None:
    """A consultation collecting proposals (a proposal, a comment, a file), one in voting, a draft."""
    w.consultation = new_consultation(w.chair, w.community, threshold=2)
    w.proposal = consult_services.submit_proposal(w.resident, consultation_id=w.consultation.pk, title=f"Canteen {CANARY}",
                                          body=f"Lunch {CANARY}")
    w.comment = consult_services.post_comment(w.resident, consultation_id=w.consultation.pk, body=f"Yes {CANARY}",
                                      stance="for", proposal_id=w.proposal.pk)
    w.attachment = consult_services.attach_file(w.chair, consultation_id=w.consultation.pk, title="Plan",
                                        upload=SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n%%EOF\n",
                                                                  content_type="application/pdf"))
    w.voting = new_consultation(w.chair, w.community)
    proposals = [consult_services.submit_proposal(author, consultation_id=w.voting.pk, title=title, body="Nearer")
                 for author, title in ((w.resident, "Bins by the gate"), (w.resident_other_grid, "Bins by the road"))]
    consult_services.advance_phase(w.chair, consultation_id=w.voting.pk, to="deliberation")
    for proposal in proposals:
        consult_services.answer_proposal(w.chair, proposal_id=proposal.pk, answer="accepted", reason="Good")
    w.voting = consult_services.advance_phase(w.chair, consultation_id=w.voting.pk, to="voting")
    w.draft = new_consultation(w.chair, w.community, phase="draft")
    w.draft_attachment = consult_services.attach_file(w.chair, consultation_id=w.draft.pk, title="Draft plan",
                                              upload=SimpleUploadedFile("draft.pdf", b"%PDF-1.4\n%%EOF\n",
                                                                        content_type="application/pdf"))


def build_meetings(w) -> None:
    """Meetings chaired by the chair with the secretary: scheduled, live, live and closed, adjourned."""

    def meeting(**extra):
        made = schedule(w.chair, w.community, secretary=w.secretary, invite=[w.resident], orgs=[w.organisation],
                        **extra)
        meeting_services.add_agenda_item(w.chair, meeting_id=made.pk, title="Parking", minutes_allotted=20)
        meeting_services.add_agenda_item(w.chair, meeting_id=made.pk, title="Hall", minutes_allotted=20)
        return made

    w.scheduled = meeting()
    w.suggestion = meeting_services.suggest_agenda_item(w.resident, meeting_id=w.scheduled.pk, title="Bins")
    w.live = meeting_services.open_meeting(w.chair, meeting_id=meeting().pk)
    w.item = w.live.agenda_items.order_by("position").last()
    w.message = meeting_services.post_message(w.resident, meeting_id=w.live.pk, body=f"Hello {CANARY}")
    meeting_services.raise_hand(w.resident, meeting_id=w.live.pk)
    w.hand = w.live.speakers.get()
    w.noisy = make_user("noisy@test.org", "Noisy")  # muted in the live room: the one to let speak again
    Membership.objects.create(user=w.noisy, community=w.community, role=Membership.Role.RESIDENT, grid=w.grid)
    meeting_services.mute_participant(w.chair, meeting_id=w.live.pk, user_id=w.noisy.pk)
    w.closed = meeting_services.open_meeting(w.chair, meeting_id=meeting(is_public=False).pk)
    w.adjourned = meeting_services.open_meeting(w.chair, meeting_id=meeting().pk)
    meeting_services.update_minutes(w.secretary, meeting_id=w.adjourned.pk, body=f"We met {CANARY}", base_version=0)
    w.adjourned = meeting_services.adjourn_meeting(w.chair, meeting_id=w.adjourned.pk)


def build_polls(w) -> None:
    """An open poll of the community, a draft, and a closed one with a ballot."""
    w.poll = poll_services.open_poll(w.chair, poll_id=poll_services.create_poll(
        w.chair, community_id=w.community.pk, title="Paint the hall green?", options=[]).pk)
    w.poll_draft = poll_services.create_poll(w.chair, community_id=w.community.pk, title="Plant trees?", options=[])
    closed = poll_services.open_poll(w.chair, poll_id=poll_services.create_poll(
        w.chair, community_id=w.community.pk, title="Open the roof?", options=[]).pk)
    poll_services.cast_ballot(w.resident_other_grid, poll_id=closed.pk, choices="yes")
    w.poll_closed = poll_services.close_poll(w.chair, poll_id=closed.pk)
    # An open owners' decision: the resident owns Building 3 101, a stranger (no account here) 102.
    from community.services import register

    register.import_register(w.chair, community_id=w.community.pk, how="certificate", text=(
        "building,unit,area,grid,owner,owner_id,email\n"
        f"Building 3,101,90,{w.grid.number},Rita,,{w.resident.email}\n"
        f"Building 3,102,80,{w.grid.number},Li,,\n"))
    w.owners_poll = poll_services.open_poll(w.chair, poll_id=poll_services.create_owners_decision(
        w.chair, community_id=w.community.pk, title="Add a lift?", matter=7).pk)
    w.owners_party = poll_services.parties_of(w.resident, w.owners_poll)[0]


def build_accounts(w) -> None:
    """A newcomer's pending request to join grid 1, and the resident's personal API token."""
    w.applicant = make_user("applicant@test.org", "Ann")
    w.request = community_services.request_membership(w.applicant, grid_id=w.grid.pk, unit="B2-202")
    w.token = community_services.create_api_token(w.resident, name="Phone", scopes=["issues"])[0]


def build_world() -> SimpleNamespace:
    w = build_people()
    build_issues(w)
    build_consultations(w)
    build_meetings(w)
    build_polls(w)
    build_accounts(w)
    w.decision = w.task.decision
    from notifications.models import Notification
    w.resident_notification = Notification.objects.create(user=w.resident, message="Your issue moved", url="/issues/")
    w.bare_decision = ledger_services.record_decision(w.chair, community=w.community, title="Plant trees",
                                                      source="poll")  # a vote's decision, no task yet
    return w
