"""The test suite: fast hashing, mail kept in memory, media in a throwaway folder."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403

SECRET_KEY = "test-only-not-secret-p2s"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="p2s-test-media-"))
P2S_DEMO_ALLOWED = True
LOGGING = {"version": 1, "disable_existing_loggers": False}
