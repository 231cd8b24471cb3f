"""Per-person limits on writes: a page answers 429, htmx a notice, the API and Open311 their 429 errors — and
nothing is stored. Windows are shortened through ``YISHI_RATE_LIMITS``; clearing the cache ends a window."""

import json
import os
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from community import services as community_services
from community.models import ApiToken
from consult import services
from consult.models import Comment, Proposal
from core.limits import RateLimited
from issues.models import Issue, IssuePhoto
from polls import services as poll_services
from polls.models import OpenVote
from tests.api.conftest import bearer, sign_in, token_for
from tests.conftest import CANARY
from tests.polls.conftest import make_poll, voters  # noqa: F401 (a fixture)

IMAGES = Path(__file__).parent.parent / "issues" / "images"


def comment(client, consultation, body):
    return client.post(f"/consultations/{consultation.pk}/comment", {"comment-body": body, "comment-stance": "for"})


def test_commenting_too_fast_gets_a_429_page_and_stores_nothing(client, settings, consultation, resident):
    settings.YISHI_RATE_LIMITS = {"comment": [(2, 60)]}
    client.force_login(resident)
    assert [comment(client, consultation, f"Point {i}").status_code for i in range(2)] == [302, 302]
    refused = comment(client, consultation, f"One too many {CANARY}")
    html = refused.content.decode()
    assert refused.status_code == 429 and refused["Retry-After"] == "60"
    assert "You wrote many comments in a short time" in html and "Nothing was saved" in html
    assert Comment.objects.count() == 2
    cache.clear()  # the window has passed
    assert comment(client, consultation, "Later").status_code == 302 and Comment.objects.count() == 3


def test_the_limit_is_per_person(client, settings, consultation, resident, resident_of_other_grid):
    settings.YISHI_RATE_LIMITS = {"comment": [(1, 60)]}
    client.force_login(resident)
    assert comment(client, consultation, "Mine").status_code == 302
    client.force_login(resident_of_other_grid)
    assert comment(client, consultation, "Theirs").status_code == 302


def test_over_htmx_the_refusal_is_a_notice_for_the_pages_live_region(client, settings, proposal,
                                                                    resident_of_other_grid):
    settings.YISHI_RATE_LIMITS = {"support": [(1, 60)]}
    client.force_login(resident_of_other_grid)
    assert client.post(f"/proposals/{proposal.pk}/support", HTTP_HX_REQUEST="true").status_code == 200
    refused = client.post(f"/proposals/{proposal.pk}/unsupport", HTTP_HX_REQUEST="true")
    assert refused.status_code == 429
    assert refused["HX-Retarget"] == "#live-notice" and refused["HX-Reswap"] == "innerHTML"
    html = refused.content.decode()
    assert "You changed many supports in a short time" in html and "<html" not in html
    proposal.refresh_from_db()
    assert proposal.supports_count == 1  # the withdrawal did not happen


def test_raising_issues_through_the_api_answers_429_json(settings, grid, category, resident):
    api = Client(enforce_csrf_checks=True)
    settings.YISHI_RATE_LIMITS = {"issue": [(1, 3600)]}
    secret = token_for(resident)
    payload = json.dumps({"category": category.pk, "title": "Leak", "body": "Water"})
    first = api.post("/api/v1/issues", payload, content_type="application/json", **bearer(secret))
    second = api.post("/api/v1/issues", payload, content_type="application/json", **bearer(secret))
    assert first.status_code == 201
    assert second.status_code == 429 and second["Retry-After"] == "3600"
    assert second.json() == {"message": second.json()["message"], "errors": []}
    assert "You raised many issues in a short time" in second.json()["message"]
    assert Issue.objects.count() == 1


def test_the_openapi_document_lists_429_for_writes(client):
    document = client.get("/api/v1/openapi.json").json()
    assert "429" in document["paths"]["/api/v1/issues"]["post"]["responses"]
    assert "429" in document["paths"]["/api/v1/polls/{poll_id}/ballots"]["post"]["responses"]


def test_open311_answers_its_own_error_array_with_429(settings, grid, category, resident):
    settings.YISHI_RATE_LIMITS = {"issue": [(1, 3600)]}
    key = community_services.create_api_token(resident, name="Civic app", scopes=["issues"])[1]
    form = {"api_key": key, "service_code": str(category.pk), "description": "Streetlight out"}
    assert Client(enforce_csrf_checks=True).post("/open311/v2/requests.json", form).status_code == 200
    refused = Client(enforce_csrf_checks=True).post("/open311/v2/requests.json", form)
    assert refused.status_code == 429 and refused["Retry-After"] == "3600"
    [error] = refused.json()
    assert error["code"] == 429 and "You raised many issues" in error["description"]
    assert Issue.objects.count() == 1


def test_changing_an_open_vote_over_and_over_is_limited(client, settings, chair, community, voters):  # noqa: F811
    settings.YISHI_RATE_LIMITS = {"ballot": [(2, 60)]}
    poll = make_poll(chair, community, secret=False)
    client.force_login(voters[0])
    assert client.post(f"/polls/{poll.pk}/vote", {"ballot-choice": "yes"}).status_code == 302
    assert client.post(f"/polls/{poll.pk}/vote", {"ballot-choice": "no"}).status_code == 302
    refused = client.post(f"/polls/{poll.pk}/vote", {"ballot-choice": "abstain"})
    assert refused.status_code == 429 and "You voted many times in a short time" in refused.content.decode()
    assert OpenVote.objects.get(poll=poll, user=voters[0]).choices == "no"


def test_a_voter_at_the_load_benchmarks_pace_is_never_limited(chair, community, voters):  # noqa: F811
    """The benchmark casts 20 ballots a second from 100 voters: each voter changes their vote 12 times a minute."""
    poll = make_poll(chair, community, secret=False)
    for n in range(12):
        poll_services.cast_ballot(voters[0], poll_id=poll.pk, choices=["yes", "no"][n % 2])
    assert OpenVote.objects.get(poll=poll, user=voters[0]).choices == "no"


def test_creating_api_tokens_is_limited(client, settings, resident):
    settings.YISHI_RATE_LIMITS = {"token": [(1, 3600)]}
    sign_in(client, resident)
    assert client.post(reverse("community:api-tokens"), {"name": "Phone", "scopes": ["issues"]}).status_code == 200
    refused = client.post(reverse("community:api-tokens"), {"name": "Kiosk", "scopes": ["issues"]})
    assert refused.status_code == 429 and "You created many API tokens" in refused.content.decode()
    assert list(ApiToken.objects.values_list("name", flat=True)) == ["Phone"]


def test_proposals_upvotes_and_reports_each_have_a_limit(settings, consultation, proposal, resident,
                                                         resident_of_other_grid):
    settings.YISHI_RATE_LIMITS = {"proposal": [(0, 60)], "upvote": [(0, 60)], "report": [(0, 60)]}
    mine = services.post_comment(resident, consultation_id=consultation.pk, body="Mine")
    with pytest.raises(RateLimited, match="many proposals"):
        services.submit_proposal(resident, consultation_id=consultation.pk, title="Another", body="B")
    with pytest.raises(RateLimited, match="upvoted many"):
        services.upvote_comment(resident_of_other_grid, comment_id=mine.pk)
    with pytest.raises(RateLimited, match="many reports"):
        services.report_content(resident_of_other_grid, comment_id=mine.pk, reason="spam")
    mine.refresh_from_db()
    assert Proposal.objects.count() == 1 and mine.upvotes_count == 0 and not mine.reports.exists()


# Uploads ---------------------------------------------------------------------------------------------------


def raise_with(client, grid, category, photos):
    return client.post("/issues/new", {"grid": grid.pk, "category": category.pk, "title": "Dark stairwell",
                                       "body": "No light on floor 3", "photos": photos})


def test_a_photo_over_25_mb_is_refused_with_a_message_and_nothing_is_stored(client, grid, category, resident):
    client.force_login(resident)
    big = SimpleUploadedFile("big.jpg", b"\xff\xd8\xff\xe0" + b"\0" * (25 * 1024 * 1024 + 1), content_type="image/jpeg")
    response = raise_with(client, grid, category, [big])
    assert response.status_code == 200 and "big.jpg is larger than 25 MB" in response.content.decode()
    assert not Issue.objects.exists() and not IssuePhoto.objects.exists()


def test_more_than_four_photos_are_refused_and_nothing_is_stored(client, grid, category, resident):
    client.force_login(resident)
    photos = [SimpleUploadedFile(f"p{i}.png", (IMAGES / "small.png").read_bytes()) for i in range(5)]
    response = raise_with(client, grid, category, photos)
    assert response.status_code == 200 and "Add at most 4 photos" in response.content.decode()
    assert not Issue.objects.exists() and not IssuePhoto.objects.exists()


def test_a_file_that_is_not_an_image_is_refused(client, grid, category, resident):
    client.force_login(resident)
    text = SimpleUploadedFile("notes.png", b"just some text", content_type="image/png")
    response = raise_with(client, grid, category, [text])
    assert response.status_code == 200 and "notes.png is not a photo we can read" in response.content.decode()
    assert not Issue.objects.exists()


def test_a_request_over_the_size_limit_gets_413_and_nothing_is_stored(client, settings, grid, category, resident):
    settings.YISHI_MAX_REQUEST_BYTES = 1024 * 1024
    client.force_login(resident)
    big = SimpleUploadedFile("big.png", b"\0" * (1024 * 1024 + 1), content_type="image/png")
    response = raise_with(client, grid, category, [big])
    assert response.status_code == 413 and "larger than 1 MB in all" in response.content.decode()
    assert not Issue.objects.exists()


def test_too_many_files_in_one_request_are_refused_and_nothing_is_stored(client, grid, category, resident):
    client.force_login(resident)
    photos = [SimpleUploadedFile(f"p{i}.png", b"x") for i in range(11)]
    response = raise_with(client, grid, category, photos)
    assert response.status_code == 400 and "too many files" in response.content.decode()
    assert not Issue.objects.exists()


@pytest.mark.parametrize("path", ["/api/v1/proposals?community=a%00b", "/search/?q=lift%00", "/issues/?grid=%00",
                                  "/open311/v2/requests.json?status=open%00"])
def test_a_nul_character_in_the_address_is_refused_with_a_message_on_every_database(client, path):
    """PostgreSQL cannot compare text with a NUL: it took the API's filters down with a 500."""
    response = client.get(path)
    if path.startswith("/api/"):
        assert response.status_code == 422 and "not allowed" in response.json()["message"]
    else:
        assert response.status_code == 400 and "not allowed" in response.content.decode()


def test_a_camera_photo_of_many_megabytes_is_taken_and_shrunk_to_2560_pixels(client, grid, category, resident):
    import io

    from PIL import Image

    from issues.models import IssuePhoto

    noise = Image.frombytes("RGB", (5000, 3750), os.urandom(5000 * 3750 * 3))  # 18.75 MP of noise: a big file
    raw = io.BytesIO()
    noise.save(raw, format="JPEG", quality=95)
    assert raw.tell() > 8 * 1024 * 1024  # larger than the 8 MB a phone sends
    client.force_login(resident)
    response = raise_with(client, grid, category, [SimpleUploadedFile("IMG_0001.jpg", raw.getvalue(),
                                                                      content_type="image/jpeg")])
    assert response.status_code == 302
    with Image.open(IssuePhoto.objects.get().image) as kept:
        assert max(kept.size) == 2560 and kept.size == (2560, 1920)


def test_an_image_of_too_many_pixels_is_refused_before_it_is_decoded(client, grid, category, resident):
    import io

    from PIL import Image

    bomb = io.BytesIO()
    Image.new("1", (8900, 8900)).save(bomb, format="PNG")  # a few KB, 79 million pixels
    client.force_login(resident)
    response = raise_with(client, grid, category, [SimpleUploadedFile("bomb.png", bomb.getvalue(),
                                                                      content_type="image/png")])
    assert response.status_code == 200 and "more than 10 million pixels" in response.content.decode()
    assert not Issue.objects.exists()
