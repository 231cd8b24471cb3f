"""Sign-in, sign-up, password reset and the admin's sign-in are limited, with the settings as configured."""

import pytest

from community.models import User
from tests.conftest import make_user

PASSWORD = "correct horse battery"
TOO_MANY = "Too many failed login attempts"


@pytest.fixture
def staff(db):
    return make_user("staff@test.org", "Sam", is_staff=True, is_superuser=True)


def admin_sign_in(client, email, password):
    return client.post("/admin/login/?next=/admin/", {"username": email, "password": password})


def test_the_admin_refuses_even_the_right_password_after_five_failures_for_an_address(client, staff):
    pages = [admin_sign_in(client, "staff@test.org", f"guess {i}").content.decode() for i in range(6)]
    assert not any(TOO_MANY in page for page in pages[:5]) and TOO_MANY in pages[5]
    right = admin_sign_in(client, "staff@test.org", PASSWORD)
    assert right.status_code == 200 and TOO_MANY in right.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_admin_still_signs_in_with_the_right_password_below_the_limit(client, staff):
    for i in range(4):
        admin_sign_in(client, "staff@test.org", f"guess {i}")
    response = admin_sign_in(client, "staff@test.org", PASSWORD)
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(staff.pk)


def test_failures_at_the_admin_and_on_the_account_page_share_one_allowance(client, staff):
    for i in range(5):
        admin_sign_in(client, "staff@test.org", f"guess {i}")
    response = client.post("/accounts/login/", {"login": "staff@test.org", "password": PASSWORD})
    assert TOO_MANY in response.content.decode() and "_auth_user_id" not in client.session


def test_the_admin_limits_failures_from_one_address_across_accounts(client, staff):
    for i in range(10):  # ten guesses at ten different accounts from one IP
        assert TOO_MANY not in admin_sign_in(client, f"guess{i}@test.org", "guess").content.decode()
    response = admin_sign_in(client, "staff@test.org", PASSWORD)
    assert TOO_MANY in response.content.decode() and "_auth_user_id" not in client.session


def test_sign_ups_from_one_address_are_limited_with_a_429_page(client, db):
    for i in range(20):
        assert client.post("/accounts/signup/", {"email": f"not an address {i}"}).status_code == 200
    response = client.post("/accounts/signup/", {"email": "late@test.org", "password1": "a long walk by the canal",
                                                 "password2": "a long walk by the canal"})
    assert response.status_code == 429 and "Too many attempts" in response.content.decode()
    assert not User.objects.filter(email="late@test.org").exists()


def test_password_resets_for_one_address_are_limited_and_send_no_more_mail(client, newcomer, mailoutbox):
    answers = [client.post("/accounts/password/reset/", {"email": "newcomer@test.org"}).status_code for _ in range(6)]
    assert answers[:5] == [302] * 5 and answers[5] == 429
    assert len(mailoutbox) == 5


def test_confirming_the_password_again_is_limited(client, newcomer):
    client.force_login(newcomer)
    answers = [client.post("/accounts/reauthenticate/", {"password": f"guess {i}"}).status_code for i in range(11)]
    assert 429 not in answers[:10] and answers[10] == 429
