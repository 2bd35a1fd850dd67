"""Two app servers, one PostgreSQL, one Redis: the servers keep no state of
their own, so a signed-in reader can be sent to either, request by request.

Real parts only: two gunicorn processes with the production settings on two
ports, over a database of their own on the suite's PostgreSQL server and a
Redis database (REDIS_URL). Runs when the suite runs on PostgreSQL
(`DATABASE_URL=postgres://… make test`, as CI does); SQLite has no server to
share."""

import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookies import SimpleCookie
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from tests.factories import png_bytes

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("P2S_TEST_REDIS_URL", "redis://127.0.0.1:6379/7")

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs the suite on PostgreSQL (DATABASE_URL=postgres://…): "
        "the two servers share one database server",
    ),
]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Browser:
    """Just enough of a browser: cookies kept by hand (they are Secure in
    production, and http.cookiejar would not send them over http), no
    redirects followed."""

    def __init__(self):
        self.cookies = {}

    def request(self, base, path, data=None, files=None):
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if data is not None:
            data = {**data, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
            body = urllib.parse.urlencode(data).encode()
        if files is not None:
            body, headers["Content-Type"] = multipart(data, files)
        request = urllib.request.Request(base + path, data=body, headers=headers)
        opener = urllib.request.build_opener(NoRedirects)
        try:
            response = opener.open(request, timeout=10)
        except urllib.error.HTTPError as error:
            response = error
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0" or morsel.value == "":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return response.status, response.read().decode(errors="replace")


def multipart(fields, files):
    boundary = secrets.token_hex(16)
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"'
            f"\r\n\r\n{value}\r\n".encode()
        )
    for name, (filename, content, content_type) in files.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'.encode()
            + content
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture(params=["redis", "database cache"])
def shared_services(request, django_db_blocker):
    """A fresh database beside the suite's and an empty Redis database; the
    environment both servers run with: with Redis as the shared cache, or
    without it (the database's own cache, the embedded default)."""
    import psycopg2
    import redis

    db = settings.DATABASES["default"]
    name = f"{db['NAME']}_scale_out"
    params = {
        "host": db["HOST"] or "127.0.0.1",
        "port": db["PORT"] or 5432,
        "user": db["USER"],
        "password": db["PASSWORD"],
    }
    admin = psycopg2.connect(dbname="postgres", **params)
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    store = redis.Redis.from_url(REDIS_URL)
    try:
        store.ping()
    except redis.ConnectionError:
        pytest.fail(f"Redis isn't answering at {REDIS_URL}: CI starts it")
    store.flushdb()
    bucket_server, bucket_env = object_storage()
    auth = (
        f"{params['user']}:{params['password']}@"
        if params["password"]
        else (f"{params['user']}@")
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "p2s.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": f"postgres://{auth}{params['host']}:{params['port']}/{name}",
        "RATE_LIMIT_PREVIEWS_PER_MINUTE": "4",
        "STATIC_ROOT": str(Path(settings.MEDIA_ROOT) / "scale-out-static"),
        **bucket_env,
    }
    env.pop("REDIS_URL", None)
    if request.param == "redis":
        env["REDIS_URL"] = REDIS_URL
    yield env
    bucket_server.stop()
    store.flushdb()
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def object_storage():
    """An S3-compatible server of our own (moto's) with an empty bucket, and
    the environment that points the app at it."""
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port)
    server.start()
    env = {
        # moto keeps its buckets for the whole process: a new one each time
        "AWS_STORAGE_BUCKET_NAME": f"p2s-media-{secrets.token_hex(4)}",
        "AWS_S3_ENDPOINT_URL": f"http://127.0.0.1:{port}",
        "AWS_S3_REGION_NAME": "us-east-1",
        "AWS_ACCESS_KEY_ID": "test-key",
        "AWS_SECRET_ACCESS_KEY": "test-secret",
    }
    bucket(env).create_bucket(Bucket=env["AWS_STORAGE_BUCKET_NAME"])
    return server, env


def bucket(env):
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=env["AWS_S3_ENDPOINT_URL"],
        region_name=env["AWS_S3_REGION_NAME"],
        aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
    )


def manage(env, *args):
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


@pytest.fixture
def two_servers(shared_services):
    env = shared_services
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    manage(env, "createcachetable")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    manage(
        env,
        "shell",
        "-c",
        "from communities.models import User; "
        "User.objects.create_user(username='ari', email='ari@example.org', "
        "password='a-long-shared-password', name='Ari Shared', is_approved=True)",
    )
    servers, bases = [], []
    for _ in range(2):
        port = free_port()
        servers.append(
            subprocess.Popen(
                [
                    str(Path(sys.executable).parent / "gunicorn"),
                    "p2s.wsgi",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    "1",
                    "--log-level",
                    "warning",
                ],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
        )
        bases.append(f"http://127.0.0.1:{port}")
    try:
        for server, base in zip(servers, bases, strict=True):
            wait_until_up(server, base)
        yield bases, env
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=20)


def wait_until_up(server, base):
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"gunicorn stopped: {server.stderr.read().decode()[-2000:]}")
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"{base} didn't come up")


def sign_in(browser, base):
    status, html = browser.request(base, "/accounts/login/")
    assert status == 200 and "csrftoken" in browser.cookies
    field = re.search(r'name="(username|email)"', html)[1]
    status, _ = browser.request(
        base,
        "/accounts/login/",
        {field: "ari@example.org", "password": "a-long-shared-password", "next": ""},
    )
    assert status == 302, "the sign-in was refused"
    assert "sessionid" in browser.cookies


def test_one_reader_is_served_by_two_servers_in_turn(two_servers):
    (first, second), env = two_servers
    browser = Browser()
    sign_in(browser, first)

    # the session made by one server is known to the other, both ways
    for base in [second, first, second]:
        status, html = browser.request(base, "/me/")
        assert status == 200, base
        assert "Ari Shared" in html or "My stories" in html

    # one rate-limit count over both: 4 previews a minute, wherever they land
    answers = [
        browser.request(base, "/markdownx/markdownify/", {"content": "**hi**"})[0]
        for base in [first, second, first, second, first, second]
    ]
    assert answers == [200, 200, 200, 200, 429, 429]

    # an image uploaded through one server is in the bucket, and the other
    # serves it to its owner, and to nobody else
    status, body = browser.request(
        first,
        "/markdownx/upload/",
        {},
        files={"image": ("box.png", png_bytes(), "image/png")},
    )
    assert status == 200, body
    url = re.search(r"\((/media/[^)]+)\)", body)[1]
    status, data = browser.request(second, url)
    assert status == 200 and data[1:4] == "PNG"
    assert Browser().request(second, url)[0] == 404
    stored = bucket(env).list_objects_v2(Bucket=env["AWS_STORAGE_BUCKET_NAME"])
    stored = stored["Contents"]
    assert [item["Key"] for item in stored] == [url.removeprefix("/media/")]

    # signing out on one server signs out on the other
    status, _ = browser.request(second, "/accounts/logout/", {})
    assert status == 302
    status, _ = browser.request(first, "/me/")
    assert status == 302  # to the sign-in page


def test_a_change_anywhere_shows_at_once_on_both_servers(two_servers):
    """The pages kept for visitors live in the shared cache under the shared
    library version: a write from a third process (the admin, a command)
    retires them on both servers."""
    (first, second), env = two_servers
    visitor = Browser()
    for base in [first, second, first, second]:  # kept, then served as kept
        status, html = visitor.request(base, "/communities/")
        assert status == 200 and "Harbour Hills" not in html
    manage(
        env,
        "shell",
        "-c",
        "from communities.models import Community; "
        "from common.cache import library_changed; "
        "Community.objects.create(name='Harbour Hills', slug='harbour-hills', "
        "state='TAS', place='Hobart'); library_changed()",
    )
    for base in [second, first]:
        status, html = visitor.request(base, "/communities/")
        assert status == 200 and "Harbour Hills" in html, base


def test_a_story_kept_for_members_follows_a_change_made_anywhere(two_servers):
    """A story page is drawn from the story kept for the reader's class, in
    the shared cache under the shared library version: made Collective only
    by a third process, it leaves the visitors' reach and stays in the
    members', on both servers at once; archived, it is gone for both."""
    (first, second), env = two_servers
    manage(
        env,
        "shell",
        "-c",
        "from django.utils import timezone; "
        "from communities.models import Community; from stories.models import Story; "
        "c = Community.objects.create(name='Bay Side', slug='bay-side', state='TAS', "
        "place='Hobart'); "
        "Story.objects.create(title='Shared table', slug='shared-table', "
        "summary='S.', body='B.', community=c, status='published', consent=True, "
        "published_at=timezone.now())",
    )
    member, visitor = Browser(), Browser()
    sign_in(member, first)
    for base in [first, second, first, second]:  # kept, then read as kept
        for reader in (member, visitor):
            status, html = reader.request(base, "/stories/shared-table/")
            assert status == 200 and "Shared table" in html, base

    def change(**fields):
        manage(
            env,
            "shell",
            "-c",
            "from stories.models import Story; s = Story.objects.get(slug="
            f"'shared-table'); [setattr(s, k, v) for k, v in {fields!r}.items()]; "
            "s.save(); from common.cache import library_changed; library_changed()",
        )

    change(visibility="collective")
    for base in [second, first]:
        assert visitor.request(base, "/stories/shared-table/")[0] == 404, base
        status, html = member.request(base, "/stories/shared-table/")
        assert status == 200 and "Collective only" in html, base
    change(status="archived")
    for base in [second, first]:
        assert member.request(base, "/stories/shared-table/")[0] == 404, base
        assert visitor.request(base, "/stories/shared-table/")[0] == 404, base
