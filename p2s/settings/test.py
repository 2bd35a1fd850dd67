"""The test suite: fast hashing, mail kept in memory, media in a throwaway folder."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import LOGGING as DEPLOYED_LOGGING

SECRET_KEY = "test-only-not-secret-p2s"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="p2s-test-media-"))
P2S_DEMO_ALLOWED = True
# One process: its own memory is shared by everything the test runs (and no
# cache query joins a page's query count). tests/p2s/test_cache.py runs the
# writes again over the database cache, the embedded default.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "pages",
        "KEY_FUNCTION": "common.cache.versioned_key",
    },
}
# quiet (no handler of ours: pytest captures), but the same loggers as deployed,
# so tests see what would be written (tests/p2s/test_logging.py)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "loggers": DEPLOYED_LOGGING["loggers"],
}

# Tasks (notifications/tasks.py): run in place once the transaction commits,
# so a test sees the email in mailoutbox; tests/notifications/test_mail_tasks.py
# switches to the database queue and its worker.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
