"""p2s/gunicorn.py: more than one worker only with a shared cache."""

import runpy
from pathlib import Path

import pytest

CONFIG = str(Path(__file__).resolve().parents[2] / "p2s" / "gunicorn.py")


def load(monkeypatch, **env):
    for name in ("REDIS_URL", "WEB_CONCURRENCY", "ALLOW_UNSHARED_CACHE"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(CONFIG)


def test_two_workers_with_a_shared_cache_and_one_without(monkeypatch):
    assert load(monkeypatch, REDIS_URL="redis://127.0.0.1:6379/0")["workers"] == 2
    assert load(monkeypatch)["workers"] == 1
    assert load(monkeypatch, WEB_CONCURRENCY="1")["workers"] == 1
    shared = load(monkeypatch, REDIS_URL="redis://cache:6379/0", WEB_CONCURRENCY="4")
    assert shared["workers"] == 4


def test_several_workers_without_a_shared_cache_are_refused(monkeypatch):
    with pytest.raises(SystemExit, match="needs REDIS_URL"):
        load(monkeypatch, WEB_CONCURRENCY="2")
    # the benchmark measures each worker's own cache on purpose
    allowed = load(monkeypatch, WEB_CONCURRENCY="2", ALLOW_UNSHARED_CACHE="1")
    assert allowed["workers"] == 2
