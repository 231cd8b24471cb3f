"""The fragment cache is never needed (core/fragments.py): when it cannot be reached, pages are rendered
without it and writes commit all the same; a version a write could not bump is bumped as soon as the cache
answers again, so no reader is then served the page from before the write."""

import pytest
from django.conf import settings
from django.test import override_settings
from django.utils.html import escape

from consult import services
from consult.models import Comment
from core import fragments
from tests.consult.test_views import neighbours

# Nothing listens on port 1 of the loopback: a Redis client is refused at once.
UNREACHABLE = {**settings.CACHES, fragments.CACHE: {
    "BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}}


@pytest.fixture
def outages(monkeypatch):
    """No rest after a failure (the test switches the cache back at once), and no unbumped version left over."""
    monkeypatch.setattr(fragments, "RESTING", 0.0)
    monkeypatch.setattr(fragments, "_resting_until", 0.0)
    monkeypatch.setattr(fragments, "_unbumped", set())


def read(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_pages_are_served_and_writes_commit_while_the_cache_is_unreachable(client, outages, grid, consultation,
                                                                         proposal):
    (writer,) = neighbours(grid, 1)
    url = consultation.get_absolute_url()
    with override_settings(CACHES=UNREACHABLE):
        assert escape(proposal.title) in read(client, url)
        services.post_comment(writer, consultation_id=consultation.pk, body="Written during the outage",
                              stance="for")
        assert Comment.objects.filter(body="Written during the outage").exists()
        assert "Written during the outage" in read(client, url)
    assert fragments._unbumped == {f"v:consultation:{consultation.pk}"}


def test_a_write_during_the_outage_shows_once_the_cache_answers_again(client, outages, grid, consultation,
                                                                      proposal):
    (writer,) = neighbours(grid, 1)
    url = consultation.get_absolute_url()
    assert "Written during the outage" not in read(client, url)  # kept in the cache from here on
    with override_settings(CACHES=UNREACHABLE):
        services.post_comment(writer, consultation_id=consultation.pk, body="Written during the outage",
                              stance="for")
    # The same cache is back, still holding the page from before the write: the write's version is bumped
    # before anything is read under it.
    assert "Written during the outage" in read(client, url)
    assert fragments._unbumped == set()
