"""p2s.sessions: Django's database sessions, read with a query written once.
The rules must be Django's own: a live session signs its reader in, an expired
or unknown one signs no one in, and signing out ends it."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.test import override_settings
from django.utils import timezone

ENGINES = ["p2s.sessions.db", "p2s.sessions.cached_db"]


@pytest.mark.parametrize("engine", ENGINES)
def test_a_live_session_signs_its_reader_in(client, member, engine):
    with override_settings(SESSION_ENGINE=engine):
        client.force_login(member)
        response = client.get("/me/")
    assert response.status_code == 200
    assert response.context["user"] == member


@pytest.mark.parametrize("engine", ENGINES)
def test_an_expired_session_signs_no_one_in(client, member, engine):
    with override_settings(SESSION_ENGINE=engine):
        client.force_login(member)
        key = client.cookies["sessionid"].value
        Session.objects.filter(session_key=key).update(
            expire_date=timezone.now() - timedelta(seconds=1)
        )
        from django.core.cache import cache

        cache.clear()  # what the cached engine kept expires with the row
        response = client.get("/me/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("engine", ENGINES)
def test_an_unknown_session_key_signs_no_one_in(client, member, engine):
    with override_settings(SESSION_ENGINE=engine):
        client.cookies["sessionid"] = "x" * 32
        response = client.get("/me/")
    assert response.status_code == 302


@pytest.mark.parametrize("engine", ENGINES)
def test_signing_out_ends_the_session_row(client, member, engine):
    with override_settings(SESSION_ENGINE=engine):
        client.force_login(member)
        key = client.cookies["sessionid"].value
        assert Session.objects.filter(session_key=key).exists()
        client.post("/accounts/logout/")
        assert not Session.objects.filter(session_key=key).exists()
        client.cookies["sessionid"] = key  # replayed after signing out
        response = client.get("/me/")
    assert response.status_code == 302


def test_the_cached_engine_reads_the_library_version_with_the_session(
    client, member, round_trips
):
    """One round trip to the cache for both, on a page a member has seen."""
    from p2s.cache import VERSION_KEY

    with override_settings(SESSION_ENGINE="p2s.sessions.cached_db"):
        client.force_login(member)
        assert client.get("/stories/").status_code == 200  # kept for the class
        round_trips.clear()
        response = client.get("/stories/")
    assert response.status_code == 200 and response.context["user"] == member
    session = f"django.contrib.sessions.cached_db{client.cookies['sessionid'].value}"
    assert round_trips.asked[0] == ("get_many", [session, VERSION_KEY])
    assert ("get", VERSION_KEY) not in round_trips.asked
