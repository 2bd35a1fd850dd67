"""Local development (`make run`): debug on, demo allowed, mail to the console."""

import os

from .base import *  # noqa: F403
from .base import env_list

DEBUG = os.environ.get("DEBUG", "1") == "1"
SECRET_KEY = os.environ.get("SECRET_KEY") or "dev-only-not-secret-p2s"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
P2S_DEMO_ALLOWED = True
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
