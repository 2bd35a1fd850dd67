"""A space with a facilitator and a member, for the practice tests."""

import pytest
from django.test import Client

from spaces.models import Space, SpaceMember, SpaceRole
from tests.factories import ensure_streams, make_user


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def space():
    ensure_streams()
    return Space.objects.create(
        name="Strategic learning and evaluation",
        slug="learning",
        purpose="For evaluation specialists: methods, measures and <b>data</b>.",
    )


@pytest.fixture
def facilitator(space):
    user = make_user(name="Fran Facilitator", organisation="Backbone, Ipswich")
    SpaceMember.objects.create(space=space, user=user, role=SpaceRole.FACILITATOR)
    return user


@pytest.fixture
def insider(space):
    user = make_user(name="Ines Insider")
    SpaceMember.objects.create(space=space, user=user)
    return user
