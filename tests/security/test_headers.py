"""Security headers on every kind of response, and Django's deployment check."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from tests.factories import make_story

pytestmark = pytest.mark.django_db


def directives(response):
    policy = response["Content-Security-Policy"]
    return {
        part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()
    }


@pytest.mark.parametrize("url", ["/", "/stories/", "/accounts/login/", "/no-such-page/",
                                 "/healthz", "/robots.txt", "/sitemap.xml",
                                 "/feeds/stories/"])  # fmt: skip
def test_every_response_carries_the_headers(client, url):
    make_story(slug="a-story")
    response = client.get(url)
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    text = response["Content-Security-Policy"]
    assert "unsafe-inline" not in text and "unsafe-eval" not in text
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


# what 'unsafe-inline' would be needed for: a <script> without src, a <style>
# element, and inside an HTML tag a style attribute or an event handler (onclick=)
INLINE = re.compile(
    r"<script(?![^>]*\bsrc=)[^>]*>|<style[\s>]"
    r"|<[a-zA-Z][\w-]*\s[^<>]*?(?<=\s)(?:style|on[a-z]+)\s*="
)


def test_the_inline_check_finds_handlers_in_tags_and_nothing_else():
    for html in ['<a href="/" onclick="go()">', '<div\n  onload="x">',
                 '<p style="color: red">', "<script>alert(1)</script>",
                 "<style>p {}</style>"]:  # fmt: skip
        assert INLINE.search(html), html
    for text in ['<script src="/static/js/preview.js" defer></script>',
                 "models.ForeignKey(User, on_delete=models.SET_NULL)",
                 '<a href="/" class="button">on=', '<p data-onclick="x">',
                 "if a < b and onload=1"]:  # fmt: skip
        assert not INLINE.search(text), text


def test_no_template_needs_inline_script_or_style():
    """The policy has no 'unsafe-inline' because nothing inline exists."""
    inline = INLINE
    found = []
    for folder in [
        Path(settings.BASE_DIR) / "templates",
        Path(settings.BASE_DIR) / "p2s",
    ]:
        for path in folder.rglob("*"):
            if path.suffix in {".html", ".py"} and "migrations" not in path.parts:
                if inline.search(path.read_text()):
                    found.append(str(path))
    assert found == []


def deploy_check(extra=None):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "p2s.settings.production",
        "SECRET_KEY": "k" * 20 + "-production-like-secret-value-for-the-check-only",
        "ALLOWED_HOSTS": "stories.example.org",
        **(extra or {}),
    }
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests' conftest
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_the_production_settings_pass_the_deployment_check():
    result = deploy_check()
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_the_deployment_check_would_catch_a_weakened_setting():
    result = deploy_check({"SECURE_SSL_REDIRECT": "0"})
    assert result.returncode != 0
    assert "security.W008" in result.stderr


def test_production_turns_on_hsts_and_secure_cookies():
    code = (
        "from django.conf import settings as s;"
        "print(s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE,"
        " s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_INCLUDE_SUBDOMAINS)"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "p2s.settings.production",
        "SECRET_KEY": "x" * 60,
        "ALLOWED_HOSTS": "stories.example.org",
    }
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.stdout.split() == ["31536000", "True", "True", "True", "True"]
