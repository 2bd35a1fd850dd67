"""The people most story tests need: one community, an author in it, its
lead and someone of the core team."""

import pytest

from tests.factories import make_community, make_core, make_member


@pytest.fixture
def community(db):
    return make_community(name="Harbour Hills", slug="harbour-hills", state="WA")


@pytest.fixture
def author(community):
    return make_member(community, name="Ari Author", email="ari@example.org")


@pytest.fixture
def lead(community):
    return make_member(community, role="lead", name="Lee Lead", email="lee@example.org")


@pytest.fixture
def core(db):
    return make_core(name="Casey Core", email="casey@example.org")
