"""Forget the images kept from story forms that had a problem once they are
older than PendingUpload.PENDING_HOURS. Each new one also clears the expired,
so this is only for a quiet library: run it daily."""

from django.core.management.base import BaseCommand

from stories.pending import pending_uploads_expire


class Command(BaseCommand):
    help = "Delete images kept from story forms that had a problem, once expired."

    def handle(self, *args, **options):
        count = pending_uploads_expire()
        self.stdout.write(f"{count} expired image{'s' if count != 1 else ''} deleted.")
