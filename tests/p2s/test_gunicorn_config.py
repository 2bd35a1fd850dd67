"""p2s/gunicorn.py: workers share one cache, so any number may run."""

import runpy
from pathlib import Path

CONFIG = str(Path(__file__).resolve().parents[2] / "p2s" / "gunicorn.py")


def load(monkeypatch, **env):
    for name in ("REDIS_URL", "WEB_CONCURRENCY"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(CONFIG)


def test_two_workers_by_default_with_redis_or_without(monkeypatch):
    assert load(monkeypatch)["workers"] == 2
    assert load(monkeypatch, REDIS_URL="redis://127.0.0.1:6379/0")["workers"] == 2


def test_web_concurrency_sets_the_workers_without_redis_too(monkeypatch):
    assert load(monkeypatch, WEB_CONCURRENCY="4")["workers"] == 4
    assert load(monkeypatch, WEB_CONCURRENCY="1")["workers"] == 1
