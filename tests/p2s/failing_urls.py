"""The site's URLs plus two pages that fail on purpose, for the tests of what
a failure looks like to a reader and in the logs (`@pytest.mark.urls`)."""

from django.db import OperationalError
from django.urls import path

from p2s import urls


def broken(request):
    raise RuntimeError("boom for the log")


def database_gone(request):
    # what Django raises when PostgreSQL refuses the connection; the real
    # thing, with a real server, is in test_database_down.py
    raise OperationalError("connection to server failed: Connection refused")


urlpatterns = [
    path("test/broken/", broken),
    path("test/database-gone/", database_gone),
    *urls.urlpatterns,
]
handler404 = urls.handler404
handler500 = urls.handler500
