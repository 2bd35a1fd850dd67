"""Redis stopped in the middle of a run, then started again: every page still
answers (uncached), a signed-in reader stays signed in, rate limits fail
open, login throttling keeps locking (docs/security.md says why each), and
caching resumes by itself. A real redis-server of the test's own."""

import shutil
import socket
import subprocess
import time

import pytest
from django.core.cache import caches
from django.test import Client, override_settings
from django.urls import reverse

from common.cache import VERSION_KEY
from tests.factories import make_community, make_member, make_story, make_user

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not shutil.which("redis-server"), reason="needs redis-server"),
]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisServer:
    def __init__(self):
        self.port = free_port()
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), 0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        pytest.fail("redis-server didn't start")

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


@pytest.fixture
def redis_cache():
    server = RedisServer()
    server.start()
    shared = {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": f"redis://127.0.0.1:{server.port}/0",
        "OPTIONS": {
            "IGNORE_EXCEPTIONS": True,
            "SOCKET_CONNECT_TIMEOUT": 0.5,
            "SOCKET_TIMEOUT": 0.5,
        },
    }
    caches_setting = {
        "default": shared,
        "pages": {
            **shared,
            "KEY_PREFIX": "pages",
            "KEY_FUNCTION": "common.cache.versioned_key",
        },
    }
    with override_settings(
        CACHES=caches_setting,
        SESSION_ENGINE="django.contrib.sessions.backends.cached_db",
        RATE_LIMITS={"preview": (2, 60)},
    ):
        yield server
    if server.process.poll() is None:
        server.stop()


def test_pages_and_sign_ins_survive_redis_going_away_and_coming_back(redis_cache):
    make_story(title="Walking school bus")
    member = Client()
    member.force_login(make_member(make_community()))
    visitor = Client()
    for _ in range(2):
        assert "Walking school bus" in visitor.get("/stories/").content.decode()
    assert caches["default"].get(VERSION_KEY)  # kept in Redis

    redis_cache.stop()
    for path in ["/", "/stories/", "/streams/plan/", "/communities/"]:
        assert visitor.get(path).status_code == 200, path
        response = member.get(path)
        assert response.status_code == 200, path
        assert "Sign out" in response.content.decode(), path  # still signed in
    # the live preview's limit is 2 a minute: with nothing to count in, it
    # fails open rather than refusing everyone
    answers = [
        member.post("/markdownx/markdownify/", {"content": "**hi**"}).status_code
        for _ in range(4)
    ]
    assert answers == [200, 200, 200, 200]
    # password guessing is still locked out: axes counts in the database
    make_user(email="ari@example.org")
    guesser = Client()
    login = reverse("accounts:login")
    statuses = [
        guesser.post(login, {"username": "ari@example.org", "password": "no"})
        for _ in range(5)
    ]
    assert [r.status_code for r in statuses] == [200, 200, 200, 200, 429]

    redis_cache.start()  # empty, as a restarted Redis is
    visitor.get("/stories/")
    assert caches["default"].get(VERSION_KEY)  # caching resumed
    response = visitor.get("/stories/")
    assert response.status_code == 200 and response.templates == []  # kept
    answers = [
        member.post("/markdownx/markdownify/", {"content": "**hi**"}).status_code
        for _ in range(3)
    ]
    assert answers == [200, 200, 429]
