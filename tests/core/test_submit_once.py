"""A form sent twice is done once: a double tap, "back" and send again, two presses racing on a slow
connection — one issue, one comment, and the second press lands on the first one's result."""

import re
import threading

import pytest
from django.db import close_old_connections
from django.test import Client

from consult.models import Comment
from issues.models import Issue
from tests.consult.conftest import new_consultation


def token_of(html: str) -> str:
    return re.search(r'name="submit_once" value="([0-9a-f]{32})"', html).group(1)


def test_an_issue_sent_twice_with_the_same_form_is_raised_once(client, resident, grid, category):
    client.force_login(resident)
    token = token_of(client.get("/issues/new").content.decode())
    form = {"grid": grid.pk, "category": category.pk, "title": "Dark stairwell", "body": "No light on floor 3",
            "submit_once": token}
    first = client.post("/issues/new", form)
    again = client.post("/issues/new", form)  # "back", then send again
    issue = Issue.objects.get()
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"] == issue.get_absolute_url()
    assert "You sent this already" in client.get(again["Location"]).content.decode()
    fresh = token_of(client.get("/issues/new").content.decode())  # a new form is a new issue
    assert fresh != token
    client.post("/issues/new", {**form, "title": "Broken bench", "submit_once": fresh})
    assert Issue.objects.count() == 2


def test_a_refused_form_forgets_its_token_and_the_form_shown_again_has_a_new_one(client, resident, grid, category):
    client.force_login(resident)
    token = token_of(client.get("/issues/new").content.decode())
    refused = client.post("/issues/new", {"grid": grid.pk, "category": category.pk, "title": "",
                                          "body": "Long careful text", "submit_once": token})
    assert refused.status_code == 200 and "Long careful text" in refused.content.decode()
    again = token_of(refused.content.decode())
    assert again != token
    done = client.post("/issues/new", {"grid": grid.pk, "category": category.pk, "title": "Stairs",
                                       "body": "Long careful text", "submit_once": token})  # the old one works too
    assert done.status_code == 302 and Issue.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_presses_racing_on_a_slow_connection_post_one_comment(resident, chair, community):
    consultation = new_consultation(chair, community)
    clients = [Client(), Client()]
    for c in clients:
        c.force_login(resident)
    token = token_of(clients[0].get(consultation.get_absolute_url()).content.decode())
    form = {"comment-body": "Yes to the canteen", "comment-stance": "for", "submit_once": token}
    responses, barrier = [], threading.Barrier(2)

    def press(c):
        try:
            barrier.wait()
            responses.append(c.post(f"/consultations/{consultation.pk}/comment", form))
        finally:
            close_old_connections()

    threads = [threading.Thread(target=press, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert Comment.objects.filter(body="Yes to the canteen").count() == 1
    assert [r.status_code for r in responses] == [302, 302]
    assert responses[0]["Location"] == responses[1]["Location"]


def test_the_same_words_sent_again_from_a_fresh_form_are_the_same_issue_comment_and_proposal(
        client, resident, grid, category, chair, community):
    """"Back" brings the form again with the words filled in but a new token: the words themselves tell."""
    from consult import services as consult_services
    from consult.models import Proposal
    from issues import services as issue_services

    first = issue_services.raise_issue(resident, grid_id=grid.pk, category_id=category.pk, title="Stairs",
                                       body="Dark on floor 3")
    again = issue_services.raise_issue(resident, grid_id=grid.pk, category_id=category.pk, title="Stairs",
                                       body="Dark on floor 3")
    assert again.pk == first.pk and again.sent_again and Issue.objects.count() == 1
    consultation = new_consultation(chair, community)
    proposal = consult_services.submit_proposal(resident, consultation_id=consultation.pk, title="A canteen",
                                                body="Warm lunch")
    assert consult_services.submit_proposal(resident, consultation_id=consultation.pk, title="A canteen",
                                            body="Warm lunch").pk == proposal.pk
    assert Proposal.objects.count() == 1
    comment = consult_services.post_comment(resident, consultation_id=consultation.pk, body="Yes!")
    assert consult_services.post_comment(resident, consultation_id=consultation.pk, body="Yes!").pk == comment.pk
    assert consult_services.post_comment(resident, consultation_id=consultation.pk, body="Yes, again").pk != comment.pk
