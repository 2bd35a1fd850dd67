"""Robots repeating writes are slowed down: rate limits on sign-up, saving
stories, preview and upload answer 429 past their allowance, keep what was
typed, count per account or per address (not per forged header), and the
sign-up honeypot refuses form-filling robots."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.test import Client, RequestFactory
from django.urls import reverse

from common import ratelimit
from stories.models import EditorImage, Story
from tests.communities.test_accounts import sign_up
from tests.factories import make_community, make_member, png_bytes, story_data
from tests.stories.test_submit import image_file

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def small_limits(settings):
    settings.RATE_LIMITS = {
        "signup": (2, 3600),
        "story": (2, 3600),
        "preview": (3, 60),
        "upload": (2, 3600),
    }
    return settings.RATE_LIMITS


def test_sign_up_past_the_limit_is_429_and_keeps_what_was_typed(small_limits):
    client = Client(REMOTE_ADDR="203.0.113.7")
    for n in range(2):
        response = sign_up(Client(REMOTE_ADDR="203.0.113.7"), email=f"p{n}@example.org")
        assert response.status_code == 302
    response = sign_up(client, email="third@example.org", name="Third Person")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    page = response.content.decode()
    assert "paused it to keep the library safe" in page
    assert 'value="Third Person"' in page and 'value="third@example.org"' in page
    assert not User.objects.filter(email="third@example.org").exists()
    assert User.objects.count() == 2


def test_sign_up_limit_counts_the_address_not_a_forged_header(small_limits):
    for n in range(2):
        client = Client(REMOTE_ADDR="203.0.113.8", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")
        assert sign_up(client, email=f"f{n}@example.org").status_code == 302
    forged = Client(REMOTE_ADDR="203.0.113.8", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert sign_up(forged, email="f3@example.org").status_code == 429
    # another address has its own allowance
    other = Client(REMOTE_ADDR="203.0.113.9")
    assert sign_up(other, email="f4@example.org").status_code == 302


def test_a_get_never_counts(small_limits):
    client = Client(REMOTE_ADDR="203.0.113.10")
    for _ in range(5):
        assert client.get(reverse("accounts:signup")).status_code == 200
    assert sign_up(client).status_code == 302


def test_honeypot_refuses_a_robot_and_creates_nothing(client):
    page = client.get(reverse("accounts:signup")).content.decode()
    assert 'class="honeypot"' in page and 'tabindex="-1"' in page
    response = sign_up(client, website="http://spam.example", name="Robot Name")
    assert response.status_code == 400
    assert "couldn&#x27;t create this account" in response.content.decode()
    assert 'value="Robot Name"' in response.content.decode()
    assert not User.objects.exists()


def test_an_empty_honeypot_lets_a_person_in(client):
    assert sign_up(client, website="").status_code == 302
    assert User.objects.count() == 1


def test_story_saves_past_the_limit_are_429_and_keep_the_text(client, small_limits):
    community = make_community()
    author = make_member(community)
    client.force_login(author)
    new = reverse("stories:new")
    for n in range(2):
        data = story_data(community, title=f"Story number {n}")
        assert client.post(new, data).status_code == 302
    data = story_data(community, title="One too many", body="Kept *text*")
    response = client.post(new, data)
    assert response.status_code == 429
    page = response.content.decode()
    assert "paused it to keep the library safe" in page
    assert 'value="One too many"' in page and "Kept *text*" in page
    assert Story.objects.count() == 2
    # edits count in the same allowance
    story = Story.objects.first()
    edit = reverse("stories:edit", args=[story.slug])
    data = story_data(community, title="Edited", version=story.version)
    assert client.post(edit, data).status_code == 429
    story.refresh_from_db()
    assert story.title != "Edited"
    # someone else is not held back by it
    other = make_member(community)
    client.force_login(other)
    assert client.post(new, story_data(community, title="Theirs")).status_code == 302


def test_preview_past_the_limit_is_429(client, small_limits):
    client.force_login(make_member(make_community()))
    url = reverse("markdownx_markdownify")
    for _ in range(3):
        response = client.post(url, {"content": "**hi**"})
        assert response.status_code == 200
        assert b"<strong>hi</strong>" in response.content
    response = client.post(url, {"content": "**hi**"})
    assert response.status_code == 429
    assert response["Content-Type"].startswith("text/plain")
    assert b"paused" in response.content


def test_editor_upload_past_the_limit_is_429_and_stores_nothing(client, small_limits):
    client.force_login(make_member(make_community()))
    url = reverse("markdownx_upload")
    for _ in range(2):
        response = client.post(url, {"image": image_file(png_bytes())})
        assert response.status_code == 200
    response = client.post(url, {"image": image_file(png_bytes())})
    assert response.status_code == 429
    assert "paused" in response.json()["image"][0]
    assert EditorImage.objects.count() == 2


def test_limits_hold_per_window_and_say_when_to_retry(small_limits):
    request = RequestFactory().post("/", REMOTE_ADDR="192.0.2.1")
    request.user = AnonymousUser()
    results = [ratelimit.hit(request, "signup") for _ in range(3)]
    assert [bool(r) for r in results] == [False, False, True]
    assert 0 < results[-1].retry_after <= 3600
