"""Edge cases of consultations: hidden items and the answer rule, dismissing reports, text kept on refusal."""

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.core.exceptions import PermissionDenied, ValidationError

from community.models import Membership
from config.asgi import application
from consult import services
from consult.models import Consultation, Report
from tests.conftest import make_user


def members(grid, n):
    people = []
    for i in range(n):
        user = make_user(f"m{i}@test.org", f"Member {i}")
        Membership.objects.create(user=user, community=grid.community, role="resident", grid=grid)
        people.append(user)
    return people


def test_a_proposal_hidden_after_reports_still_needs_its_answer(grid, chair, consultation, proposal, moderator):
    for person in members(grid, 3):
        services.report_content(person, proposal_id=proposal.pk, reason="spam")
    proposal.refresh_from_db()
    assert proposal.moderation == "auto_hidden"
    services.advance_phase(chair, consultation_id=consultation.pk, to="deliberation")
    with pytest.raises(ValidationError, match="or for a moderator"):
        services.conclude_consultation(chair, consultation_id=consultation.pk, conclusion="Done")
    services.moderate(moderator, proposal_id=proposal.pk, action="hide", reason="spam", explanation="Advert.")
    services.conclude_consultation(chair, consultation_id=consultation.pk, conclusion="Done")
    with pytest.raises(ValidationError, match="stays hidden"):
        services.moderate(moderator, proposal_id=proposal.pk, action="restore", reason="", explanation="Oops")


def test_the_author_hears_when_reports_hide_their_words(grid, consultation, resident):
    comment = services.post_comment(resident, consultation_id=consultation.pk, body="Sharp words")
    for person in members(grid, 3):
        services.report_content(person, comment_id=comment.pk, reason="abuse")
    assert resident.notifications.filter(message__contains="reported several times").exists()


def test_a_moderator_keeps_a_reported_comment_and_the_queue_clears(client, grid, consultation, resident, moderator):
    comment = services.post_comment(resident, consultation_id=consultation.pk, body="A fair point")
    services.report_content(members(grid, 1)[0], comment_id=comment.pk, reason="off_topic")
    client.force_login(moderator)
    url = f"/c/{consultation.community.slug}/moderation/"
    assert "A fair point" in client.get(url).content.decode()
    client.post(f"/comments/{comment.pk}/moderate", {"do": "dismiss", "moderate-explanation": "On topic."})
    assert "A fair point" not in client.get(url).content.decode().split("Moderation log")[0]
    assert "kept, reports dismissed" in client.get(url).content.decode()
    comment.refresh_from_db()
    assert comment.moderation == "visible" and not Report.objects.filter(resolved_at=None).exists()


def test_a_bad_proposal_number_in_a_comment_is_a_message_not_a_crash(client, consultation, resident):
    client.force_login(resident)
    response = client.post(f"/consultations/{consultation.pk}/comment",
                           {"comment-body": "", "comment-proposal": "abc", "comment-stance": "for"})
    assert response.status_code == 200


def test_an_edit_refused_after_deliberation_started_keeps_the_text(client, chair, consultation, proposal, resident):
    client.force_login(resident)
    services.advance_phase(chair, consultation_id=consultation.pk, to="deliberation")
    response = client.post(f"/proposals/{proposal.pk}/edit", {"title": "New title", "body": "My careful rewrite"})
    html = response.content.decode()
    assert response.status_code == 200 and "My careful rewrite" in html and "until deliberation starts" in html


def test_a_refused_comment_edit_shows_the_text_again(client, chair, consultation, resident):
    comment = services.post_comment(resident, consultation_id=consultation.pk, body="First")
    client.force_login(resident)
    response = client.post(f"/comments/{comment.pk}/edit", {f"edit{comment.pk}-body": "x" * 5001})
    html = response.content.decode()
    assert response.status_code == 200 and "x" * 5001 in html and "at most 5000" in html


def test_earlier_versions_are_for_moderators_and_the_committee(client, consultation, resident, moderator, chair):
    comment = services.post_comment(resident, consultation_id=consultation.pk, body="Call 139 0000 0000")
    services.edit_comment(resident, comment_id=comment.pk, body="Call the office")
    assert "139 0000 0000" not in client.get(consultation.get_absolute_url()).content.decode()
    for who in (moderator, chair):
        client.force_login(who)
        assert "139 0000 0000" in client.get(consultation.get_absolute_url()).content.decode()


def test_authors_may_delete_their_words_even_after_the_conclusion(chair, consultation, proposal, resident):
    comment = services.post_comment(resident, consultation_id=consultation.pk, body="Mine")
    services.answer_proposal(chair, proposal_id=proposal.pk, answer="accepted", reason="Yes")
    services.advance_phase(chair, consultation_id=consultation.pk, to="deliberation")
    services.conclude_consultation(chair, consultation_id=consultation.pk, conclusion="Done")
    services.delete_comment(resident, comment_id=comment.pk)
    comment.refresh_from_db()
    assert comment.is_deleted


def test_a_hidden_proposal_takes_no_comments_and_its_discussion_leaves_search(
    client, consultation, proposal, resident, resident_of_other_grid, moderator
):
    services.post_comment(resident_of_other_grid, consultation_id=consultation.pk, proposal_id=proposal.pk,
                          body="Pineapple discussion")
    services.moderate(moderator, proposal_id=proposal.pk, action="hide", reason="privacy", explanation="Names.")
    with pytest.raises(ValidationError, match="hidden"):
        services.post_comment(resident_of_other_grid, consultation_id=consultation.pk, proposal_id=proposal.pk,
                              body="More")
    assert "Pineapple" not in client.get("/search/?q=pineapple").content.decode()
    assert "Pineapple" not in client.get(proposal.get_absolute_url()).content.decode()


def test_authors_do_not_support_their_own_proposal(proposal, resident):
    with pytest.raises(PermissionDenied):
        services.support_proposal(resident, proposal_id=proposal.pk)


def test_merging_cannot_make_a_loop(chair, consultation, proposal, resident):
    other = services.submit_proposal(resident, consultation_id=consultation.pk, title="Same", body="B")
    services.answer_proposal(chair, proposal_id=other.pk, answer="merged", reason="Same", merged_into_id=proposal.pk)
    with pytest.raises(ValidationError):
        services.answer_proposal(chair, proposal_id=proposal.pk, answer="merged", reason="Loop",
                                 merged_into_id=other.pk)


@pytest.mark.django_db(transaction=True)
async def test_a_page_away_for_long_gets_one_resync_frame(consultation, resident, settings):
    settings.YISHI_RATE_LIMITS = {"comment": [(100, 60)]}  # one person writing 55 comments: above the usual limit
    for i in range(55):
        await sync_to_async(services.post_comment)(resident, consultation_id=consultation.pk, body=f"C{i}")
    communicator = WebsocketCommunicator(application, f"/ws/consultations/{consultation.pk}/?since=0",
                                         headers=[(b"origin", b"http://127.0.0.1:8000")])
    assert (await communicator.connect())[0]
    await communicator.receive_json_from()
    frame = await communicator.receive_json_from()
    assert frame["kind"] == "resync" and await communicator.receive_nothing(timeout=0.3)
    await communicator.disconnect()
    assert await sync_to_async(Consultation.objects.count)() == 1
