import re

import pytest

from tests.factories import make_user

H1 = re.compile(rb"<h1[\s>]")


def count_h1(response):
    return len(H1.findall(response.content))


@pytest.fixture
def member(db):
    """An approved member of the Collective."""
    return make_user(approved=True)


@pytest.fixture
def pending(db):
    """An account that signed up but is not approved yet."""
    return make_user(approved=False)


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


@pytest.fixture
def pending_client(client, pending):
    client.force_login(pending)
    return client


@pytest.fixture(autouse=True)
def fresh_cache():
    """Rate-limit counts (and anything else cached) start afresh in each test."""
    from django.core.cache import cache

    from p2s.cache import RECENT

    cache.clear()
    RECENT.clear()
    yield
    cache.clear()
    RECENT.clear()
