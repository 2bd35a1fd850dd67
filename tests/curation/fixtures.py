"""Stories of every kind to collect, and a signed-in core team client."""

import pytest

from stories.models import Status, Visibility
from tests.factories import make_story


@pytest.fixture
def public_story(community, author):
    story = make_story(
        community=community,
        title="A data walk with families",
        slug="a-data-walk",
        body="## What we did\n\nWe walked.",
    )
    story.authors.add(author)
    return story


@pytest.fixture
def collective_story(community, author):
    story = make_story(
        community=community,
        title="The hub that closed",
        slug="the-hub-that-closed",
        visibility=Visibility.COLLECTIVE,
    )
    story.authors.add(author)
    return story


@pytest.fixture
def draft_story(community, author):
    story = make_story(
        community=community,
        title="A playgroup bus",
        slug="a-playgroup-bus",
        status=Status.DRAFT,
    )
    story.authors.add(author)
    return story


@pytest.fixture
def core_client(client, core):
    client.force_login(core)
    return client
