"""Sessions: a password change ends the others, logout only by POST, and
nothing shown to a signed-in reader is stored by a cache."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import make_community, make_image, make_member, make_story

pytestmark = pytest.mark.django_db
CHANGE = reverse("accounts:password_change")


def signed_in(email):
    client = Client()
    credentials = {"username": email, "password": "a-long-test-password"}
    response = client.post(reverse("accounts:login"), credentials)
    assert response.status_code == 302
    return client


def test_a_password_change_ends_the_other_sessions(db):
    member = make_member(make_community(), email="ari@example.org")
    laptop, phone = signed_in("ari@example.org"), signed_in("ari@example.org")
    assert phone.get("/me/").status_code == 200
    response = laptop.post(CHANGE, {
        "old_password": "a-long-test-password",
        "new_password1": "kites-over-the-bay-42",
        "new_password2": "kites-over-the-bay-42",
    })  # fmt: skip
    assert response.status_code == 302
    assert laptop.get("/me/").status_code == 200  # this one stays signed in
    response = phone.get("/me/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    member.refresh_from_db()
    assert member.check_password("kites-over-the-bay-42")


def test_a_wrong_old_password_is_explained_and_changes_nothing(db):
    member = make_member(make_community(), email="ari@example.org")
    client = signed_in("ari@example.org")
    response = client.post(CHANGE, {
        "old_password": "not-it", "new_password1": "kites-over-the-bay-42",
        "new_password2": "kites-over-the-bay-42",
    })  # fmt: skip
    assert response.status_code == 400
    assert "Your old password was entered incorrectly" in response.content.decode()
    member.refresh_from_db()
    assert member.check_password("a-long-test-password")


def test_changing_a_password_needs_a_session(client):
    response = client.get(CHANGE)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_logout_is_only_by_post(db):
    make_member(make_community(), email="ari@example.org")
    client = signed_in("ari@example.org")
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.get("/me/").status_code == 200
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get("/me/").status_code == 302


def test_nothing_shown_to_a_signed_in_reader_is_cached(client):
    community = make_community()
    member = make_member(community)
    hidden = make_story(visibility="collective", community=community, slug="ours")
    image = make_image(hidden)
    draft = make_story(status="draft", community=community, slug="draft")
    draft.authors.add(member)
    client.force_login(member)
    for url in ["/", "/stories/", "/stories/ours/", "/stories/draft/", "/me/",
                image.image.url]:  # fmt: skip
        response = client.get(url)
        assert response.status_code == 200, url
        cache = response["Cache-Control"]
        assert "private" in cache and "no-store" in cache, url


def test_public_pages_for_visitors_stay_cacheable(client):
    make_story(slug="open")
    response = client.get("/stories/open/")
    assert "no-store" not in response.get("Cache-Control", "")
