"""The visibility matrix (tests/security/test_visibility_matrix.py) for the
surfaces that belong to someone rather than to a reader's class: the
storyteller's impact page (/stories/<slug>/impact/, p2s.impact_views) and the
image kept for its sender from a story form that had a problem
(/stories/pending/<token>/, stories.editor_views.pending_image).

The same world and viewers, every kind of hidden story, and the story's own
people added as viewers: its author, its community's lead and the core team.

- The impact page is for the story's authors, its community's lead and the
  core team, whatever its state; anyone else who may read the story is
  refused (403), anyone who may not finds nothing (404), and a visitor is sent
  to sign in. No refusal says anything of the hidden story.
- A kept image is for its sender alone: everyone else, the core team
  included, finds nothing, by its token or by its file's name.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from stories.models import PendingUpload
from tests.factories import make_core, make_member, png_bytes, story_data
from tests.security.test_visibility_matrix import (
    KINDS,
    MARKER,
    VIEWERS,
    build_world,
    fetch_file,
    login,
)

pytestmark = pytest.mark.django_db

OWNERS = ["author", "lead", "core"]  # the hidden stories' own people


def sign_in(client, viewer, world):
    """Sign in as `viewer`, one of VIEWERS or OWNERS; the user, or None."""
    if viewer == "author":
        user = world.hidden.authors.get()
    elif viewer == "lead":
        user = make_member(world.community, role="lead", name="Lee Lead")
    elif viewer == "core":
        user = make_core()
    else:
        return login(client, viewer)
    client.force_login(user)
    return user


def keep_an_image(world):
    """The hidden stories' author sends a story form with a problem (no
    title) and an image: the image is kept for them."""
    author = world.hidden.authors.get()
    client = Client()
    client.force_login(author)
    picture = SimpleUploadedFile("cover.png", png_bytes((64, 36)), "image/png")
    data = story_data(world.community, title="", cover_image=picture)
    assert client.post(reverse("stories:new"), data).status_code == 400
    return PendingUpload.objects.get(owner=author)


def assert_says_nothing(html, world, url):
    lowered = html.lower()
    leaked = [token for token in world.leak_tokens() if token in lowered]
    assert not leaked, f"{url}: leaks {leaked}"


# The surfaces -------------------------------------------------------------------


def impact_status(world, viewer, story):
    """What the impact page answers (p2s.impact_views.story_impact)."""
    if viewer == "anonymous":
        return 302
    if viewer in ("lead", "core") or (viewer == "author" and story != world.neighbour):
        return 200
    readable = story == world.neighbour or world.shown
    return 403 if readable else 404


def probe_impact_pages(client, world, viewer):
    """Each hidden story's impact page, and the public neighbour's (which the
    author didn't write) as the control: it is there for its lead and the
    core team, and refused, not hidden, to every other signed-in reader."""
    lessons = {
        world.hidden: f"The {MARKER} lesson.",
        world.twin: f"The {MARKER} twin&#x27;s lesson.",
        world.neighbour: "Walk the data with families.",
    }
    for story, lesson in lessons.items():
        url = reverse("stories:impact", args=[story.slug])
        expected = impact_status(world, viewer, story)
        response = client.get(url)
        assert response.status_code == expected, (
            f"{url} answered {response.status_code}, expected {expected}"
        )
        html = response.content.decode()
        if expected == 302:
            assert "/accounts/login/" in response["Location"], url
        elif expected == 200:
            assert story.title.replace("'", "&#x27;") in html, f"{url}: no title"
            assert lesson in html, f"{url}: its lesson missing"
            assert "no-store" in response["Cache-Control"], url
        else:
            assert_says_nothing(html, world, url)


def probe_kept_image(client, world, viewer):
    """The author's kept image: theirs by its token, nobody else's by its
    token or by its file's address."""
    upload = world.kept_image
    url = reverse("stories:pending-image", args=[upload.token])
    if viewer == "author":
        response = fetch_file(client, url)
        assert response.streaming, url
        assert response["Cache-Control"] == "private, no-store", url
        return
    for address in (url, f"/media/{upload.image.name}"):
        response = client.get(address)
        assert response.status_code == 404, f"{address}: {response.status_code}"
        assert not response.streaming, address


SURFACES = [
    ("the storyteller's impact pages", probe_impact_pages),
    ("an image kept from a story form that had a problem", probe_kept_image),
]


@pytest.mark.parametrize("viewer", [*VIEWERS, *OWNERS])
@pytest.mark.parametrize("kind", KINDS)
def test_visibility_matrix_of_what_belongs_to_someone(client, kind, viewer):
    world = build_world(kind, viewer)
    world.kept_image = keep_an_image(world)
    sign_in(client, viewer, world)
    failures = []
    for name, probe in SURFACES:
        try:
            probe(client, world, viewer)
        except AssertionError as error:
            failures.append(f"{name}: {error}")
    assert not failures, "\n".join(failures)
