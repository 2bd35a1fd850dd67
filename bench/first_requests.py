"""The median server time of a page's first request (nothing kept: a new
library version before each), anonymous and signed in, in-process.

    DJANGO_SETTINGS_MODULE=p2s.settings.production DATABASE_URL=... \\
        python bench/first_requests.py [--times 5] [URL ...]

With the environment bench/run.py sets (production settings, DEBUG off);
prints one line for each page and reader, with the page's queries and their
time.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "p2s.settings.production")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench.measure import member_client  # noqa: E402
from common.cache import library_changed  # noqa: E402

SEARCHES = ["/stories/?q=playgroup", "/stories/?q=shared+measurement+data"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--times", type=int, default=5)
    parser.add_argument("urls", nargs="*", default=SEARCHES)
    args = parser.parse_args()
    readers = {"anonymous": Client(), "member": member_client()[0]}
    for client in readers.values():
        client.get("/")  # the process warmed: imports, templates, connection
    for url in args.urls:
        for reader, client in readers.items():
            timings = []
            for _ in range(args.times):
                library_changed()
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    status = client.get(url).status_code
                    timings.append((time.perf_counter() - started) * 1000)
            query_ms = sum(float(query["time"]) for query in queries) * 1000
            print(
                f"{url:40} {reader:9} {status} first median "
                f"{statistics.median(timings):6.1f} ms (min {min(timings):6.1f}), "
                f"{len(queries)} queries, {query_ms:.0f} ms of them"
            )


if __name__ == "__main__":
    main()
