"""Consultation pages over HTTP: what each person sees and can do, escaping, constant queries, search, files."""

import io
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from community.models import Membership
from consult import services
from consult.models import Attachment, Comment, Consultation, Proposal
from consult.selectors import merge_small, statistics
from tests.conftest import CANARY, live_regions, make_user
from tests.consult.conftest import TODAY, new_consultation


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def queries(client, url) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def neighbours(grid, n, start=0):
    people = []
    for i in range(start, start + n):
        user = make_user(f"n{i}@test.org", f"Neighbour {i}", age_band="30-44" if i % 2 else "60-74")
        Membership.objects.create(user=user, community=grid.community, role="resident", grid=grid)
        people.append(user)
    return people


# Visibility and escaping --------------------------------------------------------------------


def test_a_draft_is_not_found_by_the_public_and_shown_to_the_committee(client, chair, community, resident):
    draft = new_consultation(chair, community, phase="draft")
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert "Hall" not in page(client, "/consultations/")
    client.force_login(resident)
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(chair)
    assert "only the committee sees" in page(client, draft.get_absolute_url())


def test_pages_escape_everything_people_wrote(client, consultation, proposal, resident):
    services.post_comment(resident, consultation_id=consultation.pk, body=f"Comment {CANARY}")
    for url in [consultation.get_absolute_url(), proposal.get_absolute_url(), "/consultations/"]:
        html = page(client, url)
        assert CANARY not in html and "&lt;script&gt;" in html


@pytest.mark.parametrize("payload", [
    "[click](javascript:alert(1))",
    "<img src=x onerror=alert(1)>",
    "[x](JaVaScRiPt:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "<a href='javascript:alert(1)'>x</a>",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
])
def test_markdown_never_keeps_script_or_javascript_links(client, consultation, resident, payload):
    services.post_comment(resident, consultation_id=consultation.pk, body=payload)
    services.submit_proposal(resident, consultation_id=consultation.pk, title="P", body=payload)
    for url in [consultation.get_absolute_url(), Proposal.objects.get().get_absolute_url()]:
        html = page(client, url).lower()
        assert 'href="javascript' not in html and 'href="data:' not in html and "&#106;avascript" not in html
        assert "<img src=x" not in html and "<a href='javascript" not in html


# Forms and buttons ----------------------------------------------------------------------------


def test_a_resident_proposes_and_the_form_keeps_input_on_error(client, consultation, resident):
    client.force_login(resident)
    url = f"/consultations/{consultation.pk}/propose"
    response = client.post(url, {"title": "", "body": "My long careful text"})
    assert response.status_code == 200 and "My long careful text" in response.content.decode()
    assert not Proposal.objects.exists()
    response = client.post(url, {"title": "Benches", "body": "Two benches by the canal"})
    proposal = Proposal.objects.get()
    assert response.status_code == 302 and response["Location"] == proposal.get_absolute_url()


def test_a_comment_refused_by_the_service_is_shown_again_with_its_text(client, chair, consultation, resident):
    client.force_login(resident)
    services.advance_phase(chair, consultation_id=consultation.pk, to="deliberation")
    services.advance_phase(chair, consultation_id=consultation.pk, to="voting")
    Consultation.objects.filter(pk=consultation.pk).update(phase="concluded")
    response = client.post(f"/consultations/{consultation.pk}/comment",
                           {"comment-body": "My careful thoughts", "comment-stance": "for"})
    html = response.content.decode()
    assert response.status_code == 200 and "My careful thoughts" in html and "does not take comments" in html
    assert not Comment.objects.exists()


def test_supporting_over_htmx_returns_the_new_count(client, consultation, proposal, resident_of_other_grid):
    client.force_login(resident_of_other_grid)
    response = client.post(f"/proposals/{proposal.pk}/support", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and f'data-supports="{proposal.pk}">1<' in html and "undo" in html
    response = client.post(f"/proposals/{proposal.pk}/support")  # a second click: a message, still one support
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.supports_count == 1


def test_the_committee_answers_over_http_and_the_author_reads_it(client, chair, consultation, proposal, resident):
    client.force_login(chair)
    response = client.post(f"/proposals/{proposal.pk}/answer", {"answer-answer": "not_feasible", "answer-reason": ""})
    assert response.status_code == 200 and "This field is required" in response.content.decode()
    client.post(f"/proposals/{proposal.pk}/answer",
                {"answer-answer": "not_feasible", "answer-reason": "The hall has no kitchen."})
    client.force_login(resident)
    html = page(client, proposal.get_absolute_url())
    assert 'id="answer-title"' in html and "The hall has no kitchen." in html and "Not feasible" in html


def test_a_hidden_comment_shows_its_reason_to_everyone_and_its_text_to_nobody(
    client, consultation, resident, moderator
):
    comment = services.post_comment(resident, consultation_id=consultation.pk, body="Call me on 139 1234 5678")
    client.force_login(moderator)
    client.post(f"/comments/{comment.pk}/moderate", {"do": "hide", "moderate-reason": "privacy",
                                                     "moderate-explanation": "No phone numbers, please."})
    client.logout()
    html = page(client, consultation.get_absolute_url())
    assert "139 1234 5678" not in html and "Hidden by a moderator: Someone&#x27;s private details" in html
    assert "Someone&#x27;s private details: 1" in html  # the public count by reason
    client.force_login(moderator)
    log = page(client, f"/c/{consultation.community.slug}/moderation/")
    assert "No phone numbers, please." in log


def test_the_moderation_page_is_for_moderators_and_the_committee(client, community, resident, moderator, chair):
    url = f"/c/{community.slug}/moderation/"
    client.force_login(resident)
    assert client.get(url).status_code == 404
    for who in (moderator, chair):
        client.force_login(who)
        assert client.get(url).status_code == 200


def test_committee_concludes_and_the_page_shows_what_happens_next(client, chair, consultation, proposal, organisation):
    client.force_login(chair)
    services.advance_phase(chair, consultation_id=consultation.pk, to="deliberation")
    response = client.post(f"/consultations/{consultation.pk}/conclude", {"conclude-conclusion": "We agree."})
    assert "still waits for an answer" in response.content.decode()
    services.answer_proposal(chair, proposal_id=proposal.pk, answer="accepted", reason="Yes")
    client.post(f"/consultations/{consultation.pk}/conclude", {"conclude-conclusion": "We build a **canteen**."})
    client.post(f"/consultations/{consultation.pk}/decision", {
        "decision-title": "Open a canteen", "decision-task_title": "Fit the kitchen",
        "decision-owner_organisation": organisation.pk, "decision-due_date": (TODAY + timedelta(days=9)).isoformat(),
    })
    client.logout()
    html = page(client, consultation.get_absolute_url())
    assert "<strong>canteen</strong>" in html and "What happens next" in html and "Fit the kitchen" in html


# Attachments ---------------------------------------------------------------------------------


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (20, 20), "red").save(out, "PNG")
    return out.getvalue()


def test_attachments_are_pdfs_or_clean_images(chair, consultation):
    pdf = services.attach_file(chair, consultation_id=consultation.pk, title="Plan",
                               upload=SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n%...\n"))
    image = services.attach_file(chair, consultation_id=consultation.pk, title="Photo",
                                 upload=SimpleUploadedFile("hall.png", _png()))
    assert (pdf.extension, image.extension) == ("pdf", "png")
    for upload in [SimpleUploadedFile("evil.pdf", b"MZ\x90\x00 not a pdf"),
                   SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024))]:
        with pytest.raises(Exception) as error:
            services.attach_file(chair, consultation_id=consultation.pk, title="Bad", upload=upload)
        assert "PDF" in str(error.value) or "10 MB" in str(error.value)
    assert Attachment.objects.count() == 2


def test_only_the_committee_attaches(resident, consultation):
    with pytest.raises(Exception):
        services.attach_file(resident, consultation_id=consultation.pk, title="X",
                             upload=SimpleUploadedFile("plan.pdf", b"%PDF-1.4"))
    assert not Attachment.objects.exists()


# Statistics -----------------------------------------------------------------------------------


def test_small_groups_are_merged_so_nobody_stands_out():
    assert merge_small({"A": 10, "B": 6, "C": 2, "D": 1}, other_label="Other") == [("A", 10), ("Other", 9)]
    assert merge_small({"A": 10, "B": 7}, other_label="Other") == [("A", 10), ("B", 7)]
    assert merge_small({"A": 3, "B": 1}, other_label="Other") == [("Other", 4)]
    assert all(n >= 5 for _label, n in merge_small({"A": 9, "B": 5, "C": 4}, other_label="O"))


def test_statistics_count_participants_by_grid_and_age_without_small_groups(grid, other_grid, consultation, proposal):
    people = neighbours(grid, 7) + neighbours(other_grid, 2, start=50)
    for person in people:
        services.support_proposal(person, proposal_id=proposal.pk)
    stats = statistics(consultation)
    assert stats["participants"] == 10 and stats["supports"] == 9  # the author and nine supporters
    assert all(n >= 5 for _label, n in stats["by_grid"] + stats["by_age"])
    assert sum(n for _label, n in stats["by_grid"]) == 10 == sum(n for _label, n in stats["by_age"])


def test_fewer_than_five_people_show_no_breakdown(client, consultation, proposal):
    stats = statistics(consultation)
    assert stats["too_few"] and not stats["by_grid"] and not stats["by_age"]
    assert "Fewer than 5 people took part" in page(client, consultation.get_absolute_url())


# Search ---------------------------------------------------------------------------------------


def test_search_finds_public_words_and_never_drafts_or_hidden_text(client, chair, community, consultation, proposal,
                                                                   resident, moderator):
    services.post_comment(resident, consultation_id=consultation.pk, body="The canteen needs volunteers")
    hidden = services.post_comment(resident, consultation_id=consultation.pk, body="canteen secret phone 139")
    services.moderate(moderator, comment_id=hidden.pk, action="hide", reason="privacy", explanation="Phone")
    draft = new_consultation(chair, community, phase="draft")
    Consultation.objects.filter(pk=draft.pk).update(title="Canteen draft plans")
    html = page(client, "/search/?q=canteen")
    assert proposal.get_absolute_url() in html and "The canteen needs volunteers" in html
    assert "secret phone" not in html and "Canteen draft plans" not in html
    assert "None found." in page(client, "/search/?q=zebra+giraffe")


# Constant queries -----------------------------------------------------------------------------


@pytest.mark.parametrize("who", [None, "resident", "chair", "moderator"])
def test_consultation_and_proposal_pages_cost_the_same_with_more_content(request, client, grid, consultation,
                                                                         proposal, resident, who):
    if who:
        client.force_login(request.getfixturevalue(who))
    urls = [consultation.get_absolute_url(), proposal.get_absolute_url(), "/consultations/"]
    people = neighbours(grid, 6)

    def add(i, person):
        extra = services.submit_proposal(person, consultation_id=consultation.pk, title=f"P{i}", body="B")
        services.support_proposal(people[(i + 1) % 6], proposal_id=extra.pk)
        top = services.post_comment(person, consultation_id=consultation.pk, body=f"C{i}", stance="for")
        reply = services.post_comment(resident, consultation_id=consultation.pk, body="R", parent_id=top.pk)
        services.edit_comment(resident, comment_id=reply.pk, body="R edited")
        services.post_comment(person, consultation_id=consultation.pk, proposal_id=proposal.pk, body=f"On P {i}")
        services.upvote_comment(people[(i + 2) % 6], comment_id=top.pk)

    add(0, people[0])  # one of everything, then many more
    small = [queries(client, url) for url in urls]
    for i, person in enumerate(people[1:], start=1):
        add(i, person)
    assert [queries(client, url) for url in urls] == small


def test_a_big_consultation_is_read_in_pages_newest_discussion_first(client, consultation, resident, chair):
    """A thousand proposals and thousands of comments must not make one page of megabytes."""
    Proposal.objects.bulk_create([Proposal(consultation=consultation, author=resident, title=f"Idea {n:03}",
                                           body="b", supports_count=n) for n in range(60)])
    comments = Comment.objects.bulk_create([Comment(consultation=consultation, author=resident, body=f"Say {n:03}")
                                            for n in range(120)])
    Comment.objects.create(consultation=consultation, author=chair, body="A reply to the first", parent=comments[0],
                           depth=1)
    page = client.get(f"/consultations/{consultation.pk}/").content.decode()
    assert "60 proposals" in page and "Idea 059" in page and "Idea 040" in page and "Idea 039" not in page  # 20
    assert "Say 119" in page and "Say 100" in page and "Say 099" not in page  # the newest 20 threads
    assert "Page 1 of 3" in page and "Earlier comments" in page
    oldest = client.get(f"/consultations/{consultation.pk}/?comments=6").content.decode()
    assert "Say 000" in oldest and "A reply to the first" in oldest and "Say 020" not in oldest
    assert oldest.index("Say 000") < oldest.index("Say 019")  # each page reads in order
    second = client.get(f"/consultations/{consultation.pk}/?page=2").content.decode()
    assert "Idea 039" in second and "Idea 020" in second and "Idea 059" not in second and "Idea 019" not in second


@pytest.mark.parametrize("who", [None, "resident", "chair"])
def test_after_a_live_event_consultation_pages_fetch_only_their_live_regions(request, client, grid, consultation,
                                                                             proposal, resident, who):
    if who:
        client.force_login(request.getfixturevalue(who))
    people = neighbours(grid, 4)

    def live_queries(url, regions):
        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            ids, html = live_regions(client, url)
        assert ids == regions and "<html" not in html and CANARY not in html
        return len(ctx)

    pages = {consultation.get_absolute_url(): ["consultation-summary", "proposal-region"],
             proposal.get_absolute_url(): ["proposal-summary"]}
    def add(i, person):
        extra = services.submit_proposal(person, consultation_id=consultation.pk, title=f"P{i} {CANARY}", body="B")
        services.support_proposal(people[(i + 1) % 4], proposal_id=extra.pk)
        services.post_comment(person, consultation_id=consultation.pk, proposal_id=proposal.pk, body=f"On P {i}")

    add(0, people[0])  # one of everything, then many more
    small = {url: live_queries(url, regions) for url, regions in pages.items()}
    for i, person in enumerate(people[1:], start=1):
        add(i, person)
    assert {url: live_queries(url, regions) for url, regions in pages.items()} == small
    assert "P3 &lt;script&gt;" in live_regions(client, consultation.get_absolute_url())[1]


def test_a_phase_change_is_asked_first_on_a_page_that_says_what_it_does(client, chair, community):
    from consult.models import Consultation
    from tests.consult.conftest import new_consultation

    consultation = new_consultation(chair, community)
    client.force_login(chair)
    url = f"/consultations/{consultation.pk}/advance"
    page = client.post(url, {"to": "deliberation"}).content.decode()
    assert "Start deliberation?" in page and "It cannot go back to collecting proposals." in page
    assert Consultation.objects.get(pk=consultation.pk).phase == consultation.phase  # nothing changed yet
    assert client.post(url, {"to": "deliberation", "confirmed": "1"}).status_code == 302
    assert Consultation.objects.get(pk=consultation.pk).phase == "deliberation"
