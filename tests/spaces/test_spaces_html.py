"""The communities of practice's pages are valid HTML by the Nu HTML Checker,
as every other page (tests/p2s/test_valid_html.py): the list, a space seen
from outside and from inside, with a request waiting, and the join form with
a mistake; a session, the sessions' list, the session form with mistakes,
the time zone page; the resources' list, searched, and its form with
mistakes."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from framework.models import Stream
from spaces.models import (
    Resource,
    Session,
    Space,
    SpaceJoinRequest,
    SpaceMember,
    SpaceRole,
)
from tests.factories import ensure_streams, make_user
from tests.p2s.test_valid_html import require_vnu, vnu_errors

pytestmark = pytest.mark.django_db


def test_the_practice_pages_are_valid_html(tmp_path):
    require_vnu()
    space = Space.objects.create(
        name="Funding & <policy> advocacy",
        slug="funding",
        purpose="Making the case & <more>.\n\nMonthly.",
    )
    facilitator = make_user(name="Fran <F>", organisation="Backbone & co")
    SpaceMember.objects.create(
        space=space, user=facilitator, role=SpaceRole.FACILITATOR
    )
    waiting = make_user(name="Wen Waiting")
    SpaceJoinRequest.objects.create(space=space, user=waiting, message="Me & <you>")
    outsider = make_user()
    held = Session.objects.create(
        space=space,
        title="Money & <measures>",
        starts_at=timezone.now() - timedelta(days=3),
        video_link="https://meet.example.org/a?b=1&c=2",
        agenda="1. Welcome & <hello>",
        notes="## Heard\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n[link](https://example.org)",
    )
    Session.objects.create(
        space=space, title="Soon", starts_at=timezone.now() + timedelta(days=3)
    )
    sessions = "/practice/funding/sessions/"
    ensure_streams()
    resource = Resource.objects.create(
        space=space,
        title="Budget & <briefs>",
        description="Line one & <two>\nline two",
        stream=Stream.objects.get(slug="plan"),
        link="https://example.org/a?b=1&c=2",
        shared_by=facilitator,
    )
    resource.tags.add("funding & policy", "briefs")
    resources = "/practice/funding/resources/"
    pages = [
        (outsider, "get", "/practice/", {}, 200, "list"),
        (outsider, "get", "/practice/funding/", {}, 200, "outside"),
        (outsider, "post", "/practice/funding/join/", {"message": "x" * 1001}, 400,
         "join-bad"),
        (waiting, "get", "/practice/funding/", {}, 200, "waiting"),
        (facilitator, "get", "/practice/funding/", {}, 200, "inside-deciding"),
        (facilitator, "get", "/practice/", {}, 200, "list-mine"),
        (facilitator, "get", f"{sessions}{held.pk}/", {}, 200, "session"),
        (facilitator, "get", sessions, {}, 200, "sessions"),
        (facilitator, "get", f"{sessions}new/", {}, 200, "session-new"),
        (facilitator, "post", f"{sessions}new/", {"title": "", "day": "x"}, 400,
         "session-bad"),
        (facilitator, "get", f"{sessions}{held.pk}/edit/", {}, 200, "session-edit"),
        (facilitator, "get", "/accounts/time-zone/", {}, 200, "time-zone"),
        (facilitator, "get", resources, {}, 200, "resources"),
        (facilitator, "get", resources, {"q": "budget", "tag": "briefs"}, 200,
         "resources-found"),
        (facilitator, "get", resources, {"stream": "nope"}, 400, "resources-bad"),
        (facilitator, "get", f"{resources}new/", {}, 200, "resource-new"),
        (facilitator, "post", f"{resources}new/", {"title": ""}, 400,
         "resource-bad"),
        (facilitator, "get", f"{resources}{resource.pk}/edit/", {}, 200,
         "resource-edit"),
        (facilitator, "post", "/accounts/time-zone/", {"time_zone": "x"}, 400,
         "time-zone-bad"),
    ]  # fmt: skip
    for user, method, url, data, status, name in pages:
        client = Client()
        client.force_login(user)
        response = getattr(client, method)(url, data)
        assert response.status_code == status, name
        (tmp_path / f"{name}.html").write_bytes(response.content)
    assert vnu_errors(tmp_path) == []
    assert len(list(tmp_path.glob("*.html"))) == len(pages)
