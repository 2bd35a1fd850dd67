import sys

from django.db import DatabaseError, connection
from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.template import loader
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from common.cache import cached
from curation.models import Collection
from framework.wheel import wheel_segments
from p2s.middleware import DATABASE_UNAVAILABLE, database_unavailable
from stories.models import Story
from stories.selectors import streams_with_counts

HOME_COLLECTIONS = 3


# What Django raises when the database can't be reached (down, restarting,
# refusing connections, a connection broken): answered with the 503 page.
@require_safe
def home(request):
    """The wheel, the streams, featured and latest stories, collections: the
    same for every reader of one visibility class, so drawn once per class
    and library version and kept; the layout around it (the reader's menu,
    messages) is drawn for each request."""
    content = cached(request, "home", (), lambda: _home(request.user))
    return render(request, "p2s/home.html", {"content": content})


def _home(user):
    visible = Story.objects.visible_to(user)
    streams = list(streams_with_counts(visible))
    story_total = visible.count()
    featured = list(visible.filter(is_featured=True).latest().card_list()[:3])
    latest = visible.exclude(pk__in=[story.pk for story in featured])
    context = {
        "wheel": wheel_segments(streams),
        "streams": streams,
        "featured": featured,
        "latest": list(latest.latest().card_list()[:6]),
        "story_total": story_total,
        "collections": list(
            Collection.objects.visible_to(user)
            .listed()
            .with_story_counts(visible)
            .order_by("-published_at", "pk")[:HOME_COLLECTIONS]
        ),
    }
    return render_to_string("p2s/includes/_home.html", context)


@never_cache
@require_safe
def healthz(request):
    """200 when the database answers, 503 when it doesn't; no details leak."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse(
            "database unavailable\n", status=503, content_type="text/plain"
        )
    return HttpResponse("ok\n", content_type="text/plain")


# Prefixes of pages that are not for search engines: sign-in, personal and
# core-team pages. A test checks each still starts a page in the URL map.
ROBOTS_DISALLOW = [
    "/admin/",
    "/moderation/",
    "/accounts/",
    "/me/",
    "/markdownx/",
    "/synthesis/",
]


@require_safe
def robots_txt(request):
    lines = [
        "User-agent: *",
        *(f"Disallow: {prefix}" for prefix in ROBOTS_DISALLOW),
        "Allow: /",
        "",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse(
        "\n".join(lines) + "\n", content_type="text/plain; charset=utf-8"
    )


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def server_error(request):
    """Rendered without a request context: the database may be what failed.
    When it is (raised by a middleware: the session's or the reader's lookup),
    the 503 page instead, like p2s.middleware.DatabaseUnavailable's."""
    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_UNAVAILABLE):
        return database_unavailable(request, error)
    return HttpResponse(loader.get_template("500.html").render(), status=500)


@require_safe
def favicon(request):
    """For browsers that ask before reading the page's <link rel="icon">: the
    wheel's icon, by its address in the static files (hashed in production,
    so asked at request time)."""
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))
