"""Settings shared by every configuration; each value comes from the environment."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",  # its templates; no sites framework needed
    "django.forms",
    "taggit",
    "markdownx",
    "csp",
    "axes",
    "django_tasks",  # the tasks framework (notifications/tasks.py)
    "django_tasks_db",  # its queue in the database, for `manage.py db_worker`
    "p2s",
    "notifications",  # mail after commit, failed notifications
    "framework",  # the Pathway to Scale: its streams and the wheel
    "communities",
    "stories",
    "lessons",
    "discovery",  # finding stories: browse, search, facets, by stream, tag, community
    "curation",
    "assessments",  # the self-assessment workshop and its results
    "spaces",  # the communities of practice (/practice/)
    "library_io",  # the whole library to and from an open folder
    "demo",  # the demo and synthetic libraries (refused where not allowed)
]

MIDDLEWARE = [
    "p2s.middleware.RequestLog",  # first: times and logs every answer
    "p2s.middleware.BrowsersAskAgain",  # a page kept here is not kept there
    "django.middleware.cache.UpdateCacheMiddleware",  # keeps visitors' pages
    "django.middleware.security.SecurityMiddleware",
    "common.cache.FetchVisitorsPages",  # answers a visitor from the page cache
    # outside the session and auth, so that a 503 raised while they ask the
    # database still carries the headers of every other page
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "p2s.middleware.DatabaseUnavailable",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "p2s.middleware.PrivateWhenSignedIn",
    "django.contrib.messages.middleware.MessageMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "p2s.urls"
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
WSGI_APPLICATION = "p2s.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "p2s.context_processors.streams",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# An index's INCLUDE columns (story_latest_idx) serve PostgreSQL's index-only
# scans; SQLite, for `make run` and tests, builds the index without them,
# which is all it needs.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

AUTH_USER_MODEL = "communities.User"
_VALIDATORS = "django.contrib.auth.password_validation."
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": _VALIDATORS + "UserAttributeSimilarityValidator"},
    {"NAME": _VALIDATORS + "MinimumLengthValidator"},
    {"NAME": _VALIDATORS + "CommonPasswordValidator"},
    {"NAME": _VALIDATORS + "NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses a locked-out login first
    "communities.backends.EmailBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "me"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "en-au"
TIME_ZONE = "Australia/Sydney"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]

# Story images are never served from a public path: /media/ is a view that
# checks the reader may see the story an image belongs to.
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

TAGGIT_CASE_INSENSITIVE = True
MARKDOWNX_MARKDOWNIFY_FUNCTION = "common.markdown.render_markdown"

# Demo content (fixtures/demo) may be loaded only where this is True.
P2S_DEMO_ALLOWED = False

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "library@localhost")
# Seconds a single SMTP call may wait: the mail worker's (notifications/tasks.py)
# and the core team's "Send again", which is within their request.
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

# One JSON object per line on stdout (p2s/logging.py, docs/configuration.md#logs),
# one line per request from p2s.middleware.RequestLog.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "p2s.logging.JSONFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # the request line already reports each 4xx and 5xx (a 500 with its
        # exception), with tokens taken out of the path; Django's own lines
        # would repeat them with the raw path
        "django.request": {"level": "CRITICAL"},
    },
}

# Headers. No inline script or style anywhere, so no 'unsafe-inline' and no
# nonces are needed; Django's SecurityMiddleware adds nosniff, the
# Referrer-Policy and Cross-Origin-Opener-Policy (set explicitly here).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# The client's address: REMOTE_ADDR, unless TRUSTED_PROXY_COUNT proxies we run
# sit in front (then the address the nearest of them saw). A forged
# X-Forwarded-For from the client never decides it. See docs/security.md.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

# Login throttling (django-axes): five failures for one account from one
# address lock that pair out for 15 minutes, with a 429.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "common.client_ip.client_ip"
AXES_HTTP_RESPONSE_CODE = 429
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "communities.backends.login_name"
AXES_VERBOSE = False

# Rate limits (common/ratelimit.py): scope -> (requests, seconds), per signed-in
# account or, for visitors, per client address. The live preview asks the
# server as someone types, so its allowance is generous.
RATE_LIMITS = {
    "signup": (int(os.environ.get("RATE_LIMIT_SIGNUPS_PER_HOUR", "10")), 3600),
    "story": (int(os.environ.get("RATE_LIMIT_STORY_SAVES_PER_HOUR", "60")), 3600),
    "preview": (int(os.environ.get("RATE_LIMIT_PREVIEWS_PER_MINUTE", "120")), 60),
    "upload": (int(os.environ.get("RATE_LIMIT_UPLOADS_PER_HOUR", "60")), 3600),
}

# The caches (common/cache.py, docs/caching.md), shared by every process: the
# library version, rate-limit counts and (with Redis) sessions in `default`;
# visitors' pages and the parts of pages kept per visibility class in `pages`,
# whose keys carry the library version. Django's database cache by default
# (`manage.py createcachetable`), one Redis with REDIS_URL. A Redis that stops
# answering is passed over (IGNORE_EXCEPTIONS): pages are made afresh.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "600"))
CACHE_MIDDLEWARE_ALIAS = "pages"
CACHE_MIDDLEWARE_SECONDS = PAGE_CACHE_SECONDS
CACHE_MIDDLEWARE_KEY_PREFIX = "page"
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    _SHARED_CACHE = {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": REDIS_URL,
        "OPTIONS": {
            "IGNORE_EXCEPTIONS": True,
            "SOCKET_CONNECT_TIMEOUT": 0.5,
            "SOCKET_TIMEOUT": 0.5,
        },
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
    # the session in front of the database: Redis down, the database answers
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    _SHARED_CACHE = {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "p2s_cache",
        "OPTIONS": {"MAX_ENTRIES": 20_000},
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.db"
CACHES = {
    "default": _SHARED_CACHE,
    "pages": {
        **_SHARED_CACHE,
        "KEY_PREFIX": "pages",
        "KEY_FUNCTION": "common.cache.versioned_key",
    },
}

# Tasks (notifications/tasks.py): emails leave the request through a queue in
# the database; a separate worker process, `manage.py db_worker`, sends them
# (docs/deploy.md).
# Development and the tests run each task in place instead (dev.py, test.py).
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}
