"""/c/<slug>/audit/: the committee (and staff) read the log; nobody else learns it exists."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

import audit
from issues import services
from tests.conftest import CANARY, make_user

URL = "/c/canary/audit/"


@pytest.fixture
def entries(issue, grid_worker, chair, community):
    services.triage_issue(grid_worker, issue_id=issue.pk, tier="major")
    audit.record(chair, "membership.declined", community=community, target=grid_worker, grid="North",
                 reason=f"Unknown unit {CANARY}")
    audit.record(None, "export.backup", community=None, rows=10, files=2)


def test_the_chair_reads_the_log_newest_first_with_sentences_and_links(client, chair, issue, entries):
    client.force_login(chair)
    html = client.get(URL).content.decode()
    assert "Triaged an issue: Major: joint handling" in html
    assert f'href="{issue.get_absolute_url()}"' in html
    assert "Exported a backup of the whole platform: 10 rows, 2 files" in html  # platform-wide: every committee
    assert CANARY not in html and "Unknown unit &lt;script&gt;" in html
    assert html.index("Exported a backup") < html.index("Declined a request") < html.index("Triaged an issue")


def test_staff_read_any_communitys_log(client, entries):
    client.force_login(make_user("staff@test.org", "Sam", is_staff=True))
    assert client.get(URL).status_code == 200


@pytest.mark.parametrize("who", ["resident", "grid_worker", "moderator", "outsider_chair"])
def test_anyone_but_the_committee_gets_not_found(client, request, entries, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(URL).status_code == 404


def test_a_visitor_is_sent_to_sign_in(client, entries):
    assert client.get(URL)["Location"].startswith("/accounts/login/")


def test_the_log_filters_by_kind_and_by_person(client, chair, grid_worker, entries):
    client.force_login(chair)
    html = client.get(URL, {"kind": "issues"}).content.decode()
    assert "Triaged an issue" in html and "Declined a request" not in html
    html = client.get(URL, {"person": chair.pk}).content.decode()
    assert "Declined a request" in html and "Triaged an issue" not in html


def test_a_bad_filter_says_so_and_filters_nothing(client, chair, entries):
    client.force_login(chair)
    html = client.get(URL, {"kind": "everything-please", "person": "x"}).content.decode()
    assert html.count('class="errorlist"') == 2
    assert "Triaged an issue" in html and "Declined a request" in html


def test_the_committee_finds_the_log_on_the_community_page(client, chair, resident, community):
    client.force_login(chair)
    assert f'href="{URL}"' in client.get("/c/canary/").content.decode()
    client.force_login(resident)
    assert f'href="{URL}"' not in client.get("/c/canary/").content.decode()


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(URL).status_code == 200
    return len(context)


def test_the_page_runs_a_constant_number_of_queries(client, chair, community, django_assert_max_num_queries):
    people = [make_user(f"p{i}@test.org", f"P{i}") for i in range(3)]
    for person in people:
        audit.record(person, "issue.resolved", community=community, target=community)
    client.force_login(chair)
    small = _queries(client)
    people += [make_user(f"q{i}@test.org", f"Q{i}") for i in range(20)]
    for n in range(120):
        audit.record(people[n % len(people)], "issue.resolved", community=community, target=community)
    assert _queries(client) == small
    with django_assert_max_num_queries(small):
        assert client.get(URL, {"page": 3}).status_code == 200
