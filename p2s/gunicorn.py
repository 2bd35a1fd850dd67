"""gunicorn settings for `make serve` and for production (docs/deploy.md).

Everything can be changed from the environment: WEB_CONCURRENCY (workers,
default 2 with REDIS_URL, else 1), PORT and BIND, GUNICORN_TIMEOUT."""

import os

bind = os.environ.get("BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
# What is kept (pages, counts, a story as a class reads it) is filed under
# the library version, which every write replaces. Without a shared cache
# (REDIS_URL) each process has its own, and a write through one worker would
# leave the others serving what it replaced (a story archived or made
# Collective only) for up to PAGE_CACHE_SECONDS: so one worker only.
_shared_cache = bool(os.environ.get("REDIS_URL"))
workers = int(os.environ.get("WEB_CONCURRENCY", "2" if _shared_cache else "1"))
if workers > 1 and not _shared_cache:
    if os.environ.get("ALLOW_UNSHARED_CACHE") != "1":  # bench/ measures it
        raise SystemExit(
            f"WEB_CONCURRENCY={workers} needs REDIS_URL: each worker would keep "
            "its own cache, and a change made through one would not reach the "
            "others at once (docs/configuration.md). Set REDIS_URL, or run "
            "one worker."
        )
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
# load the application once, before forking: workers share its memory
preload_app = True
# the app writes its own structured request lines; gunicorn's would repeat them
accesslog = None
errorlog = "-"
# recycle a worker now and then, so a slow leak never grows without bound
max_requests = 5000
max_requests_jitter = 500
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
