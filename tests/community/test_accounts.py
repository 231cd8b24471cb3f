"""Account flows through allauth over HTTP: password reset and change, change of email, rate limits."""

import re

from allauth.account.models import EmailAddress
from django.contrib.auth import authenticate

from community.models import User


def link_in(message) -> str:
    return re.search(r"https?://testserver(\S+)", message.body).group(1)


def test_a_forgotten_password_is_reset_by_the_link_in_the_mail(client, newcomer, mailoutbox):
    client.post("/accounts/password/reset/", {"email": "newcomer@test.org"})
    assert [m.to for m in mailoutbox] == [["newcomer@test.org"]]
    form_url = client.get(link_in(mailoutbox[0]), follow=True).redirect_chain[-1][0]
    response = client.post(form_url, {"password1": "a new canal walk", "password2": "a new canal walk"})
    assert response.status_code == 302
    assert authenticate(email="newcomer@test.org", password="a new canal walk") == newcomer


def test_a_signed_in_person_changes_their_password(client, newcomer):
    client.force_login(newcomer)
    response = client.post("/accounts/password/change/", {
        "oldpassword": "correct horse battery", "password1": "a new canal walk", "password2": "a new canal walk",
    })
    assert response.status_code == 302
    assert authenticate(email="newcomer@test.org", password="a new canal walk") == newcomer


def test_a_wrong_current_password_changes_nothing(client, newcomer):
    client.force_login(newcomer)
    response = client.post("/accounts/password/change/", {
        "oldpassword": "wrong", "password1": "a new canal walk", "password2": "a new canal walk",
    })
    assert response.status_code == 200 and "Please type your current password" in response.content.decode()
    assert authenticate(email="newcomer@test.org", password="correct horse battery") == newcomer


def test_a_new_email_address_takes_effect_once_confirmed(client, newcomer, mailoutbox):
    client.force_login(newcomer)
    client.post("/accounts/email/", {"action_add": "", "email": "nina@new.org"})
    assert User.objects.get(pk=newcomer.pk).email == "newcomer@test.org"  # not before confirming
    confirm_url = link_in(mailoutbox[-1])
    assert mailoutbox[-1].to == ["nina@new.org"]
    client.post(confirm_url)
    assert EmailAddress.objects.get(email="nina@new.org").verified
    assert User.objects.get(pk=newcomer.pk).email == "nina@new.org"


def test_repeated_failed_sign_ins_are_rate_limited(client, newcomer):
    pages = [
        client.post("/accounts/login/", {"login": "newcomer@test.org", "password": f"guess {i}"}).content.decode()
        for i in range(6)
    ]
    assert not any("Too many failed login attempts" in page for page in pages[:5])
    assert "Too many failed login attempts" in pages[5]
    # Even the right password waits until the limit passes.
    right = client.post("/accounts/login/", {"login": "newcomer@test.org", "password": "correct horse battery"})
    assert "Too many failed login attempts" in right.content.decode()
    assert "_auth_user_id" not in client.session


def test_an_unconfirmed_account_cannot_sign_in_until_it_confirms(client, unverified, mailoutbox):
    response = client.post("/accounts/login/", {"login": "unverified@test.org", "password": "correct horse battery"})
    assert response.status_code == 302 and "confirm-email" in response["Location"]
    assert mailoutbox and mailoutbox[-1].to == ["unverified@test.org"]
    assert "_auth_user_id" not in client.session
