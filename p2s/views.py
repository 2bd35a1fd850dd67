from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from p2s.models import Stream
from p2s.wheel import wheel_segments
from stories.models import Story


@require_safe
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


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def server_error(request):
    """Rendered without a request context: the database may be what failed."""
    return HttpResponse(loader.get_template("500.html").render(), status=500)
