"""Login throttling with django-axes: per account and address, 429, cool-off,
and an address that a client can't forge."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_user

pytestmark = pytest.mark.django_db
LOGIN = reverse("accounts:login")


@pytest.fixture
def account():
    return make_user(email="ari@example.org")


def attempt(client, password, email="ari@example.org", **headers):
    return client.post(LOGIN, {"username": email, "password": password}, **headers)


def fail_five_times(client, **headers):
    for _ in range(5):
        response = attempt(client, "wrong-password", **headers)
    return response


def test_five_failures_lock_the_account_from_that_address(client, account):
    for _ in range(4):
        response = attempt(client, "wrong-password")
        assert response.status_code == 200  # the usual form error
    response = attempt(client, "wrong-password")
    assert response.status_code == 429
    assert "Too many attempts to sign in" in response.content.decode()
    # even the right password is refused while locked
    response = attempt(client, "a-long-test-password")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_another_address_and_another_account_are_not_locked(client, account):
    fail_five_times(client, REMOTE_ADDR="203.0.113.5")
    response = attempt(client, "a-long-test-password", REMOTE_ADDR="198.51.100.7")
    assert response.status_code == 302 and client.session["_auth_user_id"]
    client.logout()
    make_user(email="bo@example.org")
    response = attempt(client, "a-long-test-password", email="bo@example.org",
                       REMOTE_ADDR="203.0.113.5")  # fmt: skip
    assert response.status_code == 302


def test_the_lock_ends_after_the_cool_off(client, account):
    fail_five_times(client)
    assert attempt(client, "a-long-test-password").status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    response = attempt(client, "a-long-test-password")
    assert response.status_code == 302


def test_a_forged_forwarded_for_does_not_escape_the_lock(client, account):
    for number in range(5):
        attempt(client, "wrong-password", REMOTE_ADDR="203.0.113.5",
                HTTP_X_FORWARDED_FOR=f"10.0.0.{number}")  # fmt: skip
    response = attempt(client, "a-long-test-password", REMOTE_ADDR="203.0.113.5",
                       HTTP_X_FORWARDED_FOR="10.9.9.9")  # fmt: skip
    assert response.status_code == 429


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_our_proxy_the_address_it_saw_counts_not_the_clients_claim(
    client, account
):
    # our proxy (REMOTE_ADDR 127.0.0.1) appends the address it saw; anything
    # before that the client wrote itself
    for number in range(5):
        attempt(client, "wrong-password", REMOTE_ADDR="127.0.0.1",
                HTTP_X_FORWARDED_FOR=f"10.0.0.{number}, 203.0.113.5")  # fmt: skip
    response = attempt(client, "a-long-test-password", REMOTE_ADDR="127.0.0.1",
                       HTTP_X_FORWARDED_FOR="10.9.9.9, 203.0.113.5")  # fmt: skip
    assert response.status_code == 429
    response = attempt(client, "a-long-test-password", REMOTE_ADDR="127.0.0.1",
                       HTTP_X_FORWARDED_FOR="198.51.100.7")  # fmt: skip
    assert response.status_code == 302


def test_a_successful_login_resets_the_count(client, account):
    for _ in range(4):
        attempt(client, "wrong-password")
    assert attempt(client, "a-long-test-password").status_code == 302
    client.logout()
    for _ in range(4):
        assert attempt(client, "wrong-password").status_code == 200


def test_changing_the_case_of_the_email_does_not_escape_the_lock(client, account):
    for email in ["ari@example.org", "ARI@example.org", "Ari@Example.org",
                  "ari@EXAMPLE.ORG", " ari@example.org "]:  # fmt: skip
        attempt(client, "wrong-password", email=email)
    assert attempt(client, "a-long-test-password").status_code == 429


def test_an_unknown_email_gets_the_usual_error_then_the_lock(client):
    for _ in range(4):
        response = attempt(client, "whatever-1", email="nobody@example.org")
        assert response.status_code == 200
        assert "don&#x27;t match an account" in response.content.decode()
    assert attempt(client, "whatever-1", email="Nobody@example.org").status_code == 429
