"""The API as its callers see it: tokens, writes through the services, the pages' permissions, public fields."""

import json

import pytest
from django.db import connection
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from community.models import ApiToken
from consult import services as consult_services
from consult.models import Comment, Support
from issues import services as issues_services
from issues.models import Issue, Rating
from ledger import services as ledger_services
from polls.models import Poll
from tests.api.conftest import ALL_SCOPES, bearer, sign_in, token_for
from tests.conftest import CANARY, make_user
from tests.consult.conftest import new_consultation
from tests.meetings.conftest import schedule
from tests.polls.conftest import box_contents, make_poll

pytestmark = pytest.mark.django_db


def resolved(issue, grid_worker):
    from datetime import timedelta

    from django.utils import timezone

    issues_services.triage_issue(grid_worker, issue_id=issue.pk, tier="routine", task_title="Repair",
                          owner_user_id=grid_worker.pk, due_date=timezone.localdate() + timedelta(days=1))
    for task in issue.tasks.all():
        ledger_services.post_task_update(grid_worker, task_id=task.pk, text="Done", progress=100, status="done")
    issues_services.resolve_issue(grid_worker, issue_id=issue.pk, note="Repaired")


def post(api, path, data, **headers):
    return api.post(f"/api/v1{path}", json.dumps(data), content_type="application/json", **headers)


# Tokens: the account page creates, lists and revokes them -------------------------------------------


def test_the_account_page_creates_a_token_shown_once_and_kept_only_as_a_hash(client, resident):
    sign_in(client, resident)
    page = client.post(reverse("community:api-tokens"), {"name": "My phone", "scopes": ["issues", "polls"]})
    assert page.status_code == 200
    token = ApiToken.objects.get(user=resident)
    secret = page.context["secret"]
    assert secret.startswith("yishi_") and secret in page.content.decode()
    assert token.scopes == ["issues", "polls"] and secret not in token.key_hash and token.prefix in secret
    again = client.get(reverse("community:api-tokens")).content.decode()
    assert "My phone" in again and token.prefix in again and secret not in again  # listed, never shown again
    me = Client().get("/api/v1/me", **bearer(secret))
    assert me.json() == {"id": resident.pk, "name": resident.public_name, "scopes": ["issues", "polls"]}
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_token_needs_a_name_and_a_scope_and_a_refused_form_keeps_its_input(client, resident):
    sign_in(client, resident)
    page = client.post(reverse("community:api-tokens"), {"name": "Kiosk", "scopes": []})
    assert page.status_code == 200 and not ApiToken.objects.exists()
    assert 'value="Kiosk"' in page.content.decode()
    assert page.context["form"].errors["scopes"]


def test_a_revoked_token_stops_working_at_once(client, resident, api):
    secret = token_for(resident)
    token = ApiToken.objects.get(user=resident)
    assert api.get("/api/v1/me", **bearer(secret)).status_code == 200
    sign_in(client, resident)
    client.post(reverse("community:api-token-revoke", args=[token.pk]))
    refused = api.get("/api/v1/me", **bearer(secret))
    assert refused.status_code == 401 and refused.json()["message"]
    assert "Revoked" in client.get(reverse("community:api-tokens")).content.decode()


def test_no_one_revokes_another_persons_token(client, resident, voters):
    token_for(resident)
    token = ApiToken.objects.get(user=resident)
    client.force_login(voters[1])
    assert client.post(reverse("community:api-token-revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_token_page_asks_for_the_password_again_after_a_while(client, resident):
    client.force_login(resident)  # a session with no recent password, e.g. one taken over
    answer = client.get(reverse("community:api-tokens"))
    assert answer.status_code == 302 and "reauthenticate" in answer["Location"]
    client.post(reverse("community:api-tokens"), {"name": "Stolen", "scopes": ["issues"]})
    assert not ApiToken.objects.exists()


def test_a_new_password_revokes_every_token(client, resident, api):
    secret = token_for(resident)
    sign_in(client, resident)
    new = "a new long passphrase"
    changed = client.post("/accounts/password/change/",
                          {"oldpassword": "correct horse battery", "password1": new, "password2": new})
    assert changed.status_code == 302
    assert api.get("/api/v1/me", **bearer(secret)).status_code == 401


def test_at_most_ten_active_tokens(resident):
    for _n in range(10):
        token_for(resident)
    with pytest.raises(Exception, match="most allowed"):
        token_for(resident)


@pytest.mark.parametrize("header", ["Bearer nonsense", "Bearer yishi_made-up", "Basic abc", "Bearer "])
def test_a_wrong_token_is_refused_as_json(api, header, world):
    answer = post(api, f"/issues/{world['issue'].pk}/ratings", {"score": 5}, HTTP_AUTHORIZATION=header)
    assert answer.status_code == 401 and answer["Content-Type"].startswith("application/json")
    assert "Authorization: Bearer" in answer.json()["message"]


def test_a_deactivated_account_s_token_no_longer_works(api, resident):
    secret = token_for(resident)
    resident.is_active = False
    resident.save()
    assert api.get("/api/v1/me", **bearer(secret)).status_code == 401


# Scopes ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("scopes", [["consultations", "polls"], ["issues", "polls"], ["issues", "consultations"]])
def test_a_token_only_does_what_its_scopes_allow(api, world, resident, grid, category, scopes):
    secret = token_for(resident, scopes)
    consultation, poll = world["consultation"], world["open_poll"]
    calls = {
        "issues": lambda: post(api, "/issues", {"category": category.pk, "title": "Leak", "body": "Water"},
                               **bearer(secret)),
        "consultations": lambda: post(api, f"/consultations/{consultation.pk}/comments", {"body": "Yes"},
                                      **bearer(secret)),
        "polls": lambda: post(api, f"/polls/{poll.pk}/ballots", {"choices": "yes"}, **bearer(secret)),
    }
    before = (Issue.objects.count(), Comment.objects.count(), secret_turnout())
    for scope, call in calls.items():
        answer = call()
        if scope in scopes:
            assert answer.status_code == 201, answer.json()
        else:
            assert answer.status_code == 403 and scope in answer.json()["message"]
    after = (Issue.objects.count(), Comment.objects.count(), secret_turnout())
    assert [b != a for b, a in zip(before, after, strict=True)] == [s in scopes for s in ALL_SCOPES]


# Writes with the session need the CSRF token, as the pages do ------------------------------------------


def test_the_session_writes_only_with_the_csrf_token(resident, world):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(resident)
    path = f"/api/v1/consultations/{world['consultation'].pk}/comments"
    refused = browser.post(path, json.dumps({"body": "From the page's script"}), content_type="application/json")
    assert refused.status_code == 403 and "CSRF" in refused.json()["message"]
    assert not Comment.objects.filter(body="From the page's script").exists()
    request = RequestFactory().get("/")
    token = get_token(request)
    browser.cookies["csrftoken"] = request.META["CSRF_COOKIE"]
    done = browser.post(path, json.dumps({"body": "From the page's script"}), content_type="application/json",
                        HTTP_X_CSRFTOKEN=token)
    assert done.status_code == 201 and done.json()["author"] == resident.public_name


def test_writes_without_any_credentials_are_asked_who_they_are(api, world):
    answer = post(api, "/issues", {"category": 1, "title": "T", "body": "B"})
    assert answer.status_code == 401 and "Bearer" in answer.json()["message"]


def test_a_nul_character_is_refused_with_a_message(api, resident, category):
    answer = post(api, "/issues", {"category": category.pk, "title": "Lift\x00", "body": "B"},
                  **bearer(token_for(resident)))
    assert answer.status_code == 400 and "not allowed" in answer.json()["message"] and not Issue.objects.exists()


def test_reads_need_no_sign_in(api, world):
    for path in ["/communities", "/grids", "/organisations", "/categories", "/issues", "/consultations",
                 "/proposals", "/comments", "/meetings", "/polls", "/decisions"]:
        answer = api.get(f"/api/v1{path}")
        assert answer.status_code == 200 and answer.json()["count"] >= 1, path


# Writes go through the same services as the pages --------------------------------------------------------


def test_a_resident_raises_an_issue_that_the_issue_page_shows(api, client, resident, grid, category):
    secret = token_for(resident)
    answer = post(api, "/issues", {"category": category.pk, "title": "Broken bench", "body": "By the **gate**",
                                   "location": "East gate", "name_public": True}, **bearer(secret))
    assert answer.status_code == 201
    body = answer.json()
    assert body["grid"]["id"] == grid.pk and body["status"] == "new" and body["reporter"] == resident.public_name
    page = client.get(f"/issues/{body['id']}/").content.decode()
    assert "Broken bench" in page and "East gate" in page
    assert Issue.objects.get(pk=body["id"]).channel == "online"


def test_a_resident_rates_a_resolved_issue_and_a_low_rating_reopens_it(api, resident, issue, grid_worker):
    resolved(issue, grid_worker)
    answer = post(api, f"/issues/{issue.pk}/ratings", {"score": 1, "comment": "Still stuck"},
                  **bearer(token_for(resident)))
    assert answer.status_code == 201 and answer.json()["reopened"] is True
    issue.refresh_from_db()
    assert issue.status == "in_progress"
    again = post(api, f"/issues/{issue.pk}/ratings", {"score": 5}, **bearer(token_for(resident)))
    assert again.status_code == 400 and Rating.objects.count() == 1


def test_support_and_withdraw_it(api, world, resident):
    secret, proposal = token_for(resident), world["proposal"]
    first = post(api, f"/proposals/{proposal.pk}/support", {}, **bearer(secret))
    assert first.status_code == 201 and first.json() == {"proposal": proposal.pk, "supports": 1, "supported": True}
    second = post(api, f"/proposals/{proposal.pk}/support", {}, **bearer(secret))
    assert second.status_code == 400 and Support.objects.count() == 1
    gone = api.delete(f"/api/v1/proposals/{proposal.pk}/support", **bearer(secret))
    assert gone.json() == {"proposal": proposal.pk, "supports": 0, "supported": False}


def test_a_secret_ballot_returns_its_receipt_once_and_is_final(api, world, resident):
    secret, poll = token_for(resident), world["open_poll"]
    answer = post(api, f"/polls/{poll.pk}/ballots", {"choices": "yes"}, **bearer(secret))
    assert answer.status_code == 201 and len(answer.json()["receipt"]) >= 8
    again = post(api, f"/polls/{poll.pk}/ballots", {"choices": "no"}, **bearer(secret))
    assert again.status_code == 400 and "final" in again.json()["message"]
    assert box_contents(poll)["ballots"] == ['"yes"']


@pytest.mark.parametrize("choices", [["yes"], 3, None, {"a": 1}, "maybe"])
def test_a_ballot_that_does_not_fit_the_poll_is_refused_and_nothing_counts(api, world, resident, choices):
    poll = world["open_poll"]
    answer = post(api, f"/polls/{poll.pk}/ballots", {"choices": choices}, **bearer(token_for(resident)))
    assert answer.status_code == 400 and answer.json()["message"]
    assert box_contents(poll)["voted"] == []


def test_messages_follow_the_callers_language(api, world, resident):
    answer = post(api, f"/polls/{world['closed_poll'].pk}/ballots", {"choices": "yes"},
                  **bearer(token_for(resident)), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert answer.status_code == 400 and any("\u4e00" <= ch <= "\u9fff" for ch in answer.json()["message"])


def test_invalid_input_names_each_field(api, resident, category):
    answer = post(api, "/issues", {"category": "lifts", "body": "x" * 10001}, **bearer(token_for(resident)))
    assert answer.status_code == 422
    fields = {error["field"] for error in answer.json()["errors"]}
    assert {"body.payload.category", "body.payload.title", "body.payload.body"} <= fields
    assert not Issue.objects.exists()


# Permission parity: what the page forbids, the API forbids, and nothing changes ---------------------------


def _page_and_api(client, api, user, page_url, page_data, api_path, api_data):
    """Both ways, as the same person; returns (api answer, rows written by either)."""
    before = _rows()
    client.force_login(user)
    assert client.post(page_url, page_data).status_code in (200, 302, 403)  # the page answered, and refused
    answer = post(api, api_path, api_data, **bearer(token_for(user)))
    return answer, _rows() != before


def secret_turnout() -> int:
    """Secret votes cast in every poll, as the ballot boxes know them."""
    return sum(len(box_contents(poll)["voted"]) for poll in Poll.objects.filter(secret=True).exclude(box_key=""))


def _rows():
    return (Issue.objects.count(), Comment.objects.count(), Support.objects.count(), Rating.objects.count(),
            secret_turnout())


def test_parity_raising_an_issue_in_another_grid(client, api, resident_of_other_grid, grid, category):
    answer, changed = _page_and_api(
        client, api, resident_of_other_grid, reverse("issues:issue-new"),
        {"grid": grid.pk, "category": category.pk, "title": "Not mine", "body": "Elsewhere"},
        "/issues", {"grid": grid.pk, "category": category.pk, "title": "Not mine", "body": "Elsewhere"})
    assert answer.status_code == 403 and not changed


def test_parity_a_newcomer_cannot_raise_an_issue(client, api, newcomer, category):
    answer, changed = _page_and_api(
        client, api, newcomer, reverse("issues:issue-new"), {"category": category.pk, "title": "T", "body": "B"},
        "/issues", {"category": category.pk, "title": "T", "body": "B"})
    assert answer.status_code == 400 and "join" in answer.json()["message"] and not changed


def test_parity_an_author_cannot_support_their_own_proposal(client, api, world, voters):
    proposal = world["proposal"]  # by voters[1]
    answer, changed = _page_and_api(client, api, voters[1], f"/proposals/{proposal.pk}/support", {},
                                    f"/proposals/{proposal.pk}/support", {})
    assert answer.status_code == 403 and not changed


def test_parity_an_outsider_cannot_comment(client, api, world, newcomer):
    consultation = world["consultation"]
    answer, changed = _page_and_api(
        client, api, newcomer, f"/consultations/{consultation.pk}/comment",
        {"comment-body": "Hello", "comment-stance": "neutral"},
        f"/consultations/{consultation.pk}/comments", {"body": "Hello"})
    assert answer.status_code == 403 and not changed


def test_parity_only_the_reporter_and_followers_rate(client, api, issue, grid_worker, resident_of_other_grid):
    resolved(issue, grid_worker)
    answer, changed = _page_and_api(client, api, resident_of_other_grid, f"/issues/{issue.pk}/rate",
                                    {"score": "5"}, f"/issues/{issue.pk}/ratings", {"score": 5})
    assert answer.status_code == 403 and not changed


def test_parity_only_the_poll_s_voters_vote(client, api, world, resident_of_other_grid, chair, grid):
    poll = make_poll(chair, grid.community, title="Grid 1 only", audience="grid", grid_id=grid.pk)
    answer, changed = _page_and_api(client, api, resident_of_other_grid, f"/polls/{poll.pk}/vote",
                                    {"ballot-choice": "yes"}, f"/polls/{poll.pk}/ballots", {"choices": "yes"})
    assert answer.status_code == 400 and not changed


def test_parity_a_closed_meetings_poll_is_not_found_for_those_not_invited(client, api, chair, community,
                                                                         newcomer, voters):
    from polls import services as poll_services

    meeting = schedule(chair, community, is_public=False, invite=[voters[0]])
    poll = poll_services.create_poll(chair, community_id=community.pk, title="Closed door", options=[],
                                     method="yes_no", meeting_id=meeting.pk)
    assert post(api, f"/polls/{poll.pk}/ballots", {"choices": "yes"}, **bearer(token_for(newcomer))).status_code == 404
    assert api.get(f"/api/v1/polls/{poll.pk}").status_code == 404


def test_parity_a_draft_consultation_takes_no_comment(api, chair, community, resident):
    draft = new_consultation(chair, community, phase="draft")
    answer = post(api, f"/consultations/{draft.pk}/comments", {"body": "Early"}, **bearer(token_for(resident)))
    assert answer.status_code == 404 and not Comment.objects.exists()


# What the public reads: public fields only, and only what is public --------------------------------------


def test_an_issue_never_shows_its_reporter_s_contact_or_address(api, world):
    text = api.get(f"/api/v1/issues/{world['issue'].pk}").content.decode()
    for private in ["+86 139 0000 1111", "B1-101", "resident@test.org"]:
        assert private not in text
    assert json.loads(text)["reporter"] is None  # the reporter did not choose to show their name


def test_text_comes_back_as_written_for_the_client_to_escape(api, world):
    issue = api.get(f"/api/v1/issues/{world['issue'].pk}").json()
    assert CANARY in issue["title"]  # JSON carries data; escaping is the renderer's work, as on our pages


def test_drafts_closed_meetings_and_private_decisions_stay_out(api, chair, community, world, voters):
    draft = new_consultation(chair, community, phase="draft")
    closed = schedule(chair, community, is_public=False, invite=[voters[0]])
    from ledger.models import Decision
    from polls import services as poll_services

    private = Decision.objects.create(community=community, title="Behind doors", source="meeting", is_public=False)
    draft_poll = poll_services.create_poll(chair, community_id=community.pk, title="Draft", options=[],
                                           method="yes_no")
    lists = {path: [item["id"] for item in api.get(f"/api/v1/{path}?page_size=100").json()["items"]]
             for path in ["consultations", "meetings", "decisions", "polls"]}
    assert draft.pk not in lists["consultations"] and closed.pk not in lists["meetings"]
    assert private.pk not in lists["decisions"] and draft_poll.pk not in lists["polls"]
    for path in [f"consultations/{draft.pk}", f"meetings/{closed.pk}", f"decisions/{private.pk}",
                 f"polls/{draft_poll.pk}"]:
        assert api.get(f"/api/v1/{path}").status_code == 404


def test_hidden_and_deleted_comments_keep_their_place_without_text(api, world, moderator, voters):
    comment = world["comment"]
    consult_services.delete_comment(voters[2], comment_id=comment.pk)
    item = api.get(f"/api/v1/comments?proposal={world['proposal'].pk}").json()["items"][0]
    assert item["id"] == comment.pk and item["deleted"] and item["body"] is None and item["author"] is None


def test_a_hidden_proposal_s_discussion_is_hidden_with_it(api, client, world, moderator):
    proposal, comment = world["proposal"], world["comment"]
    consult_services.moderate(moderator, action="hide", reason="abuse", explanation="Insults", proposal_id=proposal.pk)
    assert api.get(f"/api/v1/comments?proposal={proposal.pk}").json()["count"] == 0
    item = api.get(f"/api/v1/proposals/{proposal.pk}").json()
    assert item["hidden"] and item["title"] is None and item["body"] is None
    assert client.get(f"/comments/{comment.pk}/").status_code == 404  # the page's live fragment too


def test_a_poll_whose_time_is_up_reads_closed_to_votes_and_reading_it_counts_nothing(api, world, chair, community):
    from datetime import timedelta

    from django.utils import timezone

    from polls.models import Poll

    poll = world["open_poll"]
    assert api.get(f"/api/v1/polls/{poll.pk}").json()["voting_open"] is True
    Poll.objects.filter(pk=poll.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    read = api.get(f"/api/v1/polls/{poll.pk}").json()
    assert read["status"] == "open" and read["voting_open"] is False and read["result"] is None
    assert Poll.objects.get(pk=poll.pk).status == "open"  # the worker counts it (tests/polls/test_closing.py)


def test_ballots_are_published_only_after_the_poll_closes(api, world):
    closed, still_open = world["closed_poll"], world["open_poll"]
    ballots = api.get(f"/api/v1/polls/{closed.pk}/ballots").json()
    assert sorted(ballots["ballots"]) == ["abstain", "no", "yes", "yes", "yes"] and len(ballots["receipts"]) == 5
    poll = api.get(f"/api/v1/polls/{closed.pk}").json()
    assert poll["result"]["counts"] == {"yes": 3, "no": 1, "abstain": 1} and poll["result"]["winners"] == ["yes"]
    assert api.get(f"/api/v1/polls/{still_open.pk}/ballots").status_code == 404
    assert api.get(f"/api/v1/polls/{still_open.pk}").json()["result"] is None


def test_a_meeting_shows_its_agenda_and_minutes_only_once_published(api, world):
    meeting = api.get(f"/api/v1/meetings/{world['meeting'].pk}").json()
    assert [item["title"] for item in meeting["agenda"]] == ["Parking"] and meeting["minutes"] is None


def test_a_decision_lists_its_tasks(api, world, organisation):
    decision = api.get(f"/api/v1/decisions/{world['decision'].pk}").json()
    assert decision["tasks"][0]["owner"] == organisation.name and decision["tasks"][0]["overdue"] is False


def test_filters_by_grid_status_and_day(api, world, other_grid, grid, category, resident_of_other_grid):
    issues_services.raise_issue(resident_of_other_grid, grid_id=other_grid.pk, category_id=category.pk, title="South",
                         body="Other grid")
    by_grid = api.get(f"/api/v1/issues?grid={other_grid.pk}").json()
    assert [i["title"] for i in by_grid["items"]] == ["South"] and by_grid["count"] == 1
    assert api.get("/api/v1/issues?status=resolved").json()["count"] == 0
    assert api.get("/api/v1/issues?open=true").json()["count"] == 2
    assert api.get("/api/v1/issues?since=2000-01-01&until=2000-12-31").json()["count"] == 0
    assert api.get("/api/v1/issues?until=0").status_code == 422  # a day is YYYY-MM-DD, not seconds


def test_pages_of_results(api, world, resident, category):
    for n in range(4):
        issues_services.raise_issue(resident, grid_id=world["issue"].grid_id, category_id=category.pk, title=f"N{n}",
                             body="b")
    first = api.get("/api/v1/issues?page_size=2").json()
    second = api.get("/api/v1/issues?page_size=2&page=2").json()
    assert first["count"] == 5 and len(first["items"]) == 2
    assert not {i["id"] for i in first["items"]} & {i["id"] for i in second["items"]}
    assert api.get("/api/v1/issues?page_size=101").status_code == 422


# Constant queries whatever the data size -------------------------------------------------------------------


@pytest.mark.parametrize("path", ["issues", "consultations", "proposals", "comments", "meetings", "polls",
                                  "decisions", "grids", "categories"])
def test_lists_cost_the_same_number_of_queries_for_more_data(api, world, path, chair, community, resident,
                                                            voters, category, organisation):
    def count():
        api.get(f"/api/v1/{path}")  # the first read fills the caches, not the measured one
        with CaptureQueriesContext(connection) as queries:
            assert api.get(f"/api/v1/{path}").status_code == 200
        return len(queries)

    small = count()
    _more(world, chair, community, resident, voters, category, organisation)
    assert count() == small


def _more(world, chair, community, resident, voters, category, organisation):
    from datetime import timedelta

    from django.utils import timezone

    from community.models import Grid
    from issues.models import Category
    from ledger.models import Decision, Task

    grid = world["issue"].grid
    for n in range(3):
        issues_services.raise_issue(resident, grid_id=grid.pk, category_id=category.pk, title=f"More {n}", body="b")
        consultation = new_consultation(chair, community)
        proposal = consult_services.submit_proposal(voters[n], consultation_id=consultation.pk, title="P", body="B")
        consult_services.post_comment(voters[n + 1], consultation_id=consultation.pk, body="C", proposal_id=proposal.pk)
        meeting = schedule(chair, community)
        from meetings import services as meeting_services

        meeting_services.add_agenda_item(chair, meeting_id=meeting.pk, title="Item", minutes_allotted=5)
        make_poll(chair, community, title=f"Poll {n}")
        decision = Decision.objects.create(community=community, title=f"D{n}", source="committee")
        Task.objects.create(decision=decision, title="T", owner_organisation=organisation,
                            due_date=timezone.localdate() + timedelta(days=3))
        Grid.objects.create(community=community, number=10 + n, name=f"G{n}")
        Category.objects.create(community=community, name=f"C{n}")
    make_user("extra@test.org")


# The documentation ----------------------------------------------------------------------------------------


def test_the_openapi_document_and_its_page(api):
    document = api.get("/api/v1/openapi.json").json()
    assert document["openapi"].startswith("3.")
    assert {"/api/v1/issues", "/api/v1/polls/{poll_id}/ballots", "/api/v1/proposals/{proposal_id}/support"} <= set(
        document["paths"])
    assert document["components"]["securitySchemes"]["TokenAuth"] == {"type": "http", "scheme": "bearer"}
    docs = api.get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in docs and "<script>" not in docs  # vendored, no inline script
