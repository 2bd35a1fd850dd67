"""A Collective-only collection opened by someone who may not read it: a visitor
is told it is for members of the Collective and offered sign-in, which brings
them back to it; a pending account is told its approval opens it. Nothing of
the collection itself is shown, and a draft or a link-only collection is still
a plain 404 that gives nothing away."""

import re

import pytest
from django.urls import reverse

from tests.conftest import count_h1
from tests.factories import make_collection, make_core, make_story, make_user

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"  # what tests.factories gives every account
TITLE = "Qx9Mq briefing for Treasury"
INTRO = "Qx9Mq intro: what the Collective learnt about the closures."


@pytest.fixture
def members_only():
    story = make_story(title="Qx9Mq a story inside", visibility="collective")
    return make_collection(
        title=TITLE,
        slug="for-treasury",
        introduction=INTRO,
        visibility="collective",
        stories=[story],
    )


def urls_of(collection):
    return [collection.get_absolute_url(), collection.get_print_url()]


def test_a_visitor_is_told_it_is_for_members_and_offered_sign_in(client, members_only):
    for url in urls_of(members_only):
        response = client.get(url)
        assert response.status_code == 403, url
        html = response.content.decode()
        assert count_h1(response) == 1
        assert "This collection is for members of the Collective" in html
        login = reverse("accounts:login")
        assert f'href="{login}?next={url}"' in html, url
        assert f'href="{reverse("accounts:signup")}"' in html
        assert 'href="/collections/"' in html
        assert "private" in response["Cache-Control"]
        assert "no-store" in response["Cache-Control"]
        assert '<meta name="robots" content="noindex, nofollow">' in html


def test_the_page_shows_nothing_of_the_collection(client, members_only):
    html = client.get(members_only.get_absolute_url()).content.decode()
    assert "Qx9Mq" not in html  # neither its title, its introduction nor its stories


def test_signing_in_from_it_opens_the_collection(client, members_only):
    member = make_user(approved=True)
    url = members_only.get_absolute_url()
    html = client.get(url).content.decode()
    login_url = re.search(r'href="(/accounts/login/\?next=[^"]+)"', html).group(1)
    response = client.post(
        login_url, {"username": member.email, "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == url
    assert response.status_code == 200
    assert TITLE in response.content.decode()


def test_a_pending_account_is_told_its_approval_opens_it(client, members_only):
    client.force_login(make_user(approved=False))
    for url in urls_of(members_only):
        response = client.get(url)
        assert response.status_code == 403, url
        html = response.content.decode()
        assert "This collection is for members of the Collective" in html
        assert "Your account is waiting for approval" in html
        assert "/accounts/login/" not in html.split("<main", 1)[1]
        assert "Qx9Mq" not in html


def test_members_and_the_core_team_read_it(client, members_only):
    for reader in (make_user(approved=True), make_core()):
        client.force_login(reader)
        for url in urls_of(members_only):
            response = client.get(url)
            assert response.status_code == 200, url
            assert TITLE in response.content.decode()


@pytest.mark.parametrize(
    ("visibility", "published"),
    [("collective", False), ("public", False), ("link", True), ("link", False)],
)
@pytest.mark.parametrize("who", ["anonymous", "pending", "member"])
def test_drafts_and_link_only_collections_stay_a_plain_404(
    client, visibility, published, who
):
    hidden = make_collection(
        title=TITLE, slug="hidden-one", visibility=visibility, published=published
    )
    if who != "anonymous":
        client.force_login(make_user(approved=who == "member"))
    assert client.get("/collections/no-such-one/").status_code == 404
    for url in urls_of(hidden):
        response = client.get(url)
        assert response.status_code == 404, url
        html = response.content.decode()
        assert "for members of the Collective" not in html
        assert "Qx9Mq" not in html
        assert "Sign in to read it" not in html


def test_a_visitor_is_never_kept_the_refusal(client, members_only):
    url = members_only.get_absolute_url()
    assert client.get(url).status_code == 403
    member = make_user(approved=True)
    client.force_login(member)
    assert client.get(url).status_code == 200
