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


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed(): write()` runs what waits for the write's transaction
    to commit (a new library version, emails) as a real commit would; a
    test's own transaction never commits."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture(autouse=True)
def fresh_cache():
    """Rate-limit counts, kept pages and parts start afresh in each test."""
    from django.core.cache import caches

    for alias in ("default", "pages"):
        caches[alias].clear()
    yield
    for alias in ("default", "pages"):
        caches[alias].clear()
