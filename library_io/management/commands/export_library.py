import time

from django.core.management.base import BaseCommand, CommandError

from library_io.exporting import export_library
from library_io.layout import LibraryError


class Command(BaseCommand):
    help = (
        "Write the whole library to the folder PATH: library.json, each story's "
        "body as Markdown and the image files (docs/export.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="A new or empty folder.")
        choice = parser.add_mutually_exclusive_group()
        choice.add_argument(
            "--public-only",
            action="store_true",
            help="Only what a visitor may read, with no accounts: open data.",
        )
        choice.add_argument(
            "--with-accounts",
            action="store_true",
            help="Include password hashes (and invitation token hashes), so "
            "people keep their logins on the new host. Keep the folder secret.",
        )

    def handle(self, *args, path, public_only, with_accounts, verbosity, **options):
        started = time.monotonic()
        try:
            result = export_library(
                path, public_only=public_only, with_accounts=with_accounts
            )
        except LibraryError as error:
            raise CommandError(str(error)) from error
        seconds = time.monotonic() - started
        for warning in result.warnings:
            self.stderr.write(self.style.WARNING(warning))
        counts = result.counts
        kind = "Public export" if public_only else "Export"
        self.stdout.write(
            self.style.SUCCESS(
                f"{kind} written to {result.path}: {counts['stories']:,} stories, "
                f"{counts.get('accounts', 0):,} accounts, {counts['lessons']:,} "
                f"lessons, {counts['collections']:,} collections; {result.files:,} "
                f"files, {result.bytes / 2**20:.1f} MB in {seconds:.1f} s."
            )
        )
