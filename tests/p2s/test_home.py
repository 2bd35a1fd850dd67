import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse

from stories.models import Status, Visibility
from tests.conftest import count_h1
from tests.factories import make_story

pytestmark = pytest.mark.django_db


def test_home_shows_the_wheel_with_visible_counts(client):
    make_story(streams=["plan", "learn"])
    make_story(streams=["plan"])
    make_story(streams=["plan"], visibility=Visibility.COLLECTIVE)
    make_story(streams=["plan"], status=Status.SUBMITTED)
    response = client.get("/")
    assert response.status_code == 200
    assert count_h1(response) == 1
    html = response.content.decode()
    assert html.count('class="wheel__segment"') == 5
    assert 'href="/streams/plan/" aria-label="Plan: 2 stories"' in html
    assert 'href="/streams/learn/" aria-label="Learn: 1 story"' in html
    assert 'href="/streams/monitor/" aria-label="Monitor: 0 stories"' in html


def test_home_counts_collective_stories_for_members(member_client):
    make_story(streams=["plan"])
    make_story(streams=["plan"], visibility=Visibility.COLLECTIVE)
    html = member_client.get("/").content.decode()
    assert 'aria-label="Plan: 2 stories"' in html


def test_home_shows_featured_and_latest(client):
    featured = make_story(title="The featured one", is_featured=True)
    latest = [make_story(title=f"Latest {n}") for n in range(8)]
    response = client.get("/")
    assert [s.title for s in response.context["featured"]] == [featured.title]
    shown = [s.title for s in response.context["latest"]]
    assert len(shown) == 6
    assert shown == [story.title for story in reversed(latest[2:])]  # newest first
    assert featured.title not in shown  # not shown twice


def test_home_without_stories_says_so(client):
    response = client.get("/")
    assert b"No stories have been published yet." in response.content


def test_healthz_answers_when_the_database_does(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert "no-cache" in response["Cache-Control"]


def test_healthz_is_503_when_the_database_is_unreachable(tmp_path):
    """A real unreachable database: a SQLite file in a folder that doesn't exist."""
    script = (
        "import django; django.setup()\n"
        "from django.test import Client\n"
        "r = Client().get('/healthz')\n"
        "print(r.status_code, r.content.decode().strip())\n"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "p2s.settings.test",
        "DATABASE_URL": f"sqlite:///{tmp_path}/missing/folder/db.sqlite3",
    }
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip() == "503 database unavailable", result.stderr


def test_every_page_has_the_wheel_s_icon_and_favicon_ico_leads_to_it(client):
    page = client.get("/").content.decode()
    assert (
        '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">' in page
    )
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == "/static/img/favicon.svg"
    icon = finders.find("img/favicon.svg")
    assert icon and Path(icon).read_text().startswith("<svg")
