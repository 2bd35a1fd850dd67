"""Local development (`make run`): debug on, demo allowed, mail to the console."""

import os

from .base import *  # noqa: F403
from .base import env_list

DEBUG = os.environ.get("DEBUG", "1") == "1"
SECRET_KEY = os.environ.get("SECRET_KEY") or "dev-only-not-secret-p2s"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
P2S_DEMO_ALLOWED = True
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# Nothing of a page is kept, so a template or code change shows on the next
# request; the version, rate limits and sessions still use the shared cache.
CACHES = {
    **CACHES,  # noqa: F405
    "pages": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
}

# Tasks (notifications/tasks.py): run in place once the transaction commits, so
# `make run` needs no worker; the console shows each email.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
