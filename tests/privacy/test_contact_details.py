"""An issue reporter's contact details never reach a public page, feed, export or API answer.

The reporter gave a phone number, an e-mail address and a flat to the grid worker. The test walks
every page reachable by links from the site's entry points, every feed, calendar and CSV export, every
Open311 resource and every GET operation of the JSON API's OpenAPI document, anonymously and as a
resident of another grid, and looks for those details in every answer. A grid worker of the grid sees
them on the issue page: proof that the canary would be found if it leaked.
"""

import re
from datetime import timedelta
from urllib.parse import urldefrag

import pytest
from django.test import Client
from django.utils import timezone

from issues import services
from tests.privacy.conftest import PRIVATE_ADDRESS, PRIVATE_CONTACT

CANARIES = ["137 5555 0199", "canary.contact@example.net", "Canary Lane", PRIVATE_ADDRESS, PRIVATE_CONTACT,
            "resident@test.org", "+86 138 0000 2222", "Mr Li", "B3-303"]
ENTRY_POINTS = ["/", "/issues/", "/issues/?status=in_progress", "/consultations/", "/outcomes/", "/meetings/",
                "/polls/", "/stats/", "/search/?q=lift", "/c/canary/", "/c/canary/grids/1/", "/c/canary/grids/2/"]
FEEDS_AND_EXPORTS = ["/outcomes/feed.atom", "/consultations/feed.atom", "/meetings/feed.atom", "/c/canary/meetings.ics",
                     "/issues/issues.csv", "/issues/issues.csv?community=canary",
                     "/outcomes/decisions.csv?community=canary", "/polls/results.csv",
                     "/open311/v2/services.json", "/open311/v2/requests.json",
                     "/open311/v2/requests.json?status=open"]
NOT_PAGES = ("/accounts/", "/admin/", "/static/", "/media/", "/i18n/", "/healthz")
MOST_PAGES = 250


def links(html: str) -> set[str]:
    found = set()
    for href in re.findall(r'href="([^"]+)"', html):
        url = urldefrag(href.replace("&amp;", "&"))[0]
        if url.startswith("/") and not url.startswith("//") and not url.startswith(NOT_PAGES):
            found.add(url)
    return found


def api_paths(client, ids: dict) -> list[str]:
    """Every GET operation of the API, its path parameters filled with the world's ids."""
    schema = client.get("/api/v1/openapi.json").json()
    paths = []
    for path, operations in schema["paths"].items():
        if "get" not in operations:
            continue
        for name in re.findall(r"{(\w+)}", path):
            path = path.replace(f"{{{name}}}", str(ids.get(name, ids["default"])))
        paths.append(path)
    return paths


def every_answer(client, busy) -> dict[str, str]:
    """The body of every public answer reachable from the entry points, by address."""
    issue = busy["issue"]
    ids = {"issue_id": issue.pk, "consultation_id": busy["consultation"].pk, "proposal_id": busy["proposal"].pk,
           "poll_id": busy["secret_poll"].pk, "meeting_id": busy["meeting"].pk, "slug": "canary",
           "decision_id": issue.tasks.get().decision_id, "default": issue.pk}
    queue = [*ENTRY_POINTS, *FEEDS_AND_EXPORTS, issue.get_absolute_url(), f"/open311/v2/requests/{issue.pk}.json",
             f"/meetings/{busy['meeting'].pk}.ics", *api_paths(client, ids)]
    seen: dict[str, str] = {}
    while queue and len(seen) < MOST_PAGES:
        url = queue.pop(0)
        if url in seen:
            continue
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        seen[url] = body.decode("utf-8", "replace") if response.status_code == 200 else ""
        if response.status_code == 200 and "html" in response.get("Content-Type", ""):
            queue += sorted(links(seen[url]) - set(seen))
    return seen


@pytest.fixture
def handled(busy, grid_worker):
    """The issue triaged, with a task and a decision, so it shows on the outcomes pages and feeds too."""
    services.triage_issue(grid_worker, issue_id=busy["issue"].pk, tier="routine", task_title="Call the lift company",
                          owner_user_id=grid_worker.pk, due_date=timezone.localdate() + timedelta(days=3))
    return busy


@pytest.mark.parametrize("viewer", [None, "resident_of_other_grid"])
def test_no_public_page_feed_export_or_api_answer_shows_a_reporters_contact(request, handled, viewer):
    client = Client()
    if viewer:
        client.force_login(request.getfixturevalue(viewer))
    answers = every_answer(client, handled)
    reached = {url for url, body in answers.items() if body}
    assert len(reached) > 40 and any(u.startswith("/api/v1/") for u in reached)  # the walk went far
    assert any(u.startswith("/open311/") for u in reached) and any(u.endswith(".ics") for u in reached)
    leaks = {url: [c for c in CANARIES if c in body] for url, body in answers.items()}
    assert {url: found for url, found in leaks.items() if found} == {}


def test_the_grid_worker_sees_the_contact_so_the_canary_would_be_found(client, handled, grid_worker):
    client.force_login(grid_worker)
    assert PRIVATE_CONTACT in client.get(handled["issue"].get_absolute_url()).content.decode()
