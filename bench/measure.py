"""Server time and queries of the main pages, in-process, on one database.

Run by bench/run.py (which sets the environment: production settings with
DEBUG off, the bench database in DATABASE_URL); prints JSON on stdout.
Requests go through Django's full handler and middleware with the test
client, without the test environment's template instrumentation.
"""

import argparse
import cProfile
import io
import json
import os
import pstats
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "p2s.settings.production")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from taggit.models import Tag  # noqa: E402

from stories.models import Story  # noqa: E402

MEMBER = "bench-member"
WARM_UP = 3


def pages():
    """(name, url) of what is measured; the story and tag are picked from the
    data: a public story from the middle of the library, the most used tag."""
    visible = Story.objects.visible_to(None)
    middle = (Story.objects.order_by("-pk").values_list("pk", flat=True).first()) // 2
    story = visible.filter(pk__gte=middle).order_by("pk").first()
    tag = (
        Tag.objects.annotate(uses=Count("taggit_taggeditem_items"))
        .order_by("-uses")
        .first()
    )
    return [
        ("home", "/"),
        ("browse", "/stories/"),
        ("browse, page 500", "/stories/?page=500"),
        ("stream", "/streams/plan/"),
        ("story", story.get_absolute_url()),
        ("tag", f"/tags/{tag.slug}/"),
        ("search, 1 word", "/stories/?q=playgroup"),
        ("search, 3 words", "/stories/?q=shared+measurement+data"),
    ]


def member_client():
    """A signed-in, approved member of the Collective (not the core team), and
    the session key of that sign-in, for the load generator."""
    user, _ = get_user_model().objects.get_or_create(
        username=MEMBER,
        defaults={"email": f"{MEMBER}@example.org", "name": "Bench Member"},
    )
    if not user.is_approved:
        user.is_approved = True
        user.save(update_fields=["is_approved"])
    client = Client()
    client.force_login(user, backend="communities.backends.EmailBackend")
    return client, client.cookies[settings.SESSION_COOKIE_NAME].value


def time_page(client, url, requests):
    started = time.perf_counter()
    response = client.get(url)
    first_ms = (time.perf_counter() - started) * 1000
    for _ in range(WARM_UP - 1):
        response = client.get(url)
    status = response.status_code
    timings = []
    for _ in range(requests):
        started = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return {
        "status": status,
        "first_ms": first_ms,  # before any cache has it
        "median_ms": statistics.median(timings),
        "p95_ms": statistics.quantiles(timings, n=20)[-1],
        "queries": len(captured),
        "query_ms": sum(float(query["time"]) for query in captured) * 1000,
        "slowest_queries": sorted(
            ({"ms": float(q["time"]) * 1000, "sql": q["sql"]} for q in captured),
            key=lambda query: -query["ms"],
        )[:3],
    }


def without_search_vector():
    """How many stories lack a stored search vector, where the schema has one
    (search numbers mean little until none do)."""
    if not any(field.name == "search_vector" for field in Story._meta.fields):
        return None
    return Story.objects.filter(search_vector=None).count()


def profile_page(client, url, requests=5):
    """cProfile of a few requests of one page: the functions that take longest,
    cumulatively."""
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(requests):
        client.get(url)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    out.write("Where the time goes (own time; the driver's execute is the database):\n")
    stats.sort_stats("tottime").print_stats(12)
    out.write("The project's own code, by cumulative time:\n")
    own_code = re.escape(str(ROOT)) + r"/(?!\.venv)"
    stats.sort_stats("cumulative").print_stats(own_code, 15)
    return out.getvalue()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    # "first" means before anything is kept, also in a Redis kept from a
    # run before: a new library version leaves all of that behind (the code
    # measured may be older than this script: --before)
    try:
        from common.cache import library_changed
    except ImportError:
        from p2s.cache import library_changed

    library_changed()
    anonymous = Client()
    member, session_key = member_client()
    viewers = {"anonymous": anonymous, "member": member}
    results = []
    for name, url in pages():
        for viewer, client in viewers.items():
            row = time_page(client, url, args.requests)
            results.append({"page": name, "url": url, "viewer": viewer, **row})
            print(
                f"  {name:18} {viewer:9} first {row['first_ms']:7.1f} ms  "
                f"median {row['median_ms']:7.1f} ms  "
                f"p95 {row['p95_ms']:7.1f} ms  {row['queries']:2} queries",
                file=sys.stderr,
            )
    report = {
        "stories": Story.objects.count(),
        "without_search_vector": without_search_vector(),
        "session_key": session_key,
        "pages": results,
        "story_url": next(row["url"] for row in results if row["page"] == "story"),
    }
    if args.profile:
        slowest = max(results, key=lambda row: row["p95_ms"])
        report["profile"] = {
            "page": slowest["page"],
            "viewer": slowest["viewer"],
            "url": slowest["url"],
            "stats": profile_page(viewers[slowest["viewer"]], slowest["url"]),
        }
    json.dump(report, sys.stdout)


if __name__ == "__main__":
    main()
