"""What the system writes reads in the language of whoever reads it, and mail links to the address used."""

import json

import pytest
from django.utils import translation
from django.utils.translation import gettext_lazy, pgettext_lazy

from consult.models import Consultation
from core.i18n import freeze, thaw
from core.mail import base_url
from tests.conftest import make_user
from tests.polls.conftest import make_poll


def test_a_frozen_message_renders_in_the_language_active_when_read():
    frozen = json.loads(json.dumps(freeze(gettext_lazy("“%(title)s” moved on to a new phase: %(phase)s"), {
        "title": "Lift <b>", "phase": Consultation.Phase.VOTING.label})))  # stored as JSON, read back
    with translation.override("en"):
        assert thaw(frozen) == "“Lift <b>” moved on to a new phase: Voting"
    with translation.override("zh-hans"):
        assert thaw(frozen) == "“Lift <b>”进入新阶段：表决"
    closed = freeze(pgettext_lazy("a poll", "Closed"))
    with translation.override("zh-hans"):
        assert thaw(closed) == "已结束"
    assert thaw(freeze("typed by a person: 50% %(x)s")) == "typed by a person: 50% %(x)s"  # kept as written
    assert thaw(None) == "" and thaw({}) == ""


def test_a_translation_that_lost_its_placeholder_falls_back_to_the_message():
    broken = {"m": "No such message %(n)s in the catalogue", "p": {"n": "7"}}
    assert thaw(broken) == "No such message 7 in the catalogue"


def test_a_notification_reads_in_the_language_its_reader_has_now(client, chair, resident, community):
    from consult import services as consult_services
    from tests.consult.conftest import new_consultation

    resident.language = "en"
    resident.save(update_fields=["language"])
    consultation = new_consultation(chair, community)
    consult_services.follow_consultation(resident, consultation_id=consultation.pk)
    with translation.override("en"):  # the chair clicks in English
        consult_services.advance_phase(chair, consultation_id=consultation.pk, to=consultation.next_phase)
    told = resident.notifications.get()
    assert "moved on to a new phase" in told.message  # what her mail said, in her language then
    client.force_login(resident)
    assert "moved on to a new phase" in client.get("/notifications/").content.decode()
    resident.language = "zh-hans"
    resident.save(update_fields=["language"])
    page = client.get("/notifications/").content.decode()
    assert "进入新阶段" in page and "moved on to a new phase" not in page


def test_a_decision_adopted_by_vote_says_so_in_each_readers_language(client, chair, community, grid):
    from community.models import Membership

    voters = [make_user(f"v{n}@test.org", f"V{n}") for n in range(3)]
    for voter in voters:
        Membership.objects.create(user=voter, community=community, role=Membership.Role.RESIDENT, grid=grid)
    poll = make_poll(chair, community, method="single", options=["Green", "Blue"])
    from polls import services as poll_services

    green = poll.options.get(text="Green")
    for voter in voters:
        poll_services.cast_ballot(voter, poll_id=poll.pk, choices=green.pk)
    with translation.override("en"):
        decision = poll_services.close_poll(chair, poll_id=poll.pk).decision
    english = client.get(decision.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    chinese = client.get(decision.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "Adopted by vote: Green" in english and "经表决通过：Green" in chinese
    api = client.get(f"/api/v1/decisions/{decision.pk}", HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    assert api["body"].startswith("经表决通过：Green")


def test_mail_links_to_the_address_the_request_came_to(client, grid, grid_worker, newcomer, settings, mailoutbox,
                                                       django_capture_on_commit_callbacks):
    settings.YISHI_BASE_URL = ""
    client.force_login(newcomer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/c/{grid.community.slug}/join/", {"grid": grid.pk, "unit": "B3-401", "note": ""},
                               HTTP_HOST="localhost:8123")
    assert response.status_code == 302
    assert "http://localhost:8123/" in mailoutbox[0].body and "8000" not in mailoutbox[0].body


@pytest.mark.django_db
def test_without_a_request_mail_links_to_the_setting_or_else_the_sites_domain(settings):
    from django.contrib.sites.models import Site

    settings.YISHI_BASE_URL = ""
    Site.objects.filter(pk=settings.SITE_ID).update(domain="yishi.example.org")
    Site.objects.clear_cache()
    settings.ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"
    assert base_url() == "https://yishi.example.org"
    settings.YISHI_BASE_URL = "https://canonical.example.org/"
    assert base_url() == "https://canonical.example.org"


def test_times_in_system_text_are_written_in_the_readers_date_format(settings):
    import datetime

    from django.utils import timezone

    settings.TIME_ZONE = "Asia/Shanghai"
    moment = timezone.make_aware(datetime.datetime(2026, 12, 3, 19, 30))
    frozen = json.loads(json.dumps(freeze(gettext_lazy("You are invited: “%(title)s”, %(when)s"), {
        "title": "Lift", "when": moment, "due": datetime.date(2026, 12, 9)})))
    with translation.override("en"):
        assert thaw(frozen) == "You are invited: “Lift”, 3 Dec 2026, 19:30"
        assert thaw(frozen["p"]["due"]) == "9 Dec 2026"
    with translation.override("zh-hans"):
        assert thaw(frozen).endswith("2026年12月3日 19:30") and thaw(frozen["p"]["due"]) == "2026年12月9日"


def test_a_verified_resident_finds_the_news_in_her_notifications_too(grid, grid_worker, newcomer):
    from community import services as community_services

    newcomer.language = "zh-hans"
    newcomer.save(update_fields=["language"])
    request = community_services.request_membership(newcomer, grid_id=grid.pk, unit="B3-401")
    community_services.approve_membership_request(grid_worker, request_id=request.pk)
    told = newcomer.notifications.get()
    assert told.url == "/account/" and "已认证居民" in told.message
    with translation.override("en"):
        assert told.text.startswith("You are now a verified resident of")
