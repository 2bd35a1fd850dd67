"""gunicorn settings for `make serve` and for production (docs/deploy.md).

Everything can be changed from the environment: WEB_CONCURRENCY (workers,
default 2), PORT and BIND, GUNICORN_TIMEOUT. Workers share one cache (the
database's, or Redis with REDIS_URL), so any number of them may run."""

import os

bind = os.environ.get("BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
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
