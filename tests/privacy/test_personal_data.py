"""Download your data: one JSON file with everything the platform holds about the person, and nothing else."""

import json

from django.apps import apps
from django.contrib.auth import get_user_model

from community.personal_data import covered
from tests.privacy.conftest import PRIVATE_ADDRESS, PRIVATE_CONTACT

# Models that point to the user and are deliberately not in the export, each with its reason.
NOT_EXPORTED: dict[tuple[str, str], str] = {
    # Nothing yet: every link to a person is exported. Add a pair here only with the reason it must stay out.
}


def sign_in(client, user) -> None:
    """Sign in and confirm the password again, as the download asks for."""
    client.force_login(user)
    assert client.post("/accounts/reauthenticate/", {"password": "correct horse battery"}).status_code == 302


def download(client) -> tuple[dict, str]:
    response = client.get("/account/data.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="yishi-my-data-')
    text = response.content.decode("utf-8")
    assert text.startswith('{\n  "format": "yishi-personal-data"')  # indented, for people to read
    return json.loads(text), text


def test_every_model_pointing_to_a_person_is_in_the_export_or_excluded_with_a_reason():
    user_model = get_user_model()
    links = {
        (model._meta.label, field.name)
        for model in apps.get_models(include_auto_created=True)
        for field in model._meta.concrete_fields
        if field.is_relation and field.related_model is user_model
    }
    assert links - covered() - set(NOT_EXPORTED) == set(), "export these, or exclude them with a reason"


def test_the_download_asks_for_the_password_again(client, resident):
    client.force_login(resident)
    response = client.get("/account/data.json")
    assert response.status_code == 302 and "/reauthenticate/" in response["Location"]


def test_a_visitor_is_sent_to_sign_in(client):
    response = client.get("/account/data.json")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_person_gets_their_profile_memberships_and_issues_with_their_own_contact(client, busy):
    sign_in(client, busy["user"])
    data, text = download(client)
    profile = data["profile"]
    assert profile["email"] == "resident@test.org" and profile["display_name"].startswith("Rita")
    assert "password" not in profile and busy["user"].password not in text
    assert [a["email"] for a in data["email_addresses"]] == ["resident@test.org"]
    assert [(m["role"], m["unit"]) for m in data["memberships"]] == [("resident", "B1-101")]
    [raised] = data["issues_raised"]
    assert raised["id"] == busy["issue"].pk and raised["url"].endswith(f"/issues/{busy['issue'].pk}/")
    assert (raised["private_case"]["contact"], raised["private_case"]["address"]) == (PRIVATE_CONTACT, PRIVATE_ADDRESS)
    assert [f["issue"] for f in data["issue_follows"]] == [busy["issue"].pk, busy["entered"].pk]
    assert "+86 138 0000 2222" not in text  # the contact of an issue someone else raised is theirs, not hers
    assert data["sessions"]["signed_in_sessions"] == 1


def test_the_person_gets_their_contributions_to_deliberation(client, busy):
    sign_in(client, busy["user"])
    data, _text = download(client)
    assert [p["title"] for p in data["proposals"]] == ["Canteen"]
    assert [s["proposal"] for s in data["supports"]] == [busy["other_proposal"].pk]
    [comment] = data["comments"]
    assert comment["body"] == "Second thoughts on the hall"
    assert [v["body"] for v in comment["earlier_versions"]] == ["First thoughts on the hall"]
    assert [u["comment"] for u in data["comment_upvotes"]] == [busy["other_comment"].pk]
    assert [(r["reason"], r["detail"]) for r in data["reports_filed"]] == [("off_topic", "Not about the hall")]
    assert [f["consultation"] for f in data["consultation_follows"]] == [busy["consultation"].pk]
    assert isinstance(data["notifications"], list)


def test_the_person_gets_their_meetings_and_only_that_they_voted_in_a_secret_poll(client, busy):
    sign_in(client, busy["user"])
    data, text = download(client)
    assert [a["meeting"] for a in data["meeting_attendance"]] == [busy["meeting"].pk]
    messages = [e["body"] for e in data["meeting_room_messages_and_actions"] if e["kind"] == "chat.message"]
    assert messages == ["Hello, neighbours"]
    assert [h["status"] for h in data["hand_raises"]] == ["waiting"]
    assert [m["meeting"] for m in data["meeting_invitations"]] == [busy["meeting"].pk]
    assert [row["poll"] for row in data["secret_polls_voted_in"]] == [busy["secret_poll"].pk]
    assert all(set(row) == {"poll", "question", "url"} for row in data["secret_polls_voted_in"])  # that, never what
    assert busy["receipt"] not in text  # the receipt code is shown once, to the voter, and never kept
    assert [(v["poll"], v["choices"]) for v in data["open_poll_votes"]] == [(busy["open_poll"].pk, busy["blue"].pk)]


def test_api_tokens_are_listed_without_their_secret(client, busy):
    sign_in(client, busy["user"])
    data, text = download(client)
    [token] = data["api_tokens"]
    assert (token["name"], token["prefix"], token["scopes"]) == ("My phone", busy["token"].prefix, ["issues"])
    assert "key_hash" not in token and busy["token"].key_hash not in text


def test_nothing_of_another_person_is_in_the_file(client, busy, neighbour):
    sign_in(client, neighbour)
    data, text = download(client)
    assert data["profile"]["email"] == "neighbour@test.org"
    for theirs in ["resident@test.org", PRIVATE_CONTACT, PRIVATE_ADDRESS, "Second thoughts on the hall",
                   "Hello, neighbours", "B1-101"]:
        assert theirs not in text
