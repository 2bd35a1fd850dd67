import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from common.cache import library_changed
from demo.generate import generate_library
from discovery import search


class ProgressBar:
    """One line on stderr, redrawn as batches finish."""

    WIDTH = 30

    def __init__(self, stream, label):
        self.stream = stream
        self.label = label
        self.started = time.monotonic()

    def __call__(self, done, total):
        share = done / total if total else 1
        filled = round(self.WIDTH * share)
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        elapsed = time.monotonic() - self.started
        self.stream.write(
            f"\r{self.label} [{bar}] {done:,}/{total:,} ({share:.0%}) {elapsed:.1f} s",
            ending="\n" if done >= total else "",
        )
        self.stream.flush()


class Command(BaseCommand):
    help = (
        "Add COUNT synthetic stories (with communities, accounts, tags and "
        "lessons) for load tests and benchmarks. Never in production."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--count", type=int, required=True, help="How many stories to add."
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=1,
            help="The same seed on the same database gives the same library.",
        )

    def handle(self, *args, count, seed, verbosity, **options):
        if not settings.P2S_DEMO_ALLOWED:
            raise CommandError(
                "Generated content is not allowed in this configuration "
                "(production settings)."
            )
        if count < 1:
            raise CommandError("--count must be at least 1.")
        progress = ProgressBar(self.stderr, "Stories") if verbosity > 0 else None
        started = time.monotonic()
        result = generate_library(count=count, seed=seed, progress=progress)
        seconds = time.monotonic() - started
        # bulk_create skipped the signals that keep search vectors current
        if verbosity > 0:
            self.stderr.write("Refreshing the search vectors of the new stories…")
        searchable = search.refresh_search_vectors(result.added)
        library_changed()  # the search vectors change what a search finds
        search_seconds = time.monotonic() - started - seconds
        statuses = ", ".join(
            f"{status} {number:,}"
            for status, number in sorted(result.status_counts.items())
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Added {result.stories:,} stories ({statuses}), "
                f"{result.lessons:,} lessons, {result.communities} communities and "
                f"{result.accounts} accounts in {seconds:.1f} s."
            )
        )
        if searchable:  # PostgreSQL only
            self.stdout.write(f"Search vectors refreshed in {search_seconds:.1f} s.")
