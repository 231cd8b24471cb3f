"""Open311 GeoReport v2: public fields only, the spec's filters and errors, raising through the service."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from community import services as community_services
from issues import services as issues_services
from issues.models import Category, Issue
from tests.conftest import CANARY

IMAGES = Path(__file__).parent.parent / "issues" / "images"
SERVICE_FIELDS = {"service_code": str, "service_name": str, "description": str, "metadata": bool, "type": str,
                  "keywords": str, "group": str}
REQUEST_FIELDS = {
    "service_request_id": str, "status": str, "status_notes": str, "service_name": str, "service_code": str,
    "description": str, "agency_responsible": str, "service_notice": type(None), "requested_datetime": str,
    "updated_datetime": str, "expected_datetime": type(None), "address": str, "address_id": type(None),
    "zipcode": type(None), "lat": type(None), "long": type(None), "media_url": (str, type(None)),
}
PRIVATE = ["139 0000 1111", "Willow Court", "resident@test.org", "Rita", "B1-101"]


def get(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    return response.json()


def post(data, status=200, **headers):
    """A cookie-less client with CSRF checks on, as an outside app would be."""
    response = Client(enforce_csrf_checks=True).post("/open311/v2/requests.json", data, headers=headers)
    assert response.status_code == status, response.content
    return response.json()


def assert_refusal(body, status):
    assert len(body) >= 1 and all(set(e) == {"code", "description"} and e["code"] == status for e in body)
    assert all(isinstance(e["description"], str) and e["description"] for e in body)


def raise_more(resident, grid, category, count, *, photo=False):
    for i in range(count):
        photos = [SimpleUploadedFile("small.png", (IMAGES / "small.png").read_bytes())] if photo else None
        issues_services.raise_issue(resident, grid_id=grid.pk, category_id=category.pk, title=f"More {i}{' with a photo' if photo else ''}", body="B",
                             photos=photos)


@pytest.fixture
def key(resident):
    return community_services.create_api_token(resident, name="Civic app", scopes=["issues"])[1]


@pytest.fixture
def form(category, key):
    return {"api_key": key, "service_code": str(category.pk), "description": "Streetlight out\nSince Monday.",
            "address_string": "Gate 2", "lat": "31.2304", "long": "121.4737", "phone": "+86 138 2222 3333",
            "email": "someone@test.org", "first_name": "Ann", "last_name": "Lee", "attribute[size]": "big",
            "media_url": "https://example.org/x.jpg"}


# Services ---------------------------------------------------------------------------------


def test_services_list_the_communitys_active_categories_with_every_field(client, category, community,
                                                                        other_community):
    Category.objects.create(community=community, name="Retired", active=False)
    Category.objects.create(community=other_community, name="Far away")
    services_ = get(client, "/open311/v2/services.json?jurisdiction_id=canary")
    assert [s["service_name"] for s in services_] == [category.name]
    service = services_[0]
    assert set(service) == set(SERVICE_FIELDS)
    assert all(isinstance(service[name], kind) for name, kind in SERVICE_FIELDS.items())
    assert service["service_code"] == str(category.pk) and service["metadata"] is False
    assert service["type"] == "realtime"
    elsewhere = get(client, "/open311/v2/services.json?jurisdiction_id=elsewhere")
    assert [s["service_name"] for s in elsewhere] == ["Far away"]


def test_an_unknown_jurisdiction_is_a_404_error_array(client, community):
    assert_refusal(get(client, "/open311/v2/services.json?jurisdiction_id=nowhere", 404), 404)
    assert_refusal(get(client, "/open311/v2/requests.json?jurisdiction_id=nowhere", 404), 404)


def test_xml_is_not_offered(client, community):
    body = get(client, "/open311/v2/services.xml", 404)
    assert_refusal(body, 404)
    assert "JSON" in body[0]["description"]


# Requests: fields and privacy ----------------------------------------------------------------


def test_requests_carry_every_georeport_field_with_the_right_types(client, issue, resident, grid, category):
    raise_more(resident, grid, category, 1, photo=True)
    requests = get(client, "/open311/v2/requests.json")
    assert len(requests) == 2
    for request in requests:
        assert set(request) == set(REQUEST_FIELDS)
        assert all(isinstance(request[name], kind) for name, kind in REQUEST_FIELDS.items()), request
    with_photo, first = requests
    assert with_photo["media_url"].startswith("http://testserver/media/issues/")
    assert client.get(with_photo["media_url"].removeprefix("http://testserver")).status_code == 200
    assert first["service_request_id"] == str(issue.pk) and first["status"] == "open"
    assert first["service_code"] == str(category.pk) and first["service_name"] == category.name
    assert first["address"] == "Building 1 lobby" and first["agency_responsible"] == str(grid)
    assert first["description"].startswith(f"Lift broken {CANARY}\n\n") and "**B1**" in first["description"]
    assert first["requested_datetime"] == timezone.localtime(issue.created_at).isoformat(timespec="seconds")
    assert first["media_url"] is None


def test_requests_never_show_the_reporter_their_contact_or_address(client, issue, form):
    Issue.objects.filter(pk=issue.pk).update(name_public=True)
    raised = post(form)[0]["service_request_id"]
    text = client.get("/open311/v2/requests.json").content.decode()
    text += client.get(f"/open311/v2/requests/{raised}.json").content.decode()
    assert all(secret not in text for secret in [*PRIVATE, "138 2222 3333", "31.2304", "someone@test.org"])


@pytest.mark.parametrize("status,tier,shown", [
    ("new", "", "open"), ("needs_info", "", "open"), ("in_progress", "routine", "open"),
    ("resolved", "routine", "closed"), ("closed", "routine", "closed"), ("declined", "", "closed"),
])
def test_statuses_map_to_open_and_closed(client, issue, status, tier, shown):
    Issue.objects.filter(pk=issue.pk).update(status=status, tier=tier)
    request = get(client, f"/open311/v2/requests/{issue.pk}.json")[0]
    assert request["status"] == shown and request["status_notes"] == Issue.Status(status).label


def test_merged_and_declined_issues_are_listed_closed_as_on_the_public_list(client, issue, grid_worker,
                                                                             resident, grid, category):
    raise_more(resident, grid, category, 2)
    duplicate, declined = Issue.objects.exclude(pk=issue.pk).order_by("pk")
    issues_services.merge_issue(grid_worker, issue_id=duplicate.pk, into_id=issue.pk)
    issues_services.decline_issue(grid_worker, issue_id=declined.pk, reason="Not ours")
    requests = {r["service_request_id"]: r for r in get(client, "/open311/v2/requests.json")}
    assert requests[str(duplicate.pk)]["status"] == "closed"
    assert requests[str(duplicate.pk)]["status_notes"].endswith(f"#{issue.pk}")
    assert requests[str(declined.pk)]["status"] == "closed" and requests[str(issue.pk)]["status"] == "open"


# Requests: filters and errors -------------------------------------------------------------------


def test_the_spec_filters_narrow_the_list(client, issue, grid_worker, resident, grid, category, community):
    lamps = Category.objects.create(community=community, name="Lamps")
    lamp = issues_services.raise_issue(resident, grid_id=grid.pk, category_id=lamps.pk, title="Lamp", body="B")
    old = issues_services.raise_issue(resident, grid_id=grid.pk, category_id=lamps.pk, title="Old", body="B")
    Issue.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=100))
    issues_services.decline_issue(grid_worker, issue_id=lamp.pk, reason="Not ours")

    def ids(query=""):
        return {int(r["service_request_id"]) for r in get(client, f"/open311/v2/requests.json?{query}")}

    assert ids() == {issue.pk, lamp.pk}  # the last 90 days by default
    assert ids(f"service_request_id={issue.pk},{old.pk}") == {issue.pk, old.pk}  # overrides the window
    assert ids(f"service_code={lamps.pk}") == {lamp.pk}
    assert ids(f"service_code={lamps.pk},{category.pk}") == {issue.pk, lamp.pk}
    assert ids("status=open") == {issue.pk} and ids("status=closed") == {lamp.pk}
    assert ids("status=open,closed") == {issue.pk, lamp.pk}
    day = timezone.localdate() - timedelta(days=100)
    assert ids(f"start_date={day - timedelta(days=1)}&end_date={day + timedelta(days=1)}") == {old.pk}
    assert ids(f"start_date={day}T00:00:00%2B08:00") == {issue.pk, lamp.pk, old.pk}
    assert ids(f"start_date={day}T00:00:00+08:00") == {issue.pk, lamp.pk, old.pk}  # "+" left unencoded
    assert ids(f"end_date={day}") == set()


def test_the_list_stops_at_the_result_limit(client, issue, resident, grid, category, monkeypatch):
    from api import open311

    assert open311.MAX_RESULTS == 1000
    raise_more(resident, grid, category, 2)
    monkeypatch.setattr(open311, "MAX_RESULTS", 2)
    assert len(get(client, "/open311/v2/requests.json")) == 2


@pytest.mark.parametrize("query", [
    "start_date=yesterday", "end_date=2025-13-01", "start_date=2025-05-02&end_date=2025-05-01",
    "status=pending", "service_code=lifts", "service_request_id=1;2", "service_request_id=²",
    "service_code=99999999999999999999999", "start_date=0001-01-01", "end_date=9999-12-31T23:59:59-12:00",
])
def test_bad_filters_are_a_400_error_array(client, issue, query):
    assert_refusal(get(client, f"/open311/v2/requests.json?{query}", 400), 400)


def test_one_request_is_a_one_element_array_and_an_unknown_one_a_404(client, issue, other_community):
    one = get(client, f"/open311/v2/requests/{issue.pk}.json")
    assert [r["service_request_id"] for r in one] == [str(issue.pk)]
    for url in [f"/open311/v2/requests/{issue.pk + 1}.json", "/open311/v2/requests/abc.json",
                f"/open311/v2/requests/{issue.pk}.json?jurisdiction_id=elsewhere",
                "/open311/v2/requests/99999999999999999999999.json", "/open311/v2/requests/²³.json"]:
        assert_refusal(get(client, url, 404), 404)


def queries(client, url) -> int:
    cache.clear()
    client.get(url)  # the first look fills the caches
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_requests_run_a_constant_number_of_queries(client, issue, resident, grid, category):
    small = queries(client, "/open311/v2/requests.json")
    raise_more(resident, grid, category, 3, photo=True)
    raise_more(resident, grid, category, 10)
    assert len(get(client, "/open311/v2/requests.json")) == 14
    assert queries(client, "/open311/v2/requests.json") == small


# Raising ------------------------------------------------------------------------------------------


def test_a_resident_raises_an_issue_shown_on_its_page(client, form, resident, grid):
    answer = post(form)
    assert len(answer) == 1 and set(answer[0]) == {"service_request_id", "service_notice", "account_id"}
    assert answer[0]["account_id"] is None and answer[0]["service_notice"]
    issue = Issue.objects.select_related("case").get(pk=answer[0]["service_request_id"])
    assert (issue.reporter, issue.grid, issue.channel) == (resident, grid, "online")
    assert issue.title == "Streetlight out" and issue.body == "Streetlight out\nSince Monday."
    assert issue.location == "Gate 2" and not issue.name_public
    assert issue.case.contact == "+86 138 2222 3333" and issue.case.address == "31.230400, 121.473700"
    page = client.get(issue.get_absolute_url()).content.decode()
    assert "Streetlight out" in page and "Gate 2" in page and "138 2222 3333" not in page
    shown = get(client, f"/open311/v2/requests/{issue.pk}.json")[0]
    assert shown["description"] == issue.body and shown["address"] == "Gate 2"


def test_the_key_may_come_as_a_bearer_header(form, key):
    del form["api_key"]
    answer = post(form, Authorization=f"Bearer {key}")
    assert Issue.objects.filter(pk=answer[0]["service_request_id"]).exists()


def test_a_long_first_line_is_shortened_into_the_title(form):
    form["description"] = "x" * 300
    issue = Issue.objects.get(pk=post(form)[0]["service_request_id"])
    assert issue.title == "x" * 139 + "…" and issue.body == "x" * 300


def new_key(request, *, persona="resident", scopes=("issues",), revoked=False) -> str:
    user = request.getfixturevalue(persona)
    token, raw = community_services.create_api_token(user, name="Other app", scopes=list(scopes))
    if revoked:
        community_services.revoke_api_token(user, token_id=token.pk)
    return raw


# Changes to a good form: None drops the field; a dict describes a new key to send instead.
REFUSED = [
    pytest.param({"api_key": None}, 403, id="no key"),
    pytest.param({"api_key": "yishi_not-a-real-key"}, 403, id="unknown key"),
    pytest.param({"api_key": {"revoked": True}}, 403, id="revoked key"),
    pytest.param({"api_key": {"scopes": ["polls"]}}, 403, id="key without the issues scope"),
    pytest.param({"api_key": {"persona": "newcomer"}}, 403, id="not a resident"),
    pytest.param({"api_key": {"persona": "grid_worker"}}, 403, id="a grid worker, not a resident"),
    pytest.param({"api_key": {"persona": "outsider_chair"}}, 403, id="member of another community"),
    pytest.param({"service_code": "99999"}, 400, id="unknown service_code"),
    pytest.param({"service_code": "lifts"}, 400, id="service_code not a number"),
    pytest.param({"service_code": "99999999999999999999999"}, 400, id="service_code too large"),
    pytest.param({"service_code": None}, 400, id="no service_code"),
    pytest.param({"description": "  \n "}, 400, id="blank description"),
    pytest.param({"description": None}, 400, id="no description"),
    pytest.param({"lat": "north"}, 400, id="lat not a number"),
    pytest.param({"lat": "91"}, 400, id="lat out of range"),
    pytest.param({"long": None}, 400, id="lat without long"),
    pytest.param({"address_string": "x" * 141}, 400, id="address_string too long"),
    pytest.param({"jurisdiction_id": "nowhere"}, 404, id="unknown jurisdiction"),
    pytest.param({"jurisdiction_id": "elsewhere"}, 400, id="service_code of another jurisdiction"),
]


@pytest.mark.parametrize("changes,status", REFUSED)
def test_a_refused_request_creates_nothing(request, form, other_community, changes, status):
    for name, value in changes.items():
        if value is None:
            form.pop(name)
        else:
            form[name] = new_key(request, **value) if isinstance(value, dict) else value
    assert_refusal(post(form, status), status)
    assert not Issue.objects.exists()


def test_a_category_no_longer_offered_takes_no_new_issues(form, category):
    Category.objects.filter(pk=category.pk).update(active=False)
    assert_refusal(post(form, 400), 400)
    assert not Issue.objects.exists()


def test_a_session_cookie_is_neither_needed_nor_used(client, form, grid_worker):
    client.force_login(grid_worker)  # looks after the grid, but the key is the resident's
    form.pop("api_key")
    response = client.post("/open311/v2/requests.json", form)
    assert response.status_code == 403 and not Issue.objects.exists()
