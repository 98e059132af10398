"""Membership through django-allauth: sign up, confirm, sign in, sign out, reset, change."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

User = get_user_model()


def _link(message) -> str:
    return re.search(r"http://testserver(/accounts/[^\s]+)", message.body).group(1)


def _signup(client, **overrides):
    data = {
        "username": "newcomer",
        "email": "newcomer@example.com",
        "password1": "a sturdy passphrase 42",
        "password2": "a sturdy passphrase 42",
    }
    data.update(overrides)
    return client.post("/accounts/signup/", data)


def test_signup_page_uses_the_site_layout(guest_client):
    html = guest_client.get("/accounts/signup/").content.decode()
    assert 'class="site-header"' in html and "Jump to content" in html
    assert 'name="username"' in html and 'name="email"' in html
    assert "style=" not in html  # the honeypot is hidden by the stylesheet (CSP forbids inline)


def test_signup_confirm_email_and_sign_in(guest_client):
    response = _signup(guest_client)
    assert response.status_code == 302 and response["Location"] == "/accounts/confirm-email/"
    user = User.objects.get(username="newcomer")
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["newcomer@example.com"]

    # Unconfirmed: signing in only reminds to confirm.
    response = guest_client.post(
        "/accounts/login/", {"login": "newcomer", "password": "a sturdy passphrase 42"}
    )
    assert "_auth_user_id" not in guest_client.session

    confirm_url = _link(mail.outbox[-1])
    assert "Confirm" in guest_client.get(confirm_url).content.decode()
    response = guest_client.post(confirm_url)
    assert response.status_code == 302
    assert EmailAddress.objects.get(user=user).verified
    assert guest_client.session["_auth_user_id"] == str(user.pk)


def test_signup_errors_are_shown_next_to_the_fields(guest_client):
    UserFactory(username="taken")
    response = _signup(guest_client, username="taken", password2="something else")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="field-error"' in html
    assert 'value="newcomer@example.com"' in html  # what was typed is kept
    assert User.objects.filter(username="taken").count() == 1


def test_honeypot_catches_bots_without_telling_them(guest_client):
    response = _signup(guest_client, website="http://spam.example")
    assert response.status_code == 302
    assert not User.objects.filter(username="newcomer").exists()
    assert mail.outbox == []


@pytest.mark.parametrize("login", ["member0x", "member0x@example.com"])
def test_sign_in_with_username_or_email(guest_client, login):
    user = UserFactory(username="member0x")
    response = guest_client.post("/accounts/login/", {"login": login, "password": PASSWORD})
    assert response.status_code == 302
    assert guest_client.session["_auth_user_id"] == str(user.pk)


def test_wrong_password_gives_a_message_and_keeps_the_login(guest_client):
    UserFactory(username="member0y")
    response = guest_client.post("/accounts/login/", {"login": "member0y", "password": "nope"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "not correct" in html
    assert 'value="member0y"' in html


def test_sign_out_is_a_post(member_client):
    assert member_client.get("/accounts/logout/").status_code == 200  # a confirm page
    assert "_auth_user_id" in member_client.session
    response = member_client.post("/accounts/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in member_client.session


def test_password_reset_by_email(guest_client):
    user = UserFactory(username="forgetful")
    response = guest_client.post("/accounts/password/reset/", {"email": user.email})
    assert response.status_code == 302
    reset_url = _link(mail.outbox[-1])
    response = guest_client.get(reset_url)
    assert response.status_code == 302  # allauth moves the key into the session
    form_url = response["Location"]
    response = guest_client.post(
        form_url, {"password1": "brand new passphrase 7", "password2": "brand new passphrase 7"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("brand new passphrase 7")


def test_password_reset_does_not_reveal_whether_an_address_exists(guest_client):
    UserFactory(email="known@example.com")
    known = guest_client.post("/accounts/password/reset/", {"email": "known@example.com"})
    unknown = guest_client.post("/accounts/password/reset/", {"email": "nobody@example.com"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]


def test_change_password(member_client, member):
    response = member_client.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": "another fine phrase 9",
         "password2": "another fine phrase 9"},
    )  # fmt: skip
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.check_password("another fine phrase 9")


def test_add_an_email_address_sends_a_confirmation(member_client, member):
    response = member_client.post(
        "/accounts/email/", {"action_add": "", "email": "second@example.com"}
    )
    assert response.status_code == 302
    assert EmailAddress.objects.filter(user=member, email="second@example.com").exists()
    assert mail.outbox[-1].to == ["second@example.com"]
