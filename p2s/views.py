from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from curation.models import Collection
from p2s.cache import cache_for_visitors
from p2s.models import Stream
from p2s.wheel import wheel_segments
from stories.models import Story

HOME_COLLECTIONS = 3


@require_safe
@cache_for_visitors
def home(request):
    visible = Story.objects.visible_to(request.user)
    streams = list(Stream.objects.with_story_counts(visible))
    request._p2s_streams = streams  # the navigation needs no second query
    featured = list(visible.filter(is_featured=True).latest().for_cards()[:3])
    latest = visible.exclude(pk__in=[story.pk for story in featured])
    context = {
        "wheel": wheel_segments(streams),
        "streams": streams,
        "featured": featured,
        "latest": list(latest.latest().for_cards()[:6]),
        "story_total": visible.count(),
        "collections": list(
            Collection.objects.visible_to(request.user)
            .listed()
            .with_story_counts(visible)
            .order_by("-published_at", "pk")[:HOME_COLLECTIONS]
        ),
    }
    return render(request, "p2s/home.html", context)


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
    """Rendered without a request context: the database may be what failed."""
    return HttpResponse(loader.get_template("500.html").render(), status=500)
