import time

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from library_io.importing import import_library
from library_io.layout import LibraryError


class Command(BaseCommand):
    help = (
        "Read an export made by export_library (the folder PATH) into this "
        "database, which must be empty and migrated (docs/export.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The folder export_library wrote.")

    def handle(self, *args, path, verbosity, **options):
        started = time.monotonic()
        try:
            result = import_library(path)
        except LibraryError as error:
            raise CommandError(str(error)) from error
        except DatabaseError as error:
            raise CommandError(
                f"The database refused a row of the export, so nothing was "
                f"imported: {error}"
            ) from error
        seconds = time.monotonic() - started
        for warning in result.warnings:
            self.stderr.write(self.style.WARNING(warning))
        counts = result.counts
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {counts.get('stories', 0):,} stories, "
                f"{counts.get('accounts', 0):,} accounts, "
                f"{counts.get('lessons', 0):,} lessons, "
                f"{counts.get('collections', 0):,} collections and "
                f"{result.images:,} images in {seconds:.1f} s."
            )
        )
