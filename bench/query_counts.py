"""Queries per page at several library sizes, anonymous and signed in.

    .venv/bin/python bench/query_counts.py [--sizes 20 200 1000]

Runs on a throwaway test database (SQLite, or PostgreSQL when DATABASE_URL is
set). The same budgets are asserted in tests/stories/test_query_budgets.py.
Results go in docs/performance.md. (Server time, throughput and memory at
10,000 and 100,000 stories are measured by bench/run.py, `make bench`; the test
environment used here instruments templates and would inflate timings, so none
are reported.)
"""

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "p2s.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_databases,
    setup_test_environment,
    teardown_databases,
)

PAGES = {
    "home": "/",
    "browse": "/stories/",
    "browse, 4 filters": "/stories/?stream=plan&state=WA&tag=shared&year=2024",
    "browse, last page": "/stories/?page=last",
    "stream": "/streams/plan/",
    "story": None,
    "tag": "/tags/shared/",
    "communities": "/communities/",
    "community": "/communities/bench-town/",
    "RSS, latest stories": "/feeds/stories/",
    "RSS, one stream": "/feeds/streams/plan/",
    "sitemap index": "/sitemap.xml",
    "sitemap, stories": "/sitemap-stories.xml",
    "sitemap, tags": "/sitemap-tags.xml",
}


def fill(count):
    from tests.factories import fill_library, make_user

    return fill_library(count, community_slug="bench-town"), make_user(approved=True)


def count_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[20, 200, 1000])
    args = parser.parse_args()
    setup_test_environment()
    old = setup_databases(verbosity=0, interactive=False)
    try:
        total = 0
        print(f"database: {connection.vendor}")
        print("| page | stories | queries, anonymous | queries, signed-in member |")
        print("|---|---|---|---|")
        for size in args.sizes:
            story, user = fill(size - total)
            total = size
            anonymous, member = Client(), Client()
            member.force_login(user)
            for name, url in PAGES.items():
                url = url or story.get_absolute_url()
                queries = count_queries(anonymous, url), count_queries(member, url)
                print(f"| {name} | {size} | {queries[0]} | {queries[1]} |")
        moderation(args.sizes)
    finally:
        teardown_databases(old, verbosity=0)


def moderation(sizes):
    """The core team's pages, with `size` stories waiting in the queue, each
    with three revisions, two events, a comment and a flag."""
    from stories.models import StoryComment, StoryEvent, StoryFlag, StoryRevision
    from stories.services import snapshot_of
    from tests.factories import make_community, make_core, make_story

    core = make_core()
    client = Client()
    client.force_login(core)
    community = make_community()
    print()
    print("| core-team page | stories waiting | queries |")
    print("|---|---|---|")
    total = 0
    story = None
    for size in sizes:
        for _ in range(size - total):
            story = make_story(status="submitted", community=community, consent=True,
                               streams=["plan", "learn"])  # fmt: skip
            data = snapshot_of(story)
            StoryRevision.objects.bulk_create(
                StoryRevision(story=story, number=n, author=core, data=data)
                for n in (1, 2, 3)
            )
            StoryEvent.objects.bulk_create(
                StoryEvent(story=story, actor=core, action="submit", note="n")
                for _ in range(2)
            )
            StoryComment.objects.create(story=story, author=core, body="Hello")
            StoryFlag.objects.create(story=story, reporter=core, reason="Check")
        total = size
        pages = {
            "queue /moderation/": "/moderation/",
            "queue, filtered": "/moderation/?stream=plan&waiting=7",
            "review /moderation/<slug>/": story.get_review_url(),
            "review with a diff": story.get_review_url() + "?a=1&b=3",
        }
        for name, url in pages.items():
            print(f"| {name} | {size} | {count_queries(client, url)} |")


if __name__ == "__main__":
    main()
