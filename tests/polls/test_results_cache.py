"""A poll's results are rendered once per state of the poll (core/fragments.py): each vote shows at once, and
someone's own ballot form never lands in what others read."""

from django.utils.html import escape

from polls import services
from tests.polls.conftest import make_poll


def read(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_each_open_vote_shows_in_the_results_at_once(client, chair, community, voters,
                                                      django_capture_on_commit_callbacks):
    poll = make_poll(chair, community, method="single", options=["Green", "Blue"], secret=False, live_results=True)
    green, blue = poll.options.get(text="Green"), poll.options.get(text="Blue")
    url = poll.get_absolute_url()
    eligible = poll.voters.count()
    assert f"0 of {eligible} eligible voted" in read(client, url)
    with django_capture_on_commit_callbacks(execute=True):  # the running count is dropped after the commit
        services.cast_ballot(voters[0], poll_id=poll.pk, choices=green.pk)
    assert f"1 of {eligible} eligible voted" in read(client, url)
    with django_capture_on_commit_callbacks(execute=True):
        services.cast_ballot(voters[0], poll_id=poll.pk, choices=blue.pk)  # an open vote may change
    page = read(client, url)
    assert f"1 of {eligible} eligible voted" in page and f"{escape(voters[0].public_name)}: Blue" in page
    client.force_login(voters[1])
    mine = read(client, url)
    assert 'name="choice"' in mine or "Your vote" in mine
    client.logout()
    assert "Your vote" not in read(client, url)
