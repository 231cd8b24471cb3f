"""A consultation's page body is rendered once per state for anonymous readers (core/fragments.py): every
write shows at once, signed-in readers see their own bits and never someone else's, languages apart."""

import time

from django.db import connection
from django.test.utils import CaptureQueriesContext

from consult import services
from consult.models import Comment, Proposal
from tests.conftest import make_user
from tests.consult.test_views import neighbours


def read(client, url, **headers) -> str:
    response = client.get(url, **headers)
    assert response.status_code == 200
    return response.content.decode()


def article(page: str) -> str:
    return page[page.index("<article"):page.index("</article>")]


def test_what_an_anonymous_reader_sees_changes_right_after_each_write(client, chair, moderator, grid, consultation,
                                                                      proposal, resident):
    url = consultation.get_absolute_url()
    supporter, commenter = neighbours(grid, 2)
    read(client, url)  # cached from here on
    top = services.post_comment(commenter, consultation_id=consultation.pk, body="Fresh words", stance="for")
    assert "Fresh words" in read(client, url)
    services.support_proposal(supporter, proposal_id=proposal.pk)
    assert f'data-supports="{proposal.pk}">1<' in read(client, url)
    services.withdraw_support(supporter, proposal_id=proposal.pk)
    assert f'data-supports="{proposal.pk}">0<' in read(client, url)
    services.edit_comment(commenter, comment_id=top.pk, body="Second thoughts")
    page = read(client, url)
    assert "Second thoughts" in page and "Fresh words" not in page
    services.moderate(moderator, comment_id=top.pk, action="hide", reason="off_topic", explanation="Stay on topic")
    assert "Second thoughts" not in read(client, url)
    Proposal.objects.filter(pk=proposal.pk).update(title="Renamed quietly")  # a write no service or signal sees
    proposal.refresh_from_db()
    proposal.save()  # ...until something saves it
    assert "Renamed quietly" in read(client, url)


def test_a_signed_in_reader_never_gets_the_anonymous_page_nor_someone_elses(client, grid, consultation, proposal):
    url = consultation.get_absolute_url()
    alice, bob = neighbours(grid, 2)
    services.support_proposal(alice, proposal_id=proposal.pk)
    services.post_comment(alice, consultation_id=consultation.pk, body="Alice writes", stance="for")
    pressed = "/unsupport"  # the "You support this · undo" button's form
    anonymous = read(client, url)
    assert pressed not in anonymous and "▲ Upvote" not in anonymous
    client.force_login(alice)
    mine = read(client, url)
    assert pressed in mine and ">Delete<" in mine
    client.force_login(bob)
    theirs = read(client, url)
    assert pressed not in theirs and ">Delete<" not in theirs and "▲ Upvote" in theirs
    client.logout()
    again = read(client, url)
    assert pressed not in again and "▲ Upvote" not in again


def test_each_language_and_each_page_of_the_discussion_is_kept_apart(client, consultation, resident):
    url = consultation.get_absolute_url()
    Comment.objects.bulk_create([Comment(consultation=consultation, author=resident, body=f"Say {n:02}")
                                 for n in range(25)])
    english = read(client, url, HTTP_ACCEPT_LANGUAGE="en")
    chinese = read(client, url, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "Discussion" in english and "Proposals" in english
    assert "Proposals" not in chinese and chinese != english
    assert article(read(client, url, HTTP_ACCEPT_LANGUAGE="en")) == article(english)
    first, second = read(client, url), read(client, f"{url}?comments=2")
    assert "Say 24" in first and "Say 24" not in second and "Say 00" in second


def test_the_cached_page_costs_a_few_queries_whatever_its_size(client, grid, consultation, proposal, resident):
    url = consultation.get_absolute_url()

    def warm() -> int:
        read(client, url)
        with CaptureQueriesContext(connection) as ctx:
            read(client, url)
        return len(ctx)

    few = warm()
    people = neighbours(grid, 8)
    for i, person in enumerate(people):
        extra = services.submit_proposal(person, consultation_id=consultation.pk, title=f"P{i}", body="B")
        services.support_proposal(people[(i + 1) % 8], proposal_id=extra.pk)
        services.post_comment(person, consultation_id=consultation.pk, body=f"C{i}", stance="for")
    assert warm() == few <= 5
    make_user("late@test.org")  # nothing to do with the page: still cached
    with CaptureQueriesContext(connection) as ctx:
        read(client, url)
    assert len(ctx) == few


def test_a_page_kept_for_an_invented_query_string_expires_within_a_minute(client, consultation, proposal, monkeypatch):
    """Anyone can make up query strings; each variant's copy must leave the cache soon, the plain page's may stay."""
    plain, invented = consultation.get_absolute_url(), consultation.get_absolute_url() + "?anything=1"
    read(client, plain), read(client, invented)  # both kept
    Proposal.objects.filter(pk=proposal.pk).update(title="Renamed quietly")  # a write no service or signal sees
    assert "Renamed quietly" not in read(client, plain) and "Renamed quietly" not in read(client, invented)
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + 61)  # a minute later, for the cache's clock
    assert "Renamed quietly" in read(client, invented)
    assert "Renamed quietly" not in read(client, plain)
