"""With the database unreachable every page answers the short 503 page, and
/healthz a 503; when the database is back, so is the site, without a restart.

Real parts only: a Django pointed at a port where no database listens, and a
throwaway PostgreSQL server of the test's own, stopped and started again under
a running gunicorn."""

import glob
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.test import Client

from tests.conftest import count_h1

ROOT = Path(__file__).resolve().parents[2]
FRIENDLY = "The library is briefly unavailable"


REDIS_URL = os.environ.get("P2S_TEST_REDIS_URL_FAULTS", "redis://127.0.0.1:6379/8")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


SECURITY_HEADERS = [
    "Content-Security-Policy",
    "X-Frame-Options",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
]


def assert_friendly_503(status, headers, html):
    assert status == 503
    assert headers["Retry-After"] == "30"
    assert "no-store" in headers["Cache-Control"]
    assert headers["Content-Type"].startswith("text/html")
    assert FRIENDLY in html and "try again shortly" in html
    assert html.count("<h1") == 1
    assert "Traceback" not in html and "OperationalError" not in html
    # the headers every page carries, even when the session or auth middleware
    # raised (Django answers inside the middleware, before the inner ones)
    for header in SECURITY_HEADERS:
        assert header in headers, header


# Without a second server: nothing listens on the port ---------------------------

READER = textwrap.dedent(
    """
    import json, logging, django
    django.setup()
    from django.test import Client
    from p2s.logging import JSONFormatter

    lines = []

    class Keep(logging.Handler):
        def emit(self, record):
            lines.append(json.loads(JSONFormatter().format(record)))

    logging.getLogger().addHandler(Keep())
    logging.getLogger().setLevel(logging.INFO)
    visitor = Client(raise_request_exception=False)
    reader = Client(raise_request_exception=False)
    reader.cookies["sessionid"] = "a" * 32  # the session must be read to know who
    answers = []
    for who, client, method, url in [
        ("visitor", visitor, "get", "/"),
        ("visitor", visitor, "get", "/stories/?q=walking"),
        ("visitor", visitor, "get", "/no/such/page/"),
        ("visitor", visitor, "get", "/healthz"),
        ("reader", reader, "get", "/me/"),
        ("reader", reader, "get", "/robots.txt"),
        ("reader", reader, "post", "/accounts/login/"),
    ]:
        response = getattr(client, method)(url)
        answers.append({
            "who": who, "url": url, "status": response.status_code,
            "headers": dict(response.items()), "html": response.content.decode(),
        })
    print(json.dumps({"answers": answers, "logs": lines}))
    """
)


def test_with_no_database_listening_every_page_is_the_friendly_503():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "p2s.settings.test",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{free_port()}/p2s_faults",
    }
    result = subprocess.run(
        [sys.executable, "-c", READER], cwd=ROOT, env=env,
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.splitlines()[-1])
    for answer in report["answers"]:
        where = f"{answer['who']} {answer['url']}"
        if answer["url"] == "/healthz":
            assert answer["status"] == 503, where
            assert answer["html"] == "database unavailable\n"
            continue
        assert_friendly_503(answer["status"], answer["headers"], answer["html"])
    failures = [line for line in report["logs"] if line["logger"] == "p2s.database"]
    assert len(failures) == 6  # each page's, told once (/healthz answers itself)
    for line in failures:
        assert line["level"] == "ERROR"
        assert line["exception"]["type"] == "django.db.utils.OperationalError"
        assert "Connection refused" in line["exception"]["message"]
        assert line["request_id"]
    statuses = [line["status"] for line in report["logs"] if "status" in line]
    assert statuses == [503] * 7


@pytest.mark.django_db
@pytest.mark.urls("tests.p2s.failing_urls")
def test_the_503_page_asks_nothing_more_of_the_database(
    member, django_assert_num_queries
):
    """After the failure nothing on the way out (not the template, not the
    middleware that marks a signed-in reader's pages private) asks again."""
    client = Client(raise_request_exception=False)
    client.force_login(member)
    with django_assert_num_queries(0):
        response = client.get("/test/database-gone/")
    assert_friendly_503(response.status_code, response, response.content.decode())
    assert count_h1(response) == 1


# A real PostgreSQL server, stopped and started under a running site -------------


def postgres_programs():
    """The folder with PostgreSQL's server programs (the newest installed)."""
    folders = sorted(
        glob.glob("/usr/lib/postgresql/*/bin"),
        key=lambda folder: [int(n) for n in re.findall(r"\d+", folder)],
    )
    on_path = shutil.which("pg_ctl")
    if on_path:
        folders.append(str(Path(on_path).parent))
    for folder in reversed(folders):
        if all(Path(folder, name).exists() for name in ["initdb", "pg_ctl"]):
            return Path(folder)
    return None


PROGRAMS = postgres_programs()


class ThrowawayPostgres:
    """A PostgreSQL server in a temporary folder on a free port, trusting local
    connections. PostgreSQL refuses to run as root, so as root it runs as the
    `postgres` account."""

    def __init__(self, folder):
        self.folder = folder
        self.data = folder / "data"
        self.port = free_port()
        self.as_postgres = (
            ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        )
        if self.as_postgres:
            shutil.chown(folder, "postgres")

    def run(self, program, *args, check=True):
        result = subprocess.run(
            [*self.as_postgres, str(PROGRAMS / program), *args],
            cwd=self.folder, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        if check:
            assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]

    def init(self):
        self.run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust",
                 "-E", "UTF8", "--locale=C", "--no-sync")  # fmt: skip

    def start(self):
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder} "
            "-c fsync=off -c full_page_writes=off"
        )
        self.run("pg_ctl", "-D", str(self.data), "-l", str(self.folder / "log"),
                 "-o", options, "-w", "-t", "60", "start")  # fmt: skip

    def stop(self):
        """As in a crash: no goodbye to the connected clients."""
        self.run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def remove(self):
        if (self.data / "postmaster.pid").exists():
            self.run("pg_ctl", "-D", str(self.data), "-m", "immediate", "stop",
                     check=False)  # fmt: skip
        shutil.rmtree(self.folder, ignore_errors=True)

    def url(self, name):
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"


@pytest.fixture
def throwaway_postgres():
    folder = Path(tempfile.mkdtemp(prefix="p2s-pg-"))
    server = ThrowawayPostgres(folder)
    try:
        server.init()
        server.start()
        import psycopg2

        admin = psycopg2.connect(server.url("postgres"))
        admin.autocommit = True
        with admin.cursor() as cursor:
            cursor.execute("CREATE DATABASE p2s_faults")
        admin.close()
        yield server
    finally:
        server.remove()


def manage(env, *args):
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env,
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


SESSION_FOR_ROBIN = """
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from communities.models import User
robin = User.objects.create_user(
    username="robin", email="robin@example.org", password="a-long-password-here",
    name="Robin Outage", is_approved=True,
)
session = SessionStore()
session[SESSION_KEY] = str(robin.pk)
session[BACKEND_SESSION_KEY] = "communities.backends.EmailBackend"
session[HASH_SESSION_KEY] = robin.get_session_auth_hash()
session.create()
print(session.session_key)
"""


@pytest.fixture
def live_site(throwaway_postgres, tmp_path):
    """gunicorn with the production settings over the throwaway database: one
    worker, so its one kept connection (CONN_MAX_AGE) is the one that breaks."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "p2s.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": throwaway_postgres.url("p2s_faults"),
        "CONN_MAX_AGE": "60",
        "STATIC_ROOT": str(tmp_path / "static"),
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    # the production cache: a page kept for visitors is then served with the
    # database down (the embedded default, the database's own cache, is not)
    env["REDIS_URL"] = REDIS_URL
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    manage(env, "createcachetable")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    session_key = manage(env, "shell", "-c", SESSION_FOR_ROBIN).split()[-1]
    port = free_port()
    log = tmp_path / "stdout.log"
    with open(log, "w") as out, open(tmp_path / "stderr.log", "w") as err:
        server = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "p2s.wsgi",
             "--bind", f"127.0.0.1:{port}", "--workers", "1", "--log-level", "warning"],
            cwd=ROOT, env=env, stdout=out, stderr=err,
        )  # fmt: skip
    site = LiveSite(f"http://127.0.0.1:{port}", session_key, log)
    try:
        site.wait_until_up(server, tmp_path / "stderr.log")
        yield site
    finally:
        server.terminate()
        server.wait(timeout=20)


class LiveSite:
    def __init__(self, base, session_key, log):
        self.base, self.session_key, self.log = base, session_key, log

    def get(self, path, signed_in=False):
        headers = {"Cookie": f"sessionid={self.session_key}"} if signed_in else {}
        request = urllib.request.Request(self.base + path, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=20) as response:
                return response.status, response.headers, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode()

    def wait_until_up(self, server, errors):
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if server.poll() is not None:
                pytest.fail(f"gunicorn stopped: {errors.read_text()[-2000:]}")
            try:
                if self.get("/healthz")[0] == 200:
                    return
            except OSError:
                time.sleep(0.3)
        pytest.fail("the site didn't come up")

    def lines(self):
        return [json.loads(line) for line in self.log.read_text().splitlines()]


def assert_serving(site, visit):
    status, _, html = site.get(f"/?visit={visit}")
    assert status == 200 and "<h1" in html, html[:500]
    status, _, html = site.get(f"/me/?visit={visit}", signed_in=True)
    assert status == 200 and "Sign out" in html  # still signed in
    assert site.get("/healthz")[0] == 200


@pytest.mark.skipif(
    PROGRAMS is None,
    reason="needs PostgreSQL's server programs (initdb, pg_ctl: Debian's "
    "postgresql package) to start a throwaway database server",
)
def test_the_site_survives_its_database_going_away_and_coming_back(
    throwaway_postgres, live_site
):
    site = live_site
    assert_serving(site, "before")
    status, _, html = site.get("/")  # kept for visitors from here on
    assert status == 200

    throwaway_postgres.stop()
    # (new addresses each time: a page already kept for visitors is still
    # served from the cache, which needs no database)
    for path, signed_in in [
        ("/streams/plan/?visit=down", False),
        ("/stories/?visit=down", False),
        ("/collections/", False),
        ("/me/?visit=down", True),
        ("/stories/?visit=down-signed-in", True),
    ]:
        assert_friendly_503(*site.get(path, signed_in=signed_in))
    status, _, text = site.get("/healthz")
    assert status == 503 and text == "database unavailable\n"
    assert site.get("/")[0] == 200  # the kept page

    throwaway_postgres.start()
    assert_serving(site, "after")  # the same gunicorn, nothing restarted

    # a restart between two requests: the one kept connection is dead, and the
    # health check (Django's CONN_HEALTH_CHECKS) replaces it before the next
    # page uses it
    throwaway_postgres.stop()
    throwaway_postgres.start()
    assert_serving(site, "after-restart")

    lines = site.lines()
    requests = [line for line in lines if line["logger"] == "p2s.request"]
    assert [line["status"] for line in requests].count(503) == 6
    assert all(line["request_id"] and "duration_ms" in line for line in requests)
    failures = [line for line in lines if line["logger"] == "p2s.database"]
    assert len(failures) == 5
    assert {line["exception"]["type"] for line in failures} <= {
        "django.db.utils.OperationalError",
        "django.db.utils.InterfaceError",
    }
