import pytest

from tests.factories import (
    ensure_framework,
    make_community,
    make_core,
    make_member,
    make_user,
)


@pytest.fixture
def framework(db):
    return ensure_framework()


@pytest.fixture
def community(framework):
    return make_community(name="Riverbend Together", state="VIC")


@pytest.fixture
def lead(community):
    return make_member(community, role="lead", name="Lee Lead")


@pytest.fixture
def member(community):
    return make_member(community, name="Mo Member")


@pytest.fixture
def member2(community):
    return make_member(community, name="Ari Second")


@pytest.fixture
def outsider(framework):
    """An approved member of another community."""
    return make_member(make_community(name="Elsewhere", state="QLD"))


@pytest.fixture
def funder(db):
    return make_user(approved=True, name="Fen Funder")


@pytest.fixture
def core(db):
    return make_core(name="Cora Core")


@pytest.fixture
def pending(community):
    return make_member(community, approved=False, name="Pen Pending")


def login(client, user):
    client.force_login(user)
    return client
