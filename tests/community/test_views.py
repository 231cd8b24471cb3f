"""Pages as a browser without JavaScript sees them: status, content, escaping, query counts."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from community import services
from community.models import Grid, Membership, MembershipRequest, Organisation
from tests.conftest import CANARY, make_user


def test_home_shows_the_community_at_a_glance_with_user_text_escaped(client, grid, grid_worker, chair, organisation):
    page = client.get("/").content.decode()
    assert "Canary Community &lt;script&gt;" in page
    assert CANARY not in page
    assert "Wang" in page and "Chen" in page and "Evergreen" in page
    assert "Sign up to take part" in page


def test_home_lists_communities_when_there_are_several(client, community, other_community):
    page = client.get("/").content.decode()
    assert "Elsewhere" in page and "Canary Community" in page


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


@pytest.mark.parametrize("url", ["/", "/c/canary/", "/c/canary/grids/1/"])
def test_public_pages_run_a_constant_number_of_queries(client, grid, grid_worker, organisation, url):
    small = _queries(client, url)
    community = grid.community
    for number in range(2, 7):
        extra = Grid.objects.create(community=community, number=number, name=f"G{number}")
        for i in range(3):
            user = make_user(f"w{number}-{i}@test.org", f"W{i}")
            Membership.objects.create(user=user, community=community, role="grid_worker", grid=extra)
            Membership.objects.create(user=user, community=community, role="resident", grid=grid)
        org = Organisation.objects.create(community=community, name=f"Org {number}", kind="other")
        Membership.objects.create(user=user, community=community, role="org_rep", organisation=org)
    assert _queries(client, url) == small


def test_the_membership_queue_runs_a_constant_number_of_queries(client, grid, chair):
    client.force_login(chair)
    small = _queries(client, "/c/canary/requests/")
    for i in range(6):
        user = make_user(f"asker{i}@test.org", f"Asker {i}")
        services.request_membership(user, grid_id=grid.pk, unit=f"U{i}")
    assert _queries(client, "/c/canary/requests/") == small


def test_a_grid_page_shows_units_only_to_those_who_look_after_the_grid(client, grid, resident, grid_worker, resident_of_other_grid):
    assert "B1-101" not in client.get("/c/canary/grids/1/").content.decode()
    client.force_login(resident_of_other_grid)
    assert "B1-101" not in client.get("/c/canary/grids/1/").content.decode()
    client.force_login(grid_worker)
    assert "B1-101" in client.get("/c/canary/grids/1/").content.decode()


def test_an_unknown_grid_or_community_is_404(client, grid):
    assert client.get("/c/canary/grids/9/").status_code == 404
    assert client.get("/c/nowhere/").status_code == 404


def test_join_needs_a_sign_in(client, grid):
    response = client.get("/c/canary/join/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_newcomer_asks_to_join_through_the_form(client, grid, newcomer):
    client.force_login(newcomer)
    page = client.get(f"/c/canary/join/?grid={grid.pk}").content.decode()
    assert f'value="{grid.pk}" selected' in page
    response = client.post("/c/canary/join/", {"grid": grid.pk, "unit": "B2-202", "note": "hi"})
    assert response.status_code == 302 and response["Location"] == "/account/"
    request = MembershipRequest.objects.get()
    assert (request.user, request.grid, request.unit) == (newcomer, grid, "B2-202")
    assert "Pending" in client.get("/account/").content.decode()


def test_a_bad_join_form_keeps_what_was_typed_and_says_why(client, grid, newcomer):
    client.force_login(newcomer)
    response = client.post("/c/canary/join/", {"grid": grid.pk, "unit": "", "note": "my long note"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "This field is required" in page
    assert "my long note" in page
    assert not MembershipRequest.objects.exists()


def test_an_unconfirmed_account_is_told_to_confirm_first(client, grid, unverified):
    client.force_login(unverified)
    response = client.post("/c/canary/join/", {"grid": grid.pk, "unit": "B2"})
    assert response.status_code == 403
    assert not MembershipRequest.objects.exists()


def test_a_grid_worker_approves_from_the_queue(client, grid, newcomer, grid_worker):
    request = services.request_membership(newcomer, grid_id=grid.pk, unit="B2-202")
    client.force_login(grid_worker)
    page = client.get("/c/canary/requests/").content.decode()
    assert "Nina" in page and "B2-202" in page
    response = client.post(f"/c/canary/requests/{request.pk}/approve", follow=True)
    assert "is now a verified resident" in response.content.decode()
    assert Membership.objects.filter(user=newcomer, role="resident", grid=grid).exists()


def test_declining_without_a_reason_is_refused_with_a_message(client, grid, newcomer, chair):
    request = services.request_membership(newcomer, grid_id=grid.pk, unit="B2-202")
    client.force_login(chair)
    response = client.post(f"/c/canary/requests/{request.pk}/reject", {"reason": ""}, follow=True)
    assert "Give the resident a reason" in response.content.decode()
    request.refresh_from_db()
    assert request.status == "pending"
    client.post(f"/c/canary/requests/{request.pk}/reject", {"reason": "Unknown flat"})
    request.refresh_from_db()
    assert (request.status, request.reason) == ("rejected", "Unknown flat")


@pytest.mark.parametrize("who", ["resident", "org_rep", "outsider_chair", "moderator"])
def test_the_queue_and_its_actions_are_hidden_from_others(client, request, grid, newcomer, who):
    membership_request = services.request_membership(newcomer, grid_id=grid.pk, unit="B2-202")
    client.force_login(request.getfixturevalue(who))
    assert client.get("/c/canary/requests/").status_code == 404
    assert client.post(f"/c/canary/requests/{membership_request.pk}/approve").status_code == 404
    membership_request.refresh_from_db()
    assert membership_request.status == "pending"


def test_a_grid_worker_sees_only_their_own_grids_requests(client, grid, other_grid, newcomer, resident_of_other_grid, grid_worker):
    services.request_membership(newcomer, grid_id=grid.pk, unit="B2-202")
    services.request_membership(resident_of_other_grid, grid_id=grid.pk, unit="B9")
    other = make_user("x@test.org", "Xander")
    services.request_membership(other, grid_id=other_grid.pk, unit="S1")
    client.force_login(grid_worker)
    page = client.get("/c/canary/requests/").content.decode()
    assert "Nina" in page and "Xander" not in page


def test_the_account_page_saves_the_profile(client, newcomer):
    client.force_login(newcomer)
    response = client.post("/account/", {"display_name": "Nina L", "language": "zh-hans", "age_band": "18-29",
                                          "email_frequency": "daily"})
    assert response.status_code == 302
    newcomer.refresh_from_db()
    assert (newcomer.display_name, newcomer.language, newcomer.age_band, newcomer.email_frequency) == (
        "Nina L", "zh-hans", "18-29", "daily")
    # The preferred language now drives the pages.
    assert "我的账户" in client.get("/account/").content.decode()


def test_the_language_switcher_remembers_a_signed_in_persons_choice(client, newcomer):
    client.force_login(newcomer)
    response = client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert response.status_code == 302
    newcomer.refresh_from_db()
    assert newcomer.language == "zh-hans"


def test_an_anonymous_visitor_switches_to_chinese(client, grid):
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    page = client.get("/").content.decode()
    assert 'lang="zh-Hans"' in page and "网格" in page


def test_withdrawing_from_the_account_page(client, grid, newcomer):
    request = services.request_membership(newcomer, grid_id=grid.pk, unit="B2-202")
    client.force_login(newcomer)
    client.post(reverse("community:request-withdraw", args=[request.pk]))
    request.refresh_from_db()
    assert request.status == "withdrawn"


def test_healthz_reports_the_database_and_channel_layer(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok", "database": "ok", "channel_layer": "ok"}


def test_pages_send_a_strict_content_security_policy(client, db):
    policy = client.get("/")["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


def test_the_allauth_pages_use_the_site_layout(client, db):
    for url in ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"]:
        page = client.get(url).content.decode()
        assert 'class="site-header"' in page and 'class="language-switcher"' in page, url


def test_nobody_verifies_their_own_request(client, grid, grid_worker):
    request = services.request_membership(grid_worker, grid_id=grid.pk, unit="Staff flat")
    client.force_login(grid_worker)
    response = client.post(f"/c/canary/requests/{request.pk}/approve", follow=True)
    assert "not allowed" in response.content.decode()
    request.refresh_from_db()
    assert request.status == "pending"


def test_withdrawing_another_persons_or_a_missing_request_is_404(client, grid, newcomer, resident_of_other_grid):
    request = services.request_membership(newcomer, grid_id=grid.pk, unit="B2")
    client.force_login(resident_of_other_grid)
    assert client.post(reverse("community:request-withdraw", args=[request.pk])).status_code == 404
    assert client.post(reverse("community:request-withdraw", args=[99999])).status_code == 404
    request.refresh_from_db()
    assert request.status == "pending"


def test_a_mail_server_that_is_down_does_not_lose_or_break_a_request(client, grid, newcomer, grid_worker, settings):
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                                    "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 1}}}
    client.force_login(newcomer)
    response = client.post("/c/canary/join/", {"grid": grid.pk, "unit": "B2-202"})
    assert response.status_code == 302
    assert MembershipRequest.objects.filter(user=newcomer).exists()


def test_healthz_answers_503_when_the_channel_layer_is_down(client, db, settings):
    from channels.layers import channel_layers

    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels_redis.core.RedisChannelLayer",
                                           "CONFIG": {"hosts": ["redis://127.0.0.1:9/0"]}}}
    channel_layers.backends.clear()
    try:
        response = client.get("/healthz")
    finally:
        channel_layers.backends.clear()
    assert response.status_code == 503
    assert json.loads(response.content)["channel_layer"].startswith("error")


def test_the_account_page_runs_a_constant_number_of_queries(client, grid, other_grid, newcomer):
    client.force_login(newcomer)
    small = _queries(client, "/account/")
    request = services.request_membership(newcomer, grid_id=grid.pk, unit="B2")
    services.withdraw_membership_request(newcomer, request_id=request.pk)
    services.request_membership(newcomer, grid_id=other_grid.pk, unit="S2")
    assert _queries(client, "/account/") == small


def test_staff_configure_categories_in_the_admin_but_cannot_edit_issues_there(client, issue, category):
    from issues.models import Category

    staff = make_user("staff@test.org", "Staff", is_staff=True, is_superuser=True)
    client.force_login(staff)
    assert client.get("/admin/issues/category/").status_code == 200
    response = client.post("/admin/issues/category/add/", {"community": category.community.pk, "name": "Noise",
                                                             "position": 3, "active": "on"})
    assert response.status_code == 302 and Category.objects.filter(name="Noise").exists()
    assert client.get(f"/admin/issues/issue/{issue.pk}/change/").status_code == 200  # view only
    client.post(f"/admin/issues/issue/{issue.pk}/change/", {"title": "Changed"})
    issue.refresh_from_db()
    assert issue.title.startswith("Lift broken")
