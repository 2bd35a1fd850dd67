"""`make run` on another port: PORT reaches the links made outside a request
(emails from the worker, CSV files) through SITE_URL, and the address it
prints. Run with a stand-in for Python that says what it was given."""

import os
import shutil
import subprocess
from pathlib import Path

from django.conf import settings

ECHO = """include Makefile
PY := sh -c 'echo "SITE_URL=$$SITE_URL $$0 $$*"'
"""


def make_run(tmp_path, *args, **env):
    shutil.copy(Path(settings.BASE_DIR) / "Makefile", tmp_path / "Makefile")
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / ".venv").mkdir()
    stamp = tmp_path / ".venv" / "installed.stamp"
    stamp.write_text("")
    os.utime(tmp_path / "pyproject.toml", (0, 0))  # the install is up to date
    (tmp_path / "echo.mk").write_text(ECHO)
    environment = {k: v for k, v in os.environ.items() if k != "SITE_URL"} | env
    return subprocess.run(
        ["make", "-s", "-f", "echo.mk", "run", *args],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout


def test_port_reaches_every_absolute_link(tmp_path):
    out = make_run(tmp_path, "PORT=8123")
    assert "SITE_URL=http://127.0.0.1:8123 manage.py runserver 127.0.0.1:8123" in out
    assert "SITE_URL=http://127.0.0.1:8123 manage.py load_demo" in out
    assert "Pathway to Scale Interactive: http://127.0.0.1:8123/" in out


def test_a_site_url_given_is_kept(tmp_path):
    out = make_run(tmp_path, SITE_URL="https://p2s.example.org")
    assert "SITE_URL=https://p2s.example.org manage.py runserver 127.0.0.1:8000" in out
